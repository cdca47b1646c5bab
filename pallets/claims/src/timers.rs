//! Adjudication deadlines and appeal windows (rule 10 of [`crate::rules`]): each is a timer in
//! the bounded list of the block it ends in (`Timers`, at most `MaxTimersPerBlock` per block),
//! processed at the start of that block, so the work done there is bounded and benchmarked
//! (`on_initialize(n)`). A full block's timer goes to the next block with room, searching
//! `TIMER_SEARCH_BLOCKS` blocks; the claim keeps the block its timer got as its deadline or the
//! end of its appeal window. A timer whose claim moved on (accepted and decided, cancelled,
//! appealed) does nothing.

use crate::{
	pallet::{Claims, Config, Error, Event, Pallet, Params, Timers},
	types::*,
	weights::WeightInfo,
};
use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{One, Saturating};

/// Blocks after the wanted one searched for room when a block's timer list is full.
pub const TIMER_SEARCH_BLOCKS: u32 = 16;

impl<T: Config> Pallet<T> {
	/// The first block from `wanted` whose timer list has room (searching
	/// `TIMER_SEARCH_BLOCKS` blocks). Reads only: [`Pallet::add_timer`] then adds the timer.
	pub(crate) fn timer_slot(wanted: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, Error<T>> {
		let mut at = wanted;
		for _ in 0..TIMER_SEARCH_BLOCKS {
			if Timers::<T>::decode_len(at).unwrap_or(0) < Self::timers_per_block() {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::TimersFull)
	}

	fn timers_per_block() -> usize {
		<T::MaxTimersPerBlock as frame_support::traits::Get<u32>>::get() as usize
	}

	/// The end of an appeal window opened now: `appeal_window` blocks on, or the next block
	/// with room for its timer.
	pub(crate) fn appeal_window_end() -> Result<BlockNumberFor<T>, Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::timer_slot(now.saturating_add(Params::<T>::get().appeal_window))
	}

	/// Adds a timer of `kind` for `claim` at block `at` (found by [`Pallet::timer_slot`]).
	pub(crate) fn add_timer(
		at: BlockNumberFor<T>,
		claim: H256,
		kind: TimerKind,
	) -> Result<(), Error<T>> {
		Timers::<T>::try_mutate(at, |list| list.try_push((claim, kind)))
			.map_err(|_| Error::<T>::TimersFull)
	}

	/// The start of block `now` (`on_initialize`): handles the timers ending in it.
	pub(crate) fn process_due_timers(now: BlockNumberFor<T>) -> Weight {
		let due = Timers::<T>::take(now);
		for (claim, kind) in due.iter() {
			Self::process_timer(*claim, *kind, now);
		}
		T::WeightInfo::on_initialize(due.len() as u32)
	}

	/// A timer of `kind` for `claim` fired at `now`: escalate a claim still waiting for the
	/// insurer at its deadline; close an unappealed decision at the end of its window,
	/// releasing what is held to the payer. Stale timers do nothing.
	pub(crate) fn process_timer(claim: H256, kind: TimerKind, now: BlockNumberFor<T>) {
		let Some(mut entry) = Claims::<T>::get(claim) else { return };
		match kind {
			TimerKind::Deadline if entry.status.awaits_insurer() && now >= entry.deadline => {
				entry.status = ClaimStatus::Escalated;
				Self::leave_insurer_queue(entry.insurer, claim);
				let held = entry.held;
				Claims::<T>::insert(claim, entry);
				Self::deposit_event(Event::ClaimEscalated { claim, held });
			},
			TimerKind::AppealWindow
				if entry.status.is_appealable()
					&& entry.appeal_until.is_some_and(|until| now >= until) =>
			{
				match Self::release_held(&mut entry) {
					Ok(released) => {
						entry.appeal_until = None;
						Self::leave_hospital_claims(entry.hospital, claim);
						Claims::<T>::insert(claim, entry);
						Self::deposit_event(Event::ClaimClosed { claim, released });
					},
					// The release failed (it cannot for a hold this pallet made; if it ever
					// does, it is tried again at the next block with room).
					Err(_) => {
						if let Ok(at) = Self::timer_slot(now.saturating_add(One::one())) {
							let _ = Self::add_timer(at, claim, kind);
							Claims::<T>::mutate(claim, |c| {
								if let Some(c) = c {
									c.appeal_until = Some(at);
								}
							});
						}
					},
				}
			},
			_ => {},
		}
	}
}
