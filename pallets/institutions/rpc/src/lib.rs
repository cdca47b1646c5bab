//! JSON-RPC methods of the institutions pallet:
//!
//! - `institutions_pendingRegistrations(institution, page?, at?)` → a page of the
//!   registrations the institution asked for that wait for the patient's (or the named
//!   guardian's) confirmation, the newest first (`patient`, `guardian`, `expiresAt`), with their
//!   number in all (`total`). Expired ones not yet removed are included: compare `expiresAt`
//!   with the block. Anyone may ask: the same is in the `PendingRegistrations` storage.
//!
//! Answers from the best block unless `at` names another. Errors carry a code and a message;
//! nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_institutions::PendingRegistrationsPage;
pub use pallet_institutions_runtime_api::InstitutionsApi as InstitutionsRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8501;

/// The institutions JSON-RPC methods.
#[rpc(client, server)]
pub trait InstitutionsApi<BlockHash, AccountId, BlockNumber> {
	/// Page `page` (default 0) of `institution`'s pending registrations.
	#[method(name = "institutions_pendingRegistrations")]
	fn pending_registrations(
		&self,
		institution: u32,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<PendingRegistrationsPage<AccountId, BlockNumber>>;
}

/// Serves the institutions methods from a client.
pub struct Institutions<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Institutions<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, BlockNumber>
	InstitutionsApiServer<<Block as BlockT>::Hash, AccountId, BlockNumber> for Institutions<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: InstitutionsRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn pending_registrations(
		&self,
		institution: u32,
		page: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<PendingRegistrationsPage<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.pending_registrations(at, institution, page.unwrap_or(0))
			.map_err(runtime_error)
	}
}
