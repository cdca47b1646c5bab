//! The pallet's invariants, checked by `try-runtime` and at the end of every unit test.

use crate::{
	pallet::{
		ActiveInCategory, Config, Pallet, PatientRecordCount, PatientRecordSlot, PatientRecords,
		Records, Roots, VersionOfHash, Versions,
	},
	Category, RecordStatus, VersionStatus,
};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::Get};
use pallet_institutions::InstitutionId;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: every record's versions and hash index; the counters
	/// of active records (per patient, per patient and custodian, per patient, custodian and
	/// category) equal what `Records` says, within their bounds; each patient's list holds
	/// exactly their active records, each at the slot `PatientRecordSlot` gives; every root is
	/// kept under the custodian that anchored it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut per_patient = BTreeMap::<T::AccountId, u32>::new();
		let mut per_category = BTreeMap::<(T::AccountId, InstitutionId, Category), u32>::new();
		for (custodian, record_id, record) in Records::<T>::iter() {
			let key = (custodian, record_id);
			ensure!(record.current_version >= 1, "a record without a version");
			ensure!(record.current_version <= T::MaxVersions::get(), "too many versions");
			for v in 1..=record.current_version {
				let version = Versions::<T>::get(&key, v).ok_or("a version is missing")?;
				ensure!(
					VersionOfHash::<T>::get(&key, version.content_hash) == Some(v),
					"a version's hash does not point back to it"
				);
				let expected: &[VersionStatus] = match (v == record.current_version, record.status)
				{
					(false, _) => &[VersionStatus::Superseded],
					(true, RecordStatus::Active) => &[VersionStatus::Current],
					(true, RecordStatus::Retracted) => &[VersionStatus::Retracted],
					// Erased as it stood: active (current) or retracted before.
					(true, RecordStatus::Erased) => {
						&[VersionStatus::Current, VersionStatus::Retracted]
					},
				};
				ensure!(expected.contains(&version.status), "a version has the wrong status");
			}
			ensure!(
				Versions::<T>::get(&key, record.current_version.saturating_add(1)).is_none(),
				"a version beyond the current one"
			);
			let slot = PatientRecordSlot::<T>::get(&key);
			if record.status == RecordStatus::Active {
				let slot = slot.ok_or("an active record is not in its patient's list")?;
				ensure!(
					PatientRecords::<T>::get(&record.patient, slot).as_ref() == Some(&key),
					"a record's slot does not hold it"
				);
				let patient = record.patient;
				*per_patient.entry(patient.clone()).or_default() += 1;
				*per_category.entry((patient, custodian, record.category)).or_default() += 1;
			} else {
				ensure!(slot.is_none(), "a retracted record is still in its patient's list");
			}
		}

		let active: u32 = per_patient.values().sum();
		let mut counted = 0u32;
		for (patient, count) in PatientRecordCount::<T>::iter() {
			ensure!(count > 0, "a zero record count is stored");
			ensure!(count <= T::MaxRecordsPerPatient::get(), "too many records for a patient");
			ensure!(per_patient.get(&patient) == Some(&count), "a patient's count is wrong");
			ensure!(
				PatientRecords::<T>::get(&patient, count).is_none(),
				"a patient list entry beyond the count"
			);
			counted += 1;
		}
		ensure!(counted as usize == per_patient.len(), "a patient's count is missing");
		ensure!(
			PatientRecords::<T>::iter().count() == active as usize,
			"the patients' lists and their active records disagree"
		);
		ensure!(
			PatientRecordSlot::<T>::iter().count() == active as usize,
			"the slots and the active records disagree"
		);

		let mut counted = 0usize;
		for ((patient, custodian, category), count) in ActiveInCategory::<T>::iter() {
			ensure!(
				per_category.get(&(patient, custodian, category)) == Some(&count),
				"a patient's count in a category is wrong"
			);
			counted += 1;
		}
		ensure!(counted == per_category.len(), "a patient's count in a category is missing");

		for (custodian, _, entry) in Roots::<T>::iter() {
			ensure!(entry.custodian == custodian, "a root kept under another custodian");
			ensure!(entry.leaf_count > 0, "a root of an empty tree");
		}
		Ok(())
	}
}
