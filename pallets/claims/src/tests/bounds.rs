//! The bounds: an insurer's queue (4 in the mock), a hospital's open claims (5), a patient's
//! claims (6, history included), the timers of a block (2, then the next block with room, up to
//! `TIMER_SEARCH_BLOCKS` blocks on).

use super::*;
use crate::TIMER_SEARCH_BLOCKS;
use frame_support::BoundedVec;

/// Submits a laboratory claim of 100 for `patient` to `insurer`.
fn submit_for(hash: H256, insurer: u32, patient: u64) -> DispatchResult {
	submit_with(
		HOSPITAL_DEVICE,
		hash,
		insurer,
		patient,
		Category::Laboratory,
		100,
		ClaimUse::Claim,
		None,
	)
}

#[test]
fn an_insurers_queue_is_bounded() {
	build_and_execute(|| {
		for i in 1..=4 {
			assert_ok!(submit_for(h(i), INSURER, if i % 2 == 0 { PATIENT } else { PATIENT_2 }));
		}
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 4);
		assert_noop!(submit_for(h(5), INSURER, PATIENT), Error::<Test>::InsurerQueueFull);
		// Acceptance keeps a claim in the queue; a decision takes it out.
		assert_ok!(accept(INSURER_DEVICE, h(1)));
		assert_noop!(submit_for(h(5), INSURER, PATIENT), Error::<Test>::InsurerQueueFull);
		assert_ok!(adjudicate(INSURER_DEVICE, h(1), 50, 0));
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 3);
		assert_ok!(submit_for(h(5), INSURER, PATIENT));
		// Another insurer has its own queue.
		consent(
			PATIENT,
			OTHER_INSURER,
			&[Category::Laboratory],
			&[pallet_consent::Purpose::Payment],
		);
		assert_noop!(submit_for(h(6), INSURER, PATIENT), Error::<Test>::InsurerQueueFull);
		assert_noop!(submit_for(h(6), OTHER_INSURER, PATIENT), Error::<Test>::HospitalClaimsFull);
	});
}

#[test]
fn a_hospitals_open_claims_are_bounded() {
	build_and_execute(|| {
		for i in 1..=4 {
			assert_ok!(submit_for(h(i), INSURER, if i % 2 == 0 { PATIENT } else { PATIENT_2 }));
		}
		// A rejection leaves the insurer's queue but stays open while appealable.
		assert_ok!(reject(INSURER_DEVICE, h(1)));
		assert_ok!(submit_for(h(5), INSURER, PATIENT));
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 5);
		assert_eq!(InsurerQueueLen::<Test>::get(INSURER), 4);
		assert_ok!(reject(INSURER_DEVICE, h(2)));
		assert_noop!(submit_for(h(6), INSURER, PATIENT), Error::<Test>::HospitalClaimsFull);
		// The clinic has its own.
		assert_ok!(submit_with(
			CLINIC_DEVICE,
			h(6),
			INSURER,
			CLINIC_PATIENT,
			Category::Laboratory,
			100,
			ClaimUse::Claim,
			None
		));
		// Closing a claim (its appeal window ends) frees a place.
		run_to(11);
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 3);
		assert_ok!(cancel(CLINIC_DEVICE, h(6)));
		assert_ok!(submit_for(h(7), INSURER, PATIENT));
		assert_eq!(HospitalClaimCount::<Test>::get(HOSPITAL), 4);
	});
}

#[test]
fn a_patients_claims_are_bounded_history_included() {
	build_and_execute(|| {
		for i in 1..=4 {
			assert_ok!(submit_for(h(i), INSURER, PATIENT));
		}
		for i in 1..=4 {
			assert_ok!(cancel(HOSPITAL_DEVICE, h(i)));
		}
		assert_ok!(submit_for(h(5), INSURER, PATIENT));
		assert_ok!(submit_for(h(6), INSURER, PATIENT));
		assert_eq!(PatientClaimCount::<Test>::get(PATIENT), 6);
		assert_noop!(submit_for(h(7), INSURER, PATIENT), Error::<Test>::TooManyClaimsForPatient);
		// Another patient of the hospital is not limited by it.
		assert_ok!(submit_for(h(7), INSURER, PATIENT_2));
	});
}

#[test]
fn a_full_block_of_timers_moves_the_deadline_to_the_next_with_room() {
	build_and_execute(|| {
		for i in 1..=3 {
			assert_ok!(submit(h(i), 100));
		}
		assert_eq!(Timers::<Test>::get(21).len(), 2);
		assert_eq!(claim(h(3)).deadline, 22);
		System::assert_last_event(
			Event::ClaimSubmitted {
				claim: h(3),
				hospital: HOSPITAL,
				insurer: INSURER,
				patient: PATIENT,
				claim_use: ClaimUse::Claim,
				amount: 100,
				deadline: 22,
				disclosure: 2,
			}
			.into(),
		);
		run_to(21);
		assert_eq!((status(h(1)), status(h(2))), (ClaimStatus::Escalated, ClaimStatus::Escalated));
		assert_eq!(status(h(3)), ClaimStatus::Submitted);
		assert_ok!(accept(INSURER_DEVICE, h(3)));
		run_to(22);
		assert_eq!(status(h(3)), ClaimStatus::Escalated);
		assert!(!Timers::<Test>::contains_key(21) && !Timers::<Test>::contains_key(22));
	});
}

#[test]
fn timers_full_refuses_and_changes_nothing() {
	build_and_execute(|| {
		assert_ok!(submit(h(1), 100));
		// Every block the search looks at is full (of stale timers of claim 1).
		let full: BoundedVec<_, MaxTimers> =
			BoundedVec::truncate_from(vec![(h(1), TimerKind::AppealWindow); 2]);
		for block in 21..21 + u64::from(TIMER_SEARCH_BLOCKS) {
			if block != 21 {
				Timers::<Test>::insert(block, full.clone());
			}
		}
		Timers::<Test>::mutate(21, |list| {
			let _ = list.try_push((h(1), TimerKind::AppealWindow));
		});
		assert_noop!(submit(h(2), 100), Error::<Test>::TimersFull);
		assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.len() == 1);
		// Decisions need a timer for their appeal window too (the window ends at block 11).
		for block in 11..11 + u64::from(TIMER_SEARCH_BLOCKS) {
			if !(21..37).contains(&block) {
				Timers::<Test>::insert(block, full.clone());
			}
		}
		assert_noop!(reject(INSURER_DEVICE, h(1)), Error::<Test>::TimersFull);
		assert_ok!(accept(INSURER_DEVICE, h(1)));
		assert_noop!(adjudicate(INSURER_DEVICE, h(1), 50, 0), Error::<Test>::TimersFull);
		// A complete decision needs none.
		assert_ok!(adjudicate(INSURER_DEVICE, h(1), 100, 0));
		// One block beyond the search has room: still too far.
		assert!(!Timers::<Test>::contains_key(37));
		// The stale timers do nothing when they fire.
		run_to(40);
		assert_eq!(status(h(1)), ClaimStatus::Adjudicated { outcome: Outcome::Complete });
	});
}

#[test]
fn on_initialize_weighs_the_timers_it_handles() {
	use crate::weights::WeightInfo;
	build_and_execute(|| {
		assert_ok!(submit(h(1), 100));
		assert_ok!(submit(h(2), 100));
		System::set_block_number(21);
		assert_eq!(Claims::on_initialize(21), <() as WeightInfo>::on_initialize(2));
		assert_eq!(Claims::on_initialize(22), <() as WeightInfo>::on_initialize(0));
	});
}
