//! JSON-RPC methods of the claims pallet:
//!
//! - `claims_get(hash, at?)`: the claim submitted under the salted hash of its FHIR Claim,
//!   with its status, amounts (decimal strings) and deadlines; `null` if there is none.
//! - `claims_insurerQueue(insurer, page?, at?)`: a page of the claims waiting for the insurer's
//!   action (submitted or under review), oldest first, with the total waiting.
//! - `claims_ofHospital(hospital, page?, at?)`: a page of the hospital's open claims, oldest
//!   first.
//! - `claims_ofPatient(patient, page?, at?)`: a page of a pseudonym's claims, closed ones
//!   included, in the order they were submitted.
//!
//! Hashes are `0x`-prefixed 32-byte hex; accounts are SS58 addresses; institutions are ids.
//! All answer from the block `at` (default: the best block). Errors carry a code and a
//! message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_claims::{ClaimView, ClaimsPage};
pub use pallet_claims_runtime_api::ClaimsApi as ClaimsRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, str::FromStr, sync::Arc};

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8401;

/// The claims JSON-RPC methods.
#[rpc(client, server)]
pub trait ClaimsApi<BlockHash, AccountId, Balance, BlockNumber>
where
	Balance: Display + FromStr,
{
	/// The claim submitted under `hash`, or `null`.
	#[method(name = "claims_get")]
	fn get(
		&self,
		hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ClaimView<AccountId, Balance, BlockNumber>>>;

	/// Page `page` (default 0) of the claims waiting for `insurer`'s action.
	#[method(name = "claims_insurerQueue")]
	fn insurer_queue(
		&self,
		insurer: u32,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>>;

	/// Page `page` (default 0) of `hospital`'s open claims.
	#[method(name = "claims_ofHospital")]
	fn of_hospital(
		&self,
		hospital: u32,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>>;

	/// Page `page` (default 0) of `patient`'s claims.
	#[method(name = "claims_ofPatient")]
	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>>;
}

/// Serves the claims methods from a client.
pub struct Claims<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Claims<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, Balance, BlockNumber>
	ClaimsApiServer<<Block as BlockT>::Hash, AccountId, Balance, BlockNumber> for Claims<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ClaimsRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	Balance: Codec + Clone + Send + Sync + Display + FromStr + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn get(
		&self,
		hash: H256,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<ClaimView<AccountId, Balance, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().claim(at, hash).map_err(runtime_error)
	}

	fn insurer_queue(
		&self,
		insurer: u32,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.insurer_queue(at, insurer, page.unwrap_or(0))
			.map_err(runtime_error)
	}

	fn of_hospital(
		&self,
		hospital: u32,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.hospital_claims(at, hospital, page.unwrap_or(0))
			.map_err(runtime_error)
	}

	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<ClaimsPage<AccountId, Balance, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().claims_of(at, patient, page.unwrap_or(0)).map_err(runtime_error)
	}
}
