//! Who may anchor records for whom, and how many (issue 12).
//!
//! - **Only record keepers anchor.** A device anchors (`anchor`, `anchor_batch`,
//!   `anchor_root`, `supersede`) only for an institution whose kind keeps medical records:
//!   a hospital or a clinic (`InstitutionKind::keeps_records`). A pharmacy's, an insurer's
//!   or a relay operator's device gets `CustodianKindCannotHoldRecords`.
//! - **Only for its own patients' pseudonyms.** A custodian anchors only under a pseudonym
//!   registered at it (`Registry::custodian_of`; a patient has one pseudonym per custodian,
//!   docs/privacy.md); anyone else gets `NoCareRelationship`.
//! - **The quota counts active records.** A pseudonym has at most `MaxRecordsPerPatient`
//!   active records (`TooManyRecordsForPatient`); retracting or erasing a record frees its
//!   place. (Until issue 13 a second quota per custodian kept one institution from filling a
//!   patient's; a pseudonym has one custodian, so it is gone.)
//!
//! The counters, kept in step by `Pallet::admit_active` (anchoring) and
//! `Pallet::release_active` (retraction, erasure), never by iterating: one `PatientTallies`
//! item per patient (active records in all, and per category at the pseudonym's custodian,
//! which answers `RecordIndex::has_active_in_category`), and the patient's list
//! `PatientRecords` (slots `0..active`), each active record knowing its slot
//! (`RecordEntry::slot`). A retracted record leaves the list: the patient's last record
//! moves into its slot, so the list stays bounded by `MaxRecordsPerPatient`.

use crate::{
	pallet::{Config, Error, Pallet, PatientRecords, PatientTallies, RecordKey, RecordOf, Records},
	Category, PatientTally,
};
use frame_support::{ensure, traits::Get};
use pallet_institutions::{InstitutionId, Registry};

impl<T: Config> Pallet<T> {
	/// The institution a device acts for, if the device and the institution are active.
	pub(crate) fn custodian_of(device: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		T::Registry::active_institution_of_device(device).ok_or(Error::<T>::NotActiveDevice)
	}

	/// The institution a device acts for, if both are active and the institution is of a kind
	/// that keeps medical records (a hospital or a clinic).
	pub(crate) fn record_keeper_of(device: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		let custodian = Self::custodian_of(device)?;
		let keeps_records = T::Registry::active_kind(custodian).is_some_and(|k| k.keeps_records());
		ensure!(keeps_records, Error::<T>::CustodianKindCannotHoldRecords);
		Ok(custodian)
	}

	/// Whether `patient` is a pseudonym registered at `custodian`.
	pub fn in_care_of(custodian: InstitutionId, patient: &T::AccountId) -> bool {
		T::Registry::custodian_of(patient) == Some(custodian)
	}

	pub(crate) fn ensure_care_relationship(
		custodian: InstitutionId,
		patient: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(Self::in_care_of(custodian, patient), Error::<T>::NoCareRelationship);
		Ok(())
	}

	/// Checks that `patient` may have one more active record.
	pub(crate) fn ensure_room_for(patient: &T::AccountId) -> Result<(), Error<T>> {
		let active = PatientTallies::<T>::get(patient).map_or(0, |t| t.active);
		ensure!(active < T::MaxRecordsPerPatient::get(), Error::<T>::TooManyRecordsForPatient);
		Ok(())
	}

	/// Counts a new active record of `patient` in: appends it to the patient's list and adds
	/// one to the patient's tally. Returns the record's slot in the list, for the caller to
	/// store with the record.
	pub(crate) fn admit_active(
		patient: &T::AccountId,
		category: Category,
		key: &RecordKey<T>,
	) -> u32 {
		let mut tally = PatientTallies::<T>::get(patient).unwrap_or_else(|| PatientTally {
			custodian: T::Registry::custodian_of(patient).unwrap_or(key.0),
			..Default::default()
		});
		let slot = tally.active;
		tally.active = slot.saturating_add(1);
		if key.0 == tally.custodian {
			if let Some(n) = tally.by_category.get_mut(category.index()) {
				*n = n.saturating_add(1);
			}
		}
		PatientRecords::<T>::insert(patient, slot, key);
		PatientTallies::<T>::insert(patient, tally);
		slot
	}

	/// Counts an active record out (it is being retracted or erased; the caller writes it
	/// back): removes it from the patient's list (the last record takes its slot, and learns
	/// so) and takes one from the patient's tally, removing the tally when it reaches zero.
	pub(crate) fn release_active(record: &RecordOf<T>, key: &RecordKey<T>) {
		let patient = &record.patient;
		let Some(mut tally) = PatientTallies::<T>::get(patient) else { return };
		let last = tally.active.saturating_sub(1);
		if record.slot != last {
			if let Some(moved) = PatientRecords::<T>::get(patient, last) {
				Records::<T>::mutate(moved.0, &moved.1, |r| {
					if let Some(r) = r {
						r.slot = record.slot;
					}
				});
				PatientRecords::<T>::insert(patient, record.slot, moved);
			}
		}
		PatientRecords::<T>::remove(patient, last);
		tally.active = last;
		if key.0 == tally.custodian {
			if let Some(n) = tally.by_category.get_mut(record.category.index()) {
				*n = n.saturating_sub(1);
			}
		}
		if tally.active == 0 {
			PatientTallies::<T>::remove(patient);
		} else {
			PatientTallies::<T>::insert(patient, tally);
		}
	}
}
