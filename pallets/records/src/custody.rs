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
//! `Pallet::release_active` (retraction), never by iterating: `PatientRecordCount`,
//! `ActiveInCategory` (which answers
//! `RecordIndex::has_active_in_category`), and the patient's list `PatientRecords` (slots
//! `0..count`) with each record's slot in `PatientRecordSlot`. A retracted record leaves the
//! list: the patient's last record moves into its slot, so the list stays bounded by
//! `MaxRecordsPerPatient`.

use crate::{
	pallet::{
		ActiveInCategory, Config, Error, Pallet, PatientRecordCount, PatientRecordSlot,
		PatientRecords, RecordKey,
	},
	Category,
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
		ensure!(
			PatientRecordCount::<T>::get(patient) < T::MaxRecordsPerPatient::get(),
			Error::<T>::TooManyRecordsForPatient
		);
		Ok(())
	}

	/// Counts a new active record of `patient` in: appends it to the patient's list and adds
	/// one to each counter.
	pub(crate) fn admit_active(patient: &T::AccountId, category: Category, key: &RecordKey<T>) {
		let custodian = key.0;
		let slot = PatientRecordCount::<T>::get(patient);
		PatientRecords::<T>::insert(patient, slot, key);
		PatientRecordSlot::<T>::insert(key, slot);
		PatientRecordCount::<T>::insert(patient, slot.saturating_add(1));
		ActiveInCategory::<T>::mutate((patient, custodian, category), |n| *n = n.saturating_add(1));
	}

	/// Counts a retracted record out: removes it from the patient's list (the last record
	/// takes its slot) and takes one from each counter, removing counters that reach zero.
	pub(crate) fn release_active(patient: &T::AccountId, category: Category, key: &RecordKey<T>) {
		let custodian = key.0;
		let count = PatientRecordCount::<T>::get(patient);
		let last = count.saturating_sub(1);
		if let Some(slot) = PatientRecordSlot::<T>::take(key) {
			if slot != last {
				if let Some(moved) = PatientRecords::<T>::get(patient, last) {
					PatientRecordSlot::<T>::insert(&moved, slot);
					PatientRecords::<T>::insert(patient, slot, moved);
				}
			}
			PatientRecords::<T>::remove(patient, last);
			if last == 0 {
				PatientRecordCount::<T>::remove(patient);
			} else {
				PatientRecordCount::<T>::insert(patient, last);
			}
		}
		ActiveInCategory::<T>::mutate_exists((patient, custodian, category), |n| {
			*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
	}
}
