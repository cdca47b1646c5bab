//! Benchmarks of every call, each in its worst case. The calls that change a council seat run
//! with the council's worst case set up by the runtime (`CouncilSeats::benchmark_worst_case`:
//! one seat short of full, every open-motion slot taken, every member voted).

use super::*;
use crate::Pallet as Institutions;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_core::H256;

/// Admits an institution of `kind` with a fresh admin; returns its id and admin.
fn admitted<T: Config>(kind: InstitutionKind, seed: u32) -> (InstitutionId, T::AccountId) {
	let admin: T::AccountId = account("admin", seed, 0);
	let id = NextInstitutionId::<T>::get();
	let origin = T::AdmissionOrigin::try_successful_origin()
		.unwrap_or_else(|_| panic!("benchmarks need a successful admission origin"));
	let name = vec![b'n'; T::MaxNameLen::get() as usize];
	Institutions::<T>::admit(origin, admin.clone(), kind, name)
		.unwrap_or_else(|e| panic!("admission in benchmark setup failed: {e:?}"));
	(id, admin)
}

/// A hospital with a device; returns the hospital's id and the device.
fn hospital_with_device<T: Config>() -> (InstitutionId, T::AccountId) {
	let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
	let device: T::AccountId = account("device", 0, 0);
	Institutions::<T>::add_device(RawOrigin::Signed(admin).into(), device.clone())
		.unwrap_or_else(|e| panic!("setup: {e:?}"));
	(id, device)
}

/// `device` asks to register `patient` with `guardian`.
fn requested<T: Config>(device: &T::AccountId, patient: &T::AccountId, guardian: &T::AccountId) {
	Institutions::<T>::register_patient(
		RawOrigin::Signed(device.clone()).into(),
		patient.clone(),
		Some(guardian.clone()),
	)
	.unwrap_or_else(|e| panic!("setup: {e:?}"));
}

/// `patient` registered with `guardian` (asked for and confirmed).
fn registered<T: Config>(patient: &T::AccountId, guardian: &T::AccountId) {
	let (_, device) = hospital_with_device::<T>();
	requested::<T>(&device, patient, guardian);
	Institutions::<T>::confirm_registration(
		RawOrigin::Signed(patient.clone()).into(),
		patient.clone(),
		Some(guardian.clone()),
	)
	.unwrap_or_else(|e| panic!("setup: {e:?}"));
}

/// In the pallet's own tests (`--features runtime-benchmarks`), every benchmark ends with the
/// pallet's invariants checked.
fn invariants_hold<T: Config>() {
	#[cfg(test)]
	if let Err(e) = Institutions::<T>::do_try_state() {
		panic!("invariants broken: {e:?}");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn admit() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_worst_case();
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let admin: T::AccountId = account("admin", 0, 0);
		let name = vec![b'n'; T::MaxNameLen::get() as usize];
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, admin.clone(), InstitutionKind::Hospital, name);
		assert_eq!(AdminOf::<T>::get(&admin), Some(0));
		invariants_hold::<T>();
		Ok(())
	}

	#[benchmark]
	fn suspend() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_worst_case();
		let (id, _) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert_eq!(Institutions::<T>::active_kind(id), None);
		invariants_hold::<T>();
		Ok(())
	}

	#[benchmark]
	fn reinstate() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_worst_case();
		let (id, _) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Institutions::<T>::suspend(origin.clone(), id).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(Institutions::<T>::is_active(id));
		invariants_hold::<T>();
		Ok(())
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_worst_case();
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::RemovalOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert_eq!(AdminOf::<T>::get(&admin), None);
		invariants_hold::<T>();
		Ok(())
	}

	#[benchmark]
	fn set_admin() {
		T::CouncilSeats::benchmark_worst_case();
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let new_admin: T::AccountId = account("new-admin", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), new_admin.clone());
		assert_eq!(AdminOf::<T>::get(&new_admin), Some(id));
		invariants_hold::<T>();
	}

	#[benchmark]
	fn add_device() {
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let device: T::AccountId = account("device", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), device.clone());
		assert_eq!(Institutions::<T>::active_institution_of_device(&device), Some(id));
		invariants_hold::<T>();
	}

	#[benchmark]
	fn remove_device() {
		let (_, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let device: T::AccountId = account("device", 0, 0);
		Institutions::<T>::add_device(RawOrigin::Signed(admin.clone()).into(), device.clone())
			.unwrap_or_else(|e| panic!("setup: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), device.clone());
		assert!(Devices::<T>::get(&device).is_none());
		invariants_hold::<T>();
	}

	#[benchmark]
	fn rotate_device() {
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let old: T::AccountId = account("device", 0, 0);
		let new: T::AccountId = account("device", 1, 0);
		Institutions::<T>::add_device(RawOrigin::Signed(admin.clone()).into(), old.clone())
			.unwrap_or_else(|e| panic!("setup: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), old.clone(), new.clone());
		assert_eq!(Institutions::<T>::active_institution_of_device(&new), Some(id));
		invariants_hold::<T>();
	}

	/// Worst case: signed by the admin (looked up after the device).
	#[benchmark]
	fn set_encryption_key() {
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let device: T::AccountId = account("device", 0, 0);
		Institutions::<T>::add_device(RawOrigin::Signed(admin.clone()).into(), device.clone())
			.unwrap_or_else(|e| panic!("setup: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), device.clone(), [9u8; 32]);
		assert_eq!(
			Devices::<T>::get(&device).map(|d| (d.institution, d.encryption_key)),
			Some((id, Some([9u8; 32])))
		);
		invariants_hold::<T>();
	}

	#[benchmark]
	fn add_practitioner() {
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let who: T::AccountId = account("practitioner", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who.clone(), PractitionerRole::Physician, H256::repeat_byte(1));
		assert_eq!(
			Institutions::<T>::active_practitioner(&who),
			Some((id, PractitionerRole::Physician))
		);
		invariants_hold::<T>();
	}

	#[benchmark]
	fn remove_practitioner() {
		let (_, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let who: T::AccountId = account("practitioner", 0, 0);
		Institutions::<T>::add_practitioner(
			RawOrigin::Signed(admin.clone()).into(),
			who.clone(),
			PractitionerRole::Nurse,
			H256::repeat_byte(1),
		)
		.unwrap_or_else(|e| panic!("setup: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), who.clone());
		assert!(Practitioners::<T>::get(&who).is_none());
		invariants_hold::<T>();
	}

	#[benchmark]
	fn register_patient() {
		// Worst case: the caller is a device (admin lookup misses first), a guardian is named
		// (its roles are looked up, its account created), and the key's registration by another
		// institution expired and is replaced: that institution's count and index entry are
		// moved here (one write more than a new key's provider reference).
		let (other, other_admin) = admitted::<T>(InstitutionKind::Clinic, 1);
		let patient: T::AccountId = account("patient", 0, 0);
		let first_guardian: T::AccountId = account("guardian", 1, 0);
		requested::<T>(&other_admin, &patient, &first_guardian);
		let expires_at = PendingRegistrations::<T>::get(&patient)
			.map(|p| p.expires_at)
			.unwrap_or_else(|| panic!("setup: no pending registration"));
		frame_system::Pallet::<T>::set_block_number(expires_at);
		let (id, device) = hospital_with_device::<T>();
		let guardian: T::AccountId = account("guardian", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(device), patient.clone(), Some(guardian.clone()));
		assert_eq!(PendingRegistrations::<T>::get(&patient).map(|p| p.custodian), Some(id));
		assert!(!PendingRegistrationsOf::<T>::contains_key(other, &patient));
		assert!(PendingRegistrationsOf::<T>::contains_key(id, &patient));
		invariants_hold::<T>();
	}

	#[benchmark]
	fn set_guardian() {
		// Worst case: signed by the guardian (its roles are looked up), a new guardian named.
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		let new_guardian: T::AccountId = account("guardian", 1, 0);
		registered::<T>(&patient, &guardian);
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), Some(new_guardian.clone()));
		assert_eq!(Institutions::<T>::guardian_of(&patient), Some(new_guardian));
		invariants_hold::<T>();
	}

	#[benchmark]
	fn confirm_registration() {
		// Worst case: signed by the named guardian, whose roles are looked up.
		let (id, device) = hospital_with_device::<T>();
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		requested::<T>(&device, &patient, &guardian);
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian.clone()), patient.clone(), Some(guardian.clone()));
		assert_eq!(Patients::<T>::get(&patient).map(|p| p.custodian), Some(id));
		assert!(Institutions::<T>::may_act_for_patient(&guardian, &patient));
		invariants_hold::<T>();
	}

	#[benchmark]
	fn remove_expired_registration() {
		// Worst case: the account never transacted, so its provider reference is released and
		// the account removed.
		let (_, device) = hospital_with_device::<T>();
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		requested::<T>(&device, &patient, &guardian);
		let expires_at = PendingRegistrations::<T>::get(&patient)
			.map(|p| p.expires_at)
			.unwrap_or_else(|| panic!("setup: no pending registration"));
		frame_system::Pallet::<T>::set_block_number(expires_at);
		let anyone: T::AccountId = account("anyone", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), patient.clone());
		assert!(PendingRegistrations::<T>::get(&patient).is_none());
		assert_eq!(frame_system::Pallet::<T>::providers(&patient), 0);
		invariants_hold::<T>();
	}

	#[benchmark]
	fn leave() {
		// Worst case: signed by the guardian (its roles are looked up); the account never
		// transacted, so its provider reference is released and the account removed.
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		registered::<T>(&patient, &guardian);
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone());
		assert!(!Institutions::<T>::is_patient(&patient));
		assert_eq!(frame_system::Pallet::<T>::providers(&patient), 0);
		invariants_hold::<T>();
	}

	impl_benchmark_test_suite!(Institutions, crate::mock::new_test_ext(), crate::mock::Test);
}
