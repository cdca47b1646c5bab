//! Storage migrations of the records pallet.

/// Version 1 → 2 (issue 12): Merkle roots keyed by custodian, and the patients' lists and
/// counters of active records.
pub mod v2 {
	use crate::{
		pallet::{Config, Pallet, PatientRecordCount, PatientRecords, Records, RootOf, Roots},
		RecordStatus,
	};
	use alloc::vec::Vec;
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use sp_core::H256;
	#[cfg(feature = "try-runtime")]
	use {
		codec::{Decode, Encode},
		frame_support::ensure,
		sp_runtime::TryRuntimeError,
	};

	/// The storage of version 1 that changed its key.
	pub mod v1 {
		use super::*;
		use frame_support::{storage_alias, Identity};

		/// Version 1's roots, keyed by root alone.
		#[storage_alias]
		pub type Roots<T: Config> = StorageMap<
			Pallet<T>,
			Identity,
			H256,
			RootOf<T>,
			frame_support::pallet_prelude::OptionQuery,
		>;
	}

	/// Moves each root under the custodian that anchored it; rebuilds each patient's list from
	/// version 1's list (every record ever anchored, in order) keeping the active records in
	/// their order, and counts them per patient, custodian and category.
	///
	/// Runs in one block: sized for the consortium's chain before production, not for millions
	/// of records (those would need a multi-block migration).
	pub struct MigrateRootsAndCounters<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for MigrateRootsAndCounters<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;

			let roots: Vec<(H256, RootOf<T>)> = v1::Roots::<T>::drain().collect();
			for (root, entry) in roots {
				reads += 1;
				writes += 2;
				Roots::<T>::insert(entry.custodian, root, entry);
			}

			let lists: Vec<(T::AccountId, u32)> = PatientRecordCount::<T>::drain().collect();
			for (patient, length) in lists {
				reads += 1;
				writes += 1;
				let keys: Vec<_> =
					(0..length).filter_map(|i| PatientRecords::<T>::take(&patient, i)).collect();
				reads += u64::from(length);
				writes += u64::from(length);
				for key in keys {
					reads += 1;
					let Some(record) = Records::<T>::get(key.0, &key.1) else { continue };
					if record.status == RecordStatus::Active && record.patient == patient {
						reads += 3;
						writes += 5;
						Pallet::<T>::admit_active(&patient, record.category, &key);
					}
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let roots = v1::Roots::<T>::iter().count() as u64;
			let active = Records::<T>::iter_values()
				.filter(|r| r.status == RecordStatus::Active)
				.count() as u64;
			Ok((roots, active).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (roots, active): (u64, u64) = Decode::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			ensure!(Roots::<T>::iter().count() as u64 == roots, "a root was lost");
			let listed: u64 = PatientRecordCount::<T>::iter_values().map(u64::from).sum();
			ensure!(listed == active, "an active record is not counted");
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to add to the runtime's `Migrations`: runs once, when the pallet's
	/// storage version is 1, and sets it to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		MigrateRootsAndCounters<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
