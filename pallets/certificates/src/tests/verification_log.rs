//! The holder's choice to log a verification: the entry in the holder's disclosure log, who may
//! log, and a full log refusing without writing anything.

use super::*;
use pallet_consent::{Basis, Purpose};
use pallet_records::Category;

/// The holder's salted commitment to a third party.
fn employer() -> H256 {
	H256::repeat_byte(0xe1)
}

#[test]
fn the_holder_logs_a_verification_in_their_disclosure_log() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::Vaccination));
		assert_ok!(issue(PHYSICIAN, PATIENT, h(2), K::SickLeave));
		assert_ok!(Certificates::log_verification(
			RuntimeOrigin::signed(PATIENT),
			h(1),
			employer()
		));
		System::assert_last_event(
			Event::VerificationLogged { document_hash: h(1), subject: PATIENT, index: 0 }.into(),
		);
		assert_ok!(Certificates::log_verification(RuntimeOrigin::signed(PATIENT), h(2), h(0xe2)));

		let page = Consent::disclosures(&PATIENT, 0);
		assert_eq!(page.entries.len(), 2);
		// Newest first.
		let (index, sick_leave) = &page.entries[0];
		assert_eq!(*index, 1);
		assert_eq!(sick_leave.category, Category::Other);
		assert_eq!(sick_leave.basis, Basis::HolderShared(h(0xe2)));
		let (_, vaccination) = &page.entries[1];
		assert_eq!(vaccination.custodian, Some(HOSPITAL));
		assert_eq!(vaccination.recipient, HOSPITAL);
		assert_eq!(vaccination.record_id, h(1).as_bytes().to_vec());
		assert_eq!(vaccination.category, Category::Immunization);
		assert_eq!(vaccination.purpose, Purpose::PatientRequest);
		assert_eq!(vaccination.basis, Basis::HolderShared(employer()));
		// The entries are chained like every other entry of the log.
		assert_eq!(sick_leave.previous, vaccination.hash);
	});
}

#[test]
fn a_guardian_logs_for_the_ward_and_a_revoked_certificate_may_be_logged() {
	build_and_execute(|| {
		const GUARDIAN: u64 = 60;
		const WARD: u64 = 43;
		assert_ok!(Institutions::register_patient(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			WARD,
			Some(GUARDIAN)
		));
		assert_ok!(Institutions::confirm_registration(
			RuntimeOrigin::signed(GUARDIAN),
			WARD,
			Some(GUARDIAN)
		));
		assert_ok!(issue(PHYSICIAN, WARD, h(3), K::Fitness));
		assert_ok!(Certificates::revoke(
			RuntimeOrigin::signed(PHYSICIAN),
			h(3),
			RevocationReason::IssuedInError
		));
		assert_ok!(Certificates::log_verification(
			RuntimeOrigin::signed(GUARDIAN),
			h(3),
			employer()
		));
		assert_eq!(Consent::disclosures(&WARD, 0).entries.len(), 1);
		assert!(Consent::disclosures(&GUARDIAN, 0).entries.is_empty());
	});
}

#[test]
fn only_the_holder_logs_and_only_a_known_certificate() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::Fitness));
		for who in [PATIENT_2, PHYSICIAN, HOSPITAL_ADMIN, STRANGER] {
			assert_noop!(
				Certificates::log_verification(RuntimeOrigin::signed(who), h(1), employer()),
				Error::<Test>::NotHolder
			);
		}
		assert_noop!(
			Certificates::log_verification(RuntimeOrigin::signed(PATIENT), h(9), employer()),
			Error::<Test>::UnknownCertificate
		);
		assert!(Consent::disclosures(&PATIENT, 0).entries.is_empty());
	});
}

#[test]
fn a_log_full_of_recent_entries_refuses_and_writes_nothing() {
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::Fitness));
		let log = |n| Certificates::log_verification(RuntimeOrigin::signed(PATIENT), h(1), h(n));
		// The mock keeps 3 entries for 30 blocks.
		for n in 0..3 {
			assert_ok!(log(n));
		}
		assert_noop!(log(3), pallet_consent::Error::<Test>::DisclosureLogFull);
		// Past the retention, the oldest entry gives way.
		System::set_block_number(40);
		assert_ok!(log(3));
		let page = Consent::disclosures(&PATIENT, 0);
		assert_eq!(page.log.first, 1);
		assert_eq!(page.entries[0].1.basis, Basis::HolderShared(h(3)));
	});
}

/// A holder's pseudonym holds no tokens: logging is fee-free for the subject (or guardian)
/// while the patient allowance lasts, and the runtime's allowance extension spends it (the
/// mock lists the call in `AllowanceCalls`, as the runtime does).
#[test]
fn logging_is_fee_free_for_the_holder_within_the_patient_allowance() {
	use frame_support::{dispatch::CheckIfFeeless, traits::Contains};
	build_and_execute(|| {
		assert_ok!(issue(PHYSICIAN, PATIENT, h(1), K::Fitness));
		let call = |hash| {
			RuntimeCall::Certificates(crate::Call::log_verification {
				document_hash: hash,
				verifier: employer(),
			})
		};
		assert!(<Test as pallet_consent::Config>::AllowanceCalls::contains(&call(h(1))));
		assert!(call(h(1)).is_feeless(&RuntimeOrigin::signed(PATIENT)));
		// Not the holder, or no such certificate: a fee is due.
		assert!(!call(h(1)).is_feeless(&RuntimeOrigin::signed(STRANGER)));
		assert!(!call(h(9)).is_feeless(&RuntimeOrigin::signed(PATIENT)));
		// The allowance spent: a fee is due.
		let allowance = pallet_consent::Params::<Test>::get().patient_allowance;
		for _ in 0..allowance {
			pallet_consent::Pallet::<Test>::use_allowance(&PATIENT, System::block_number());
		}
		assert!(!call(h(1)).is_feeless(&RuntimeOrigin::signed(PATIENT)));
	});
}
