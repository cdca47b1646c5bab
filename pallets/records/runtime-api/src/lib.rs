//! Runtime API of the records pallet: verify a record hash, a Merkle inclusion proof, and list
//! a patient's records. Served over JSON-RPC by `pallet-records-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
use pallet_institutions::InstitutionId;
pub use pallet_records::{InclusionProof, InclusionVerification, PatientRecordsPage, Verification};
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Questions anyone may ask about anchored records.
	///
	/// Version 2 (issue 12): Merkle roots are kept per custodian, so `verify_inclusion` takes
	/// the custodian.
	#[api_version(2)]
	pub trait RecordsApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Whether `content_hash` is the current (or an older) version of the record
		/// `record_id` of `custodian`; `None` if the custodian has no such record.
		fn verify(
			custodian: InstitutionId,
			record_id: Vec<u8>,
			content_hash: H256,
		) -> Option<Verification<AccountId, BlockNumber>>;

		/// Whether `leaf` is in the tree of the `root` anchored by `custodian`, by `proof`.
		fn verify_inclusion(
			custodian: InstitutionId,
			root: H256,
			leaf: H256,
			proof: InclusionProof,
		) -> InclusionVerification<AccountId, BlockNumber>;

		/// Version 1: roots were kept globally, whoever anchored them.
		#[changed_in(2)]
		fn verify_inclusion(
			root: H256,
			leaf: H256,
			proof: InclusionProof,
		) -> InclusionVerification<AccountId, BlockNumber>;

		/// Page `page` (from 0) of `patient`'s records.
		fn records_of_patient(patient: AccountId, page: u32) -> PatientRecordsPage;
	}
}
