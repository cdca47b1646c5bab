//! Benchmark of the upgrade authorization.

use super::*;
use crate::pallet::NodeId;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::pallet_prelude::BlockNumberFor;
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

	#[benchmark]
	fn authorize_node() -> Result<(), BenchmarkError> {
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// The list one short of full: the duplicate scan reads every entry.
		let others: alloc::vec::Vec<_> = (1..T::MaxNodes::get())
			.map(|i| (NodeId::truncate_from(alloc::vec![1u8; 100 + (i % 28) as usize]), None))
			.collect();
		AuthorizedNodes::<T>::put(frame_support::BoundedVec::truncate_from(others));
		let admin: T::AccountId = account("hospital-admin", 0, 0);
		let hospital = T::Registry::benchmark_institution(
			pallet_institutions::InstitutionKind::Hospital,
			&admin,
		);
		let node = alloc::vec![7u8; 128];

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), hospital);

		assert!(AuthorizedNodes::<T>::get().iter().any(|(n, _)| n.as_slice() == node.as_slice()));
		Ok(())
	}

	#[benchmark]
	fn deauthorize_node() -> Result<(), BenchmarkError> {
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let max = T::MaxNodes::get();
		let all: alloc::vec::Vec<_> = (0..max)
			.map(|i| {
				let mut id = alloc::vec![9u8; 124];
				id.extend_from_slice(&i.to_le_bytes());
				(NodeId::truncate_from(id), None)
			})
			.collect();
		// The last one: the scan reads every entry.
		let node = all[all.len() - 1].0.to_vec();
		AuthorizedNodes::<T>::put(frame_support::BoundedVec::truncate_from(all));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone());

		assert!(!AuthorizedNodes::<T>::get().iter().any(|(n, _)| n.as_slice() == node.as_slice()));
		Ok(())
	}

	#[benchmark]
	fn note_stalled_finality() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		frame_system::Pallet::<T>::set_block_number(100u32.into());
		let delay: BlockNumberFor<T> = 10u32.into();
		let best_finalized: BlockNumberFor<T> = 90u32.into();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, delay, best_finalized);

		frame_system::Pallet::<T>::assert_has_event(
			Event::<T>::FinalityStallNoted { delay, best_finalized }.into(),
		);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
