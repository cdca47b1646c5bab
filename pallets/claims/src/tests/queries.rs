//! The runtime API's answers: a claim by hash, the pages of an insurer's queue and of a
//! hospital's open claims (oldest first), a patient's claims (in order), and their JSON.

use super::*;

#[test]
fn a_claim_is_shown_with_everything_the_chain_knows() {
	build_and_execute(|| {
		assert_eq!(Claims::claim(h(1)), None);
		under_review(h(1), 1_000);
		assert_ok!(Claims::adjudicate(signed(INSURER_DEVICE), h(1), 700, 200, response(3)));
		let view = Claims::claim(h(1)).expect("the claim is shown");
		assert_eq!(
			view,
			ClaimView {
				hash: h(1),
				hospital: HOSPITAL,
				device: HOSPITAL_DEVICE,
				insurer: INSURER,
				patient: PATIENT,
				category: Category::Laboratory,
				amount: 1_000,
				claim_use: ClaimUse::Claim,
				preauthorization: None,
				status: ClaimStatus::Adjudicated { outcome: Outcome::Partial },
				submitted_at: 1,
				deadline: 21,
				payer: Some(INSURER_DEVICE),
				held: 300,
				approved: 700,
				patient_share: 200,
				response_hash: Some(response(3)),
				disclosure: 0,
				appeal_until: Some(11),
			}
		);
	});
}

#[test]
fn the_insurers_queue_is_paged_oldest_first() {
	build_and_execute(|| {
		// Submitted at blocks 1, 1, 2, 3 (hashes out of order).
		assert_ok!(submit(h(9), 100));
		assert_ok!(submit(h(3), 100));
		run_to(2);
		assert_ok!(submit(h(1), 100));
		run_to(3);
		assert_ok!(submit(h(5), 100));
		let hashes =
			|page: &ClaimsPageOf<Test>| page.claims.iter().map(|c| c.hash).collect::<Vec<_>>();
		let first = Claims::insurer_queue(INSURER, 0);
		assert_eq!((first.total, first.page, first.page_size), (4, 0, 2));
		// Block 1 first (ties by hash), then blocks 2 and 3.
		assert_eq!(hashes(&first), vec![h(3), h(9)]);
		assert_eq!(hashes(&Claims::insurer_queue(INSURER, 1)), vec![h(1), h(5)]);
		assert!(Claims::insurer_queue(INSURER, 2).claims.is_empty());
		assert_eq!(Claims::insurer_queue(OTHER_INSURER, 0).total, 0);
		// Under review stays queued; a decision leaves the queue but not the hospital's list.
		assert_ok!(accept(INSURER_DEVICE, h(3)));
		assert_ok!(reject(INSURER_DEVICE, h(9)));
		assert_eq!(hashes(&Claims::insurer_queue(INSURER, 0)), vec![h(3), h(1)]);
		assert_eq!(Claims::insurer_queue(INSURER, 0).total, 3);
		let open = Claims::hospital_claims(HOSPITAL, 0);
		assert_eq!((open.total, hashes(&open)), (4, vec![h(3), h(9)]));
		assert_ok!(cancel(HOSPITAL_DEVICE, h(3)));
		assert_eq!(hashes(&Claims::hospital_claims(HOSPITAL, 0)), vec![h(9), h(1)]);
		assert_eq!(Claims::hospital_claims(CLINIC, 0).total, 0);
	});
}

#[test]
fn a_patients_claims_are_listed_in_order_history_included() {
	build_and_execute(|| {
		assert_ok!(submit(h(9), 100));
		assert_ok!(submit(h(2), 100));
		assert_ok!(submit(h(4), 100));
		assert_ok!(cancel(HOSPITAL_DEVICE, h(2)));
		let page = Claims::claims_of(&PATIENT, 0);
		assert_eq!((page.total, page.page_size), (3, 2));
		assert_eq!(page.claims.iter().map(|c| c.hash).collect::<Vec<_>>(), vec![h(9), h(2)]);
		assert_eq!(page.claims[1].status, ClaimStatus::Cancelled);
		let second = Claims::claims_of(&PATIENT, 1);
		assert_eq!(second.claims.iter().map(|c| c.hash).collect::<Vec<_>>(), vec![h(4)]);
		assert!(Claims::claims_of(&PATIENT, 7).claims.is_empty());
		assert_eq!(Claims::claims_of(&PATIENT_2, 0).total, 0);
	});
}

#[test]
fn views_are_camel_case_json_with_amounts_as_strings() {
	build_and_execute(|| {
		under_review(h(1), 1_000);
		assert_ok!(reject(INSURER_DEVICE, h(1)));
		assert_ok!(appeal(HOSPITAL_DEVICE, h(1)));
		assert_ok!(settle(h(1), 250));
		let json = serde_json::to_value(Claims::claim(h(1)).unwrap()).unwrap();
		assert_eq!(json["amount"], "1000");
		assert_eq!(json["held"], "0");
		assert_eq!(json["patientShare"], "0");
		assert_eq!(json["claimUse"], "claim");
		assert_eq!(json["status"], serde_json::json!({ "settled": { "award": "250" } }));
		assert_eq!(json["category"], "Laboratory");
		assert_eq!(json["payer"], INSURER_DEVICE);
		assert_eq!(json["appealUntil"], serde_json::Value::Null);
		let back: ClaimViewOf<Test> = serde_json::from_value(json).unwrap();
		assert_eq!(back, Claims::claim(h(1)).unwrap());
		let page = serde_json::to_value(Claims::claims_of(&PATIENT, 0)).unwrap();
		assert_eq!(page["pageSize"], 2);
		assert_eq!(page["claims"][0]["hash"], format!("0x{}", "01".repeat(32)));
		let rejected: ClaimStatus<u64> =
			ClaimStatus::Rejected { reason: RejectionReason::NoAuthorization };
		assert_eq!(
			serde_json::to_value(rejected).unwrap(),
			serde_json::json!({ "rejected": { "reason": "noAuthorization" } })
		);
	});
}
