//! The invariant checks (`do_try_state`) catch each kind of corrupted state: status bits that
//! disagree with statuses, stray bits, status indices and counters out of step, broken links
//! between corrections, subject lists that lie. Each test corrupts one item, checks that the
//! invariants fail, and puts it back (the check at the end of the test must pass).

use super::*;
use crate::{
	NextStatusIndex, StatusChunk, StatusChunks, SubjectCertificateCount, SubjectCertificates,
};

/// Changes certificate `hash` with `f`, checks that the invariants break, and puts it back.
fn tamper_certificate(hash: H256, f: impl FnOnce(&mut CertificateOf<Test>)) {
	let good = certificate(hash);
	let mut bad = good.clone();
	f(&mut bad);
	crate::Certificates::<Test>::insert(hash, bad);
	assert!(Certificates::do_try_state().is_err());
	crate::Certificates::<Test>::insert(hash, good);
	assert_ok!(Certificates::do_try_state());
}

/// Two sick leaves of the patient at the hospital (indices 0 and 1), the first suspended.
fn two_certificates() {
	assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
	assert_ok!(issue(PHYSICIAN, PATIENT, h(2), K::SickLeave));
	assert_ok!(Certificates::suspend(
		RuntimeOrigin::signed(PHYSICIAN),
		h(1),
		SuspensionReason::UnderReview
	));
	assert_ok!(Certificates::do_try_state());
}

#[test]
fn try_state_checks_the_status_bits() {
	build_and_execute(|| {
		two_certificates();
		let flip = |index: u32, purpose: StatusPurpose, value: bool| {
			Certificates::set_status_bit(HOSPITAL, index, purpose, value);
			assert!(Certificates::do_try_state().is_err());
			Certificates::set_status_bit(HOSPITAL, index, purpose, !value);
			assert_ok!(Certificates::do_try_state());
		};
		// An issued certificate marked revoked or suspended.
		flip(1, StatusPurpose::Revocation, true);
		flip(1, StatusPurpose::Suspension, true);
		// A suspended certificate without its bit, or also marked revoked.
		flip(0, StatusPurpose::Suspension, false);
		flip(0, StatusPurpose::Revocation, true);
		// A bit at an index no certificate has, in the chunk or beyond it.
		flip(5, StatusPurpose::Revocation, true);
		flip(300, StatusPurpose::Suspension, true);
		// Bits of an institution without certificates.
		Certificates::set_status_bit(CLINIC, 0, StatusPurpose::Revocation, true);
		assert!(Certificates::do_try_state().is_err());
		Certificates::set_status_bit(CLINIC, 0, StatusPurpose::Revocation, false);
		// An empty chunk kept in storage.
		StatusChunks::<Test>::insert(HOSPITAL, 3, StatusChunk::default());
		assert!(Certificates::do_try_state().is_err());
		StatusChunks::<Test>::remove(HOSPITAL, 3);
	});
}

#[test]
fn try_state_checks_status_indices_and_validity() {
	build_and_execute(|| {
		two_certificates();
		// Two certificates on one index.
		tamper_certificate(h(2), |c| c.status_index = 0);
		// An index beyond the institution's next one.
		tamper_certificate(h(2), |c| c.status_index = 2);
		// A certificate that ends when it starts.
		tamper_certificate(h(2), |c| c.valid_until_ms = Some(c.valid_from_ms));
		// A status that its bits do not show.
		tamper_certificate(h(2), |c| {
			c.status = CertificateStatus::Revoked { reason: RevocationReason::Other, at: 1 }
		});
		// The next index out of step with the number of certificates.
		NextStatusIndex::<Test>::insert(HOSPITAL, 3);
		assert!(Certificates::do_try_state().is_err());
		NextStatusIndex::<Test>::insert(CLINIC, 1);
		NextStatusIndex::<Test>::insert(HOSPITAL, 2);
		assert!(Certificates::do_try_state().is_err());
		NextStatusIndex::<Test>::remove(CLINIC);
	});
}

#[test]
fn try_state_checks_the_subjects_lists() {
	build_and_execute(|| {
		two_certificates();
		assert_ok!(issue(PHYSICIAN, PATIENT_2, h(3), K::Fitness));
		// A wrong count.
		SubjectCertificateCount::<Test>::insert(PATIENT, 1);
		assert!(Certificates::do_try_state().is_err());
		SubjectCertificateCount::<Test>::insert(PATIENT, 2);
		assert_ok!(Certificates::do_try_state());
		// One certificate listed twice (and the other not at all).
		SubjectCertificates::<Test>::insert(PATIENT, 0, h(2));
		assert!(Certificates::do_try_state().is_err());
		// Another subject's certificate.
		SubjectCertificates::<Test>::insert(PATIENT, 0, h(3));
		assert!(Certificates::do_try_state().is_err());
		SubjectCertificates::<Test>::insert(PATIENT, 0, h(1));
		assert_ok!(Certificates::do_try_state());
		// An entry beyond the count.
		SubjectCertificates::<Test>::insert(PATIENT, 2, h(9));
		assert!(Certificates::do_try_state().is_err());
		SubjectCertificates::<Test>::remove(PATIENT, 2);
		// A subject's certificate reassigned to someone else.
		tamper_certificate(h(3), |c| c.subject = PATIENT);
	});
}

#[test]
fn try_state_checks_the_links_between_corrections() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(Certificates::supersede(
			RuntimeOrigin::signed(PHYSICIAN),
			h(1),
			h(2),
			NOW_MS,
			Some(NOW_MS + DAY_MS)
		));
		tamper_certificate(h(2), |c| c.supersedes = None);
		tamper_certificate(h(1), |c| c.status = CertificateStatus::Superseded { by: h(9) });
		tamper_certificate(h(1), |c| c.status = CertificateStatus::Issued);
		tamper_certificate(h(2), |c| c.kind = K::Fitness);
	});
}
