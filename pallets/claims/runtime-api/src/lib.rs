//! Runtime API of the claims pallet: a claim by the hash of its FHIR Claim, an insurer's queue
//! of claims waiting for its action, a hospital's open claims, a patient's claims. Served over
//! JSON-RPC by `pallet-claims-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_claims::{ClaimStatus, ClaimUse, ClaimView, ClaimsPage, Outcome, RejectionReason};
use pallet_institutions::InstitutionId;
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Questions about insurance claims.
	pub trait ClaimsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The claim submitted under `hash` (the salted hash of its FHIR Claim), if any.
		fn claim(hash: H256) -> Option<ClaimView<AccountId, Balance, BlockNumber>>;

		/// Page `page` (from 0) of the claims waiting for `insurer`'s action (submitted or
		/// under review), oldest first.
		fn insurer_queue(insurer: InstitutionId, page: u32) -> ClaimsPage<AccountId, Balance, BlockNumber>;

		/// Page `page` (from 0) of `hospital`'s open claims, oldest first.
		fn hospital_claims(hospital: InstitutionId, page: u32) -> ClaimsPage<AccountId, Balance, BlockNumber>;

		/// Page `page` (from 0) of `patient`'s claims, closed ones included, in the order they
		/// were submitted.
		fn claims_of(patient: AccountId, page: u32) -> ClaimsPage<AccountId, Balance, BlockNumber>;
	}
}
