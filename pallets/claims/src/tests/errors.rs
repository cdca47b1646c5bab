//! Every error the calls name, each in a state where it is the only thing wrong; a failed call
//! changes nothing (`assert_noop!`).

use super::*;
use pallet_consent::Purpose;
use sp_runtime::DispatchError;

/// Submits a laboratory claim of 100 by `device` for `patient` to `insurer`.
fn submit_by(device: u64, insurer: u32, patient: u64) -> DispatchResult {
	submit_with(device, h(1), insurer, patient, Category::Laboratory, 100, ClaimUse::Claim, None)
}

mod submission {
	use super::*;

	#[test]
	fn only_devices_of_active_hospitals_and_clinics_submit() {
		build_and_execute(|| {
			for who in [STRANGER, HOSPITAL_ADMIN, INSURER_DEVICE, PHARMACY_DEVICE, PATIENT] {
				assert_noop!(submit_by(who, INSURER, PATIENT), Error::<Test>::NotHospitalDevice);
			}
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, INSURER, PATIENT),
				Error::<Test>::NotHospitalDevice
			);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
			assert_ok!(submit_by(HOSPITAL_DEVICE, INSURER, PATIENT));
		});
	}

	#[test]
	fn only_for_the_institutions_own_patients() {
		build_and_execute(|| {
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, INSURER, CLINIC_PATIENT),
				Error::<Test>::NotPatientsCustodian
			);
			assert_noop!(
				submit_by(CLINIC_DEVICE, INSURER, PATIENT),
				Error::<Test>::NotPatientsCustodian
			);
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, INSURER, STRANGER),
				Error::<Test>::NotPatientsCustodian
			);
			assert_ok!(submit_by(CLINIC_DEVICE, INSURER, CLINIC_PATIENT));
		});
	}

	#[test]
	fn only_to_active_insurers() {
		build_and_execute(|| {
			for insurer in [HOSPITAL, CLINIC, PHARMACY, 77] {
				assert_noop!(
					submit_by(HOSPITAL_DEVICE, insurer, PATIENT),
					Error::<Test>::NotActiveInsurer
				);
			}
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), INSURER));
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, INSURER, PATIENT),
				Error::<Test>::NotActiveInsurer
			);
		});
	}

	#[test]
	fn an_amount_and_a_new_hash() {
		build_and_execute(|| {
			assert_noop!(submit(h(1), 0), Error::<Test>::ZeroAmount);
			assert_noop!(preauthorize(h(1), 0), Error::<Test>::ZeroAmount);
			assert_ok!(submit(h(1), 1));
			assert_noop!(submit(h(1), 5), Error::<Test>::AlreadySubmitted);
			// At another institution too.
			assert_noop!(
				submit_by(CLINIC_DEVICE, INSURER, CLINIC_PATIENT),
				Error::<Test>::AlreadySubmitted
			);
		});
	}

	#[test]
	fn a_claim_without_the_patients_consent_is_refused() {
		build_and_execute(|| {
			let consent_error = |e: pallet_consent::Error<Test>| -> DispatchError { e.into() };
			// No consent at all for the other insurer.
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, OTHER_INSURER, PATIENT),
				consent_error(pallet_consent::Error::NoConsent)
			);
			// The consent does not cover allergy information.
			assert_noop!(
				submit_with(
					HOSPITAL_DEVICE,
					h(1),
					INSURER,
					PATIENT,
					Category::Allergy,
					100,
					ClaimUse::Claim,
					None
				),
				consent_error(pallet_consent::Error::RecordNotCovered)
			);
			// A consent for the other insurer for treatment only.
			consent(PATIENT, OTHER_INSURER, &[Category::Laboratory], &[Purpose::Treatment]);
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, OTHER_INSURER, PATIENT),
				consent_error(pallet_consent::Error::PurposeNotCovered)
			);
			// A psychiatric claim after the patient excluded mental health from sharing: deny
			// wins over the consent that covers it.
			assert_ok!(Consent::set_deny_provisions(
				signed(PATIENT),
				PATIENT,
				frame_support::BoundedVec::truncate_from(vec![Category::MentalHealth])
			));
			assert_noop!(
				submit_with(
					HOSPITAL_DEVICE,
					h(1),
					INSURER,
					PATIENT,
					Category::MentalHealth,
					100,
					ClaimUse::Claim,
					None
				),
				consent_error(pallet_consent::Error::DeniedByPatient)
			);
			// A revoked consent (from the next block on).
			assert_ok!(Consent::revoke(signed(PATIENT_2), 1));
			run_to(2);
			assert_noop!(
				submit_by(HOSPITAL_DEVICE, INSURER, PATIENT_2),
				consent_error(pallet_consent::Error::ConsentRevoked)
			);
			// Nothing was released.
			assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.is_empty());
			assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT_2, 0).entries.is_empty());
			assert_eq!(Claims::claims_of(&PATIENT, 0).total, 0);
			// The laboratory claim the consent covers goes through.
			assert_ok!(submit_by(HOSPITAL_DEVICE, INSURER, PATIENT));
		});
	}

	#[test]
	fn a_named_preauthorization_must_fit_and_be_approved() {
		build_and_execute(|| {
			let claim_naming = |hash: H256, patient: u64, insurer: u32, p: H256| {
				submit_with(
					HOSPITAL_DEVICE,
					hash,
					insurer,
					patient,
					Category::Imaging,
					100,
					ClaimUse::Claim,
					Some(p),
				)
			};
			consent(PATIENT, OTHER_INSURER, &[Category::Imaging], &[Purpose::Payment]);
			assert_noop!(
				claim_naming(h(9), PATIENT, INSURER, h(1)),
				Error::<Test>::UnknownPreauthorization
			);
			// A claim is not a preauthorization.
			under_review(h(1), 100);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 100, 0));
			assert_noop!(
				claim_naming(h(9), PATIENT, INSURER, h(1)),
				Error::<Test>::UnknownPreauthorization
			);
			// An approved preauthorization of the patient at the insurer...
			assert_ok!(preauthorize(h(2), 1_000));
			assert_noop!(
				claim_naming(h(9), PATIENT, INSURER, h(2)),
				Error::<Test>::PreauthorizationNotApproved
			);
			assert_ok!(accept(INSURER_DEVICE, h(2)));
			assert_ok!(adjudicate(INSURER_DEVICE, h(2), 1_000, 0));
			// ...fits neither another patient nor another insurer.
			assert_noop!(
				claim_naming(h(9), PATIENT_2, INSURER, h(2)),
				Error::<Test>::PreauthorizationMismatch
			);
			assert_noop!(
				claim_naming(h(9), PATIENT, OTHER_INSURER, h(2)),
				Error::<Test>::PreauthorizationMismatch
			);
			// A preauthorization names none.
			assert_noop!(
				submit_with(
					HOSPITAL_DEVICE,
					h(9),
					INSURER,
					PATIENT,
					Category::Imaging,
					100,
					ClaimUse::Preauthorization,
					Some(h(2))
				),
				Error::<Test>::NestedPreauthorization
			);
			assert_ok!(claim_naming(h(9), PATIENT, INSURER, h(2)));
			// A rejected preauthorization approves nothing.
			assert_ok!(preauthorize(h(3), 1_000));
			assert_ok!(reject(INSURER_DEVICE, h(3)));
			assert_noop!(
				claim_naming(h(10), PATIENT, INSURER, h(3)),
				Error::<Test>::PreauthorizationNotApproved
			);
		});
	}
}

mod insurer {
	use super::*;

	#[test]
	fn unknown_claims_are_refused() {
		build_and_execute(|| {
			assert_noop!(accept(INSURER_DEVICE, h(9)), Error::<Test>::UnknownClaim);
			assert_noop!(adjudicate(INSURER_DEVICE, h(9), 1, 0), Error::<Test>::UnknownClaim);
			assert_noop!(reject(INSURER_DEVICE, h(9)), Error::<Test>::UnknownClaim);
			assert_noop!(cancel(HOSPITAL_DEVICE, h(9)), Error::<Test>::UnknownClaim);
			assert_noop!(appeal(HOSPITAL_DEVICE, h(9)), Error::<Test>::UnknownClaim);
			assert_noop!(settle(h(9), 0), Error::<Test>::UnknownClaim);
		});
	}

	#[test]
	fn only_the_claims_insurer_acts_for_the_insurer() {
		build_and_execute(|| {
			assert_ok!(submit(h(1), 100));
			for who in [OTHER_INSURER_DEVICE, HOSPITAL_DEVICE, INSURER_ADMIN, STRANGER] {
				assert_noop!(accept(who, h(1)), Error::<Test>::NotClaimsInsurer);
				assert_noop!(reject(who, h(1)), Error::<Test>::NotClaimsInsurer);
			}
			assert_ok!(accept(INSURER_DEVICE, h(1)));
			// Adjudication by another insurer.
			assert_noop!(
				adjudicate(OTHER_INSURER_DEVICE, h(1), 100, 0),
				Error::<Test>::NotClaimsInsurer
			);
			// A suspended insurer's devices cannot act.
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), INSURER));
			assert_noop!(adjudicate(INSURER_DEVICE, h(1), 100, 0), Error::<Test>::NotClaimsInsurer);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), INSURER));
			// Any device of the insurer may decide.
			assert_ok!(adjudicate(POOR_INSURER_DEVICE, h(1), 100, 0));
			assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 100);
		});
	}

	#[test]
	fn each_step_needs_the_right_status() {
		build_and_execute(|| {
			assert_ok!(submit(h(1), 100));
			assert_noop!(adjudicate(INSURER_DEVICE, h(1), 100, 0), Error::<Test>::NotUnderReview);
			assert_ok!(accept(INSURER_DEVICE, h(1)));
			assert_noop!(accept(INSURER_DEVICE, h(1)), Error::<Test>::NotSubmitted);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 60, 0));
			assert_noop!(reject(INSURER_DEVICE, h(1)), Error::<Test>::NotAwaitingInsurer);
			assert_noop!(adjudicate(INSURER_DEVICE, h(1), 60, 0), Error::<Test>::NotUnderReview);
			assert_noop!(cancel(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAwaitingInsurer);
		});
	}

	#[test]
	fn accepting_without_funds_changes_nothing() {
		build_and_execute(|| {
			assert_ok!(submit(h(1), 1_000));
			assert_noop!(accept(POOR_INSURER_DEVICE, h(1)), Error::<Test>::InsufficientFunds);
			assert_eq!((free(POOR_INSURER_DEVICE), held(POOR_INSURER_DEVICE)), (POOR_FUNDS, 0));
			assert_eq!(status(h(1)), ClaimStatus::Submitted);
			// Holding all but the existential deposit is fine.
			assert_ok!(submit_with(
				HOSPITAL_DEVICE,
				h(2),
				INSURER,
				PATIENT,
				Category::Laboratory,
				POOR_FUNDS - EXISTENTIAL_DEPOSIT,
				ClaimUse::Claim,
				None
			));
			assert_ok!(accept(POOR_INSURER_DEVICE, h(2)));
			assert_eq!(held(POOR_INSURER_DEVICE), POOR_FUNDS - EXISTENTIAL_DEPOSIT);
		});
	}

	#[test]
	fn the_approved_amount_and_the_patients_share_are_checked() {
		build_and_execute(|| {
			under_review(h(1), 1_000);
			assert_noop!(adjudicate(INSURER_DEVICE, h(1), 0, 0), Error::<Test>::NothingApproved);
			assert_noop!(
				adjudicate(INSURER_DEVICE, h(1), 1_001, 0),
				Error::<Test>::ApprovedAboveClaimed
			);
			assert_noop!(
				adjudicate(INSURER_DEVICE, h(1), 1_000, 1),
				Error::<Test>::SharesAboveClaimed
			);
			assert_noop!(
				adjudicate(INSURER_DEVICE, h(1), 900, 101),
				Error::<Test>::SharesAboveClaimed
			);
			assert_noop!(
				adjudicate(INSURER_DEVICE, h(1), 1, u64::MAX),
				Error::<Test>::SharesAboveClaimed
			);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 900, 100));
			assert_eq!(status(h(1)), ClaimStatus::Adjudicated { outcome: Outcome::Partial });
		});
	}

	#[test]
	fn a_hospital_that_cannot_receive_is_not_paid_and_nothing_changes() {
		build_and_execute(|| {
			// The clinic's admin has no funds: 3 is below the existential deposit.
			assert_ok!(submit_with(
				CLINIC_DEVICE,
				h(1),
				INSURER,
				CLINIC_PATIENT,
				Category::Laboratory,
				10,
				ClaimUse::Claim,
				None
			));
			assert_ok!(accept(INSURER_DEVICE, h(1)));
			assert_noop!(adjudicate(INSURER_DEVICE, h(1), 3, 0), Error::<Test>::PayeeCannotReceive);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 5, 0));
			assert_eq!(free(CLINIC_ADMIN), 5);
			assert_ok!(appeal(CLINIC_DEVICE, h(1)));
			// The council's award is checked the same way (the admin can take any amount now).
			assert_ok!(settle(h(1), 1));
			assert_eq!(free(CLINIC_ADMIN), 6);
		});
	}
}

mod hospital {
	use super::*;

	#[test]
	fn only_the_submitting_hospital_cancels_and_appeals() {
		build_and_execute(|| {
			under_review(h(1), 100);
			for who in [CLINIC_DEVICE, INSURER_DEVICE, HOSPITAL_ADMIN, PATIENT, STRANGER] {
				assert_noop!(cancel(who, h(1)), Error::<Test>::NotClaimsHospital);
			}
			assert_ok!(reject(INSURER_DEVICE, h(1)));
			for who in [CLINIC_DEVICE, INSURER_DEVICE, HOSPITAL_ADMIN, PATIENT] {
				assert_noop!(appeal(who, h(1)), Error::<Test>::NotClaimsHospital);
			}
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotClaimsHospital);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
			assert_ok!(appeal(HOSPITAL_DEVICE, h(1)));
		});
	}

	#[test]
	fn only_decisions_are_appealed_within_their_window() {
		build_and_execute(|| {
			assert_ok!(submit(h(1), 100));
			assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAppealable);
			assert_ok!(accept(INSURER_DEVICE, h(1)));
			assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::NotAppealable);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 40, 0));
			// Appeal out of window: the window ends at block 11.
			run_to(11);
			assert_noop!(appeal(HOSPITAL_DEVICE, h(1)), Error::<Test>::AppealWindowClosed);
			// The last block of the window is still in it.
			assert_ok!(submit(h(2), 100));
			assert_ok!(reject(INSURER_DEVICE, h(2)));
			run_to(20);
			assert_ok!(appeal(HOSPITAL_DEVICE, h(2)));
			assert_noop!(appeal(HOSPITAL_DEVICE, h(2)), Error::<Test>::NotAppealable);
		});
	}
}

mod council {
	use super::*;

	#[test]
	fn only_governance_settles_claims_before_the_council() {
		build_and_execute(|| {
			under_review(h(1), 100);
			assert_noop!(settle(h(1), 0), Error::<Test>::NotBeforeCouncil);
			assert_ok!(adjudicate(INSURER_DEVICE, h(1), 40, 0));
			assert_noop!(settle(h(1), 0), Error::<Test>::NotBeforeCouncil);
			assert_ok!(appeal(HOSPITAL_DEVICE, h(1)));
			for who in [HOSPITAL_ADMIN, HOSPITAL_DEVICE, INSURER_DEVICE, PATIENT] {
				assert_noop!(Claims::settle(signed(who), h(1), 60), DispatchError::BadOrigin);
			}
			assert_noop!(settle(h(1), 61), Error::<Test>::AwardAboveHeld);
			assert_ok!(settle(h(1), 60));
			assert_eq!(free(HOSPITAL_ADMIN), ADMIN_FUNDS + 100);
		});
	}

	#[test]
	fn parameters_are_governed_and_validated() {
		build_and_execute(|| {
			let parameters = Parameters { adjudication_period: 50, appeal_window: 7 };
			assert_noop!(
				Claims::set_parameters(signed(HOSPITAL_ADMIN), parameters.clone()),
				DispatchError::BadOrigin
			);
			for invalid in [
				Parameters { adjudication_period: 0, appeal_window: 7 },
				Parameters { adjudication_period: 50, appeal_window: 0 },
			] {
				assert_noop!(
					Claims::set_parameters(RuntimeOrigin::root(), invalid),
					Error::<Test>::InvalidParameters
				);
			}
			assert_eq!(Params::<Test>::get(), ClaimsDefaults::get());
			under_review(h(1), 100);
			assert_ok!(Claims::set_parameters(RuntimeOrigin::root(), parameters.clone()));
			System::assert_last_event(
				Event::ParametersSet { parameters: parameters.clone() }.into(),
			);
			assert_eq!(Params::<Test>::get(), parameters);
			// An open claim keeps its deadline; new ones get the new period and window.
			assert_eq!(claim(h(1)).deadline, 21);
			assert_ok!(submit(h(2), 100));
			assert_eq!(claim(h(2)).deadline, 51);
			assert_ok!(reject(INSURER_DEVICE, h(2)));
			assert_eq!(claim(h(2)).appeal_until, Some(8));
		});
	}
}
