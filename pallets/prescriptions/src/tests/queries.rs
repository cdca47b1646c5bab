//! Questions for anyone: a prescription with its computed status (`expired` without a
//! transaction), its claim's lock and its fills; a pharmacy's queue and a patient's list by
//! page; the JSON the RPC serves (FHIR codes, camelCase fields, hashes in hex).

use super::*;

#[test]
fn the_status_follows_the_blocks_without_a_transaction() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), None, 2, Some(10)));
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(2), None, 1, Some(10)));
		assert_ok!(hold(PHYSICIAN, h(2)));
		run_to(10);
		assert_eq!(status(h(1)), CurrentStatus::Active);
		assert_eq!(status(h(2)), CurrentStatus::OnHold);
		run_to(11);
		assert_eq!(status(h(1)), CurrentStatus::Expired);
		assert_eq!(status(h(2)), CurrentStatus::Expired);
		let v = Prescriptions::prescription(h(1)).unwrap();
		assert_eq!((v.checked_at, v.stored_status), (11, S::Active));
		// A final status is shown as it is, whatever the block.
		assert_ok!(cancel(PHYSICIAN, h(1)));
		assert_eq!(status(h(1)), CurrentStatus::Cancelled);
	});
}

#[test]
fn a_prescription_shows_its_claim_and_its_fills() {
	build_and_execute(|| {
		assert!(Prescriptions::prescription(h(1)).is_none());
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 3, None));
		fill(h(1), 0xd0);
		run_to(3);
		assert_ok!(claim(PHARMACIST_2, h(1)));
		let v = Prescriptions::prescription(h(1)).unwrap();
		assert_eq!(
			(v.status, v.patient, v.prescriber),
			(CurrentStatus::Active, PATIENT, PHYSICIAN)
		);
		assert_eq!((v.institution, v.pharmacy, v.substitution), (HOSPITAL, Some(PHARMACY), true));
		assert_eq!((v.fills, v.dispensed, v.remaining), (3, 1, 2));
		assert_eq!((v.issued_at, v.valid_until), (1, 31));
		let c = v.claim.unwrap();
		assert_eq!(
			(c.pharmacy, c.pharmacist, c.at, c.locked_until, c.live),
			(PHARMACY, PHARMACIST_2, 3, 8, true)
		);
		assert_eq!(v.dispenses.len(), 1);
		let d = &v.dispenses[0];
		assert_eq!((d.fill, d.pharmacist, d.dispense_hash, d.at), (0, PHARMACIST, h(0xd0), 1));
		// After the lock times out the claim is shown, not live.
		run_to(9);
		assert!(!Prescriptions::prescription(h(1)).unwrap().claim.unwrap().live);
	});
}

#[test]
fn a_pharmacys_queue_is_listed_by_page() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 1, None));
		assert_ok!(issue_with(PHYSICIAN, PATIENT_2, h(2), Some(PHARMACY), 2, None));
		assert_ok!(issue(PHYSICIAN, PATIENT, h(3)));
		assert_ok!(claim(PHARMACIST, h(3)));
		assert_ok!(issue(PHYSICIAN, PATIENT, h(4)));
		let page0 = Prescriptions::queue(PHARMACY, 0);
		assert_eq!((page0.pharmacy, page0.total, page0.page, page0.page_size), (PHARMACY, 3, 0, 2));
		assert_eq!(page0.checked_at, 1);
		let page1 = Prescriptions::queue(PHARMACY, 1);
		assert_eq!(page1.prescriptions.len(), 1);
		let mut all: Vec<_> = page0.prescriptions.into_iter().chain(page1.prescriptions).collect();
		all.sort_by_key(|e| e.hash);
		let shown: Vec<_> = all
			.iter()
			.map(|e| (e.hash, e.designated, e.claim.as_ref().map(|c| c.pharmacy), e.fills))
			.collect();
		assert_eq!(
			shown,
			vec![(h(1), true, None, 1), (h(2), true, None, 2), (h(3), false, Some(PHARMACY), 1)]
		);
		assert!(all.iter().all(|e| e.status == CurrentStatus::Active && e.institution == HOSPITAL));
		assert!(Prescriptions::queue(PHARMACY, 2).prescriptions.is_empty());
		assert!(Prescriptions::queue(PHARMACY, u32::MAX).prescriptions.is_empty());
		assert_eq!(Prescriptions::queue(PHARMACY_B, 0).total, 0);
	});
}

#[test]
fn a_patients_prescriptions_are_listed_by_page() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
		assert_ok!(issue(PHYSICIAN, PATIENT_2, h(2)));
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(3), Some(PHARMACY), 2, Some(50)));
		assert_ok!(issue(PHYSICIAN_2, PATIENT, h(4)));
		assert_ok!(cancel(PHYSICIAN, h(1)));
		let page0 = Prescriptions::prescriptions_of(&PATIENT, 0);
		assert_eq!((page0.total, page0.page, page0.page_size), (3, 0, 2));
		let first: Vec<_> = page0.prescriptions.iter().map(|p| (p.hash, p.status)).collect();
		assert_eq!(first, vec![(h(1), CurrentStatus::Cancelled), (h(3), CurrentStatus::Active)]);
		let p = &page0.prescriptions[1];
		assert_eq!(
			(p.institution, p.pharmacy, p.fills, p.dispensed),
			(HOSPITAL, Some(PHARMACY), 2, 0)
		);
		assert_eq!((p.issued_at, p.valid_until), (1, 50));
		let page1 = Prescriptions::prescriptions_of(&PATIENT, 1);
		assert_eq!(page1.prescriptions.len(), 1);
		assert_eq!(page1.prescriptions[0].hash, h(4));
		assert!(Prescriptions::prescriptions_of(&PATIENT, 2).prescriptions.is_empty());
		assert!(Prescriptions::prescriptions_of(&PATIENT, u32::MAX).prescriptions.is_empty());
		assert_eq!(Prescriptions::prescriptions_of(&STRANGER, 0).total, 0);
	});
}

#[test]
fn the_json_uses_fhir_codes_camel_case_and_hex() {
	build_and_execute(|| {
		assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 2, None));
		assert_ok!(hold(PHYSICIAN, h(1)));
		let json = serde_json::to_value(Prescriptions::prescription(h(1)).unwrap()).unwrap();
		assert_eq!(json["status"], "on-hold");
		assert_eq!(json["storedStatus"], "on-hold");
		assert_eq!(json["validUntil"], 31);
		assert_eq!(json["checkedAt"], 1);
		assert_eq!(json["pharmacy"], PHARMACY);
		assert!(json["claim"].is_null());
		let queue = serde_json::to_value(Prescriptions::queue(PHARMACY, 0)).unwrap();
		assert_eq!(queue["prescriptions"][0]["hash"], format!("0x{}", "01".repeat(32)));
		assert_eq!(queue["pageSize"], 2);
		for (status, code) in [
			(CurrentStatus::Active, "active"),
			(CurrentStatus::OnHold, "on-hold"),
			(CurrentStatus::Expired, "expired"),
			(CurrentStatus::Cancelled, "cancelled"),
			(CurrentStatus::Stopped, "stopped"),
			(CurrentStatus::EnteredInError, "entered-in-error"),
			(CurrentStatus::Completed, "completed"),
		] {
			assert_eq!(serde_json::to_value(status).unwrap(), code);
		}
		assert_eq!(serde_json::to_value(S::EnteredInError).unwrap(), "entered-in-error");
	});
}
