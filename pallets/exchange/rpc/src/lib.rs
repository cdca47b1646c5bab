//! JSON-RPC methods of the exchange pallet:
//!
//! - `exchange_request(id)` → the request with its status and delivery receipt (amounts as
//!   decimal strings); error `8202` if no request has this id;
//! - `exchange_pending(custodian, page?)` → a page of the custodian's requests waiting for
//!   delivery, oldest first, with the total waiting.
//!
//! Both answer from the best block. Errors carry a code and a message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_exchange::{PendingPage, RequestId, RequestView};
pub use pallet_exchange_runtime_api::ExchangeApi as ExchangeRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, str::FromStr, sync::Arc};

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8201;
/// No request has the id asked for.
pub const UNKNOWN_REQUEST: i32 = 8202;

/// The exchange JSON-RPC methods.
#[rpc(client, server)]
pub trait ExchangeApi<AccountId, Balance, BlockNumber>
where
	Balance: Display + FromStr,
{
	/// Request `id` with its status and delivery receipt.
	#[method(name = "exchange_request")]
	fn request_status(
		&self,
		id: RequestId,
	) -> RpcResult<RequestView<AccountId, Balance, BlockNumber>>;

	/// Page `page` (default 0) of `custodian`'s requests waiting for delivery.
	#[method(name = "exchange_pending")]
	fn pending(
		&self,
		custodian: u32,
		page: Option<u32>,
	) -> RpcResult<PendingPage<AccountId, Balance, BlockNumber>>;
}

/// Serves the exchange methods from a client.
pub struct ExchangeRpc<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> ExchangeRpc<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, Balance, BlockNumber> ExchangeApiServer<AccountId, Balance, BlockNumber>
	for ExchangeRpc<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ExchangeRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	Balance: Codec + Clone + Send + Sync + Display + FromStr + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn request_status(
		&self,
		id: RequestId,
	) -> RpcResult<RequestView<AccountId, Balance, BlockNumber>> {
		let best = self.client.info().best_hash;
		self.client.runtime_api().request(best, id).map_err(runtime_error)?.ok_or_else(|| {
			ErrorObject::owned(
				UNKNOWN_REQUEST,
				format!("no exchange request has id {id}"),
				None::<()>,
			)
		})
	}

	fn pending(
		&self,
		custodian: u32,
		page: Option<u32>,
	) -> RpcResult<PendingPage<AccountId, Balance, BlockNumber>> {
		let best = self.client.info().best_hash;
		self.client.runtime_api().pending(best, custodian, page.unwrap_or(0)).map_err(runtime_error)
	}
}
