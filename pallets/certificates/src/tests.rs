//! Tests of issuance: every rule of [`crate::issuance`] that `issue` checks, with the error it
//! names. Every test runs in `build_and_execute`, which checks the pallet's invariants when it
//! ends. Suspension, revocation, supersession and who may change a certificate are tested in
//! `tests/lifecycle.rs`, the queries and status lists in `tests/queries.rs`, the invariant
//! checks themselves in `tests/tamper.rs`, the holder's logged verifications in
//! `tests/verification_log.rs`.

use crate::{
	mock::*, CertificateKind as K, CertificateOf, CertificateStatus, Error, Event,
	RevocationReason, StatusPurpose, SuspensionReason, Validity,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchResult;

mod lifecycle;
mod queries;
mod tamper;
mod verification_log;

fn h(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// Issues a certificate of `kind` valid for a week from now.
fn issue(who: u64, subject: u64, hash: H256, kind: K) -> DispatchResult {
	issue_dated(who, subject, hash, kind, NOW_MS, Some(NOW_MS + 7 * DAY_MS))
}

/// Issues a certificate of `kind` with the given validity.
fn issue_dated(
	who: u64,
	subject: u64,
	hash: H256,
	kind: K,
	from: u64,
	until: Option<u64>,
) -> DispatchResult {
	Certificates::issue(RuntimeOrigin::signed(who), subject, hash, kind, from, until)
}

/// The stored certificate with this hash.
fn certificate(hash: H256) -> CertificateOf<Test> {
	crate::Certificates::<Test>::get(hash).expect("the certificate exists")
}

/// The certificate's bit in its institution's `purpose` list.
fn bit(hash: H256, purpose: StatusPurpose) -> bool {
	let c = certificate(hash);
	Certificates::status_bit(c.institution, c.status_index, purpose)
}

mod issuing {
	use super::*;

	#[test]
	fn a_physician_issues_a_certificate() {
		build_and_execute(|| {
			let (from, until) = (NOW_MS - DAY_MS, Some(NOW_MS + 6 * DAY_MS));
			assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(1), K::SickLeave, from, until));
			System::assert_last_event(
				Event::CertificateIssued {
					document_hash: h(1),
					institution: HOSPITAL,
					kind: K::SickLeave,
					subject: PATIENT,
				}
				.into(),
			);
			let v = Certificates::verify(h(1)).unwrap();
			assert_eq!(v.validity, Validity::Valid);
			assert_eq!(v.checked_at_ms, NOW_MS);
			assert_eq!(
				(v.subject, v.issuer, v.institution, v.kind),
				(PATIENT, PHYSICIAN, HOSPITAL, K::SickLeave)
			);
			assert_eq!((v.valid_from_ms, v.valid_until_ms), (from, until));
			assert_eq!((v.issued_at, v.issued_at_ms), (1, NOW_MS));
			assert_eq!(v.status, CertificateStatus::Issued);
			assert_eq!((v.status_index, v.supersedes), (0, None));
			assert!(!bit(h(1), StatusPurpose::Revocation) && !bit(h(1), StatusPurpose::Suspension));

			// Status indices count per institution.
			assert_ok!(issue(PHYSICIAN, PATIENT_2, h(2), K::Fitness));
			assert_ok!(issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(3), K::Fitness));
			assert_eq!(certificate(h(2)).status_index, 1);
			assert_eq!(certificate(h(3)).status_index, 0);
			assert_eq!(crate::NextStatusIndex::<Test>::get(HOSPITAL), 2);
			assert_eq!(crate::NextStatusIndex::<Test>::get(CLINIC), 1);
			assert_eq!(crate::SubjectCertificates::<Test>::get(PATIENT, 0), Some(h(1)));
			assert_eq!(crate::SubjectCertificateCount::<Test>::get(PATIENT), 1);
		});
	}

	#[test]
	fn the_role_decides_the_kinds() {
		build_and_execute(|| {
			MaxPerSubject::set(16);
			// A physician issues every kind.
			for (i, kind) in K::ALL.into_iter().enumerate() {
				let until = (kind != K::Death).then_some(NOW_MS + DAY_MS);
				assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(i as u8 + 1), kind, NOW_MS, until));
			}
			// A nurse issues vaccination certificates only.
			assert_ok!(issue(NURSE, PATIENT_2, h(20), K::Vaccination));
			for kind in K::ALL.into_iter().filter(|k| *k != K::Vaccination) {
				assert_noop!(
					issue(NURSE, PATIENT_2, h(21), kind),
					Error::<Test>::RoleCannotIssueKind
				);
			}
			// A pharmacist issues none.
			for kind in K::ALL {
				assert_noop!(
					issue(PHARMACIST, PATIENT_2, h(22), kind),
					Error::<Test>::RoleCannotIssueKind
				);
			}
			use pallet_institutions::PractitionerRole;
			assert!(crate::issuance::role_may_issue(PractitionerRole::Nurse, K::Vaccination));
			assert!(!crate::issuance::role_may_issue(PractitionerRole::Pharmacist, K::Other));
		});
	}

	#[test]
	fn only_practitioners_of_active_institutions_issue() {
		build_and_execute(|| {
			for who in [STRANGER, HOSPITAL_ADMIN, HOSPITAL_DEVICE, PATIENT] {
				assert_noop!(
					issue(who, PATIENT, h(1), K::SickLeave),
					Error::<Test>::NotPractitioner
				);
			}
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(
				issue(PHYSICIAN, PATIENT, h(1), K::SickLeave),
				Error::<Test>::NotPractitioner
			);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
			assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
			// A practitioner who left the institution no longer issues.
			assert_ok!(Institutions::remove_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				PHYSICIAN_2
			));
			assert_noop!(
				issue(PHYSICIAN_2, PATIENT, h(2), K::SickLeave),
				Error::<Test>::NotPractitioner
			);
		});
	}

	#[test]
	fn only_hospitals_and_clinics_issue() {
		use pallet_institutions::Registry;
		build_and_execute(|| {
			// The pharmacy's physician is an active practitioner, of a pharmacy.
			let at = <Institutions as Registry<u64>>::active_practitioner(&PHARMACY_PHYSICIAN);
			assert_eq!(at.map(|(institution, _)| institution), Some(PHARMACY));
			for kind in K::ALL {
				assert_noop!(
					issue(PHARMACY_PHYSICIAN, PATIENT, h(1), kind),
					Error::<Test>::InstitutionCannotIssue
				);
			}
			assert_ok!(issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(1), K::Fitness));
		});
	}

	#[test]
	fn only_for_the_institutions_own_patients() {
		build_and_execute(|| {
			assert_noop!(
				issue(PHYSICIAN, STRANGER, h(1), K::SickLeave),
				Error::<Test>::UnknownSubject
			);
			// A practitioner is not a patient.
			assert_noop!(
				issue(PHYSICIAN, NURSE, h(1), K::SickLeave),
				Error::<Test>::UnknownSubject
			);
			assert_noop!(
				issue(PHYSICIAN, CLINIC_PATIENT, h(1), K::SickLeave),
				Error::<Test>::NoCareRelationship
			);
			assert_noop!(
				issue(CLINIC_PHYSICIAN, PATIENT, h(1), K::SickLeave),
				Error::<Test>::NoCareRelationship
			);
			// A patient who left is no longer a subject.
			assert_ok!(Institutions::leave(RuntimeOrigin::signed(PATIENT_2), PATIENT_2));
			assert_noop!(
				issue(PHYSICIAN, PATIENT_2, h(1), K::SickLeave),
				Error::<Test>::UnknownSubject
			);
		});
	}

	#[test]
	fn a_document_is_certified_once() {
		build_and_execute(|| {
			assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
			assert_noop!(
				issue(PHYSICIAN_2, PATIENT_2, h(1), K::Fitness),
				Error::<Test>::AlreadyIssued
			);
			// At another institution too.
			assert_noop!(
				issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(1), K::SickLeave),
				Error::<Test>::AlreadyIssued
			);
		});
	}

	#[test]
	fn the_validity_is_checked() {
		build_and_execute(|| {
			let sick = |hash: u8, from: u64, until: Option<u64>| {
				issue_dated(PHYSICIAN, PATIENT, h(hash), K::SickLeave, from, until)
			};
			assert_noop!(sick(1, NOW_MS, Some(NOW_MS)), Error::<Test>::InvalidValidity);
			assert_noop!(sick(1, NOW_MS, Some(NOW_MS - 1)), Error::<Test>::InvalidValidity);
			let year = 365 * DAY_MS;
			assert_noop!(sick(1, NOW_MS, Some(NOW_MS + year + 1)), Error::<Test>::ValidityTooLong);
			assert_ok!(sick(1, NOW_MS, Some(NOW_MS + year)));
			let week = 7 * DAY_MS;
			assert_noop!(
				sick(2, NOW_MS - week - 1, Some(NOW_MS + DAY_MS)),
				Error::<Test>::BackdatedTooFar
			);
			assert_ok!(sick(2, NOW_MS - week, Some(NOW_MS + DAY_MS)));
			// An open end (permanent disability), and a start in the future.
			assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(3), K::Disability, NOW_MS - week, None));
			assert_ok!(sick(4, NOW_MS + 30 * DAY_MS, Some(NOW_MS + 37 * DAY_MS)));
			assert_eq!(Certificates::verify(h(3)).unwrap().validity, Validity::Valid);
			assert_eq!(Certificates::verify(h(4)).unwrap().validity, Validity::NotYetValid);
		});
	}

	#[test]
	fn certificates_per_subject_are_bounded() {
		build_and_execute(|| {
			for i in 1..=4 {
				assert_ok!(issue(PHYSICIAN, PATIENT, h(i), K::SickLeave));
			}
			assert_noop!(
				issue(PHYSICIAN, PATIENT, h(5), K::SickLeave),
				Error::<Test>::TooManyCertificatesForSubject
			);
			// Revoking one does not free a place: history is kept.
			assert_ok!(Certificates::revoke(
				RuntimeOrigin::signed(PHYSICIAN),
				h(1),
				RevocationReason::IssuedInError
			));
			assert_noop!(
				issue(PHYSICIAN, PATIENT, h(5), K::SickLeave),
				Error::<Test>::TooManyCertificatesForSubject
			);
			assert_ok!(issue(PHYSICIAN, PATIENT_2, h(5), K::SickLeave));
		});
	}

	#[test]
	fn certificates_per_institution_are_bounded() {
		build_and_execute(|| {
			MaxPerInstitution::set(6);
			for i in 1..=4 {
				assert_ok!(issue(PHYSICIAN, PATIENT, h(i), K::SickLeave));
			}
			assert_ok!(issue(PHYSICIAN, PATIENT_2, h(5), K::SickLeave));
			assert_ok!(issue(PHYSICIAN, PATIENT_2, h(6), K::SickLeave));
			assert_noop!(
				issue(PHYSICIAN, PATIENT_2, h(7), K::SickLeave),
				Error::<Test>::TooManyCertificatesForInstitution
			);
			// Suspension does not free an index either; another institution has its own lists.
			assert_ok!(Certificates::suspend(
				RuntimeOrigin::signed(PHYSICIAN),
				h(6),
				SuspensionReason::UnderReview
			));
			assert_noop!(
				issue(PHYSICIAN, PATIENT_2, h(7), K::SickLeave),
				Error::<Test>::TooManyCertificatesForInstitution
			);
			assert_ok!(issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, h(7), K::SickLeave));
		});
	}
}

#[test]
fn integrity_test_passes() {
	build_and_execute(|| {
		<crate::Pallet<Test> as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn kinds_are_encoded_by_their_codes() {
	use codec::Encode;
	for (i, kind) in K::ALL.into_iter().enumerate() {
		assert_eq!(kind.encode(), vec![i as u8]);
	}
	assert_eq!(K::ALL.len(), K::COUNT);
}
