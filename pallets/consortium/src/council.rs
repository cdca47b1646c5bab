//! What the runtime's council needs from the consortium: a stable base for its thresholds and a
//! cap on each member's open motions.
//!
//! - **Thresholds over a stable base.** pallet-collective dispatches an approved motion with
//!   the origin "`ayes` of `seats`", where `seats` is the council's size when it closes. Seats
//!   shrink when hospitals are suspended, so a majority that suspends others would then pass
//!   "two thirds" motions with fewer hospitals behind them. The runtime's council origins
//!   instead compare the ayes with [`Pallet::hospital_seat_base`]: the active hospitals plus the
//!   suspended ones ([`Pallet::council_share_reached`]). Removed hospitals do not count.
//! - **Open motions per member.** A member may have at most `MaxOpenMotions` motions open
//!   ([`Pallet::note_open_motion`], called by the runtime when a member proposes); with the
//!   council's `MaxProposals` at least `MaxOpenMotions` times its `MaxMembers`, no member can
//!   keep another from proposing by filling the queue.

use crate::pallet::{Config, Error, OpenMotions, Pallet, SuspendedHospitals};
use frame_support::{ensure, traits::Get};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// The number of hospitals the council's thresholds are counted over: the active ones (one
	/// seat each) and the suspended ones.
	pub fn hospital_seat_base() -> u32 {
		T::ActiveHospitals::get().saturating_add(SuspendedHospitals::<T>::count())
	}

	/// Whether `ayes` of a council of `seats` reach `num / den` of the hospitals: at least that
	/// share, or more than it if `more_than`. The share is of the larger of `seats` and
	/// [`Pallet::hospital_seat_base`].
	pub fn council_share_reached(
		ayes: u32,
		seats: u32,
		num: u32,
		den: u32,
		more_than: bool,
	) -> bool {
		let base = u64::from(seats.max(Self::hospital_seat_base()));
		let (have, need) = (u64::from(ayes) * u64::from(den), u64::from(num) * base);
		if more_than {
			have > need
		} else {
			have >= need
		}
	}

	/// `who` proposed `motion`; `open` are the council's open motions, `motion` included.
	/// Refused (`TooManyOpenMotions`) if `who` has `MaxOpenMotions` other open motions.
	pub fn note_open_motion(
		who: &T::AccountId,
		motion: T::Hash,
		open: &[T::Hash],
	) -> DispatchResult {
		let mut mine = OpenMotions::<T>::get(who);
		mine.retain(|m| *m != motion && open.contains(m));
		ensure!((mine.len() as u32) < T::MaxOpenMotions::get(), Error::<T>::TooManyOpenMotions);
		mine.try_push(motion).map_err(|_| Error::<T>::TooManyOpenMotions)?;
		OpenMotions::<T>::insert(who, mine);
		Ok(())
	}
}
