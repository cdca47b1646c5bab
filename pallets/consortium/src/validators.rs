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

/// The fewest validators a hospital's suspension or removal may leave, even below
/// [`crate::MinValidators`] (or that floor, if it is lower). A council vote cannot go below the
/// floor with `remove_validator`, but a hospital that leaves takes its validators with it: a
/// four-founder chain (floor 4) can still remove one hospital, leaving three validators. With
/// three, GRANDPA needs all three to finalize (no fault tolerated), so the council should add a
/// validator soon; with fewer, one lost node would stop finality for good. Below three the
/// suspension or removal is refused (`TooFewValidatorsLeft`): the council adds another
/// hospital's validator first.
pub const EXIT_VALIDATOR_FLOOR: u32 = 3;

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
