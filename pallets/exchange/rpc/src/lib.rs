//! JSON-RPC methods of the exchange pallet:
//!
//! - `exchange_request(id)` → the request with its status and delivery receipt (amounts as
//!   decimal strings); error `8202` if no request has this id;
//! - `exchange_pending(custodian, page?)` → a page of the custodian's requests waiting for
//!   delivery, oldest first, with the total waiting;
//! - `exchange_quote(custodian, patient, records, categories)` → the fee (decimal string) a
//!   request of these items would hold if made in the best block, at the custodian's prices in
//!   force then: pass it as the request's `max_fee`. `records` are hex record ids, `categories`
//!   names such as `"Laboratory"`. Error `8203` with the reason when the items would be refused
//!   (e.g. `NoRecordsInCategory`); `8201` if the runtime predates quotes (API version 1);
//! - `exchange_ofInstitution(institution, page?)` → a page of the requests the institution is
//!   a party to (as requester or custodian), newest first, with their number in all; `8201` if
//!   the runtime predates this index (API version 2).
//!
//! All answer from the best block. Errors carry a code and a message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_exchange::{
	Category, InstitutionPage, PendingPage, RecordIdView, RequestId, RequestView,
};
pub use pallet_exchange_runtime_api::ExchangeApi as ExchangeRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, str::FromStr, sync::Arc};

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8201;
/// No request has the id asked for.
pub const UNKNOWN_REQUEST: i32 = 8202;
/// The items asked for cannot be quoted (a request of them would be refused).
pub const INVALID_QUOTE: i32 = 8203;

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

	/// The fee (decimal string) a request of `records` and `categories` of `patient` from
	/// `custodian` would hold now.
	#[method(name = "exchange_quote")]
	fn quote(
		&self,
		custodian: u32,
		patient: AccountId,
		records: Vec<RecordIdView>,
		categories: Vec<Category>,
	) -> RpcResult<String>;

	/// Page `page` (default 0) of the requests `institution` is a party to, newest first.
	#[method(name = "exchange_ofInstitution")]
	fn of_institution(
		&self,
		institution: u32,
		page: Option<u32>,
	) -> RpcResult<InstitutionPage<AccountId, Balance, BlockNumber>>;
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

	fn quote(
		&self,
		custodian: u32,
		patient: AccountId,
		records: Vec<RecordIdView>,
		categories: Vec<Category>,
	) -> RpcResult<String> {
		let best = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn ExchangeRuntimeApi<Block, AccountId, Balance, BlockNumber>>(best)
			.map_err(runtime_error)?;
		if version.unwrap_or(0) < 2 {
			return Err(runtime_error("the runtime's exchange API predates quotes (version 2)"));
		}
		let records = records.into_iter().map(|id| id.0).collect();
		match api.quote(best, custodian, patient, records, categories).map_err(runtime_error)? {
			Ok(fee) => Ok(fee.to_string()),
			Err(refusal) => Err(ErrorObject::owned(
				INVALID_QUOTE,
				format!("no quote: {refusal:?}: {}", refusal.message()),
				Some(refusal),
			)),
		}
	}

	fn of_institution(
		&self,
		institution: u32,
		page: Option<u32>,
	) -> RpcResult<InstitutionPage<AccountId, Balance, BlockNumber>> {
		let best = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn ExchangeRuntimeApi<Block, AccountId, Balance, BlockNumber>>(best)
			.map_err(runtime_error)?;
		if version.unwrap_or(0) < 3 {
			return Err(runtime_error(
				"the runtime's exchange API predates the index of institutions' requests (version 3)",
			));
		}
		api.of_institution(best, institution, page.unwrap_or(0)).map_err(runtime_error)
	}
}
