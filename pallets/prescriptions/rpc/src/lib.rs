//! JSON-RPC methods of the prescriptions pallet:
//!
//! - `prescriptions_get(hash, at?)`: what is this prescription, and may it be dispensed now?
//!   (patient, prescriber, institution, designated pharmacy, fills, status with `expired`
//!   computed, claim, dispensed fills; `found: false` if unknown)
//! - `prescriptions_queue(pharmacy, page?, at?)`: a page of a pharmacy's queue, the
//!   prescriptions directed to it or claimed by it that are not final.
//! - `prescriptions_ofPatient(patient, page?, at?)`: a page of a pseudonym's prescriptions.
//!
//! Hashes are `0x`-prefixed 32-byte hex; accounts are SS58 addresses; statuses are the FHIR
//! MedicationRequest codes (`active`, `on-hold`, `cancelled`, `stopped`, `entered-in-error`,
//! `completed`) and `expired`. Errors carry a code and a message; nothing panics.

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_prescriptions::{PatientPrescriptionsPage, PrescriptionView, QueuePage};
pub use pallet_prescriptions_runtime_api::PrescriptionsApi as PrescriptionsRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8301;

/// The answer of `prescriptions_get`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GetResponse<AccountId, BlockNumber> {
	/// Whether a prescription was issued under this hash at all.
	pub found: bool,
	/// What the chain knows of it, when found.
	#[serde(flatten)]
	pub prescription: Option<PrescriptionView<AccountId, BlockNumber>>,
}

/// The prescriptions JSON-RPC methods.
#[rpc(client, server)]
pub trait PrescriptionsApi<BlockHash, AccountId, BlockNumber> {
	/// The prescription issued under `hash`, and whether it may be dispensed now.
	#[method(name = "prescriptions_get")]
	fn get(
		&self,
		hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<GetResponse<AccountId, BlockNumber>>;

	/// Page `page` (default 0) of `pharmacy`'s queue.
	#[method(name = "prescriptions_queue")]
	fn queue(
		&self,
		pharmacy: u32,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<QueuePage<AccountId, BlockNumber>>;

	/// Page `page` (default 0) of `patient`'s prescriptions.
	#[method(name = "prescriptions_ofPatient")]
	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<PatientPrescriptionsPage<BlockNumber>>;
}

/// Serves the prescriptions methods from a client.
pub struct Prescriptions<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Prescriptions<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

impl<C, Block, AccountId, BlockNumber>
	PrescriptionsApiServer<<Block as BlockT>::Hash, AccountId, BlockNumber> for Prescriptions<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: PrescriptionsRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + 'static,
{
	fn get(
		&self,
		hash: H256,
		at: Option<Block::Hash>,
	) -> RpcResult<GetResponse<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let prescription =
			self.client.runtime_api().prescription(at, hash).map_err(runtime_error)?;
		Ok(GetResponse { found: prescription.is_some(), prescription })
	}

	fn queue(
		&self,
		pharmacy: u32,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<QueuePage<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().queue(at, pharmacy, page.unwrap_or(0)).map_err(runtime_error)
	}

	fn of_patient(
		&self,
		patient: AccountId,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<PatientPrescriptionsPage<BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.prescriptions_of(at, patient, page.unwrap_or(0))
			.map_err(runtime_error)
	}
}
