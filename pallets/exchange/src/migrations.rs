//! Storage migrations of the exchange pallet.

/// Version 1 to 2 (issue 12): the parameters gain `max_pending_per_requester` and
/// `price_change_delay` (their values are taken from `DefaultParameters`, the other fields
/// kept); `PendingByRequester` is counted from the requests waiting in the queues.
/// `PendingPrices` starts empty (the stored lists stay in force).
pub mod v2 {
	use crate::{
		pallet::{Config, Pallet, Params, Pending, PendingByRequester, Requests},
		types::ParametersOf,
	};
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use frame_system::pallet_prelude::BlockNumberFor;

	/// The parameters as stored by version 1.
	#[derive(Encode, Decode)]
	pub struct ParametersV1<Balance, BlockNumber> {
		/// The relay operator's share of each fee, in per-mille.
		pub relay_share_per_mille: u16,
		/// Fee per item for categories a custodian has not priced.
		pub default_fee: Balance,
		/// Blocks a custodian has to deliver.
		pub delivery_window: BlockNumber,
		/// Blocks a requester has to confirm or dispute a delivery.
		pub dispute_window: BlockNumber,
	}

	/// The migration without its version check; use [`MigrateV1ToV2`].
	pub struct UncheckedMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let defaults = T::DefaultParameters::get();
			let translated = Params::<T>::translate::<
				ParametersV1<crate::BalanceOf<T>, BlockNumberFor<T>>,
				_,
			>(|old| {
				old.map(|old| ParametersOf::<T> {
					relay_share_per_mille: old.relay_share_per_mille,
					default_fee: old.default_fee,
					delivery_window: old.delivery_window,
					dispute_window: old.dispute_window,
					max_pending_per_requester: defaults.max_pending_per_requester,
					price_change_delay: defaults.price_change_delay,
				})
			});
			if translated.is_err() {
				// Undecodable: the defaults apply (ValueQuery), as they would have anyway.
				Params::<T>::kill();
			}
			let (mut reads, mut writes) = (1u64, 1u64);
			for (custodian, id, ()) in Pending::<T>::iter() {
				reads = reads.saturating_add(2);
				if let Some(request) = Requests::<T>::get(id) {
					writes = writes.saturating_add(1);
					PendingByRequester::<T>::mutate(custodian, request.requester, |n| {
						*n = n.saturating_add(1)
					});
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
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

/// Version 2 to 3: the index of each institution's requests, [`InstitutionRequests`] and its
/// counts, built from the stored requests in id order (their requester's and their custodian's
/// entries). One pass over the request ids in one block: a consortium chain of thousands of
/// requests fits; millions would need a multi-block migration.
///
/// [`InstitutionRequests`]: crate::pallet::InstitutionRequests
pub mod v3 {
	use crate::pallet::{Config, NextRequestId, Pallet, Requests};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};

	/// The migration without its version check; use [`MigrateV2ToV3`].
	pub struct UncheckedMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let next = NextRequestId::<T>::get();
			let (mut reads, mut writes) = (1u64, 0u64);
			for id in 0..next {
				reads = reads.saturating_add(1);
				if let Some(request) = Requests::<T>::get(id) {
					Pallet::<T>::index_request(request.requester, id);
					Pallet::<T>::index_request(request.custodian, id);
					reads = reads.saturating_add(2);
					writes = writes.saturating_add(4);
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Version 2 to 3, run only if the stored version is 2 (then set to 3).
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		UncheckedMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
