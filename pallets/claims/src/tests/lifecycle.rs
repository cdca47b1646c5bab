//! The life cycles: a partial decision appealed and settled by the council, a full approval, a
//! rejection that becomes final, a cancellation, an escalation at the deadline, and a
//! preauthorization followed by a claim that names it; the release in the patient's
//! disclosure log.

use super::*;
use pallet_consent::{Basis, Purpose};

#[test]
fn partial_decision_appeal_and_council_settlement() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(submit(h(1), 1_000));
		System::assert_last_event(
			Event::ClaimSubmitted {
				claim: h(1),
				hospital: HOSPITAL,
				insurer: INSURER,
				patient: PATIENT,
				claim_use: ClaimUse::Claim,
				amount: 1_000,
				deadline: 21,
				disclosure: 0,
			}
			.into(),
		);
		assert_eq!(status(h(1)), ClaimStatus::Submitted);
		assert_eq!(claim(h(1)).device, HOSPITAL_DEVICE);
		assert_eq!(held(INSURER_DEVICE), 0);

		run_to(2);
		assert_ok!(accept(INSURER_DEVICE, h(1)));
		System::assert_last_event(
			Event::ClaimAccepted { claim: h(1), payer: INSURER_DEVICE, held: 1_000 }.into(),
		);
		assert_eq!(status(h(1)), ClaimStatus::UnderReview);
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (1_000, INSURER_FUNDS - 1_000));
		check_invariants();

		run_to(3);
		assert_ok!(Claims::adjudicate(signed(INSURER_DEVICE), h(1), 600, 100, response(2)));
		System::assert_last_event(
			Event::ClaimAdjudicated {
				claim: h(1),
				outcome: Outcome::Partial,
				approved: 600,
				patient_share: 100,
				paid: 600,
				response_hash: response(2),
				appeal_until: Some(13),
			}
			.into(),
		);
		let c = claim(h(1));
		assert_eq!(c.status, ClaimStatus::Adjudicated { outcome: Outcome::Partial });
		assert_eq!((c.approved, c.patient_share, c.held), (600, 100, 400));
		assert_eq!((c.response_hash, c.appeal_until), (Some(response(2)), Some(13)));
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 600);
		// The unpaid rest stays held during the appeal window.
		assert_eq!(held(INSURER_DEVICE), 400);
		check_invariants();

		run_to(5);
		assert_ok!(appeal(HOSPITAL_DEVICE_2, h(1)));
		System::assert_last_event(Event::ClaimAppealed { claim: h(1) }.into());
		assert_eq!(status(h(1)), ClaimStatus::Appealed);
		// The appeal window's end changes nothing now: the funds wait for the council.
		run_to(30);
		assert_eq!((status(h(1)), held(INSURER_DEVICE)), (ClaimStatus::Appealed, 400));
		check_invariants();

		assert_ok!(settle(h(1), 300));
		System::assert_last_event(
			Event::ClaimSettled { claim: h(1), award: 300, released: 100 }.into(),
		);
		assert_eq!(status(h(1)), ClaimStatus::Settled { award: 300 });
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 900);
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (0, INSURER_FUNDS - 900));
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 0);
		assert_eq!(Claims::claims_of(&PATIENT, 0).total, 1);
	});
}

#[test]
fn a_full_approval_pays_the_whole_claim_and_closes_it() {
	build_and_execute(|| {
		under_review(h(1), 800);
		assert_ok!(adjudicate(INSURER_DEVICE, h(1), 800, 0));
		System::assert_last_event(
			Event::ClaimAdjudicated {
				claim: h(1),
				outcome: Outcome::Complete,
				approved: 800,
				patient_share: 0,
				paid: 800,
				response_hash: response(1),
				appeal_until: None,
			}
			.into(),
		);
		assert_eq!(status(h(1)), ClaimStatus::Adjudicated { outcome: Outcome::Complete });
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 800);
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (0, INSURER_FUNDS - 800));
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 0);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 0);
		// Nothing to appeal, no timer left to run.
		assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAppealable);
		run_to(40);
		assert_eq!(status(h(1)), ClaimStatus::Adjudicated { outcome: Outcome::Complete });
	});
}

#[test]
fn a_rejection_keeps_the_hold_until_the_appeal_window_closes() {
	build_and_execute(|| {
		under_review(h(1), 500);
		run_to(2);
		assert_ok!(Claims::reject(signed(INSURER_DEVICE), h(1), RejectionReason::PolicyInactive));
		System::assert_last_event(
			Event::ClaimRejected {
				claim: h(1),
				reason: RejectionReason::PolicyInactive,
				held: 500,
				appeal_until: 12,
			}
			.into(),
		);
		assert_eq!(status(h(1)), ClaimStatus::Rejected { reason: RejectionReason::PolicyInactive });
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 0);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 1);
		run_to(11);
		assert_eq!(held(INSURER_DEVICE), 500);
		check_invariants();

		// Not appealed: at the end of the window the decision is final and the hold released.
		run_to(12);
		System::assert_last_event(Event::ClaimClosed { claim: h(1), released: 500 }.into());
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (0, INSURER_FUNDS));
		assert_eq!(claim(h(1)).appeal_until, None);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 0);
		assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::AppealWindowClosed);
		// The hash stays taken.
		assert_noop!(submit(h(1), 500), Error::<Test>::AlreadySubmitted);
	});
}

#[test]
fn a_claim_rejected_before_acceptance_holds_nothing_and_may_be_appealed() {
	build_and_execute(|| {
		assert_ok!(submit(h(1), 500));
		assert_ok!(reject(INSURER_DEVICE, h(1)));
		System::assert_last_event(
			Event::ClaimRejected {
				claim: h(1),
				reason: RejectionReason::NotCovered,
				held: 0,
				appeal_until: 11,
			}
			.into(),
		);
		assert_eq!(held(INSURER_DEVICE), 0);
		assert_ok!(appeal(HOSPITAL_DEVICE, h(1)));
		// Nothing is held: the council can only record a decision without payment.
		assert_noop!(settle(h(1), 1), Error::<Test>::AwardAboveHeld);
		assert_ok!(settle(h(1), 0));
		System::assert_last_event(
			Event::ClaimSettled { claim: h(1), award: 0, released: 0 }.into(),
		);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS);
	});
}

#[test]
fn cancelling_releases_the_hold() {
	build_and_execute(|| {
		assert_ok!(submit(h(1), 300));
		under_review(h(2), 700);
		assert_ok!(cancel(HOSPITAL_DEVICE, h(1)));
		System::assert_last_event(Event::ClaimCancelled { claim: h(1), released: 0 }.into());
		assert_ok!(cancel(HOSPITAL_DEVICE_2, h(2)));
		System::assert_last_event(Event::ClaimCancelled { claim: h(2), released: 700 }.into());
		for hash in [h(1), h(2)] {
			assert_eq!(status(hash), ClaimStatus::Cancelled);
			assert_eq!(claim(hash).held, 0);
		}
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (0, INSURER_FUNDS));
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 0);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 0);
		// The deadline timers find the claims cancelled and do nothing.
		System::reset_events();
		run_to(25);
		assert!(System::events().is_empty());
		assert_eq!(status(h(2)), ClaimStatus::Cancelled);
		// The patient's history keeps them.
		assert_eq!(Claims::claims_of(&PATIENT, 0).total, 2);
	});
}

#[test]
fn an_overdue_claim_is_escalated_and_settled_by_the_council() {
	build_and_execute(|| {
		under_review(h(1), 1_000);
		run_to(20);
		assert_eq!(status(h(1)), ClaimStatus::UnderReview);
		run_to(21);
		System::assert_last_event(Event::ClaimEscalated { claim: h(1), held: 1_000 }.into());
		assert_eq!(status(h(1)), ClaimStatus::Escalated);
		assert_eq!(held(INSURER_DEVICE), 1_000);
		// Out of the insurer's hands, still open at the hospital.
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 0);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 1);
		assert_noop!(adjudicate(INSURER_DEVICE, h(1), 1_000, 0), Error::<Test>::NotUnderReview);
		assert_noop!(reject(INSURER_DEVICE, h(1)), Error::<Test>::NotAwaitingInsurer);
		assert_noop!(cancel(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAwaitingInsurer);
		assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAppealable);
		check_invariants();

		assert_ok!(settle(h(1), 1_000));
		System::assert_last_event(
			Event::ClaimSettled { claim: h(1), award: 1_000, released: 0 }.into(),
		);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 1_000);
		assert_eq!((held(INSURER_DEVICE), free(INSURER_DEVICE)), (0, INSURER_FUNDS - 1_000));
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 0);
		assert_noop!(settle(h(1), 0), Error::<Test>::NotBeforeCouncil);
	});
}

#[test]
fn a_claim_never_accepted_escalates_with_nothing_held() {
	build_and_execute(|| {
		assert_ok!(submit(h(1), 1_000));
		run_to(21);
		assert_eq!(status(h(1)), ClaimStatus::Escalated);
		assert_eq!(claim(h(1)).payer, None);
		assert_noop!(accept(INSURER_DEVICE, h(1)), Error::<Test>::NotSubmitted);
		assert_noop!(settle(h(1), 1), Error::<Test>::AwardAboveHeld);
		assert_ok!(settle(h(1), 0));
		assert_eq!(status(h(1)), ClaimStatus::Settled { award: 0 });
	});
}

#[test]
fn a_preauthorization_then_a_claim_that_names_it() {
	build_and_execute(|| {
		assert_ok!(preauthorize(h(1), 5_000));
		// Not approved yet.
		assert_noop!(
			submit_with(
				HOSPITAL_DEVICE,
				h(2),
				INSURER,
				PATIENT,
				Category::Imaging,
				4_000,
				ClaimUse::Claim,
				Some(h(1))
			),
			Error::<Test>::PreauthorizationNotApproved
		);
		// A preauthorization holds and pays nothing, even on a poor device.
		assert_ok!(accept(POOR_INSURER_DEVICE, h(1)));
		System::assert_last_event(
			Event::ClaimAccepted { claim: h(1), payer: POOR_INSURER_DEVICE, held: 0 }.into(),
		);
		assert_eq!(free(POOR_INSURER_DEVICE), POOR_FUNDS);
		assert_ok!(adjudicate(POOR_INSURER_DEVICE, h(1), 4_000, 500));
		System::assert_last_event(
			Event::ClaimAdjudicated {
				claim: h(1),
				outcome: Outcome::Partial,
				approved: 4_000,
				patient_share: 500,
				paid: 0,
				response_hash: response(1),
				appeal_until: Some(11),
			}
			.into(),
		);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS);
		assert_eq!(Claims::authorized_amount(&claim(h(1))), 4_000);
		check_invariants();

		assert_ok!(submit_with(
			HOSPITAL_DEVICE,
			h(2),
			INSURER,
			PATIENT,
			Category::Imaging,
			4_000,
			ClaimUse::Claim,
			Some(h(1))
		));
		assert_eq!(claim(h(2)).preauthorization, Some(h(1)));
		under_review_of(h(2));
		assert_ok!(adjudicate(INSURER_DEVICE, h(2), 4_000, 0));
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 4_000);
		// A course of treatment: the preauthorization may be named again.
		assert_ok!(submit_with(
			HOSPITAL_DEVICE,
			h(3),
			INSURER,
			PATIENT,
			Category::Imaging,
			100,
			ClaimUse::Claim,
			Some(h(1))
		));
		// Its appeal window closes with nothing to release.
		run_to(11);
		System::assert_has_event(Event::ClaimClosed { claim: h(1), released: 0 }.into());
		assert_eq!(Claims::authorized_amount(&claim(h(1))), 4_000);
	});
}

/// Accepts `hash` by the insurer's funded device.
fn under_review_of(hash: H256) {
	assert_ok!(accept(INSURER_DEVICE, hash));
}

#[test]
fn a_preauthorization_settled_by_the_council_authorizes_claims() {
	build_and_execute(|| {
		assert_ok!(preauthorize(h(1), 2_000));
		assert_ok!(accept(INSURER_DEVICE, h(1)));
		assert_ok!(reject(INSURER_DEVICE, h(1)));
		assert_eq!(Claims::authorized_amount(&claim(h(1))), 0);
		assert_ok!(appeal(HOSPITAL_DEVICE, h(1)));
		// The award of a preauthorization is the amount authorized, at most the amount asked.
		assert_noop!(settle(h(1), 2_001), Error::<Test>::AwardAboveHeld);
		assert_ok!(settle(h(1), 1_500));
		System::assert_last_event(
			Event::ClaimSettled { claim: h(1), award: 1_500, released: 0 }.into(),
		);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS);
		assert_eq!(Claims::authorized_amount(&claim(h(1))), 1_500);
		assert_ok!(submit_with(
			HOSPITAL_DEVICE,
			h(2),
			INSURER,
			PATIENT,
			Category::Imaging,
			1_500,
			ClaimUse::Claim,
			Some(h(1))
		));
		// Settled with nothing authorized: no approval.
		assert_ok!(preauthorize(h(3), 2_000));
		run_to(claim(h(3)).deadline);
		assert_eq!(status(h(3)), ClaimStatus::Escalated);
		assert_ok!(settle(h(3), 0));
		assert_noop!(
			submit_with(
				HOSPITAL_DEVICE,
				h(4),
				INSURER,
				PATIENT,
				Category::Imaging,
				100,
				ClaimUse::Claim,
				Some(h(3))
			),
			Error::<Test>::PreauthorizationNotApproved
		);
	});
}

#[test]
fn the_release_is_logged_in_the_patients_disclosure_log() {
	build_and_execute(|| {
		assert_ok!(submit(h(1), 100));
		assert_ok!(submit_with(
			HOSPITAL_DEVICE,
			h(2),
			INSURER,
			PATIENT,
			Category::MentalHealth,
			200,
			ClaimUse::Claim,
			None
		));
		System::assert_has_event(
			pallet_consent::Event::ReleaseLogged {
				patient: PATIENT,
				custodian: HOSPITAL,
				recipient: INSURER,
				index: 1,
				basis: Basis::Consent(0),
			}
			.into(),
		);
		let log = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!(log.entries.len(), 2);
		// Newest first.
		for ((index, entry), (hash, category)) in
			log.entries.iter().zip([(h(2), Category::MentalHealth), (h(1), Category::Laboratory)])
		{
			assert_eq!(claim(hash).disclosure, *index);
			assert_eq!(entry.custodian, Some(HOSPITAL));
			assert_eq!(entry.recipient, INSURER);
			assert_eq!(entry.purpose, Purpose::Payment);
			assert_eq!(entry.category, category);
			assert_eq!(entry.record_id, hash.as_bytes().to_vec());
			assert_eq!(entry.basis, Basis::Consent(0));
		}
		// Another patient's log is untouched.
		assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT_2, 0).entries.is_empty());
		// The clinic's own patient, through the clinic's consent (consent 2).
		assert_ok!(submit_with(
			CLINIC_DEVICE,
			h(3),
			INSURER,
			CLINIC_PATIENT,
			Category::Discharge,
			50,
			ClaimUse::Claim,
			None
		));
		let log = pallet_consent::Pallet::<Test>::disclosures(&CLINIC_PATIENT, 0);
		assert_eq!(log.entries[0].1.custodian, Some(CLINIC));
		assert_eq!(log.entries[0].1.basis, Basis::Consent(2));
	});
}
