//! Verification for anyone: the computed validity (`NotYetValid`, `Expired`), the status
//! lists' bit order (most significant bit first, across chunks), and a subject's list by page.

use super::*;
use crate::{status_list, StatusChunks};

fn revoke(hash: H256) {
	assert_ok!(Certificates::revoke(
		RuntimeOrigin::signed(PHYSICIAN),
		hash,
		RevocationReason::IssuedInError
	));
}

fn suspend(hash: H256) {
	assert_ok!(Certificates::suspend(
		RuntimeOrigin::signed(PHYSICIAN),
		hash,
		SuspensionReason::UnderReview
	));
}

/// The hash of the `i`-th certificate of a long series.
fn nth(i: u64) -> H256 {
	H256::from_low_u64_be(1_000 + i)
}

#[test]
fn validity_follows_the_clock_without_a_transaction() {
	build_and_execute(|| {
		let (from, until) = (NOW_MS + DAY_MS, NOW_MS + 3 * DAY_MS);
		assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(1), K::Fitness, from, Some(until)));
		assert_ok!(issue_dated(PHYSICIAN, PATIENT, h(2), K::Disability, NOW_MS, None));
		let validity = |hash| Certificates::verify(hash).unwrap().validity;
		assert_eq!(validity(h(1)), Validity::NotYetValid);
		// Valid from its first millisecond to the one before its end.
		Timestamp::set_timestamp(from);
		assert_eq!(validity(h(1)), Validity::Valid);
		Timestamp::set_timestamp(until - 1);
		assert_eq!(validity(h(1)), Validity::Valid);
		Timestamp::set_timestamp(until);
		assert_eq!(validity(h(1)), Validity::Expired);
		let v = Certificates::verify(h(1)).unwrap();
		assert_eq!((v.checked_at_ms, v.status), (until, CertificateStatus::Issued));
		assert_eq!(
			Certificates::certificates_of(&PATIENT, 0).certificates[0].validity,
			Validity::Expired
		);
		// An open end never expires.
		Timestamp::set_timestamp(NOW_MS + 50 * 365 * DAY_MS);
		assert_eq!(validity(h(2)), Validity::Valid);
		// The stored status decides before the dates.
		suspend(h(1));
		assert_eq!(validity(h(1)), Validity::Suspended);
		revoke(h(1));
		assert_eq!(validity(h(1)), Validity::Revoked);
	});
}

#[test]
fn verify_knows_only_issued_documents() {
	build_and_execute(|| {
		assert!(Certificates::verify(h(1)).is_none());
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert!(Certificates::verify(h(1)).is_some());
		assert!(Certificates::verify(h(2)).is_none());
	});
}

#[test]
fn status_lists_are_most_significant_bit_first() {
	build_and_execute(|| {
		MaxPerSubject::set(16);
		for i in 0..10 {
			assert_ok!(issue(PHYSICIAN, PATIENT, nth(i), K::SickLeave));
		}
		revoke(nth(0));
		revoke(nth(9));
		suspend(nth(1));
		suspend(nth(7));
		// Ten indices: two bytes, index 0 the leftmost bit of byte 0.
		let revocation = Certificates::status_list(HOSPITAL, StatusPurpose::Revocation);
		assert_eq!(revocation.issued, 10);
		assert_eq!(revocation.bits, vec![0b1000_0000, 0b0100_0000]);
		assert_eq!(
			Certificates::status_list(HOSPITAL, StatusPurpose::Suspension).bits,
			vec![0b0100_0001, 0b0000_0000]
		);
		let chunk = StatusChunks::<Test>::get(HOSPITAL, 0).unwrap();
		assert_eq!((chunk.revoked[0], chunk.revoked[1]), (0x80, 0x40));
		assert!(Certificates::status_bit(HOSPITAL, 9, StatusPurpose::Revocation));
		assert!(!Certificates::status_bit(HOSPITAL, 8, StatusPurpose::Revocation));
		// No certificates, no bits; eight certificates, one byte.
		let empty = Certificates::status_list(CLINIC, StatusPurpose::Revocation);
		assert_eq!((empty.issued, empty.bits.len()), (0, 0));
		for i in 0..8 {
			assert_ok!(issue(CLINIC_PHYSICIAN, CLINIC_PATIENT, nth(100 + i), K::Fitness));
		}
		assert_eq!(Certificates::status_list(CLINIC, StatusPurpose::Suspension).bits, vec![0]);
	});
}

#[test]
fn status_lists_span_chunks() {
	build_and_execute(|| {
		MaxPerInstitution::set(300);
		MaxPerSubject::set(300);
		for i in 0..258 {
			assert_ok!(issue(PHYSICIAN, PATIENT, nth(i), K::SickLeave));
		}
		for i in [255, 256, 257] {
			revoke(nth(i));
		}
		assert_eq!(status_list::position(255), (0, 31, 0b0000_0001));
		assert_eq!(status_list::position(256), (1, 0, 0b1000_0000));
		let list = Certificates::status_list(HOSPITAL, StatusPurpose::Revocation).bits;
		assert_eq!(list.len(), 33);
		assert!(list[..31].iter().all(|b| *b == 0));
		assert_eq!((list[31], list[32]), (0b0000_0001, 0b1100_0000));
		assert!(StatusChunks::<Test>::contains_key(HOSPITAL, 0));
		assert!(StatusChunks::<Test>::contains_key(HOSPITAL, 1));
		assert_eq!(
			Certificates::status_list(HOSPITAL, StatusPurpose::Suspension).bits,
			vec![0; 33]
		);
	});
}

#[test]
fn a_subjects_certificates_are_listed_by_page() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::SickLeave));
		assert_ok!(issue(PHYSICIAN, PATIENT_2, h(2), K::SickLeave));
		assert_ok!(issue(NURSE, PATIENT, h(3), K::Vaccination));
		assert_ok!(Certificates::supersede(
			RuntimeOrigin::signed(PHYSICIAN),
			h(1),
			h(4),
			NOW_MS,
			Some(NOW_MS + DAY_MS)
		));
		let page0 = Certificates::certificates_of(&PATIENT, 0);
		assert_eq!((page0.total, page0.page, page0.page_size), (3, 0, 2));
		let first: Vec<_> =
			page0.certificates.iter().map(|c| (c.document_hash, c.kind, c.validity)).collect();
		assert_eq!(
			first,
			vec![
				(h(1), K::SickLeave, Validity::Superseded),
				(h(3), K::Vaccination, Validity::Valid)
			]
		);
		let page1 = Certificates::certificates_of(&PATIENT, 1);
		assert_eq!(page1.certificates.len(), 1);
		assert_eq!(page1.certificates[0].document_hash, h(4));
		assert_eq!(page1.certificates[0].institution, HOSPITAL);
		assert!(Certificates::certificates_of(&PATIENT, 2).certificates.is_empty());
		assert!(Certificates::certificates_of(&PATIENT, u32::MAX).certificates.is_empty());
		assert_eq!(Certificates::certificates_of(&STRANGER, 0).total, 0);
	});
}
