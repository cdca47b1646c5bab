//! The hospital council's seats follow the registry: the admin account of every active hospital
//! holds one. The institutions pallet tells the runtime when a seat is gained, lost or handed
//! to a new admin key; the runtime forwards it to the council's membership (docs/governance.md).

use sp_runtime::DispatchResult;

/// Told when a hospital's admin gains, loses or hands over its council seat.
pub trait CouncilSeats<AccountId> {
	/// A hospital became active (admitted or reinstated): its admin takes a seat.
	fn seat(admin: &AccountId) -> DispatchResult;

	/// A hospital stopped being active (suspended or removed): its admin leaves its seat.
	fn unseat(admin: &AccountId) -> DispatchResult;

	/// An active hospital's admin key changed: the seat moves to the new key.
	fn reseat(old: &AccountId, new: &AccountId) -> DispatchResult;

	/// Benchmarks: fills the council so that one seat is left (the worst case of a change).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_fill_seats() {}
}

/// No council (tests, chains without one).
impl<AccountId> CouncilSeats<AccountId> for () {
	fn seat(_: &AccountId) -> DispatchResult {
		Ok(())
	}

	fn unseat(_: &AccountId) -> DispatchResult {
		Ok(())
	}

	fn reseat(_: &AccountId, _: &AccountId) -> DispatchResult {
		Ok(())
	}
}
