//! JSON-RPC methods of the records pallet:
//!
//! - `records_verify(custodian, recordId, contentHash, at?)`: is this the anchored document?
//! - `records_verifyInclusion(custodian, root, leaf, proof, at?)`: is this record hash in a
//!   Merkle root anchored by this custodian? (Roots are kept per custodian since issue 12; on
//!   a block of an older runtime, the root counts only if this custodian anchored it.)
//! - `records_ofPatient(patient, page?, at?)`: a page of a patient's records.
//!
//! Byte strings (record ids) are `0x`-prefixed hex; hashes are `0x`-prefixed 32-byte hex;
//! accounts are SS58 addresses. Errors carry a code and a message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_records::{InclusionProof, InclusionVerification, PatientRecordsPage, Verification};
pub use pallet_records_runtime_api::RecordsApi as RecordsRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::{Bytes, H256};
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8001;
/// The request is malformed (e.g. an empty record id).
pub const INVALID_REQUEST: i32 = 8002;

/// The answer of `records_verify`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse<AccountId, BlockNumber> {
	/// Whether the custodian anchored a record with this id at all.
	pub found: bool,
	/// What the chain knows of it, when found.
	#[serde(flatten)]
	pub verification: Option<Verification<AccountId, BlockNumber>>,
}

/// The records JSON-RPC methods.
#[rpc(client, server)]
pub trait RecordsApi<BlockHash, AccountId, BlockNumber> {
	/// Whether `content_hash` is the document `custodian` anchored as `record_id`.
	#[method(name = "records_verify")]
	fn verify(
		&self,
		custodian: u32,
		record_id: Bytes,
		content_hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<VerifyResponse<AccountId, BlockNumber>>;

	/// Whether `leaf` (a record's content hash) is in the tree of the `root` anchored by
	/// `custodian`.
	#[method(name = "records_verifyInclusion")]
	fn verify_inclusion(
		&self,
		custodian: u32,
		root: H256,
		leaf: H256,
		proof: InclusionProof,
		at: Option<BlockHash>,
	) -> RpcResult<InclusionVerification<AccountId, BlockNumber>>;

	/// Page `page` (default 0) of `patient`'s records.
	#[method(name = "records_ofPatient")]
	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<PatientRecordsPage>;
}

/// Serves the records methods from a client.
pub struct Records<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Records<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, BlockNumber>
	RecordsApiServer<<Block as BlockT>::Hash, AccountId, BlockNumber> for Records<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RecordsRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + 'static,
{
	fn verify(
		&self,
		custodian: u32,
		record_id: Bytes,
		content_hash: H256,
		at: Option<Block::Hash>,
	) -> RpcResult<VerifyResponse<AccountId, BlockNumber>> {
		if record_id.is_empty() {
			return Err(ErrorObject::owned(INVALID_REQUEST, "the record id is empty", None::<()>));
		}
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let verification = self
			.client
			.runtime_api()
			.verify(at, custodian, record_id.0, content_hash)
			.map_err(runtime_error)?;
		Ok(VerifyResponse { found: verification.is_some(), verification })
	}

	fn verify_inclusion(
		&self,
		custodian: u32,
		root: H256,
		leaf: H256,
		proof: InclusionProof,
		at: Option<Block::Hash>,
	) -> RpcResult<InclusionVerification<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn RecordsRuntimeApi<Block, AccountId, BlockNumber>>(at)
			.map_err(runtime_error)?
			.ok_or_else(|| runtime_error("the runtime has no records API"))?;
		if version >= 2 {
			return api.verify_inclusion(at, custodian, root, leaf, proof).map_err(runtime_error);
		}
		// A runtime before issue 12 kept roots globally: its answer stands only if `custodian`
		// is the institution that anchored the root.
		#[allow(deprecated)]
		let answer =
			api.verify_inclusion_before_version_2(at, root, leaf, proof).map_err(runtime_error)?;
		if answer.root.as_ref().is_some_and(|r| r.custodian == custodian) {
			Ok(answer)
		} else {
			Ok(InclusionVerification { included: false, root: None })
		}
	}

	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<PatientRecordsPage> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.records_of_patient(at, patient, page.unwrap_or(0))
			.map_err(runtime_error)
	}
}
