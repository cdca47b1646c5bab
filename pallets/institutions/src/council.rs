//! The hospital council's seats follow the registry: the admin account of every active hospital
//! holds one. The institutions pallet tells the runtime when a seat is gained, lost or handed
//! to a new admin key; the runtime forwards it to the council's membership (docs/governance.md).
//!
//! When a hospital is suspended or removed, the runtime is also told through [`OnHospitalExit`]
//! before anything is recorded: its validators and nodes leave the network, and the runtime may
//! refuse (too few active hospitals, or too few validators, would remain).

use crate::types::InstitutionId;
use sp_runtime::DispatchResult;

/// Told when a hospital's admin gains, loses or hands over its council seat.
pub trait CouncilSeats<AccountId> {
	/// A hospital became active (admitted or reinstated): its admin takes a seat.
	fn seat(admin: &AccountId) -> DispatchResult;

	/// A hospital stopped being active (suspended or removed): its admin leaves its seat. An
	/// admin that holds no seat is not an error: suspension and removal always succeed in
	/// taking the seat away.
	fn unseat(admin: &AccountId) -> DispatchResult;

	/// An active hospital's admin key changed: the seat moves to the new key.
	fn reseat(old: &AccountId, new: &AccountId) -> DispatchResult;

	/// Benchmarks: sets up the worst case of a seat change. Every change of members goes over
	/// every open motion to drop outgoing members' votes (pallet-collective's
	/// `change_members_sorted`), so the runtime fills the council one seat short of full and
	/// opens motions up to its `MaxProposals`, each voted on by every member. No-op by default
	/// (no council).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_worst_case() {}
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

/// Told when a hospital leaves the active consortium, before the registry records it (the
/// hospital is still listed with its old status). An error refuses the suspension or removal.
pub trait OnHospitalExit {
	/// An active hospital is being suspended.
	fn suspending(hospital: InstitutionId) -> DispatchResult;

	/// A hospital is being removed for good; `was_active` is false if it was suspended.
	fn removing(hospital: InstitutionId, was_active: bool) -> DispatchResult;
}

/// Nothing to tell (tests, chains without a consortium pallet).
impl OnHospitalExit for () {
	fn suspending(_: InstitutionId) -> DispatchResult {
		Ok(())
	}

	fn removing(_: InstitutionId, _: bool) -> DispatchResult {
		Ok(())
	}
}
