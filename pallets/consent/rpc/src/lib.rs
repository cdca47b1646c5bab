//! JSON-RPC methods of the consent pallet:
//!
//! - `consent_check(patient, grantee, target, purpose, at?)` → `{"permit": {"consent": id}}`,
//!   `{"permit": {"emergency": id}}` or `{"deny": {"reason": "NoConsent", "closest": id|null}}`
//!   (docs/consent.md); `target` is `{"record": {"custodian": 0, "recordId": "0x…"}}` or
//!   `{"category": {"category": "Laboratory", "custodian": null}}`; `at` is a block number,
//!   by default the block the next transaction would be checked in (best + 1). A past `at`
//!   is answered from that block's history (the state its transactions were checked
//!   against); where the node no longer has that state, the error says so (`HISTORY_PRUNED`).
//!   A future `at` is answered from the best block's state.
//! - `consent_disclosures(patient, page?)` → a page of the patient's disclosure log, newest
//!   first, with the log's hash chain state.
//!
//! Errors carry a code and a message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_consent::{Decision, DisclosuresPage, Purpose, Target};
pub use pallet_consent_runtime_api::ConsentApi as ConsentRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::{Block as BlockT, NumberFor, One, Zero};
use std::sync::Arc;

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8101;
/// `at` is a past block whose state this node no longer keeps (or block 0).
pub const HISTORY_PRUNED: i32 = 8102;

/// The consent JSON-RPC methods.
#[rpc(client, server)]
pub trait ConsentApi<AccountId, BlockNumber> {
	/// May `grantee` receive `target` of `patient` for `purpose` at block `at`?
	#[method(name = "consent_check")]
	fn check(
		&self,
		patient: AccountId,
		grantee: u32,
		target: Target,
		purpose: Purpose,
		at: Option<BlockNumber>,
	) -> RpcResult<Decision>;

	/// Page `page` (default 0) of `patient`'s disclosure log, newest first.
	#[method(name = "consent_disclosures")]
	fn disclosures(
		&self,
		patient: AccountId,
		page: Option<u32>,
	) -> RpcResult<DisclosuresPage<BlockNumber>>;
}

/// Serves the consent methods from a client.
pub struct ConsentRpc<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> ConsentRpc<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, BlockNumber> ConsentApiServer<AccountId, BlockNumber>
	for ConsentRpc<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ConsentRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	BlockNumber: Codec
		+ Copy
		+ Send
		+ Sync
		+ Serialize
		+ for<'de> Deserialize<'de>
		+ Into<NumberFor<Block>>
		+ 'static,
{
	fn check(
		&self,
		patient: AccountId,
		grantee: u32,
		target: Target,
		purpose: Purpose,
		at: Option<BlockNumber>,
	) -> RpcResult<Decision> {
		let info = self.client.info();
		// A check at block n sees the state after block n - 1.
		let Some(past) = at.map(Into::<NumberFor<Block>>::into).filter(|n| *n <= info.best_number)
		else {
			return self
				.client
				.runtime_api()
				.check(info.best_hash, patient, grantee, target, purpose, at)
				.map_err(runtime_error);
		};
		let no_history = || {
			ErrorObject::owned(
				HISTORY_PRUNED,
				format!(
					"this node has no state before block {past} (block 0, or history pruned): \
					 omit `at`, or ask an archive node"
				),
				None::<()>,
			)
		};
		if past.is_zero() {
			return Err(no_history());
		}
		let parent = self.client.hash(past - One::one()).ok().flatten().ok_or_else(no_history)?;
		self.client
			.runtime_api()
			.check(parent, patient, grantee, target, purpose, at)
			.map_err(|_| no_history())
	}

	fn disclosures(
		&self,
		patient: AccountId,
		page: Option<u32>,
	) -> RpcResult<DisclosuresPage<BlockNumber>> {
		let best = self.client.info().best_hash;
		self.client
			.runtime_api()
			.disclosures(best, patient, page.unwrap_or(0))
			.map_err(runtime_error)
	}
}
