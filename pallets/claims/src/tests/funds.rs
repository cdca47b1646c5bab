//! The money of every party, to the unit: insurer devices, hospital admins, total issuance;
//! the funds held equal the open amounts at each step; the invariant check catches what would
//! break conservation.

use super::*;

/// Free plus held of `who`.
fn total(who: u64) -> u64 {
	free(who) + held(who)
}

/// The sum of `held` over the claims whose payer is `payer`.
fn claims_held_by(payer: u64) -> u64 {
	crate::Claims::<Test>::iter_values().filter(|c| c.payer == Some(payer)).map(|c| c.held).sum()
}

/// Every insurer device's hold equals what its claims say is held.
fn holds_match_claims() {
	for payer in [INSURER_DEVICE, POOR_INSURER_DEVICE, OTHER_INSURER_DEVICE] {
		assert_eq!(held(payer), claims_held_by(payer), "payer {payer}");
	}
}

#[test]
fn payouts_conserve_money_at_every_step() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let parties = [INSURER_DEVICE, POOR_INSURER_DEVICE, HOSPITAL_ADMIN, CLINIC_ADMIN];
		let sum = || parties.iter().map(|p| total(*p)).sum::<u64>();
		let before = sum();
		// Six claims, accepted by two devices, each ending a different way (at most four
		// wait for the insurer at a time).
		for i in 1..=4 {
			under_review(h(i), 1_000 * u64::from(i));
		}
		assert_eq!(held(INSURER_DEVICE), 1_000 + 2_000 + 3_000 + 4_000);
		holds_match_claims();
		assert_ok!(adjudicate(INSURER_DEVICE, h(1), 1_000, 0)); // complete: 1,000 paid
		assert_ok!(adjudicate(INSURER_DEVICE, h(2), 1_500, 300)); // partial: 1,500 paid, 500 held
		assert_ok!(reject(INSURER_DEVICE, h(3))); // 3,000 held until the window closes
		assert_ok!(cancel(HOSPITAL_DEVICE, h(4))); // 4,000 released
		holds_match_claims();
		assert_eq!(held(INSURER_DEVICE), 500 + 3_000);
		assert_eq!(sum(), before);

		assert_ok!(submit(h(5), 50));
		assert_ok!(accept(POOR_INSURER_DEVICE, h(5)));
		assert_ok!(submit_with(
			CLINIC_DEVICE,
			h(6),
			INSURER,
			CLINIC_PATIENT,
			Category::Laboratory,
			700,
			ClaimUse::Claim,
			None
		));
		assert_ok!(accept(INSURER_DEVICE, h(6)));
		assert_eq!(held(POOR_INSURER_DEVICE), 50);
		holds_match_claims();
		assert_ok!(adjudicate(POOR_INSURER_DEVICE, h(5), 20, 0)); // 20 paid, 30 held
		assert_ok!(adjudicate(INSURER_DEVICE, h(6), 690, 10)); // clinic: 690 paid, 10 held
		holds_match_claims();
		assert_eq!(held(INSURER_DEVICE), 500 + 3_000 + 10);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 1_000 + 1_500 + 20);
		assert_eq!(free(CLINIC_ADMIN), 690);
		assert_eq!(sum(), before);

		assert_ok!(appeal(HOSPITAL_DEVICE, h(2)));
		assert_ok!(appeal(CLINIC_DEVICE, h(6)));
		// Claims 3 and 5 close (their windows end at blocks 11 and 12, two timers a block):
		// 3,000 and 30 released.
		assert_eq!((claim(h(3)).appeal_until, claim(h(5)).appeal_until), (Some(11), Some(12)));
		run_to(12);
		holds_match_claims();
		assert_eq!(held(INSURER_DEVICE), 500 + 10);
		assert_eq!(held(POOR_INSURER_DEVICE), 0);
		assert_ok!(settle(h(2), 200)); // 200 paid, 300 released
		assert_ok!(settle(h(6), 10)); // 10 paid
		holds_match_claims();
		assert_eq!(held(INSURER_DEVICE), 0);
		assert_eq!(free(INSURER_DEVICE), INSURER_FUNDS - 1_000 - 1_700 - 700);
		assert_eq!(free(POOR_INSURER_DEVICE), POOR_FUNDS - 20);
		assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 1_000 + 1_700 + 20);
		assert_eq!(free(CLINIC_ADMIN), 700);
		assert_eq!(sum(), before);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn try_state_catches_tampered_holds_and_lists() {
	use frame_support::traits::fungible::MutateHold;
	build_and_execute(|| {
		under_review(h(1), 100);
		let reason = RuntimeHoldReason::Claims(HoldReason::ClaimFunds);
		// Funds held beyond the claims.
		assert_ok!(Balances::hold(&reason, &INSURER_DEVICE, 1));
		assert!(Claims::do_try_state().is_err());
		assert_ok!(Balances::release(
			&reason,
			&INSURER_DEVICE,
			1,
			frame_support::traits::tokens::Precision::Exact
		));
		check_invariants();
		// A claim that says it holds less than it does.
		crate::Claims::<Test>::mutate(h(1), |c| c.as_mut().unwrap().held = 99);
		assert!(Claims::do_try_state().is_err());
		crate::Claims::<Test>::mutate(h(1), |c| c.as_mut().unwrap().held = 100);
		// A queue length that does not match.
		InsurerQueueLen::<Test>::insert(INSURER, 2);
		assert!(Claims::do_try_state().is_err());
		InsurerQueueLen::<Test>::insert(INSURER, 1);
		// A patient list with a gap.
		PatientClaimCount::<Test>::insert(PATIENT, 2);
		assert!(Claims::do_try_state().is_err());
		PatientClaimCount::<Test>::insert(PATIENT, 1);
		// A claim waiting without its deadline timer.
		let timers = Timers::<Test>::take(21);
		assert!(Claims::do_try_state().is_err());
		Timers::<Test>::insert(21, timers);
		check_invariants();
	});
}
