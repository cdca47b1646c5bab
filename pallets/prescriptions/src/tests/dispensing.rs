//! Claims, dispenses and releases (rules 9–12 of `dispensing`): the full life cycle of a
//! prescription, the lock a claim holds, every refusal, and the patient's disclosure log.

use super::*;
use pallet_consent::{Basis, DisclosureGate, Purpose};
use pallet_records::Category;

/// The entries of `patient`'s disclosure log, newest first.
fn disclosures(patient: u64) -> Vec<(u32, pallet_consent::DisclosureView<u64>)> {
	pallet_consent::Pallet::<Test>::disclosures(&patient, 0).entries
}

#[test]
fn the_life_cycle_of_a_prescription() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 3, None));
		assert!(queue(PHARMACY).is_empty());

		// First fill: claimed by one pharmacist, dispensed by a colleague of the pharmacy.
		run_to(2);
		assert_ok!(claim(PHARMACIST, h(1)));
		System::assert_last_event(
			Event::PrescriptionClaimed { hash: h(1), pharmacy: PHARMACY, locked_until: 7 }.into(),
		);
		assert_eq!(queue(PHARMACY), vec![h(1)]);
		run_to(3);
		assert_ok!(dispense(PHARMACIST_2, h(1), 0xd0));
		System::assert_last_event(
			Event::Dispensed {
				hash: h(1),
				pharmacy: PHARMACY,
				fill: 0,
				remaining: 2,
				disclosure: 0,
			}
			.into(),
		);
		System::assert_has_event(
			pallet_consent::Event::ReleaseLogged {
				patient: PATIENT,
				custodian: HOSPITAL,
				recipient: PHARMACY,
				index: 0,
				basis: Basis::Prescription,
			}
			.into(),
		);
		let d = crate::Dispenses::<Test>::get(h(1), 0).unwrap();
		assert_eq!((d.pharmacy, d.pharmacist, d.dispense_hash), (PHARMACY, PHARMACIST_2, h(0xd0)));
		assert_eq!((d.at, d.disclosure), (3, 0));
		let e = entry(h(1));
		assert_eq!((e.dispensed, e.claim, e.status), (1, None, S::Active));
		// The claim covered one fill; the pharmacy was not designated: it left the queue.
		assert!(queue(PHARMACY).is_empty());
		assert_noop!(dispense(PHARMACIST, h(1), 0xd1), Error::<Test>::NotClaimed);

		// Second fill at another pharmacy, the patient's choice.
		run_to(10);
		assert_ok!(claim(PHARMACIST_B, h(1)));
		assert_ok!(dispense(PHARMACIST_B, h(1), 0xd1));
		// Third and last fill: completed.
		fill(h(1), 0xd2);
		System::assert_last_event(
			Event::Dispensed {
				hash: h(1),
				pharmacy: PHARMACY,
				fill: 2,
				remaining: 0,
				disclosure: 2,
			}
			.into(),
		);
		assert_eq!((entry(h(1)).status, entry(h(1)).dispensed), (S::Completed, 3));
		assert_eq!(status(h(1)), CurrentStatus::Completed);
		assert!(queue(PHARMACY).is_empty() && queue(PHARMACY_B).is_empty());
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::AllFillsDispensed);
		assert_noop!(dispense(PHARMACIST, h(1), 0xd3), Error::<Test>::AllFillsDispensed);

		// Every dispense is in the patient's disclosure log.
		let log = disclosures(PATIENT);
		assert_eq!(log.len(), 3);
		for ((index, d), (expected, recipient)) in
			log.iter().rev().zip([(0, PHARMACY), (1, PHARMACY_B), (2, PHARMACY)])
		{
			assert_eq!(*index, expected);
			assert_eq!((d.custodian, d.recipient), (Some(HOSPITAL), recipient));
			assert_eq!(d.record_id, h(1).as_bytes().to_vec());
			assert_eq!((d.category, d.purpose), (Category::Prescription, Purpose::Treatment));
			assert_eq!(d.basis, Basis::Prescription);
		}
		let view = Prescriptions::prescription(h(1)).unwrap();
		let fills: Vec<_> =
			view.dispenses.iter().map(|d| (d.fill, d.pharmacy, d.disclosure)).collect();
		assert_eq!(fills, vec![(0, PHARMACY, 0), (1, PHARMACY_B, 1), (2, PHARMACY, 2)]);
	});
}

#[test]
fn only_pharmacists_of_active_pharmacies_dispense() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		for who in [
			HOSPITAL_PHARMACIST,
			PHYSICIAN,
			NURSE,
			PHARMACY_PHYSICIAN,
			PHARMACY_ADMIN,
			PATIENT,
			STRANGER,
		] {
			assert_noop!(claim(who, h(1)), Error::<Test>::NotPharmacist);
			assert_noop!(dispense(who, h(1), 0xd0), Error::<Test>::NotPharmacist);
			assert_noop!(release(who, h(1)), Error::<Test>::NotPharmacist);
			assert_noop!(dismiss(who, h(1)), Error::<Test>::NotPharmacist);
		}
		// A claim of a pharmacy that is then suspended cannot be used.
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), PHARMACY));
		assert_noop!(dispense(PHARMACIST, h(1), 0xd0), Error::<Test>::NotPharmacist);
		assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), PHARMACY));
		assert_ok!(dispense(PHARMACIST, h(1), 0xd0));
	});
}

#[test]
fn what_may_be_claimed() {
	build_and_execute(|| {
		assert_noop!(claim(PHARMACIST, h(9)), Error::<Test>::UnknownPrescription);
		// Directed to another pharmacy.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY_B), 1, None));
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::NotDesignatedPharmacy);
		assert_ok!(claim(PHARMACIST_B, h(1)));
		// On hold, cancelled, expired.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(2)));
		assert_ok!(hold(PHYSICIAN, h(2)));
		assert_noop!(claim(PHARMACIST, h(2)), Error::<Test>::OnHold);
		assert_ok!(cancel(PHYSICIAN, h(2)));
		assert_noop!(claim(PHARMACIST, h(2)), Error::<Test>::NotActive);
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(3), None, 1, Some(10)));
		run_to(10);
		assert_ok!(claim(PHARMACIST, h(3)));
		run_to(11);
		assert_noop!(claim(PHARMACIST, h(3)), Error::<Test>::Expired);
	});
}

#[test]
fn a_claim_locks_out_other_pharmacies_until_it_times_out() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 2, None));
		assert_ok!(claim(PHARMACIST, h(1)));
		// Locked from block 1 to block 6.
		run_to(6);
		assert_noop!(claim(PHARMACIST_B, h(1)), Error::<Test>::ClaimedByAnotherPharmacy);
		assert_noop!(dispense(PHARMACIST_B, h(1), 0xd0), Error::<Test>::ClaimedByAnotherPharmacy);
		assert_noop!(release(PHARMACIST_B, h(1)), Error::<Test>::ClaimedByAnotherPharmacy);
		run_to(7);
		// The lock timed out: the pharmacy can no longer dispense on it, the other cannot
		// release it, but may claim.
		assert_noop!(dispense(PHARMACIST, h(1), 0xd0), Error::<Test>::NotClaimed);
		assert_noop!(release(PHARMACIST_B, h(1)), Error::<Test>::NotClaimed);
		assert_ok!(claim(PHARMACIST_B, h(1)));
		let c = entry(h(1)).claim.unwrap();
		assert_eq!((c.pharmacy, c.pharmacist, c.at), (PHARMACY_B, PHARMACIST_B, 7));
		// The replaced claim's pharmacy left the queue.
		assert!(queue(PHARMACY).is_empty());
		assert_eq!(queue(PHARMACY_B), vec![h(1)]);
		assert_noop!(claim(PHARMACIST, h(1)), Error::<Test>::ClaimedByAnotherPharmacy);
		assert_ok!(dispense(PHARMACIST_B, h(1), 0xd0));
	});
}

#[test]
fn claiming_again_refreshes_the_lock() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_ok!(claim(PHARMACIST, h(1)));
		run_to(4);
		assert_ok!(claim(PHARMACIST_2, h(1)));
		let c = entry(h(1)).claim.unwrap();
		assert_eq!((c.pharmacy, c.pharmacist, c.at), (PHARMACY, PHARMACIST_2, 4));
		assert_eq!(queue(PHARMACY), vec![h(1)]);
		run_to(9);
		assert_noop!(claim(PHARMACIST_B, h(1)), Error::<Test>::ClaimedByAnotherPharmacy);
		assert_ok!(dispense(PHARMACIST, h(1), 0xd0));
	});
}

#[test]
fn a_full_queue_refuses_a_claim() {
	build_and_execute(|| {
		MaxPerPatient::set(10);
		for i in 1..=3 {
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(i), Some(PHARMACY), 1, None));
		}
		assert_ok!(issue(PHYSICIAN, PATIENT, h(4)));
		assert_noop!(claim(PHARMACIST, h(4)), Error::<Test>::QueueFull);
		// A prescription already in the queue may be claimed.
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(dispense(PHARMACIST, h(1), 0xd0));
		assert_ok!(claim(PHARMACIST, h(4)));
	});
}

#[test]
fn dispensing_needs_a_live_claim_on_an_active_prescription() {
	build_and_execute(|| {
		MaxPerPatient::set(10);
		assert_noop!(dispense(PHARMACIST, h(9), 0xd0), Error::<Test>::UnknownPrescription);
		// No claim.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 2, None));
		assert_noop!(dispense(PHARMACIST, h(1), 0xd0), Error::<Test>::NotClaimed);
		// Another pharmacy's claim.
		assert_ok!(claim(PHARMACIST_B, h(1)));
		assert_noop!(dispense(PHARMACIST, h(1), 0xd0), Error::<Test>::ClaimedByAnotherPharmacy);
		// On hold (the hold dropped the claim), then cancelled.
		assert_ok!(hold(PHYSICIAN, h(1)));
		assert_noop!(dispense(PHARMACIST_B, h(1), 0xd0), Error::<Test>::OnHold);
		assert_ok!(cancel(PHYSICIAN, h(1)));
		assert_noop!(dispense(PHARMACIST_B, h(1), 0xd0), Error::<Test>::NotActive);
		// Past the period of use, even with a claim made on its last block.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), None, 1, Some(10)));
		run_to(10);
		assert_ok!(claim(PHARMACIST, h(2)));
		run_to(11);
		assert_noop!(dispense(PHARMACIST, h(2), 0xd0), Error::<Test>::Expired);
	});
}

#[test]
fn a_fill_is_dispensed_once() {
	build_and_execute(|| {
		// The only fill: the prescription is completed.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		fill(h(1), 0xd0);
		assert_noop!(dispense(PHARMACIST, h(1), 0xd0), Error::<Test>::AllFillsDispensed);
		// One of several: the next fill needs a new claim.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), None, 2, None));
		fill(h(2), 0xd1);
		assert_noop!(dispense(PHARMACIST, h(2), 0xd1), Error::<Test>::NotClaimed);
		assert_eq!(entry(h(2)).dispensed, 1);
		assert!(!crate::Dispenses::<Test>::contains_key(h(2), 1));
	});
}

#[test]
fn the_last_block_of_use_is_included() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 1, Some(10)));
		run_to(10);
		assert_eq!(status(h(1)), CurrentStatus::Active);
		fill(h(1), 0xd0);
		assert_eq!(status(h(1)), CurrentStatus::Completed);
	});
}

#[test]
fn release_drops_the_pharmacys_claim() {
	build_and_execute(|| {
		assert_noop!(release(PHARMACIST, h(9)), Error::<Test>::UnknownPrescription);
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_noop!(release(PHARMACIST, h(1)), Error::<Test>::NotClaimed);
		assert_ok!(claim(PHARMACIST, h(1)));
		// Any pharmacist of the pharmacy releases.
		assert_ok!(release(PHARMACIST_2, h(1)));
		System::assert_last_event(Event::ClaimReleased { hash: h(1), pharmacy: PHARMACY }.into());
		assert_eq!(entry(h(1)).claim, None);
		assert!(queue(PHARMACY).is_empty());
		assert_noop!(release(PHARMACIST, h(1)), Error::<Test>::NotClaimed);
		// Another pharmacy may claim at once.
		assert_ok!(claim(PHARMACIST_B, h(1)));
		// A timed-out claim may be released by its pharmacy.
		run_to(20);
		assert_ok!(release(PHARMACIST_B, h(1)));
		assert!(queue(PHARMACY_B).is_empty());

		// A designated pharmacy keeps the prescription in its queue.
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), Some(PHARMACY), 1, None));
		assert_ok!(claim(PHARMACIST, h(2)));
		assert_ok!(release(PHARMACIST, h(2)));
		assert_eq!(queue(PHARMACY), vec![h(2)]);
	});
}

#[test]
fn a_full_disclosure_log_refuses_a_dispense() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 2, None));
		// The log is full of entries younger than the retention period.
		for i in 0..MAX_DISCLOSURES {
			assert_eq!(
				<Consent as DisclosureGate<u64>>::log_disclosure(
					&PATIENT,
					HOSPITAL,
					PHARMACY,
					&[i as u8],
					Category::Laboratory,
					Purpose::Treatment,
					Basis::Prescription,
				),
				Ok(i)
			);
		}
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_noop!(
			dispense(PHARMACIST, h(1), 0xd0),
			pallet_consent::Error::<Test>::DisclosureLogFull
		);
		// Nothing was written: the claim holds, no fill is recorded.
		let e = entry(h(1));
		assert_eq!((e.dispensed, e.claim.map(|c| c.pharmacy)), (0, Some(PHARMACY)));
		assert!(!crate::Dispenses::<Test>::contains_key(h(1), 0));
		assert_eq!(disclosures(PATIENT).len(), MAX_DISCLOSURES as usize);

		// Once the oldest entry is past its retention, the dispense prunes it.
		run_to(1 + RETENTION);
		assert_ok!(claim(PHARMACIST, h(1)));
		assert_ok!(dispense(PHARMACIST, h(1), 0xd0));
		assert_eq!(crate::Dispenses::<Test>::get(h(1), 0).unwrap().disclosure, MAX_DISCLOSURES);
		let page = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!((page.log.first, page.log.next), (1, MAX_DISCLOSURES + 1));
		assert_eq!(page.entries[0].1.record_id, h(1).as_bytes().to_vec());
	});
}
