//! Benchmarks of the consortium's calls, each in its worst case (full lists scanned).

use super::*;
use crate::pallet::NodeId;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::Registry;

/// A well-formed peer id (an Ed25519 key's identity multihash) made from `i`.
fn peer_id(i: u32) -> alloc::vec::Vec<u8> {
	let mut id = alloc::vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	id.extend_from_slice(&[7u8; 28]);
	id.extend_from_slice(&i.to_le_bytes());
	id
}

/// Hospitals of the validators the benchmarks set up: validator `i` is run by `BASE + i`.
const BASE: u32 = 1_000_000;

/// `len` validators, each run by its own hospital.
fn validator_set<T: Config>(len: u32) -> alloc::vec::Vec<(T::AccountId, Option<u32>)> {
	(0..len).map(|i| (account::<T::AccountId>("validator", i, 1), Some(BASE + i))).collect()
}

/// `len` nodes: nodes of no hospital, then one node of each of the first `validators`
/// validators' hospitals, the first validator's last (so looking for each scans the most).
fn node_list(len: u32, validators: u32) -> alloc::vec::Vec<(NodeId, Option<u32>)> {
	let first = len.saturating_sub(validators);
	(0..len)
		.map(|i| {
			let hospital = (i >= first).then_some(BASE + (len - 1 - i));
			(NodeId::truncate_from(peer_id(i)), hospital)
		})
		.collect()
}

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
		// The set one short of full, the allow-list full with the new hospital's node last:
		// the duplicate scan and the node scan read every entry.
		let (max_validators, max_nodes) = (T::MaxValidators::get(), T::MaxNodes::get());
		Validators::<T>::put(frame_support::BoundedVec::truncate_from(validator_set::<T>(
			max_validators - 1,
		)));
		let admin: T::AccountId = account("hospital-admin", 0, 0);
		let hospital = T::Registry::benchmark_institution(
			pallet_institutions::InstitutionKind::Hospital,
			&admin,
		);
		let mut nodes = node_list(max_nodes - 1, max_validators - 1);
		nodes.push((NodeId::truncate_from(peer_id(u32::MAX)), Some(hospital)));
		AuthorizedNodes::<T>::put(frame_support::BoundedVec::truncate_from(nodes));
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
		// The list one short of full, holding the nodes of a full validator set's hospitals
		// last: the duplicate scan and the check that every validator's hospital keeps a node
		// read every entry.
		let (max_validators, max_nodes) = (T::MaxValidators::get(), T::MaxNodes::get());
		let admin: T::AccountId = account("hospital-admin", 0, 0);
		let hospital = T::Registry::benchmark_institution(
			pallet_institutions::InstitutionKind::Hospital,
			&admin,
		);
		let validators = max_validators.min(max_nodes - 1);
		AuthorizedNodes::<T>::put(frame_support::BoundedVec::truncate_from(node_list(
			max_nodes - 1,
			validators,
		)));
		Validators::<T>::put(frame_support::BoundedVec::truncate_from(validator_set::<T>(
			validators,
		)));
		let node = peer_id(u32::MAX);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), hospital);

		assert!(AuthorizedNodes::<T>::get().iter().any(|(n, _)| n.as_slice() == node.as_slice()));
		Ok(())
	}

	#[benchmark]
	fn deauthorize_node() -> Result<(), BenchmarkError> {
		let origin =
			T::ValidatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// A full list; the last node is taken off (the scan reads every entry) and its hospital
		// runs no validator (the validator scan reads every entry of a full set).
		let (max_validators, max_nodes) = (T::MaxValidators::get(), T::MaxNodes::get());
		let validators = max_validators.min(max_nodes - 1);
		let mut all = node_list(max_nodes - 1, validators);
		let node = peer_id(u32::MAX);
		all.push((NodeId::truncate_from(node.clone()), None));
		AuthorizedNodes::<T>::put(frame_support::BoundedVec::truncate_from(all));
		Validators::<T>::put(frame_support::BoundedVec::truncate_from(validator_set::<T>(
			validators,
		)));

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

	#[benchmark]
	fn set_min_active_hospitals() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 5);

		assert_eq!(MinActiveHospitals::<T>::get(), 5);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
