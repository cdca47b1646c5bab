//! The validator set as pallet-session's `SessionManager`, and the session length.
//!
//! pallet-session asks for the next set at each session change (`new_session`): it gets the
//! accounts in [`crate::Validators`]; it queues them with their registered keys and makes them
//! active at the following change, when Aura and GRANDPA receive the new authorities. So a
//! council decision takes effect one to two sessions later. Accounts whose keys are missing are
//! skipped by pallet-session; that is why adding requires registered keys.

use crate::pallet::{Config, Pallet, SessionBlocks, Validators};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

/// Session length when genesis does not set one: 600 blocks, one hour of 6-second blocks.
pub const DEFAULT_SESSION_BLOCKS: u32 = 600;

/// Whether an account has registered session keys.
pub trait SessionKeysOf<AccountId> {
	/// True if `who` registered keys with `Session::set_keys`.
	fn has_keys(who: &AccountId) -> bool;

	/// Benchmarks: registers placeholder keys for `who`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_set_keys(who: &AccountId);
}

/// The session length, for `pallet_session::PeriodicSessions`.
pub struct SessionLength<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<BlockNumberFor<T>> for SessionLength<T> {
	fn get() -> BlockNumberFor<T> {
		let blocks = SessionBlocks::<T>::get();
		if blocks.is_zero() {
			DEFAULT_SESSION_BLOCKS.into()
		} else {
			blocks
		}
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(_index: u32) -> Option<Vec<T::AccountId>> {
		let set: Vec<_> = Validators::<T>::get().into_iter().map(|(v, _)| v).collect();
		// An empty set would halt the chain: keep the current one instead.
		(!set.is_empty()).then_some(set)
	}

	fn end_session(_index: u32) {}

	fn start_session(_index: u32) {}
}
