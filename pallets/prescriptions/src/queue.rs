//! Which prescriptions a pharmacy sees: its queue (docs/prescriptions.md).
//!
//! 15. **Queue membership.** A prescription is in a pharmacy's queue while it is not final
//!     and is directed to that pharmacy or claimed by it (a claim counts until it is
//!     released, replaced or dropped, even after its lock timed out), unless the pharmacy
//!     dismissed it after it expired (rule 14). A prescription directed to no pharmacy is in
//!     no queue until a pharmacy claims it: it is not shown to every pharmacy; a pharmacy
//!     learns its hash from the patient's document or QR code. A queue holds at most
//!     `MaxQueuePerPharmacy` prescriptions: issuing or redirecting to a pharmacy whose queue
//!     is full, or claiming for it, fails with `QueueFull` (an expired prescription stays
//!     until the pharmacy dismisses it). Every call keeps the queues in step with the
//!     prescription it changes ([`PrescriptionEntry::queues`]).

use crate::{
	pallet::{Config, Error, Pallet, PharmacyQueue, PrescriptionOf, Prescriptions, QueueLength},
	PrescriptionEntry,
};
use frame_support::{ensure, traits::Get};
use pallet_institutions::InstitutionId;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Rule 15: every queue `entry` enters has room for it.
	pub(crate) fn ensure_queue_room(hash: H256, entry: &PrescriptionOf<T>) -> Result<(), Error<T>> {
		for pharmacy in entry.queues().into_iter().flatten() {
			if !PharmacyQueue::<T>::contains_key(pharmacy, hash) {
				ensure!(
					QueueLength::<T>::get(pharmacy) < T::MaxQueuePerPharmacy::get(),
					Error::<T>::QueueFull
				);
			}
		}
		Ok(())
	}

	/// Stores `new` as prescription `hash` (which was `old`, or did not exist) and moves it
	/// between queues as rule 15 says. No checks (the caller made them, room included).
	pub(crate) fn store(hash: H256, old: Option<&PrescriptionOf<T>>, new: PrescriptionOf<T>) {
		let before = old.map(PrescriptionEntry::queues).unwrap_or_default();
		let after = new.queues();
		for pharmacy in before.into_iter().flatten() {
			if !after.contains(&Some(pharmacy)) {
				Self::leave_queue(pharmacy, hash);
			}
		}
		for pharmacy in after.into_iter().flatten() {
			if !before.contains(&Some(pharmacy)) {
				Self::enter_queue(pharmacy, hash);
			}
		}
		Prescriptions::<T>::insert(hash, new);
	}

	/// Puts `hash` in `pharmacy`'s queue, if it is not there yet.
	pub(crate) fn enter_queue(pharmacy: InstitutionId, hash: H256) {
		if !PharmacyQueue::<T>::contains_key(pharmacy, hash) {
			PharmacyQueue::<T>::insert(pharmacy, hash, ());
			QueueLength::<T>::mutate(pharmacy, |n| *n = n.saturating_add(1));
		}
	}

	/// Takes `hash` out of `pharmacy`'s queue, if it is there (it is not after a dismissal).
	pub(crate) fn leave_queue(pharmacy: InstitutionId, hash: H256) {
		if PharmacyQueue::<T>::take(pharmacy, hash).is_some() {
			QueueLength::<T>::mutate_exists(pharmacy, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
			});
		}
	}
}
