//! Questions anyone may ask about prescriptions (for a runtime API and JSON-RPC): what is
//! this prescription and may it be dispensed now, what is in a pharmacy's queue, which
//! prescriptions does a pseudonym have. Nothing here is secret: all of it can be read from
//! storage; these functions only put it in the form a pharmacy or a patient's app needs.

use crate::{
	pallet::{
		Config, Dispenses, Pallet, Params, PatientPrescriptionCount, PatientPrescriptions,
		PharmacyQueue, PrescriptionOf, Prescriptions, QueueLength,
	},
	ClaimView, DispenseView, PatientPrescription, PatientPrescriptionsPage, PrescriptionView,
	QueueEntry, QueuePage,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::InstitutionId;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Prescription `hash` with where it stands at the current block (`expired` computed, no
	/// transaction needed), its claim (and whether its lock still holds) and its dispensed
	/// fills; `None` if no prescription has this hash.
	pub fn prescription(hash: H256) -> Option<PrescriptionView<T::AccountId, BlockNumberFor<T>>> {
		let entry = Prescriptions::<T>::get(hash)?;
		let now = Self::now();
		let dispenses = (0..entry.dispensed)
			.filter_map(|fill| {
				let d = Dispenses::<T>::get(hash, fill)?;
				Some(DispenseView {
					fill,
					pharmacy: d.pharmacy,
					pharmacist: d.pharmacist,
					dispense_hash: d.dispense_hash,
					at: d.at,
					disclosure: d.disclosure,
				})
			})
			.collect();
		Some(PrescriptionView {
			status: entry.status_at(now),
			checked_at: now,
			stored_status: entry.status,
			remaining: entry.remaining(),
			claim: Self::claim_view(&entry, now),
			patient: entry.patient,
			prescriber: entry.prescriber,
			institution: entry.institution,
			pharmacy: entry.pharmacy,
			fills: entry.fills,
			dispensed: entry.dispensed,
			substitution: entry.substitution,
			issued_at: entry.issued_at,
			valid_until: entry.valid_until,
			dispenses,
		})
	}

	/// Page `page` (from 0) of `pharmacy`'s queue, `PageSize` per page, in the order of the
	/// prescriptions' hashes, each with where it stands now and its claim.
	pub fn queue(pharmacy: InstitutionId, page: u32) -> QueuePage<T::AccountId, BlockNumberFor<T>> {
		let total = QueueLength::<T>::get(pharmacy);
		let page_size = T::PageSize::get();
		let start = page.saturating_mul(page_size) as usize;
		let now = Self::now();
		let prescriptions = PharmacyQueue::<T>::iter_key_prefix(pharmacy)
			.skip(start)
			.take(page_size as usize)
			.filter_map(|hash| {
				let entry = Prescriptions::<T>::get(hash)?;
				Some(QueueEntry {
					hash,
					institution: entry.institution,
					status: entry.status_at(now),
					fills: entry.fills,
					dispensed: entry.dispensed,
					substitution: entry.substitution,
					valid_until: entry.valid_until,
					designated: entry.pharmacy == Some(pharmacy),
					claim: Self::claim_view(&entry, now),
				})
			})
			.collect();
		QueuePage { pharmacy, total, page, page_size, checked_at: now, prescriptions }
	}

	/// Page `page` (from 0) of `patient`'s prescriptions, `PageSize` per page, in the order
	/// they were issued, final ones included, each with where it stands now.
	pub fn prescriptions_of(
		patient: &T::AccountId,
		page: u32,
	) -> PatientPrescriptionsPage<BlockNumberFor<T>> {
		let total = PatientPrescriptionCount::<T>::get(patient);
		let page_size = T::PageSize::get();
		let start = page.saturating_mul(page_size);
		let end = start.saturating_add(page_size).min(total);
		let now = Self::now();
		let prescriptions: Vec<_> = (start..end)
			.filter_map(|slot| PatientPrescriptions::<T>::get(patient, slot))
			.filter_map(|hash| {
				let entry = Prescriptions::<T>::get(hash)?;
				Some(PatientPrescription {
					hash,
					institution: entry.institution,
					pharmacy: entry.pharmacy,
					fills: entry.fills,
					dispensed: entry.dispensed,
					issued_at: entry.issued_at,
					valid_until: entry.valid_until,
					status: entry.status_at(now),
				})
			})
			.collect();
		PatientPrescriptionsPage { total, page, page_size, prescriptions }
	}

	/// The claim of `entry` as the runtime API shows it, at `now`.
	fn claim_view(
		entry: &PrescriptionOf<T>,
		now: BlockNumberFor<T>,
	) -> Option<ClaimView<T::AccountId, BlockNumberFor<T>>> {
		let timeout = Params::<T>::get().claim_timeout;
		entry.claim.as_ref().map(|c| ClaimView {
			pharmacy: c.pharmacy,
			pharmacist: c.pharmacist.clone(),
			at: c.at,
			locked_until: c.locked_until(timeout),
			live: c.is_live(now, timeout),
		})
	}
}
