//! Runtime API of the prescriptions pallet: a prescription by its hash, a pharmacy's queue, a
//! pseudonym's prescriptions. Served over JSON-RPC by `pallet-prescriptions-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
use pallet_institutions::InstitutionId;
pub use pallet_prescriptions::{PatientPrescriptionsPage, PrescriptionView, QueuePage};
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Questions anyone may ask about prescriptions.
	pub trait PrescriptionsApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The prescription issued under `hash`, with where it stands at the block (expired
		/// computed), its claim and its dispensed fills; `None` if there is none.
		fn prescription(hash: H256) -> Option<PrescriptionView<AccountId, BlockNumber>>;

		/// Page `page` (from 0) of `pharmacy`'s queue: the prescriptions directed to it or
		/// claimed by it that are not final.
		fn queue(pharmacy: InstitutionId, page: u32) -> QueuePage<AccountId, BlockNumber>;

		/// Page `page` (from 0) of `patient`'s prescriptions, in the order they were issued.
		fn prescriptions_of(patient: AccountId, page: u32) -> PatientPrescriptionsPage<BlockNumber>;
	}
}
