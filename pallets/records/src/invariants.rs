//! The pallet's invariants, checked by `try-runtime` and at the end of every unit test.

use crate::{
	pallet::{
		Config, Pallet, PatientRecords, PatientTallies, Records, Roots, VersionOfHash, Versions,
	},
	Category, RecordStatus, VersionStatus,
};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::Get};
use pallet_institutions::InstitutionId;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: every record's versions (version 1 in the record, the
	/// others in `Versions`) and hash index; each patient's tally equals what `Records` says
	/// (active records in all, and per category at the tally's custodian), within its bounds;
	/// each patient's list holds exactly their active records, each at the slot the record
	/// gives; every root is kept under the custodian that anchored it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut per_patient = BTreeMap::<T::AccountId, u32>::new();
		let mut per_category = BTreeMap::<(T::AccountId, InstitutionId, Category), u32>::new();
		let mut later_versions = 0usize;
		for (custodian, record_id, record) in Records::<T>::iter() {
			let key = (custodian, record_id);
			ensure!(record.current_version >= 1, "a record without a version");
			ensure!(record.current_version <= T::MaxVersions::get(), "too many versions");
			ensure!(
				Versions::<T>::get(&key, 1).is_none()
					&& VersionOfHash::<T>::get(&key, record.first.content_hash).is_none(),
				"version 1 is kept outside its record"
			);
			for v in 1..=record.current_version {
				let version = Self::version(&key, &record, v).ok_or("a version is missing")?;
				ensure!(
					Self::version_with_hash(&key, &record, version.content_hash) == Some(v),
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
			later_versions += record.current_version.saturating_sub(1) as usize;
			ensure!(
				Versions::<T>::get(&key, record.current_version.saturating_add(1)).is_none(),
				"a version beyond the current one"
			);
			if record.status == RecordStatus::Active {
				ensure!(
					PatientRecords::<T>::get(&record.patient, record.slot).as_ref() == Some(&key),
					"an active record is not at its slot in its patient's list"
				);
				let patient = record.patient;
				*per_patient.entry(patient.clone()).or_default() += 1;
				*per_category.entry((patient, custodian, record.category)).or_default() += 1;
			}
		}
		ensure!(
			Versions::<T>::iter().count() == later_versions
				&& VersionOfHash::<T>::iter().count() == later_versions,
			"a version or hash entry belongs to no record"
		);

		let active: u32 = per_patient.values().sum();
		let mut counted = 0usize;
		for (patient, tally) in PatientTallies::<T>::iter() {
			ensure!(tally.active > 0, "an empty tally is stored");
			ensure!(
				tally.active <= T::MaxRecordsPerPatient::get(),
				"too many records for a patient"
			);
			ensure!(per_patient.get(&patient) == Some(&tally.active), "a patient's count is wrong");
			ensure!(
				PatientRecords::<T>::get(&patient, tally.active).is_none(),
				"a patient list entry beyond the count"
			);
			for category in Category::ALL {
				let expected = per_category
					.get(&(patient.clone(), tally.custodian, category))
					.copied()
					.unwrap_or(0);
				ensure!(
					tally.in_category(tally.custodian, category) == expected,
					"a patient's count in a category is wrong"
				);
			}
			counted += 1;
		}
		ensure!(counted == per_patient.len(), "a patient's tally is missing");
		ensure!(
			PatientRecords::<T>::iter().count() == active as usize,
			"the patients' lists and their active records disagree"
		);

		for (custodian, _, entry) in Roots::<T>::iter() {
			ensure!(entry.custodian == custodian, "a root kept under another custodian");
			ensure!(entry.leaf_count > 0, "a root of an empty tree");
		}
		Ok(())
	}
}
