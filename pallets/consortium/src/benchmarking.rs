//! Benchmark of the upgrade authorization.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use pallet_institutions::Registry;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let hash = T::Hash::default();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, hash);

		frame_system::Pallet::<T>::assert_has_event(
			frame_system::Event::<T>::UpgradeAuthorized { code_hash: hash, check_version: true }
				.into(),
		);
		Ok(())
	}

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// The set one short of full: the duplicate scan reads every entry.
		let max = T::MaxValidators::get();
		let others: alloc::vec::Vec<_> =
			(1..max).map(|i| (account::<T::AccountId>("validator", i, 0), None)).collect();
		Validators::<T>::put(frame_support::BoundedVec::truncate_from(others));
		let admin: T::AccountId = account("hospital-admin", 0, 0);
		let hospital = T::Registry::benchmark_institution(
			pallet_institutions::InstitutionKind::Hospital,
			&admin,
		);
		let validator: T::AccountId = account("validator", 0, 0);
		T::SessionKeys::benchmark_set_keys(&validator);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, validator.clone(), hospital);

		assert!(Validators::<T>::get().iter().any(|(v, _)| v == &validator));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let max = T::MaxValidators::get();
		let all: alloc::vec::Vec<_> =
			(0..max).map(|i| (account::<T::AccountId>("validator", i, 0), None)).collect();
		// The last one: the scan reads every entry.
		let validator = all[all.len() - 1].0.clone();
		Validators::<T>::put(frame_support::BoundedVec::truncate_from(all));
		MinValidators::<T>::put(0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, validator.clone());

		assert!(!Validators::<T>::get().iter().any(|(v, _)| v == &validator));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
