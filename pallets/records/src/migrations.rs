//! Storage migrations of the records pallet.
//!
//! Version 1 → 2 (issue 12) ran on every chain of the consortium before version 3 and was
//! removed with it: its code read version 2's shapes, which no longer exist.

/// Version 2 → 3 (issue 16): version 1 and the list slot kept in the record, and a patient's
/// counters in one item.
pub mod v3 {
	use crate::{
		pallet::{
			Config, Pallet, PatientRecords, PatientTallies, RecordIdOf, RecordKey, Records,
			VersionOfHash, Versions,
		},
		Category, PatientTally, RecordEntry, RecordStatus,
	};
	use alloc::vec::Vec;
	use codec::{Decode, Encode, MaxEncodedLen};
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use pallet_institutions::{InstitutionId, Registry};
	use scale_info::TypeInfo;
	#[cfg(feature = "try-runtime")]
	use {frame_support::ensure, sp_runtime::TryRuntimeError};

	/// The storage of version 2 that changed.
	pub mod v2 {
		use super::*;
		use frame_support::{
			pallet_prelude::{NMapKey, OptionQuery, ValueQuery},
			storage_alias, Blake2_128Concat, Twox64Concat,
		};

		/// Version 2's record: no version 1, no slot.
		#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
		pub struct RecordEntry<AccountId> {
			/// The patient's account.
			pub patient: AccountId,
			/// Document class.
			pub category: Category,
			/// The latest version.
			pub current_version: u32,
			/// Active, retracted or erased.
			pub status: RecordStatus,
		}

		/// Version 2's records.
		#[storage_alias]
		pub type Records<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			InstitutionId,
			Blake2_128Concat,
			RecordIdOf<T>,
			RecordEntry<<T as frame_system::Config>::AccountId>,
			OptionQuery,
		>;

		/// Active records per patient.
		#[storage_alias]
		pub type PatientRecordCount<T: Config> = StorageMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			u32,
			ValueQuery,
		>;

		/// Each active record's slot in its patient's list.
		#[storage_alias]
		pub type PatientRecordSlot<T: Config> =
			StorageMap<Pallet<T>, Blake2_128Concat, RecordKey<T>, u32, OptionQuery>;

		/// Active records per patient, custodian and category.
		#[storage_alias]
		pub type ActiveInCategory<T: Config> = StorageNMap<
			Pallet<T>,
			(
				NMapKey<Blake2_128Concat, <T as frame_system::Config>::AccountId>,
				NMapKey<Twox64Concat, InstitutionId>,
				NMapKey<Twox64Concat, Category>,
			),
			u32,
			ValueQuery,
		>;
	}

	/// Moves each record's version 1 (and its hash entry) and slot into the record, and each
	/// patient's counters into one tally.
	///
	/// Runs in one block: sized for the consortium's chain before production, not for
	/// millions of records (those would need a multi-block migration). A record without a
	/// version 1 (which version 2's `try_state` rules out) cannot be kept and is counted in
	/// the weight only; `post_upgrade` fails if any was lost.
	pub struct FoldVersionOneAndCounters<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for FoldVersionOneAndCounters<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;

			let records: Vec<_> = v2::Records::<T>::drain().collect();
			for (custodian, record_id, old) in records {
				let key = (custodian, record_id);
				reads += 3;
				writes += 4;
				let slot = v2::PatientRecordSlot::<T>::take(&key).unwrap_or(0);
				let Some(first) = Versions::<T>::take(&key, 1) else { continue };
				VersionOfHash::<T>::remove(&key, first.content_hash);
				let record = RecordEntry {
					patient: old.patient,
					category: old.category,
					current_version: old.current_version,
					status: old.status,
					slot,
					first,
				};
				Records::<T>::insert(key.0, &key.1, record);
			}
			// Slots of records that no longer exist (none, if version 2's invariants held).
			let cleared = v2::PatientRecordSlot::<T>::clear(u32::MAX, None);
			writes += u64::from(cleared.unique);

			let counts: Vec<_> = v2::PatientRecordCount::<T>::drain().collect();
			for (patient, active) in counts {
				reads += 2;
				writes += 2;
				let custodian = T::Registry::custodian_of(&patient)
					.or_else(|| PatientRecords::<T>::get(&patient, 0).map(|k| k.0))
					.unwrap_or_default();
				PatientTallies::<T>::insert(
					&patient,
					PatientTally { custodian, active, ..Default::default() },
				);
			}
			let per_category: Vec<_> = v2::ActiveInCategory::<T>::drain().collect();
			for ((patient, custodian, category), n) in per_category {
				reads += 2;
				writes += 2;
				PatientTallies::<T>::mutate(&patient, |tally| {
					if let Some(tally) = tally.as_mut().filter(|t| t.custodian == custodian) {
						if let Some(count) = tally.by_category.get_mut(category.index()) {
							*count = n;
						}
					}
				});
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let records = v2::Records::<T>::iter().count() as u64;
			let active: u64 = v2::PatientRecordCount::<T>::iter_values().map(u64::from).sum();
			let versions = Versions::<T>::iter().count() as u64;
			Ok((records, active, versions).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (records, active, versions): (u64, u64, u64) = Decode::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			ensure!(Records::<T>::iter().count() as u64 == records, "a record was lost");
			let counted: u64 =
				PatientTallies::<T>::iter_values().map(|t| u64::from(t.active)).sum();
			ensure!(counted == active, "an active record is not counted");
			ensure!(
				Versions::<T>::iter().count() as u64 + records == versions,
				"a version was lost or not moved"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to add to the runtime's `Migrations`: runs once, when the pallet's
	/// storage version is 2, and sets it to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		FoldVersionOneAndCounters<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
