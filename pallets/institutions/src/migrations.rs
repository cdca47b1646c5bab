//! Storage migrations of the institutions pallet.

/// Version 1 to 2 (issue 18): the index of each institution's pending registrations,
/// [`PendingRegistrationsOf`], built from [`PendingRegistrations`] (at most
/// `MaxPendingRegistrations` per institution: one pass in one block).
///
/// [`PendingRegistrationsOf`]: crate::pallet::PendingRegistrationsOf
/// [`PendingRegistrations`]: crate::pallet::PendingRegistrations
pub mod v2 {
	use crate::pallet::{Config, Pallet, PendingRegistrations, PendingRegistrationsOf};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};

	/// The migration without its version check; use [`MigrateV1ToV2`].
	pub struct UncheckedMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			for (patient, pending) in PendingRegistrations::<T>::iter() {
				PendingRegistrationsOf::<T>::insert(pending.custodian, patient, ());
				entries = entries.saturating_add(1);
			}
			T::DbWeight::get().reads_writes(entries.saturating_add(1), entries)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Version 1 to 2, run only if the stored version is 1 (then set to 2).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		UncheckedMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
