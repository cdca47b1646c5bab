//! Runtime API of the institutions pallet: an institution's pending registrations (the
//! registrations its desk asked for that wait for the patient's or the guardian's
//! confirmation). Served over JSON-RPC by `pallet-institutions-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_institutions::{InstitutionId, PendingRegistrationsPage};

sp_api::decl_runtime_apis! {
	/// Questions about institutions.
	pub trait InstitutionsApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Page `page` (from 0) of `institution`'s pending registrations, the newest first.
		fn pending_registrations(
			institution: InstitutionId,
			page: u32,
		) -> PendingRegistrationsPage<AccountId, BlockNumber>;
	}
}
