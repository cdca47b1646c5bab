//! Deadlines and dispute windows: each is a timer in the bounded list of the block it ends in
//! (`Timers`, at most `MaxTimersPerBlock` per block), processed at the start of that block, so
//! the work done there is bounded and benchmarked (`on_initialize(n)`). A full block's timer
//! goes to the next block with room, searching `TIMER_SEARCH_BLOCKS` blocks.

use crate::{
	pallet::{Config, Error, Event, Pallet, Requests, Timers},
	types::*,
	weights::WeightInfo,
};
use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

/// Blocks after the wanted one searched for room when a block's timer list is full.
pub const TIMER_SEARCH_BLOCKS: u32 = 16;

impl<T: Config> Pallet<T> {
	/// Adds `request` to the timers of the first block from `wanted` with room (searching
	/// `TIMER_SEARCH_BLOCKS` blocks); returns that block.
	pub(crate) fn schedule(
		request: RequestId,
		wanted: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let mut at = wanted;
		for _ in 0..TIMER_SEARCH_BLOCKS {
			let placed = Timers::<T>::mutate(at, |list| list.try_push(request).is_ok());
			if placed {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::TimersFull)
	}

	/// The start of block `now` (`on_initialize`): handles the timers ending in it.
	pub(crate) fn process_due_timers(now: BlockNumberFor<T>) -> Weight {
		let due = Timers::<T>::take(now);
		for id in due.iter() {
			Self::process_timer(*id, now);
		}
		T::WeightInfo::on_initialize(due.len() as u32)
	}

	/// A timer of `request` fired at `now`: refund an undelivered request at its deadline,
	/// pay out a delivery nobody disputed. Stale timers (the request moved on) do nothing.
	pub(crate) fn process_timer(request: RequestId, now: BlockNumberFor<T>) {
		let Some(mut entry) = Requests::<T>::get(request) else { return };
		match entry.status {
			Status::Requested if now >= entry.deadline => {
				match Self::refund(request, &mut entry, now, RefundCause::Expired) {
					Ok(()) => Requests::<T>::insert(request, entry),
					// The release failed (it cannot for a hold this pallet made; if it ever
					// does, the refund is tried again at the next block with room).
					Err(_) => {
						let _ = Self::schedule(request, now.saturating_add(One::one()));
					},
				}
			},
			Status::Delivered { dispute_until } if now >= dispute_until => {
				// Fails only if the custodian's own admin account cannot receive (the relay's
				// share falls back to the custodian); then governance decides.
				if Self::pay_out(request, &mut entry, now, true).is_err() {
					entry.status =
						Status::Disputed { reason: DisputeReason::PayoutFailed, at: now };
					Self::deposit_event(Event::PayoutFailed { request });
				}
				Requests::<T>::insert(request, entry);
			},
			_ => {},
		}
	}
}
