//! Tests of prescribing: every rule of [`crate::prescribing`] that `issue` checks, with the
//! error it names, and the parameters. Every test runs in `build_and_execute`, which checks
//! the pallet's invariants when it ends. The status transitions are tested in
//! `tests/status.rs`, claims and dispenses in `tests/dispensing.rs`, the patient's choice of
//! pharmacy and the queues in `tests/queues.rs`, the queries in `tests/queries.rs`, the
//! invariant checks themselves in `tests/tamper.rs`.

use crate::{
	mock::*, CurrentStatus, Error, Event, Parameters, PrescriptionOf, PrescriptionStatus as S,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult};

mod dispensing;
mod queries;
mod queues;
mod status;
mod tamper;

fn h(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// Issues a one-fill prescription directed to no pharmacy, with the default period of use.
fn issue(who: u64, patient: u64, hash: H256) -> DispatchResult {
	issue_with(who, patient, hash, None, 1, None)
}

/// Issues a prescription with the given pharmacy, fills and last block.
fn issue_with(
	who: u64,
	patient: u64,
	hash: H256,
	pharmacy: Option<u32>,
	fills: u8,
	valid_until: Option<u64>,
) -> DispatchResult {
	Prescriptions::issue(
		RuntimeOrigin::signed(who),
		hash,
		patient,
		pharmacy,
		fills,
		valid_until,
		true,
	)
}

/// The stored prescription with this hash.
fn entry(hash: H256) -> PrescriptionOf<Test> {
	crate::Prescriptions::<Test>::get(hash).expect("the prescription exists")
}

/// Where the prescription stands now, as the runtime API says.
fn status(hash: H256) -> CurrentStatus {
	Prescriptions::prescription(hash).expect("the prescription exists").status
}

/// The hashes in `pharmacy`'s queue, in storage order.
fn queue(pharmacy: u32) -> Vec<H256> {
	crate::PharmacyQueue::<Test>::iter_key_prefix(pharmacy).collect()
}

fn claim(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::claim(RuntimeOrigin::signed(who), hash)
}

/// Dispenses with the dispense document hash `H256::repeat_byte(fill_tag)`.
fn dispense(who: u64, hash: H256, fill_tag: u8) -> DispatchResult {
	Prescriptions::dispense(RuntimeOrigin::signed(who), hash, h(fill_tag))
}

fn release(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::release(RuntimeOrigin::signed(who), hash)
}

fn redirect(who: u64, hash: H256, pharmacy: Option<u32>) -> DispatchResult {
	Prescriptions::redirect(RuntimeOrigin::signed(who), hash, pharmacy)
}

fn dismiss(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::dismiss(RuntimeOrigin::signed(who), hash)
}

fn hold(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::hold(RuntimeOrigin::signed(who), hash)
}

fn resume(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::resume(RuntimeOrigin::signed(who), hash)
}

fn cancel(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::cancel(RuntimeOrigin::signed(who), hash)
}

fn stop(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::stop(RuntimeOrigin::signed(who), hash)
}

fn enter_in_error(who: u64, hash: H256) -> DispatchResult {
	Prescriptions::enter_in_error(RuntimeOrigin::signed(who), hash)
}

/// Claims and dispenses one fill at `PHARMACY` by `PHARMACIST`.
fn fill(hash: H256, fill_tag: u8) {
	assert_ok!(claim(PHARMACIST, hash));
	assert_ok!(dispense(PHARMACIST, hash, fill_tag));
}

/// Moves to block `n`.
fn run_to(n: u64) {
	System::set_block_number(n);
}

mod issuing {
	use super::*;

	#[test]
	fn a_physician_issues_a_prescription() {
		build_and_execute(|| {
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(1), Some(PHARMACY), 3, Some(50)));
			System::assert_last_event(
				Event::PrescriptionIssued {
					hash: h(1),
					institution: HOSPITAL,
					pharmacy: Some(PHARMACY),
					fills: 3,
					valid_until: 50,
				}
				.into(),
			);
			let e = entry(h(1));
			assert_eq!(
				(e.patient, e.prescriber, e.institution, e.pharmacy),
				(PATIENT, PHYSICIAN, HOSPITAL, Some(PHARMACY))
			);
			assert_eq!((e.fills, e.dispensed, e.substitution), (3, 0, true));
			assert_eq!((e.issued_at, e.valid_until, e.status, e.claim), (1, 50, S::Active, None));
			assert_eq!(status(h(1)), CurrentStatus::Active);
			// Listed for the patient; in the designated pharmacy's queue only.
			assert_eq!(crate::PatientPrescriptions::<Test>::get(PATIENT, 0), Some(h(1)));
			assert_eq!(crate::PatientPrescriptionCount::<Test>::get(PATIENT), 1);
			assert_eq!(queue(PHARMACY), vec![h(1)]);
			assert_eq!(crate::QueueLength::<Test>::get(PHARMACY), 1);
			assert!(queue(PHARMACY_B).is_empty());

			// Without a pharmacy: in no queue; without an end: the default period of use.
			assert_ok!(Prescriptions::issue(
				RuntimeOrigin::signed(CLINIC_PHYSICIAN),
				h(2),
				CLINIC_PATIENT,
				None,
				1,
				None,
				false
			));
			let e = entry(h(2));
			assert_eq!((e.institution, e.valid_until, e.substitution), (CLINIC, 1 + 30, false));
			assert!(queue(PHARMACY).len() == 1 && queue(PHARMACY_B).is_empty());
		});
	}

	#[test]
	fn only_physicians_of_active_institutions_prescribe() {
		build_and_execute(|| {
			for who in
				[NURSE, HOSPITAL_PHARMACIST, HOSPITAL_ADMIN, HOSPITAL_DEVICE, PATIENT, STRANGER]
			{
				assert_noop!(issue(who, PATIENT, h(1)), Error::<Test>::NotPhysician);
			}
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(issue(PHYSICIAN, PATIENT, h(1)), Error::<Test>::NotPhysician);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
			assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
			// A physician who left the institution no longer prescribes.
			assert_ok!(Institutions::remove_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				PHYSICIAN_2
			));
			assert_noop!(issue(PHYSICIAN_2, PATIENT, h(2)), Error::<Test>::NotPhysician);
		});
	}

	#[test]
	fn only_hospitals_and_clinics_prescribe() {
		build_and_execute(|| {
			assert_noop!(
				issue(PHARMACY_PHYSICIAN, PATIENT, h(1)),
				Error::<Test>::InstitutionCannotPrescribe
			);
			assert_ok!(issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(1)));
		});
	}

	#[test]
	fn only_for_the_institutions_own_patients() {
		build_and_execute(|| {
			assert_noop!(issue(PHYSICIAN, STRANGER, h(1)), Error::<Test>::UnknownPatient);
			// A practitioner or a guardian is not a patient.
			assert_noop!(issue(PHYSICIAN, NURSE, h(1)), Error::<Test>::UnknownPatient);
			assert_noop!(issue(PHYSICIAN, GUARDIAN, h(1)), Error::<Test>::UnknownPatient);
			assert_noop!(issue(PHYSICIAN, CLINIC_PATIENT, h(1)), Error::<Test>::NotCustodian);
			assert_noop!(issue(CLINIC_PHYSICIAN, PATIENT, h(1)), Error::<Test>::NotCustodian);
			// A patient who left is no longer prescribed for.
			assert_ok!(Institutions::leave(RuntimeOrigin::signed(PATIENT_2), PATIENT_2));
			assert_noop!(issue(PHYSICIAN, PATIENT_2, h(1)), Error::<Test>::UnknownPatient);
		});
	}

	#[test]
	fn the_fills_and_the_pharmacy_are_checked() {
		build_and_execute(|| {
			let with = |hash: u8, pharmacy: Option<u32>, fills: u8| {
				issue_with(PHYSICIAN, PATIENT, h(hash), pharmacy, fills, None)
			};
			assert_noop!(with(1, None, 0), Error::<Test>::InvalidFills);
			assert_noop!(with(1, None, 4), Error::<Test>::InvalidFills);
			assert_ok!(with(1, None, 3));
			// A hospital, an unknown institution and a suspended pharmacy are not pharmacies.
			assert_noop!(with(2, Some(HOSPITAL), 1), Error::<Test>::NotAPharmacy);
			assert_noop!(with(2, Some(9), 1), Error::<Test>::NotAPharmacy);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), PHARMACY_B));
			assert_noop!(with(2, Some(PHARMACY_B), 1), Error::<Test>::NotAPharmacy);
			assert_ok!(with(2, Some(PHARMACY), 1));
		});
	}

	#[test]
	fn the_period_of_use_is_checked() {
		build_and_execute(|| {
			run_to(10);
			let until = |hash: u8, valid_until: u64| {
				issue_with(PHYSICIAN, PATIENT, h(hash), None, 1, Some(valid_until))
			};
			assert_noop!(until(1, 10), Error::<Test>::ValidityInPast);
			assert_noop!(until(1, 9), Error::<Test>::ValidityInPast);
			assert_noop!(until(1, 10 + 101), Error::<Test>::ValidityTooLong);
			assert_ok!(until(1, 10 + 100));
			assert_ok!(until(2, 11));
			assert_ok!(issue(PHYSICIAN, PATIENT, h(3)));
			assert_eq!(entry(h(3)).valid_until, 10 + 30);
		});
	}

	#[test]
	fn a_prescription_is_issued_once() {
		build_and_execute(|| {
			assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
			assert_noop!(issue(PHYSICIAN_2, PATIENT_2, h(1)), Error::<Test>::AlreadyIssued);
			// At another institution too, and after it ended.
			assert_ok!(cancel(PHYSICIAN, h(1)));
			assert_noop!(
				issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(1)),
				Error::<Test>::AlreadyIssued
			);
		});
	}

	#[test]
	fn prescriptions_per_patient_are_bounded() {
		build_and_execute(|| {
			for i in 1..=4 {
				assert_ok!(issue(PHYSICIAN, PATIENT, h(i)));
			}
			assert_noop!(issue(PHYSICIAN, PATIENT, h(5)), Error::<Test>::TooManyPrescriptions);
			// Cancelling one does not free a place: history is kept.
			assert_ok!(cancel(PHYSICIAN, h(1)));
			assert_noop!(issue(PHYSICIAN, PATIENT, h(5)), Error::<Test>::TooManyPrescriptions);
			assert_ok!(issue(PHYSICIAN, PATIENT_2, h(5)));
			MaxPerPatient::set(5);
			assert_ok!(issue(PHYSICIAN, PATIENT, h(6)));
		});
	}

	#[test]
	fn a_full_queue_refuses_a_designation() {
		build_and_execute(|| {
			MaxPerPatient::set(10);
			for i in 1..=3 {
				assert_ok!(issue_with(PHYSICIAN, PATIENT, h(i), Some(PHARMACY), 1, None));
			}
			assert_noop!(
				issue_with(PHYSICIAN, PATIENT, h(4), Some(PHARMACY), 1, None),
				Error::<Test>::QueueFull
			);
			// Another pharmacy, or none, is fine; a prescription that ends frees a place.
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(4), Some(PHARMACY_B), 1, None));
			assert_ok!(issue(PHYSICIAN, PATIENT, h(5)));
			assert_ok!(cancel(PHYSICIAN, h(1)));
			assert_ok!(issue_with(PHYSICIAN, PATIENT, h(6), Some(PHARMACY), 1, None));
			assert_eq!(crate::QueueLength::<Test>::get(PHARMACY), 3);
		});
	}
}

mod parameters {
	use super::*;

	fn params(default_validity: u64, max_validity: u64, claim_timeout: u64) -> Parameters<u64> {
		Parameters { default_validity, max_validity, claim_timeout }
	}

	#[test]
	fn governance_sets_the_parameters() {
		build_and_execute(|| {
			let new = params(10, 20, 2);
			assert_noop!(
				Prescriptions::set_parameters(RuntimeOrigin::signed(PHYSICIAN), new.clone()),
				DispatchError::BadOrigin
			);
			assert_ok!(Prescriptions::set_parameters(RuntimeOrigin::root(), new.clone()));
			System::assert_last_event(Event::ParametersSet { parameters: new.clone() }.into());
			assert_eq!(crate::Params::<Test>::get(), new);
			// New prescriptions follow them.
			assert_ok!(issue(PHYSICIAN, PATIENT, h(1)));
			assert_eq!(entry(h(1)).valid_until, 1 + 10);
			assert_noop!(
				issue_with(PHYSICIAN, PATIENT, h(2), None, 1, Some(1 + 21)),
				Error::<Test>::ValidityTooLong
			);
		});
	}

	#[test]
	fn invalid_parameters_are_refused() {
		build_and_execute(|| {
			for bad in [params(0, 20, 2), params(10, 0, 2), params(10, 20, 0)] {
				assert_noop!(
					Prescriptions::set_parameters(RuntimeOrigin::root(), bad),
					Error::<Test>::InvalidParameters
				);
			}
			assert_noop!(
				Prescriptions::set_parameters(RuntimeOrigin::root(), params(21, 20, 2)),
				Error::<Test>::DefaultValidityTooLong
			);
			assert_ok!(Prescriptions::set_parameters(RuntimeOrigin::root(), params(20, 20, 1)));
		});
	}
}

#[test]
fn integrity_test_passes() {
	build_and_execute(|| {
		<crate::Pallet<Test> as Hooks<u64>>::integrity_test();
	});
}
