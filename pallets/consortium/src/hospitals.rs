//! Hospitals leaving the active consortium, as the institutions registry reports them
//! ([`pallet_institutions::council::OnHospitalExit`], called before the registry records the
//! suspension or removal).
//!
//! - **Floor of active hospitals.** A suspension, or the removal of an active hospital, that
//!   would leave fewer active hospitals (council seats) than [`MinActiveHospitals`] is refused
//!   (`TooFewActiveHospitals`): a majority cannot suspend the council down to a handful, let
//!   alone empty it. The floor is a governance parameter, set by two thirds
//!   ([`Pallet::set_min_active_hospitals`]), three unless set.
//! - **Its validators and nodes leave.** The hospital's validators leave the set the next
//!   session change queues (active from the one after), and its nodes leave the allow-list at
//!   once (peers drop them at their next block). This may take the set below the validator
//!   floor (`MinValidators`), but never below [`EXIT_VALIDATOR_FLOOR`] (or the floor, if lower):
//!   then the suspension or removal is refused (`TooFewValidatorsLeft`).
//! - **Suspended hospitals still count** in the base of the council's thresholds
//!   ([`crate::council`]) until reinstated or removed.

use crate::{
	pallet::{
		AuthorizedNodes, Config, Error, Event, MinActiveHospitals, MinValidators, Pallet,
		SuspendedHospitals, Validators,
	},
	EXIT_VALIDATOR_FLOOR,
};
use frame_support::{ensure, traits::Get, BoundedVec};
use pallet_institutions::InstitutionId;
use sp_runtime::DispatchResult;

/// The floor of active hospitals unless governance sets another.
pub const DEFAULT_MIN_ACTIVE_HOSPITALS: u32 = 3;

impl<T: Config> Pallet<T> {
	/// A hospital leaves: checks the floors, then takes its validators and nodes out and
	/// records it as suspended (or forgets it, if removed).
	fn hospital_leaves(
		hospital: InstitutionId,
		was_active: bool,
		suspended: bool,
	) -> DispatchResult {
		if was_active {
			let remaining = T::ActiveHospitals::get().saturating_sub(1);
			ensure!(remaining >= MinActiveHospitals::<T>::get(), Error::<T>::TooFewActiveHospitals);
		}
		let (leaving, staying): (alloc::vec::Vec<_>, alloc::vec::Vec<_>) =
			Validators::<T>::get().into_iter().partition(|(_, h)| *h == Some(hospital));
		if !leaving.is_empty() {
			let floor = MinValidators::<T>::get().clamp(1, EXIT_VALIDATOR_FLOOR);
			ensure!(staying.len() as u32 >= floor, Error::<T>::TooFewValidatorsLeft);
		}
		let (gone, kept): (alloc::vec::Vec<_>, alloc::vec::Vec<_>) =
			AuthorizedNodes::<T>::get().into_iter().partition(|(_, h)| *h == Some(hospital));

		// Both lists only shrink, so they fit their bounds.
		Validators::<T>::put(BoundedVec::truncate_from(staying));
		AuthorizedNodes::<T>::put(BoundedVec::truncate_from(kept));
		if suspended {
			SuspendedHospitals::<T>::insert(hospital, ());
		} else {
			SuspendedHospitals::<T>::remove(hospital);
		}
		let (validators, nodes) = (leaving.len() as u32, gone.len() as u32);
		for (validator, _) in leaving {
			Self::deposit_event(Event::ValidatorRemoved { validator });
		}
		for (node, _) in gone {
			Self::deposit_event(Event::NodeDeauthorized { node });
		}
		Self::deposit_event(Event::HospitalLeftNetwork { hospital, validators, nodes });
		Ok(())
	}

	/// A suspended hospital was reinstated: it holds a seat again and no longer counts as
	/// suspended. (Its validators and nodes come back by new council decisions.)
	pub fn hospital_reinstated(hospital: InstitutionId) {
		SuspendedHospitals::<T>::remove(hospital);
	}
}

impl<T: Config> pallet_institutions::council::OnHospitalExit for Pallet<T> {
	fn suspending(hospital: InstitutionId) -> DispatchResult {
		Self::hospital_leaves(hospital, true, true)
	}

	fn removing(hospital: InstitutionId, was_active: bool) -> DispatchResult {
		Self::hospital_leaves(hospital, was_active, false)
	}
}
