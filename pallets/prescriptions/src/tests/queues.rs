//! The patient's choice of pharmacy (rule 13 of `dispensing`), dismissals (rule 14) and the
//! pharmacies' queues (rule 15 of `queue`).

use super::*;

#[test]
fn the_patient_redirects_a_prescription() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 2, None));
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(redirect(PATIENT, h(1), Some(PHARMACY_B)));
		System::assert_last_event(
			Event::Redirected { hash: h(1), from: Some(PHARMACY), to: Some(PHARMACY_B) }.into(),
		);
		let e = entry(h(1));
		assert_eq!((e.pharmacy, e.claim), (Some(PHARMACY_B), None));
		assert!(queue(PHARMACY).is_empty());
		assert_eq!(queue(PHARMACY_B), vec![h(1)]);
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::NotDesignatedPharmacy);
		assert_ok!(claim(PHARMACIST_B, h(1)));

		// The guardian directs it to any pharmacy: the claim is dropped, it is in no queue.
		assert_ok!(redirect(GUARDIAN, h(1), None));
		System::assert_last_event(
			Event::Redirected { hash: h(1), from: Some(PHARMACY_B), to: None }.into(),
		);
		assert_eq!(entry(h(1)).claim, None);
		assert!(queue(PHARMACY_B).is_empty());
		assert_ok!(claim(PHARMACIST, h(1)));
	});
}

#[test]
fn the_remaining_fills_move_with_a_transfer() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 3, None));
		fill(h(1), 0xd0);
		// A designated pharmacy keeps a partly dispensed prescription in its queue.
		assert_eq!(queue(PHARMACY), vec![h(1)]);
		assert_ok!(redirect(PATIENT, h(1), Some(PHARMACY_B)));
		assert_ok!(claim(PHARMACIST_B, h(1)));
		assert_ok!(dispense(PHARMACIST_B, h(1), 0xd1));
		let e = entry(h(1));
		assert_eq!((e.dispensed, e.remaining()), (2, 1));
		assert_eq!(crate::Dispenses::<Test>::get(h(1), 1).unwrap().pharmacy, PHARMACY_B);
		// A prescription on hold may be redirected too.
		assert_ok!(hold(PHYSICIAN, h(1)));
		assert_ok!(redirect(PATIENT, h(1), Some(PHARMACY)));
		assert_eq!(queue(PHARMACY), vec![h(1)]);
		assert!(queue(PHARMACY_B).is_empty());
	});
}

#[test]
fn only_the_patient_or_the_guardian_redirects() {
	build_and_execute(|| {
		assert_noop!(redirect(PATIENT, h(9), None), Error::<Test>::UnknownPrescription);
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		for who in [PATIENT_2, PHYSICIAN, PHARMACIST, HOSPITAL_DEVICE, STRANGER] {
			assert_noop!(redirect(who, h(1), Some(PHARMACY)), Error::<Test>::NotPatient);
		}
		assert_ok!(redirect(GUARDIAN, h(1), Some(PHARMACY)));
		assert_ok!(redirect(PATIENT, h(1), Some(PHARMACY_B)));
	});
}

#[test]
fn what_may_be_redirected_and_where() {
	build_and_execute(|| {
		MaxPerPatient::set(10);
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_noop!(redirect(PATIENT, h(1), Some(HOSPITAL)), Error::<Test>::NotAPharmacy);
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), PHARMACY_B));
		assert_noop!(redirect(PATIENT, h(1), Some(PHARMACY_B)), Error::<Test>::NotAPharmacy);
		// A full queue.
		for i in 2..=4 {
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(i), Some(PHARMACY), 1, None));
		}
		assert_noop!(redirect(PATIENT, h(1), Some(PHARMACY)), Error::<Test>::QueueFull);
		// Completed, cancelled, expired.
		fill(h(2), 0xd0);
		assert_noop!(redirect(PATIENT, h(2), None), Error::<Test>::AllFillsDispensed);
		assert_ok!(cancel(PHYSICIAN, h(3)));
		assert_noop!(redirect(PATIENT, h(3), None), Error::<Test>::NotActive);
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(5), None, 1, Some(10)));
		run_to(11);
		assert_noop!(redirect(PATIENT, h(5), Some(PHARMACY)), Error::<Test>::Expired);
	});
}

#[test]
fn a_pharmacy_dismisses_what_it_can_no_longer_dispense() {
	build_and_execute(|| {
		assert_noop!(dismiss(PHARMACIST, h(9)), Error::<Test>::UnknownPrescription);
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 1, Some(10)));
		assert_ok!(issue(PHYSICIAN, PATIENT, h(2)));
		run_to(8);
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_noop!(dismiss(PHARMACIST, h(1)), Error::<Test>::StillDispensable);
		// Not in the other pharmacy's queue, nor an undesignated prescription in any.
		assert_noop!(dismiss(PHARMACIST_B, h(1)), Error::<Test>::NotInQueue);
		assert_noop!(dismiss(PHARMACIST, h(2)), Error::<Test>::NotInQueue);

		// Expired: it stays in the queue until dismissed, the claim with it.
		run_to(11);
		assert_eq!(queue(PHARMACY), vec![h(1)]);
		assert_eq!(
			Prescriptions::queue(PHARMACY, 0).prescriptions[0].status,
			CurrentStatus::Expired
		);
		assert_ok!(dismiss(PHARMACIST_2, h(1)));
		System::assert_last_event(Event::Dismissed { hash: h(1), pharmacy: PHARMACY }.into());
		assert!(queue(PHARMACY).is_empty());
		assert!(!crate::QueueLength::<Test>::contains_key(PHARMACY));
		assert_eq!(entry(h(1)).claim, None);
		assert_noop!(dismiss(PHARMACIST, h(1)), Error::<Test>::NotInQueue);
		// It may still be cancelled, for the record.
		assert_ok!(cancel(PHYSICIAN, h(1)));
	});
}

#[test]
fn an_expired_claim_is_dismissed_by_its_pharmacy() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 1, Some(10)));
		assert_ok!(claim(PHARMACIST_B, h(1)));
		run_to(11);
		assert_eq!(queue(PHARMACY_B), vec![h(1)]);
		assert_ok!(dismiss(PHARMACIST_B, h(1)));
		assert!(queue(PHARMACY_B).is_empty());
		assert_eq!(entry(h(1)).claim, None);
	});
}

#[test]
fn dismissing_expired_prescriptions_frees_the_queue() {
	build_and_execute(|| {
		MaxPerPatient::set(10);
		for i in 1..=3 {
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(i), Some(PHARMACY), 1, Some(10)));
		}
		run_to(11);
		assert_noop!(
			issue_with(PHYSICIAN, PATIENT, h(4), Some(PHARMACY), 1, None),
			Error::<Test>::QueueFull
		);
		assert_ok!(dismiss(PHARMACIST, h(2)));
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(4), Some(PHARMACY), 1, None));
		let mut queued = queue(PHARMACY);
		queued.sort();
		assert_eq!(queued, vec![h(1), h(3), h(4)]);
		assert_eq!(crate::QueueLength::<Test>::get(PHARMACY), 3);
	});
}
