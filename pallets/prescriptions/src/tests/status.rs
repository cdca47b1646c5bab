//! Hold, resume, cancel, stop, enter in error (rules 7–8 of `prescribing`): each call's
//! success with its event and its effect on claims and queues, each wrong transition, and
//! who may change a prescription.

use super::*;

#[test]
fn hold_and_resume() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 2, None));
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(hold(PHYSICIAN, h(1)));
		System::assert_last_event(Event::PrescriptionHeld { hash: h(1) }.into());
		let e = entry(h(1));
		assert_eq!((e.status, e.claim), (S::OnHold, None));
		assert_eq!(status(h(1)), CurrentStatus::OnHold);
		// On hold, it stays in the designated pharmacy's queue (it may resume).
		assert_eq!(queue(PHARMACY), vec![h(1)]);

		// A colleague resumes it.
		assert_ok!(resume(PHYSICIAN_2, h(1)));
		System::assert_last_event(Event::PrescriptionResumed { hash: h(1) }.into());
		assert_eq!(entry(h(1)).status, S::Active);
		assert_ok!(claim(PHARMACIST, h(1)));
	});
}

#[test]
fn holding_drops_the_claim_of_an_undesignated_pharmacy_and_its_queue() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_ok!(claim(PHARMACIST_B, h(1)));
		assert_eq!(queue(PHARMACY_B), vec![h(1)]);
		assert_ok!(hold(PHYSICIAN, h(1)));
		assert!(queue(PHARMACY_B).is_empty());
		assert_eq!(crate::QueueLength::<Test>::get(PHARMACY_B), 0);
		assert!(!crate::QueueLength::<Test>::contains_key(PHARMACY_B));
	});
}

#[test]
fn transitions_need_the_right_status() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_noop!(resume(PHYSICIAN, h(1)), Error::<Test>::NotOnHold);
		assert_ok!(hold(PHYSICIAN, h(1)));
		assert_noop!(hold(PHYSICIAN, h(1)), Error::<Test>::NotActive);
		// Nothing changes once final.
		assert_ok!(cancel(PHYSICIAN, h(1)));
		assert_noop!(hold(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(resume(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(cancel(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(stop(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		// Except to entered in error, once.
		assert_ok!(enter_in_error(PHYSICIAN, h(1)));
		assert_noop!(enter_in_error(PHYSICIAN, h(1)), Error::<Test>::AlreadyEnteredInError);
		// Unknown prescriptions.
		for call in [hold, resume, cancel, stop, enter_in_error] {
			assert_noop!(call(PHYSICIAN, h(9)), Error::<Test>::UnknownPrescription);
		}
	});
}

#[test]
fn an_expired_prescription_is_neither_held_nor_resumed() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 1, Some(10)));
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), None, 1, Some(10)));
		assert_ok!(hold(PHYSICIAN, h(2)));
		run_to(11);
		assert_eq!(status(h(1)), CurrentStatus::Expired);
		assert_eq!(status(h(2)), CurrentStatus::Expired);
		assert_noop!(hold(PHYSICIAN, h(1)), Error::<Test>::Expired);
		assert_noop!(resume(PHYSICIAN, h(2)), Error::<Test>::Expired);
		// It may still be cancelled, for the record.
		assert_ok!(cancel(PHYSICIAN, h(2)));
		assert_eq!(status(h(2)), CurrentStatus::Cancelled);
	});
}

#[test]
fn cancel_only_before_any_fill() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 2, None));
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(cancel(PHYSICIAN, h(1)));
		System::assert_last_event(Event::PrescriptionCancelled { hash: h(1) }.into());
		let e = entry(h(1));
		assert_eq!((e.status, e.claim), (S::Cancelled, None));
		assert!(queue(PHARMACY).is_empty());
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::NotActive);

		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), None, 2, None));
		fill(h(2), 0xd0);
		assert_noop!(cancel(PHYSICIAN, h(2)), Error::<Test>::PartlyDispensed);
		assert_ok!(stop(PHYSICIAN, h(2)));
	});
}

#[test]
fn stop_only_after_a_fill() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 3, None));
		assert_noop!(stop(PHYSICIAN, h(1)), Error::<Test>::NothingDispensed);
		fill(h(1), 0xd0);
		assert_ok!(claim(PHARMACIST_2, h(1)));
		assert_ok!(hold(PHYSICIAN, h(1)));
		// On hold too.
		assert_ok!(stop(PHYSICIAN_2, h(1)));
		System::assert_last_event(Event::PrescriptionStopped { hash: h(1), dispensed: 1 }.into());
		let e = entry(h(1));
		assert_eq!((e.status, e.dispensed, e.claim), (S::Stopped, 1, None));
		assert!(queue(PHARMACY).is_empty());
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::NotActive);
		assert_noop!(redirect(PATIENT, h(1), None), Error::<Test>::NotActive);
	});
}

#[test]
fn any_prescription_may_be_entered_in_error() {
	build_and_execute(|| {
		// An active one, claimed: the claim and the queue go.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(enter_in_error(PHYSICIAN, h(1)));
		System::assert_last_event(Event::PrescriptionEnteredInError { hash: h(1) }.into());
		let e = entry(h(1));
		assert_eq!((e.status, e.claim), (S::EnteredInError, None));
		assert_eq!(status(h(1)), CurrentStatus::EnteredInError);
		assert!(queue(PHARMACY).is_empty());
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::NotActive);

		// A completed one: its dispense stays recorded.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(2)));
		fill(h(2), 0xd0);
		assert_eq!(entry(h(2)).status, S::Completed);
		assert_ok!(enter_in_error(PHYSICIAN_2, h(2)));
		assert_eq!((entry(h(2)).status, entry(h(2)).dispensed), (S::EnteredInError, 1));
		assert!(crate::Dispenses::<Test>::contains_key(h(2), 0));
		assert_noop!(redirect(PATIENT, h(2), None), Error::<Test>::NotActive);

		// A stopped one, and one on hold.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(3), None, 2, None));
		fill(h(3), 0xd1);
		assert_ok!(stop(PHYSICIAN, h(3)));
		assert_ok!(enter_in_error(PHYSICIAN, h(3)));
		assert_ok!(issue_with(PHYSICIAN, PATIENT_2, h(4), Some(PHARMACY), 1, None));
		assert_ok!(hold(PHYSICIAN, h(4)));
		assert_ok!(enter_in_error(PHYSICIAN, h(4)));
		assert!(queue(PHARMACY).is_empty());
	});
}

#[test]
fn the_institution_stands_behind_its_prescriptions() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		for who in [
			NURSE,
			HOSPITAL_PHARMACIST,
			HOSPITAL_ADMIN,
			HOSPITAL_DEVICE,
			PHARMACIST,
			PATIENT,
			GUARDIAN,
			STRANGER,
		] {
			for call in [hold, cancel, stop, enter_in_error] {
				assert_noop!(call(who, h(1)), Error::<Test>::NotPhysician);
			}
		}
		// Physicians of other institutions.
		for who in [CLINIC_PHYSICIAN, PHARMACY_PHYSICIAN] {
			for call in [hold, resume, cancel, stop, enter_in_error] {
				assert_noop!(call(who, h(1)), Error::<Test>::NotPrescribingInstitution);
			}
		}
		// A colleague may.
		assert_ok!(hold(PHYSICIAN_2, h(1)));
		// A physician who left, or of a suspended institution, may not.
		assert_ok!(Institutions::remove_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHYSICIAN_2
		));
		assert_noop!(resume(PHYSICIAN_2, h(1)), Error::<Test>::NotPhysician);
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
		assert_noop!(resume(PHYSICIAN, h(1)), Error::<Test>::NotPhysician);
		assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
		assert_ok!(resume(PHYSICIAN, h(1)));
	});
}
