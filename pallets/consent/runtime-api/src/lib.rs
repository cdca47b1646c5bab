//! Runtime API of the consent pallet: the consent check and a patient's disclosure log.
//! Served over JSON-RPC by `pallet-consent-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_consent::{Decision, DisclosuresPage, Purpose, Target};
use pallet_institutions::InstitutionId;

sp_api::decl_runtime_apis! {
	/// Questions about consent.
	pub trait ConsentApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// May `grantee` receive `target` of `patient` for `purpose` at block `at` (default: the
		/// block after the one queried, where the next transaction is checked)?
		fn check(
			patient: AccountId,
			grantee: InstitutionId,
			target: Target,
			purpose: Purpose,
			at: Option<BlockNumber>,
		) -> Decision;

		/// Page `page` (from 0) of `patient`'s disclosure log, newest first.
		fn disclosures(patient: AccountId, page: u32) -> DisclosuresPage<BlockNumber>;
	}
}
