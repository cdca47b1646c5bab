//! The invariant checks (`do_try_state`) catch each kind of corrupted state: fills and
//! statuses that disagree, dispenses out of step with their count, claims where none may be,
//! queues that lie, patient lists that lie, invalid parameters. Each test corrupts one item,
//! checks that the invariants fail, and puts it back (the check at the end of the test must
//! pass).

use super::*;
use crate::{
	DispenseEntry, Dispenses, PatientPrescriptionCount, PatientPrescriptions, PharmacyClaim,
	PharmacyQueue, QueueLength,
};

/// Changes prescription `hash` with `f`, checks that the invariants break, and puts it back.
fn tamper(hash: H256, f: impl FnOnce(&mut PrescriptionOf<Test>)) {
	let good = entry(hash);
	let mut bad = good.clone();
	f(&mut bad);
	crate::Prescriptions::<Test>::insert(hash, bad);
	assert!(Prescriptions::do_try_state().is_err());
	crate::Prescriptions::<Test>::insert(hash, good);
	assert_ok!(Prescriptions::do_try_state());
}

/// Runs `corrupt`, checks that the invariants break, runs `repair` and checks they hold.
fn broken(corrupt: impl FnOnce(), repair: impl FnOnce()) {
	corrupt();
	assert!(Prescriptions::do_try_state().is_err());
	repair();
	assert_ok!(Prescriptions::do_try_state());
}

/// h(1): 3 fills directed to the pharmacy, one dispensed, the next claimed by it.
/// h(2): one fill, directed to no pharmacy, unclaimed.
/// h(3): one fill, completed.
fn three_prescriptions() {
	assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 3, None));
	fill(h(1), 0xd0);
	assert_ok!(claim(PHARMACIST, h(1)));
	assert_ok!(issue(PHYSICIAN, PATIENT, h(2)));
	assert_ok!(issue(PHYSICIAN, PATIENT_2, h(3)));
	fill(h(3), 0xd1);
	assert_ok!(Prescriptions::do_try_state());
}

fn a_dispense() -> DispenseEntry<u64, u64> {
	DispenseEntry {
		pharmacy: PHARMACY,
		pharmacist: PHARMACIST,
		dispense_hash: h(7),
		at: 1,
		disclosure: 9,
	}
}

#[test]
fn try_state_checks_fills_and_dates() {
	build_and_execute(|| {
		three_prescriptions();
		tamper(h(2), |p| p.fills = 0);
		tamper(h(2), |p| p.fills = 4);
		tamper(h(1), |p| p.dispensed = 4);
		tamper(h(2), |p| p.valid_until = p.issued_at);
	});
}

#[test]
fn try_state_checks_statuses_against_fills() {
	build_and_execute(|| {
		three_prescriptions();
		// Completed with fills left.
		tamper(h(2), |p| p.status = S::Completed);
		// Every fill dispensed, yet active or stopped.
		tamper(h(3), |p| p.status = S::Active);
		tamper(h(3), |p| p.status = S::Stopped);
		// Cancelled with a fill dispensed (no claim, out of every queue).
		tamper(h(1), |p| {
			p.status = S::Cancelled;
			p.claim = None;
			p.pharmacy = None;
		});
		// Stopped without any.
		tamper(h(2), |p| p.status = S::Stopped);
		// Entered in error is fine either way.
		crate::Prescriptions::<Test>::mutate(h(3), |p| {
			if let Some(p) = p {
				p.status = S::EnteredInError;
			}
		});
		assert_ok!(Prescriptions::do_try_state());
	});
}

#[test]
fn try_state_checks_the_dispenses() {
	build_and_execute(|| {
		three_prescriptions();
		// A dispensed fill missing.
		let first = Dispenses::<Test>::take(h(1), 0).unwrap();
		assert!(Prescriptions::do_try_state().is_err());
		Dispenses::<Test>::insert(h(1), 0, first);
		assert_ok!(Prescriptions::do_try_state());
		// A fill beyond the count; a dispense of a missing prescription.
		broken(
			|| Dispenses::<Test>::insert(h(1), 1, a_dispense()),
			|| Dispenses::<Test>::remove(h(1), 1),
		);
		broken(
			|| Dispenses::<Test>::insert(h(9), 0, a_dispense()),
			|| Dispenses::<Test>::remove(h(9), 0),
		);
		// The count raised without a dispense.
		tamper(h(1), |p| p.dispensed = 2);
	});
}

#[test]
fn try_state_checks_the_claims() {
	build_and_execute(|| {
		three_prescriptions();
		// A claim on a prescription on hold, or completed.
		tamper(h(1), |p| p.status = S::OnHold);
		tamper(h(3), |p| {
			p.claim = Some(PharmacyClaim { pharmacy: PHARMACY, pharmacist: PHARMACIST, at: 1 })
		});
		// A claim by a pharmacy the prescription is not directed to.
		tamper(h(1), |p| {
			p.claim = Some(PharmacyClaim { pharmacy: PHARMACY_B, pharmacist: PHARMACIST_B, at: 1 })
		});
	});
}

#[test]
fn try_state_checks_the_queues() {
	build_and_execute(|| {
		three_prescriptions();
		let set = |pharmacy: u32, hash: H256, length: u32| {
			PharmacyQueue::<Test>::insert(pharmacy, hash, ());
			QueueLength::<Test>::insert(pharmacy, length);
		};
		let unset = |pharmacy: u32, hash: H256, length: u32| {
			PharmacyQueue::<Test>::remove(pharmacy, hash);
			if length == 0 {
				QueueLength::<Test>::remove(pharmacy);
			} else {
				QueueLength::<Test>::insert(pharmacy, length);
			}
		};
		// A prescription not directed to the pharmacy, a completed one, a missing one.
		broken(|| set(PHARMACY_B, h(2), 1), || unset(PHARMACY_B, h(2), 0));
		broken(|| set(PHARMACY, h(3), 2), || unset(PHARMACY, h(3), 1));
		broken(|| set(PHARMACY, h(9), 2), || unset(PHARMACY, h(9), 1));
		// A prescription missing from its pharmacy's queue.
		broken(|| unset(PHARMACY, h(1), 0), || set(PHARMACY, h(1), 1));
		// A wrong length, a zero length, a length beyond the bound.
		broken(
			|| QueueLength::<Test>::insert(PHARMACY, 2),
			|| QueueLength::<Test>::insert(PHARMACY, 1),
		);
		broken(
			|| QueueLength::<Test>::insert(PHARMACY_B, 0),
			|| QueueLength::<Test>::remove(PHARMACY_B),
		);
		MaxQueue::set(0);
		assert!(Prescriptions::do_try_state().is_err());
		MaxQueue::set(3);
		// An entry without a length.
		broken(
			|| {
				QueueLength::<Test>::remove(PHARMACY);
			},
			|| QueueLength::<Test>::insert(PHARMACY, 1),
		);
	});
}

#[test]
fn try_state_checks_the_patients_lists() {
	build_and_execute(|| {
		three_prescriptions();
		// A wrong count.
		broken(
			|| PatientPrescriptionCount::<Test>::insert(PATIENT, 1),
			|| PatientPrescriptionCount::<Test>::insert(PATIENT, 2),
		);
		// One prescription listed twice, another patient's, an entry beyond the count.
		for wrong in [h(2), h(3)] {
			broken(
				|| PatientPrescriptions::<Test>::insert(PATIENT, 0, wrong),
				|| PatientPrescriptions::<Test>::insert(PATIENT, 0, h(1)),
			);
		}
		broken(
			|| PatientPrescriptions::<Test>::insert(PATIENT, 2, h(9)),
			|| PatientPrescriptions::<Test>::remove(PATIENT, 2),
		);
		// A patient's prescription reassigned to someone else.
		tamper(h(3), |p| p.patient = PATIENT);
		// A count beyond the bound.
		MaxPerPatient::set(1);
		assert!(Prescriptions::do_try_state().is_err());
		MaxPerPatient::set(4);
	});
}

#[test]
fn try_state_checks_the_parameters() {
	build_and_execute(|| {
		broken(
			|| {
				crate::Params::<Test>::put(Parameters {
					default_validity: 0,
					max_validity: 1,
					claim_timeout: 1,
				})
			},
			crate::Params::<Test>::kill,
		);
		broken(
			|| {
				crate::Params::<Test>::put(Parameters {
					default_validity: 2,
					max_validity: 1,
					claim_timeout: 1,
				})
			},
			crate::Params::<Test>::kill,
		);
	});
}
