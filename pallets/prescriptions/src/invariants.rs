//! The pallet's invariants, checked by `try-runtime` and at the end of every unit test.

use crate::{
	pallet::{
		Config, Dispenses, Pallet, Params, PatientPrescriptionCount, PatientPrescriptions,
		PharmacyQueue, Prescriptions, QueueLength,
	},
	PrescriptionStatus,
};
use alloc::collections::{BTreeMap, BTreeSet};
use frame_support::{ensure, traits::Get};
use sp_core::H256;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - the parameters are valid;
	/// - each prescription has 1..=`MaxFills` fills, `dispensed ≤ fills`, a last block after
	///   its block of issuance;
	/// - its status agrees with its fills: completed only with every fill dispensed, every
	///   fill dispensed only when completed or entered in error, cancelled only with none,
	///   stopped only with some;
	/// - its dispenses are exactly fills `0..dispensed` (no dispense of a missing
	///   prescription either);
	/// - a claim is only on an active prescription, by its designated pharmacy if it has one;
	/// - each queue entry names a prescription that is not final and is directed to or
	///   claimed by that pharmacy; each such prescription not yet expired is in that queue
	///   (rule 15); queue lengths count their entries, within `MaxQueuePerPharmacy`, and no
	///   zero length is stored;
	/// - each patient's list holds exactly the patient's prescriptions, each once, in slots
	///   `0..count`, within `MaxPrescriptionsPerPatient`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::ensure_valid_parameters(&Params::<T>::get())
			.map_err(|_| "the parameters are invalid")?;
		let now = Self::now();
		let mut per_patient = BTreeMap::<T::AccountId, u32>::new();
		let mut dispenses = 0usize;
		let mut total = 0usize;
		for (hash, p) in Prescriptions::<T>::iter() {
			total += 1;
			ensure!(p.fills > 0 && p.fills <= T::MaxFills::get(), "fills out of bounds");
			ensure!(p.dispensed <= p.fills, "more fills dispensed than allowed");
			ensure!(p.valid_until > p.issued_at, "a prescription ends before it is issued");
			let all_dispensed = p.dispensed == p.fills;
			match p.status {
				PrescriptionStatus::Completed => {
					ensure!(all_dispensed, "a completed prescription has fills left")
				},
				PrescriptionStatus::EnteredInError => {},
				_ => ensure!(!all_dispensed, "every fill dispensed, yet not completed"),
			}
			if p.status == PrescriptionStatus::Cancelled {
				ensure!(p.dispensed == 0, "a cancelled prescription has dispensed fills");
			}
			if p.status == PrescriptionStatus::Stopped {
				ensure!(p.dispensed > 0, "a stopped prescription has no dispensed fill");
			}
			for fill in 0..p.dispensed {
				ensure!(Dispenses::<T>::contains_key(hash, fill), "a dispensed fill is missing");
			}
			ensure!(
				Dispenses::<T>::iter_prefix(hash).count() == usize::from(p.dispensed),
				"a prescription's dispenses disagree with its count"
			);
			dispenses += usize::from(p.dispensed);
			if let Some(claimer) = p.claimed_by() {
				ensure!(
					p.status == PrescriptionStatus::Active,
					"a claim on a prescription that is not active"
				);
				ensure!(
					p.pharmacy.is_none_or(|designated| designated == claimer),
					"a claim by a pharmacy the prescription is not directed to"
				);
			}
			if !p.is_expired_at(now) {
				for pharmacy in p.queues().into_iter().flatten() {
					ensure!(
						PharmacyQueue::<T>::contains_key(pharmacy, hash),
						"a prescription is missing from its pharmacy's queue"
					);
				}
			}
			*per_patient.entry(p.patient).or_default() += 1;
		}
		ensure!(
			Dispenses::<T>::iter().count() == dispenses,
			"a dispense of a missing prescription"
		);

		let mut queued = 0usize;
		for (pharmacy, hash, ()) in PharmacyQueue::<T>::iter() {
			let p = Prescriptions::<T>::get(hash).ok_or("a queue names a missing prescription")?;
			ensure!(
				p.queues().contains(&Some(pharmacy)),
				"a queue holds a prescription that is final or not directed to the pharmacy"
			);
			queued += 1;
		}
		let mut counted = 0usize;
		for (pharmacy, length) in QueueLength::<T>::iter() {
			ensure!(length > 0, "an empty queue length is stored");
			ensure!(length <= T::MaxQueuePerPharmacy::get(), "a queue is too long");
			ensure!(
				PharmacyQueue::<T>::iter_prefix(pharmacy).count() == length as usize,
				"a queue's length is not its number of entries"
			);
			counted += length as usize;
		}
		ensure!(counted == queued, "queue entries without a length");

		let mut listed = BTreeSet::<H256>::new();
		let mut patients = 0usize;
		for (patient, count) in PatientPrescriptionCount::<T>::iter() {
			ensure!(count > 0, "an empty count is stored");
			ensure!(
				count <= T::MaxPrescriptionsPerPatient::get(),
				"too many prescriptions for a patient"
			);
			ensure!(per_patient.get(&patient) == Some(&count), "a patient's count is wrong");
			for slot in 0..count {
				let hash = PatientPrescriptions::<T>::get(&patient, slot)
					.ok_or("a patient's list has a gap")?;
				let p = Prescriptions::<T>::get(hash)
					.ok_or("a patient's list names a missing prescription")?;
				ensure!(p.patient == patient, "a patient's list names another's prescription");
				ensure!(listed.insert(hash), "a prescription is listed twice");
			}
			patients += 1;
		}
		ensure!(patients == per_patient.len(), "a patient with prescriptions has no count");
		ensure!(
			listed.len() == total && PatientPrescriptions::<T>::iter().count() == total,
			"a patient list entry beyond its count"
		);
		Ok(())
	}
}
