//! Benchmarks of every call, each in its worst case.

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

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn admit() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_fill_seats();
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let admin: T::AccountId = account("admin", 0, 0);
		let name = vec![b'n'; T::MaxNameLen::get() as usize];
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, admin.clone(), InstitutionKind::Hospital, name);
		assert_eq!(AdminOf::<T>::get(&admin), Some(0));
		Ok(())
	}

	#[benchmark]
	fn suspend() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_fill_seats();
		let (id, _) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert_eq!(Institutions::<T>::active_kind(id), None);
		Ok(())
	}

	#[benchmark]
	fn reinstate() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_fill_seats();
		let (id, _) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Institutions::<T>::suspend(origin.clone(), id).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(Institutions::<T>::is_active(id));
		Ok(())
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		T::CouncilSeats::benchmark_fill_seats();
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let origin =
			T::RemovalOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert_eq!(AdminOf::<T>::get(&admin), None);
		Ok(())
	}

	#[benchmark]
	fn set_admin() {
		T::CouncilSeats::benchmark_fill_seats();
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let new_admin: T::AccountId = account("new-admin", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), new_admin.clone());
		assert_eq!(AdminOf::<T>::get(&new_admin), Some(id));
	}

	#[benchmark]
	fn add_device() {
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let device: T::AccountId = account("device", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), device.clone());
		assert_eq!(Institutions::<T>::active_institution_of_device(&device), Some(id));
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
	}

	#[benchmark]
	fn register_patient() {
		// Worst case: the caller is a device (admin lookup misses first), with a guardian.
		let (id, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let device: T::AccountId = account("device", 0, 0);
		Institutions::<T>::add_device(RawOrigin::Signed(admin).into(), device.clone())
			.unwrap_or_else(|e| panic!("setup: {e:?}"));
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(device), patient.clone(), Some(guardian.clone()));
		assert_eq!(Patients::<T>::get(&patient).map(|p| p.registered_by), Some(id));
	}

	#[benchmark]
	fn set_guardian() {
		let (_, admin) = admitted::<T>(InstitutionKind::Hospital, 0);
		let patient: T::AccountId = account("patient", 0, 0);
		let guardian: T::AccountId = account("guardian", 0, 0);
		let new_guardian: T::AccountId = account("guardian", 1, 0);
		Institutions::<T>::register_patient(
			RawOrigin::Signed(admin).into(),
			patient.clone(),
			Some(guardian.clone()),
		)
		.unwrap_or_else(|e| panic!("setup: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient.clone(), Some(new_guardian.clone()));
		assert_eq!(Institutions::<T>::guardian_of(&patient), Some(new_guardian));
	}

	impl_benchmark_test_suite!(Institutions, crate::mock::new_test_ext(), crate::mock::Test);
}
