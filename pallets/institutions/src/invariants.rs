//! The pallet's invariants, checked by `try-runtime` (`try_state`) and after every test.

use crate::{pallet::*, InstitutionId, InstitutionStatus};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - institution ids are below `NextInstitutionId`, which is at most `MaxInstitutions`;
	/// - each institution's device and practitioner counts match the entries, within bounds;
	/// - every admin entry and institution point at each other (removed ones have none);
	/// - every patient was registered by a known institution, has a provider reference and is
	///   not their own guardian;
	/// - a patient's care relationships name known institutions other than the registering one,
	///   each once, and exist only for patients;
	/// - a pending registration of a patient is a care request of an institution not yet caring
	///   for them; each was asked for by a known institution,
	///   has a provider reference, does not name the patient as guardian; each institution's
	///   [`PendingCount`] matches its pending registrations and is within
	///   `MaxPendingRegistrations`, with no entry for none; [`PendingRegistrationsOf`] lists
	///   exactly the pending registrations, each under the institution that asked for it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextInstitutionId::<T>::get();
		ensure!(next <= T::MaxInstitutions::get(), "more institutions than MaxInstitutions");
		let mut devices: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		for (_, d) in Devices::<T>::iter() {
			ensure!(d.institution < next, "a device points at an unknown institution");
			*devices.entry(d.institution).or_default() += 1;
		}
		let mut practitioners: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		for (_, p) in Practitioners::<T>::iter() {
			ensure!(p.institution < next, "a practitioner points at an unknown institution");
			*practitioners.entry(p.institution).or_default() += 1;
		}
		for (id, inst) in Institutions::<T>::iter() {
			ensure!(id < next, "an institution id at or above NextInstitutionId");
			ensure!(
				devices.get(&id).copied().unwrap_or_default() == inst.devices,
				"an institution's device count is wrong"
			);
			ensure!(
				practitioners.get(&id).copied().unwrap_or_default() == inst.practitioners,
				"an institution's practitioner count is wrong"
			);
			ensure!(inst.devices <= T::MaxDevicesPerInstitution::get(), "too many devices");
			let admin_entry = AdminOf::<T>::get(&inst.admin);
			if inst.status == InstitutionStatus::Removed {
				ensure!(admin_entry != Some(id), "a removed institution still has its admin");
			} else {
				ensure!(admin_entry == Some(id), "an institution's admin does not point back");
			}
		}
		for (_, id) in AdminOf::<T>::iter() {
			ensure!(Institutions::<T>::contains_key(id), "an admin of an unknown institution");
		}
		for (who, p) in Patients::<T>::iter() {
			ensure!(p.custodian < next, "a patient of an unknown institution");
			ensure!(
				frame_system::Pallet::<T>::providers(&who) > 0,
				"a patient account without a provider reference"
			);
			ensure!(p.guardian.as_ref() != Some(&who), "a patient is their own guardian");
			ensure!(!Guardianships::<T>::contains_key(&who), "a patient is a guardian's key");
			ensure!(
				PseudonymCustodians::<T>::get(&who) == Some(p.custodian),
				"a patient's custodian is not remembered"
			);
			if let Some(g) = &p.guardian {
				ensure!(!PseudonymCustodians::<T>::contains_key(g), "a guardian was a patient");
				ensure!(
					Guardianships::<T>::get(g).as_ref() == Some(&who),
					"a guardian's key does not point back to its ward"
				);
			}
		}
		for (guardian, _) in Guardianships::<T>::iter() {
			ensure!(
				frame_system::Pallet::<T>::account_exists(&guardian),
				"a guardian's key has no account to sign with"
			);
		}
		let mut pending: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		for (who, p) in PendingRegistrations::<T>::iter() {
			ensure!(!Patients::<T>::contains_key(&who), "a pending registration of a patient");
			ensure!(p.custodian < next, "a registration asked for by an unknown institution");
			ensure!(
				frame_system::Pallet::<T>::providers(&who) > 0,
				"a pending registration without a provider reference"
			);
			ensure!(p.guardian.as_ref() != Some(&who), "a pending patient is their own guardian");
			ensure!(
				PendingRegistrationsOf::<T>::contains_key(p.custodian, &who),
				"a pending registration missing from its institution's index"
			);
			*pending.entry(p.custodian).or_default() += 1;
		}
		for (id, who, ()) in PendingRegistrationsOf::<T>::iter() {
			ensure!(
				PendingRegistrations::<T>::get(&who).is_some_and(|p| p.custodian == id),
				"an institution's index lists a registration it has not pending"
			);
		}
		for (id, count) in PendingCount::<T>::iter() {
			ensure!(count > 0, "a pending count of zero is stored");
			ensure!(
				count <= T::MaxPendingRegistrations::get(),
				"more pending registrations than MaxPendingRegistrations"
			);
			ensure!(pending.remove(&id) == Some(count), "a pending count is wrong");
		}
		ensure!(pending.is_empty(), "pending registrations of an institution without a count");
		Ok(())
	}
}
