//! Suspension, reinstatement, revocation and supersession (rules 7–9 of `issuance`): each
//! call's success with its event and status bits, each wrong transition, and who may change a
//! certificate.

use super::*;
use crate::StatusChunks;

fn suspend(who: u64, hash: H256) -> DispatchResult {
	Certificates::suspend(RuntimeOrigin::signed(who), hash, SuspensionReason::UnderReview)
}

fn reinstate(who: u64, hash: H256) -> DispatchResult {
	Certificates::reinstate(RuntimeOrigin::signed(who), hash)
}

fn revoke(who: u64, hash: H256) -> DispatchResult {
	Certificates::revoke(RuntimeOrigin::signed(who), hash, RevocationReason::Withdrawn)
}

/// Supersedes `old` by `new`, valid for ten days from now.
fn supersede(who: u64, old: H256, new: H256) -> DispatchResult {
	supersede_dated(who, old, new, NOW_MS, Some(NOW_MS + 10 * DAY_MS))
}

fn supersede_dated(
	who: u64,
	old: H256,
	new: H256,
	from: u64,
	until: Option<u64>,
) -> DispatchResult {
	Certificates::supersede(RuntimeOrigin::signed(who), old, new, from, until)
}

#[test]
fn suspend_and_reinstate() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(Certificates::suspend(
			RuntimeOrigin::signed(PHYSICIAN),
			h(1),
			SuspensionReason::Disputed
		));
		System::assert_last_event(
			Event::CertificateSuspended { document_hash: h(1), reason: SuspensionReason::Disputed }
				.into(),
		);
		assert_eq!(
			certificate(h(1)).status,
			CertificateStatus::Suspended { reason: SuspensionReason::Disputed }
		);
		assert_eq!(Certificates::verify(h(1)).unwrap().validity, Validity::Suspended);
		assert!(bit(h(1), StatusPurpose::Suspension));
		assert!(!bit(h(1), StatusPurpose::Revocation));

		assert_ok!(reinstate(PHYSICIAN, h(1)));
		System::assert_last_event(Event::CertificateReinstated { document_hash: h(1) }.into());
		assert_eq!(certificate(h(1)).status, CertificateStatus::Issued);
		assert_eq!(Certificates::verify(h(1)).unwrap().validity, Validity::Valid);
		assert!(!bit(h(1), StatusPurpose::Suspension));
		// The chunk's last bit was cleared: the chunk is gone.
		assert!(!StatusChunks::<Test>::contains_key(HOSPITAL, 0));
	});
}

#[test]
fn revocation_is_final() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		System::set_block_number(5);
		assert_ok!(Certificates::revoke(
			RuntimeOrigin::signed(PHYSICIAN),
			h(1),
			RevocationReason::Fraudulent
		));
		System::assert_last_event(
			Event::CertificateRevoked { document_hash: h(1), reason: RevocationReason::Fraudulent }
				.into(),
		);
		assert_eq!(
			certificate(h(1)).status,
			CertificateStatus::Revoked { reason: RevocationReason::Fraudulent, at: 5 }
		);
		assert_eq!(Certificates::verify(h(1)).unwrap().validity, Validity::Revoked);
		assert!(bit(h(1), StatusPurpose::Revocation));
		assert!(!bit(h(1), StatusPurpose::Suspension));
		assert_noop!(suspend(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(reinstate(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(revoke(PHYSICIAN, h(1)), Error::<Test>::AlreadyFinal);
		assert_noop!(supersede(PHYSICIAN, h(1), h(2)), Error::<Test>::AlreadyFinal);
	});
}

#[test]
fn revoking_a_suspended_certificate_moves_its_bit() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(suspend(PHYSICIAN, h(1)));
		assert_ok!(revoke(HOSPITAL_ADMIN, h(1)));
		assert!(bit(h(1), StatusPurpose::Revocation));
		assert!(!bit(h(1), StatusPurpose::Suspension));
		assert_eq!(Certificates::verify(h(1)).unwrap().validity, Validity::Revoked);
	});
}

#[test]
fn transitions_need_the_right_status() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_noop!(reinstate(PHYSICIAN, h(1)), Error::<Test>::NotSuspended);
		assert_ok!(suspend(PHYSICIAN, h(1)));
		assert_noop!(suspend(PHYSICIAN, h(1)), Error::<Test>::NotIssued);
		for who in [PHYSICIAN, PHYSICIAN_2, HOSPITAL_ADMIN] {
			assert_noop!(suspend(who, h(9)), Error::<Test>::UnknownCertificate);
			assert_noop!(reinstate(who, h(9)), Error::<Test>::UnknownCertificate);
			assert_noop!(revoke(who, h(9)), Error::<Test>::UnknownCertificate);
			assert_noop!(supersede(who, h(9), h(8)), Error::<Test>::UnknownCertificate);
		}
	});
}

#[test]
fn the_institution_stands_behind_its_certificates() {
	build_and_execute(|| {
		// A sick leave by the physician.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		for who in [
			NURSE,
			PHARMACIST,
			HOSPITAL_DEVICE,
			CLINIC_PHYSICIAN,
			CLINIC_ADMIN,
			PHARMACY_PHYSICIAN,
			PATIENT,
			STRANGER,
		] {
			assert_noop!(suspend(who, h(1)), Error::<Test>::NotIssuersInstitution);
			assert_noop!(revoke(who, h(1)), Error::<Test>::NotIssuersInstitution);
			assert_noop!(supersede(who, h(1), h(2)), Error::<Test>::NotIssuersInstitution);
		}
		// A colleague who may issue the kind, the admin and the issuer may.
		assert_ok!(suspend(PHYSICIAN_2, h(1)));
		assert_ok!(reinstate(HOSPITAL_ADMIN, h(1)));
		assert_ok!(suspend(PHYSICIAN, h(1)));
		assert_noop!(reinstate(NURSE, h(1)), Error::<Test>::NotIssuersInstitution);

		// A vaccination certificate by the physician: the nurse may change it.
		assert_ok!(issue(PHYSICIAN, PATIENT, h(3), K::Vaccination));
		assert_ok!(suspend(NURSE, h(3)));
		assert_ok!(reinstate(NURSE, h(3)));
		assert_noop!(suspend(PHARMACIST, h(3)), Error::<Test>::NotIssuersInstitution);
	});
}

#[test]
fn former_staff_and_inactive_institutions_change_nothing() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN_2, PATIENT, h(1), K::SickLeave));
		assert_ok!(Institutions::remove_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHYSICIAN_2
		));
		assert_noop!(revoke(PHYSICIAN_2, h(1)), Error::<Test>::NotIssuersInstitution);
		// The institution, through a colleague, still can.
		assert_ok!(suspend(PHYSICIAN, h(1)));

		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
		assert_noop!(reinstate(PHYSICIAN, h(1)), Error::<Test>::NotIssuersInstitution);
		assert_noop!(reinstate(HOSPITAL_ADMIN, h(1)), Error::<Test>::NotIssuersInstitution);
		assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
		assert_ok!(reinstate(HOSPITAL_ADMIN, h(1)));
	});
}

#[test]
fn supersede_replaces_a_certificate_and_keeps_both() {
	build_and_execute(|| {
		let (from, until) = (NOW_MS - 2 * DAY_MS, Some(NOW_MS + 3 * DAY_MS));
		assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(1), K::SickLeave, from, until));
		System::set_block_number(2);
		let longer = Some(NOW_MS + 5 * DAY_MS);
		assert_ok!(supersede_dated(PHYSICIAN_2, h(1), h(2), from, longer));
		System::assert_has_event(Event::CertificateSuperseded { old: h(1), new: h(2) }.into());

		assert_eq!(certificate(h(1)).status, CertificateStatus::Superseded { by: h(2) });
		assert_eq!(Certificates::verify(h(1)).unwrap().validity, Validity::Superseded);
		let new = Certificates::verify(h(2)).unwrap();
		assert_eq!(new.validity, Validity::Valid);
		assert_eq!(new.supersedes, Some(h(1)));
		assert_eq!(
			(new.subject, new.kind, new.institution, new.issuer),
			(PATIENT, K::SickLeave, HOSPITAL, PHYSICIAN_2)
		);
		assert_eq!((new.valid_from_ms, new.valid_until_ms), (from, longer));
		assert_eq!((new.status_index, new.issued_at), (1, 2));
		// The superseded document is no longer in force: offline verifiers see it revoked.
		assert!(bit(h(1), StatusPurpose::Revocation));
		for (hash, purpose) in [
			(h(1), StatusPurpose::Suspension),
			(h(2), StatusPurpose::Revocation),
			(h(2), StatusPurpose::Suspension),
		] {
			assert!(!bit(hash, purpose));
		}
		// Both stay listed for the subject, in order.
		let listed: Vec<H256> = Certificates::certificates_of(&PATIENT, 0)
			.certificates
			.into_iter()
			.map(|c| c.document_hash)
			.collect();
		assert_eq!(listed, vec![h(1), h(2)]);
		// The correction may itself be corrected; the first one is final.
		assert_noop!(supersede(PHYSICIAN, h(1), h(3)), Error::<Test>::AlreadyFinal);
		// The admin may revoke or suspend, but a correction is a practitioner's attestation.
		assert_noop!(supersede(HOSPITAL_ADMIN, h(2), h(3)), Error::<Test>::NotPractitioner);
		assert_ok!(supersede(PHYSICIAN, h(2), h(3)));
		assert_eq!(certificate(h(3)).issuer, PHYSICIAN);
		System::assert_last_event(
			Event::CertificateIssued {
				document_hash: h(3),
				institution: HOSPITAL,
				kind: K::SickLeave,
				subject: PATIENT,
			}
			.into(),
		);
	});
}

#[test]
fn superseding_a_suspended_certificate_moves_its_bit_to_the_revocation_list() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(suspend(PHYSICIAN, h(1)));
		assert_ok!(supersede(PHYSICIAN, h(1), h(2)));
		assert!(!bit(h(1), StatusPurpose::Suspension));
		assert!(bit(h(1), StatusPurpose::Revocation));
		let chunk = StatusChunks::<Test>::get(HOSPITAL, 0).unwrap();
		assert_eq!((chunk.revoked[0], chunk.suspended[0]), (0x80, 0));
		assert_eq!(Certificates::verify(h(2)).unwrap().validity, Validity::Valid);
	});
}

#[test]
fn supersede_fails_cleanly() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(issue(PHYSICIAN, PATIENT_2, h(3), K::SickLeave));
		assert_noop!(supersede(PHYSICIAN, h(1), h(1)), Error::<Test>::SameDocument);
		assert_noop!(supersede(PHYSICIAN, h(1), h(3)), Error::<Test>::AlreadyIssued);
		let dated =
			|from: u64, until: Option<u64>| supersede_dated(PHYSICIAN, h(1), h(2), from, until);
		assert_noop!(dated(NOW_MS, Some(NOW_MS)), Error::<Test>::InvalidValidity);
		assert_noop!(
			dated(NOW_MS, Some(NOW_MS + 365 * DAY_MS + 1)),
			Error::<Test>::ValidityTooLong
		);
		assert_noop!(dated(NOW_MS - 7 * DAY_MS - 1, Some(NOW_MS)), Error::<Test>::BackdatedTooFar);
		// The subject's list is full.
		for i in 4..=6 {
			assert_ok!(issue(PHYSICIAN, PATIENT, h(i), K::Fitness));
		}
		assert_noop!(
			supersede(PHYSICIAN, h(1), h(2)),
			Error::<Test>::TooManyCertificatesForSubject
		);
		// The institution's lists are full (5 issued).
		MaxPerInstitution::set(5);
		assert_noop!(
			supersede(PHYSICIAN, h(3), h(2)),
			Error::<Test>::TooManyCertificatesForInstitution
		);
	});
}

#[test]
fn a_correction_may_start_as_early_as_what_it_corrects() {
	build_and_execute(|| {
		let week = 7 * DAY_MS;
		let start = NOW_MS - week;
		assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(1), K::SickLeave, start, Some(NOW_MS)));
		// Ten days later the sick leave is extended: its start is now 17 days back.
		Timestamp::set_timestamp(NOW_MS + 10 * DAY_MS);
		assert_noop!(
			issue_dated(PHYSICIAN, PATIENT, h(3), K::SickLeave, start, Some(NOW_MS + 20 * DAY_MS)),
			Error::<Test>::BackdatedTooFar
		);
		assert_noop!(
			supersede_dated(PHYSICIAN, h(1), h(2), start - 1, Some(NOW_MS + 20 * DAY_MS)),
			Error::<Test>::BackdatedTooFar
		);
		assert_ok!(supersede_dated(PHYSICIAN, h(1), h(2), start, Some(NOW_MS + 20 * DAY_MS)));
		assert_eq!(Certificates::verify(h(2)).unwrap().validity, Validity::Valid);
	});
}
