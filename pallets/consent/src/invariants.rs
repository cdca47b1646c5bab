//! The pallet's invariants, checked by `try-runtime` (`try_state`) and after every test.

use crate::pallet::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants (run by `try-runtime` and the tests).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_set::BTreeSet;
		let now = frame_system::Pallet::<T>::block_number();
		let next = NextConsentId::<T>::get();
		let mut indexed = BTreeSet::new();
		for (patient, index) in ConsentsOf::<T>::iter() {
			for id in index.iter() {
				let c = Consents::<T>::get(id).ok_or("an indexed consent does not exist")?;
				ensure!(c.patient == patient, "a consent indexed under another patient");
				ensure!(indexed.insert(*id), "a consent indexed twice");
			}
		}
		for (id, c) in Consents::<T>::iter() {
			ensure!(id < next, "a consent id at or above NextConsentId");
			ensure!(c.valid_from < c.valid_until, "a consent with an empty period");
			if !Self::has_ended(&c, now) {
				ensure!(indexed.contains(&id), "a consent in force is not indexed");
			}
		}
		for (patient, institution, id) in OpenEmergency::<T>::iter() {
			let a = EmergencyAccesses::<T>::get(id).ok_or("an open access does not exist")?;
			ensure!(a.patient == patient && a.institution == institution, "open access mismatch");
		}
		for (patient, log) in DisclosureLog::<T>::iter() {
			ensure!(log.first <= log.next, "a log that ends before it starts");
			ensure!(
				log.next - log.first <= T::MaxDisclosuresPerPatient::get(),
				"a log longer than its bound"
			);
			let mut previous = log.pruned_head;
			for i in log.first..log.next {
				let d = Disclosures::<T>::get(&patient, i).ok_or("a log entry is missing")?;
				ensure!(d.previous == previous, "the log's hash chain is broken");
				previous = Self::entry_hash(&d);
			}
			let head = if log.next > log.first { previous } else { log.head };
			ensure!(head == log.head, "the log's head hash is wrong");
			for i in KeptEmergencyEntries::<T>::get(&patient) {
				ensure!(i < log.first, "a kept emergency entry is still in the range");
				let d = Disclosures::<T>::get(&patient, i).ok_or("a kept entry is missing")?;
				ensure!(crate::log::is_emergency_entry(&d), "a kept entry is not an emergency");
			}
		}
		// Card keys (rule 1 of `card`): each pseudonym's key serves it alone.
		for (patient, key) in CardKeys::<T>::iter() {
			ensure!(
				CardKeyHolders::<T>::get(&key).as_ref() == Some(&patient),
				"a card key does not point back to its pseudonym"
			);
		}
		ensure!(
			CardKeyHolders::<T>::iter().count() == CardKeys::<T>::iter().count(),
			"a card key holder without its card"
		);
		Ok(())
	}
}
