//! Tests of the safeguards added by the hardening review (issue 12): fee-free calls spend the
//! allowance even when they fail, bounded call arguments, break-glass limits per institution,
//! flagging that closes an access, and a disclosure log that no custodian can flush.

use crate::{
	mock::*, Basis, Call, Disclosures, EmergencyReason, Error, Event, FlaggedEmergencies,
	InstitutionEmergencyUsage, KeptEmergencyEntries, PatientAllowance, Purpose, Target,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchInfo, GetDispatchInfo},
	BoundedVec,
};
use pallet_records::Category;
use sp_runtime::{traits::DispatchTransaction, transaction_validity::TransactionValidityError};

fn open(practitioner: u64, patient: u64) -> sp_runtime::DispatchResult {
	Consent::open_emergency_access(
		RuntimeOrigin::signed(practitioner),
		patient,
		committed(EmergencyReason::LifeThreatening),
		card_for(patient, practitioner),
	)
}

fn allergy_at_a() -> Target {
	Target::Record { custodian: HOSPITAL_A, record_id: b"allergy".to_vec() }
}

fn emergency_permit(grantee: u32) -> bool {
	let now = System::block_number();
	Consent::check(&PATIENT, grantee, &allergy_at_a(), Purpose::EmergencyTreatment, now).is_permit()
}

mod patient_allowance {
	use super::*;

	/// A `grant` that fails (no purposes) from the patient, through the extension as a block
	/// builder applies it: validate, prepare, dispatch.
	fn failing_grant() -> RuntimeCall {
		RuntimeCall::Consent(Call::grant {
			patient: PATIENT,
			grantee: HOSPITAL_B,
			categories: BoundedVec::truncate_from(vec![Category::Laboratory]),
			records: Default::default(),
			purposes: Default::default(),
			valid_from: None,
			valid_until: 50,
			custodian: None,
		})
	}

	fn apply(call: RuntimeCall) -> Result<sp_runtime::DispatchResult, TransactionValidityError> {
		let info: DispatchInfo = call.get_dispatch_info();
		PatientAllowance::<Test>::new()
			.dispatch_transaction(RuntimeOrigin::signed(PATIENT), call, &info, 100, 0)
			.map(|outcome| outcome.map(|_| ()).map_err(|e| e.error))
	}

	#[test]
	fn a_failing_fee_free_call_spends_the_allowance() {
		with_registry().execute_with(|| {
			let allowance = crate::Params::<Test>::get().patient_allowance;
			for n in 0..allowance {
				assert_eq!(
					apply(failing_grant()),
					Ok(Err(Error::<Test>::NoPurpose.into())),
					"call {n} is applied and fails"
				);
				assert_eq!(crate::Allowance::<Test>::get(PATIENT).1, n + 1, "spent");
			}
			// The allowance is used up: the call is no longer fee-free, so the extension spends
			// nothing more (the fee extension before it charges the fee or refuses it).
			let origin = RuntimeOrigin::signed(PATIENT);
			assert!(!Consent::is_within_allowance(&origin, &PATIENT));
			assert_eq!(apply(failing_grant()), Ok(Err(Error::<Test>::NoPurpose.into())));
			assert_eq!(crate::Allowance::<Test>::get(PATIENT).1, allowance, "nothing more");
		});
	}

	#[test]
	fn only_fee_free_consent_calls_spend_it() {
		with_registry().execute_with(|| {
			// A stranger's call is not fee-free: nothing spent.
			let info = failing_grant().get_dispatch_info();
			let outcome = PatientAllowance::<Test>::new().dispatch_transaction(
				RuntimeOrigin::signed(STRANGER),
				failing_grant(),
				&info,
				100,
				0,
			);
			assert!(matches!(outcome, Ok(Err(_))));
			assert_eq!(crate::Allowance::<Test>::get(STRANGER).1, 0);
			// A non-consent call: nothing spent, no weight added.
			let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
			let ext = PatientAllowance::<Test>::new();
			assert_eq!(
				sp_runtime::traits::TransactionExtension::<RuntimeCall>::weight(&ext, &remark),
				frame_support::weights::Weight::zero()
			);
			assert_ok!(apply(remark).expect("valid"));
			assert_eq!(crate::Allowance::<Test>::get(PATIENT).1, 0);
		});
	}
}

mod bounded_arguments {
	use super::*;

	/// The encoding of `grant` with plain lists: what a client may send.
	fn raw_grant(
		categories: Vec<Category>,
		records: Vec<(u32, Vec<u8>)>,
		purposes: Vec<Purpose>,
	) -> Vec<u8> {
		let mut bytes = Call::<Test>::grant {
			patient: PATIENT,
			grantee: HOSPITAL_B,
			categories: Default::default(),
			records: Default::default(),
			purposes: Default::default(),
			valid_from: None,
			valid_until: 50,
			custodian: None,
		}
		.encode()[..1]
			.to_vec();
		(PATIENT, HOSPITAL_B, categories, records, purposes, None::<u64>, 50u64, None::<u32>)
			.encode_to(&mut bytes);
		bytes
	}

	#[test]
	fn oversized_lists_do_not_decode() {
		let lab = || vec![Category::Laboratory];
		let treat = || vec![Purpose::Treatment];
		assert!(Call::<Test>::decode(&mut &raw_grant(lab(), vec![], treat())[..]).is_ok());
		let five = vec![Category::Laboratory; 5];
		assert!(Call::<Test>::decode(&mut &raw_grant(five, vec![], treat())[..]).is_err());
		let three = vec![(0, b"a".to_vec()), (0, b"b".to_vec()), (0, b"c".to_vec())];
		assert!(Call::<Test>::decode(&mut &raw_grant(lab(), three, treat())[..]).is_err());
		let long_id = vec![(0, vec![b'x'; 17])];
		assert!(Call::<Test>::decode(&mut &raw_grant(lab(), long_id, treat())[..]).is_err());
		let four = vec![Purpose::Treatment; 4];
		assert!(Call::<Test>::decode(&mut &raw_grant(lab(), vec![], four)[..]).is_err());

		let deny = |categories: Vec<Category>| {
			let mut bytes = Call::<Test>::set_deny_provisions {
				patient: PATIENT,
				categories: Default::default(),
			}
			.encode()[..1]
				.to_vec();
			(PATIENT, categories).encode_to(&mut bytes);
			Call::<Test>::decode(&mut &bytes[..])
		};
		assert!(deny(vec![Category::Laboratory; 3]).is_ok());
		assert!(deny(vec![Category::Laboratory; 4]).is_err());
	}
}

mod break_glass {
	use super::*;

	#[test]
	fn an_institution_has_its_own_limit_whatever_the_number_of_practitioners() {
		with_registry().execute_with(|| {
			// Per practitioner 2, per institution 3 (mock parameters).
			assert_ok!(open(PHYSICIAN_A, PATIENT));
			assert_ok!(open(PHYSICIAN_A, OTHER_PATIENT));
			assert_ok!(open(NURSE_A, PATIENT));
			assert_noop!(
				open(NURSE_A, OTHER_PATIENT),
				Error::<Test>::InstitutionEmergencyRateLimited
			);
			// A practitioner added now does not bring a fresh allowance.
			assert_ok!(Institutions::add_practitioner(
				RuntimeOrigin::signed(1),
				77,
				pallet_institutions::PractitionerRole::Physician,
				sp_core::H256::repeat_byte(1)
			));
			assert_noop!(open(77, PATIENT), Error::<Test>::InstitutionEmergencyRateLimited);
			// Another institution is not affected; the limit resets after the period.
			assert_ok!(open(PHYSICIAN_B, PATIENT));
			System::set_block_number(51);
			assert_ok!(open(77, PATIENT));
		});
	}

	#[test]
	fn a_practitioner_limit_survives_removal_and_re_adding() {
		with_registry().execute_with(|| {
			assert_ok!(open(PHYSICIAN_A, PATIENT));
			assert_ok!(open(PHYSICIAN_A, OTHER_PATIENT));
			assert_ok!(Institutions::remove_practitioner(RuntimeOrigin::signed(1), PHYSICIAN_A));
			assert_ok!(Institutions::add_practitioner(
				RuntimeOrigin::signed(1),
				PHYSICIAN_A,
				pallet_institutions::PractitionerRole::Physician,
				sp_core::H256::repeat_byte(1)
			));
			assert_noop!(open(PHYSICIAN_A, PATIENT), Error::<Test>::EmergencyRateLimited);
		});
	}

	#[test]
	fn removing_a_practitioner_closes_its_open_accesses() {
		with_registry().execute_with(|| {
			assert_ok!(open(PHYSICIAN_B, PATIENT));
			assert!(emergency_permit(HOSPITAL_B));
			assert_ok!(Institutions::remove_practitioner(RuntimeOrigin::signed(2), PHYSICIAN_B));
			assert!(!emergency_permit(HOSPITAL_B), "closed with its practitioner");
			assert_noop!(
				Consent::log_release(
					RuntimeOrigin::signed(DEVICE_A),
					PATIENT,
					HOSPITAL_B,
					b"allergy".to_vec(),
					Purpose::EmergencyTreatment
				),
				Error::<Test>::NoConsent
			);
		});
	}

	#[test]
	fn a_flagged_access_closes_counts_against_the_institution_and_tells_the_patient() {
		with_registry().execute_with(|| {
			assert_ok!(open(PHYSICIAN_B, PATIENT));
			assert!(emergency_permit(HOSPITAL_B));
			assert_ok!(Consent::flag_emergency_access(RuntimeOrigin::root(), 0));
			assert!(!emergency_permit(HOSPITAL_B), "closed at once");
			assert_eq!(InstitutionEmergencyUsage::<Test>::get(HOSPITAL_B).1, 2, "counted twice");
			assert_eq!(FlaggedEmergencies::<Test>::get(HOSPITAL_B), 1);
			System::assert_last_event(
				Event::EmergencyAccessFlagged {
					access: 0,
					patient: PATIENT,
					institution: HOSPITAL_B,
					index: 1,
				}
				.into(),
			);
			let page = Consent::disclosures(&PATIENT, 0);
			let (index, entry) = &page.entries[0];
			assert_eq!((*index, entry.basis), (1, Basis::EmergencyReview(0)));
			assert_eq!(entry.recipient, HOSPITAL_B);
			// One more (flag counts as two): the institution's limit of 3 is reached.
			assert_ok!(open(PHYSICIAN_B, OTHER_PATIENT));
			let other = 78;
			assert_ok!(Institutions::add_practitioner(
				RuntimeOrigin::signed(2),
				other,
				pallet_institutions::PractitionerRole::Nurse,
				sp_core::H256::repeat_byte(1)
			));
			assert_noop!(open(other, PATIENT), Error::<Test>::InstitutionEmergencyRateLimited);
		});
	}
}

mod disclosure_log_protection {
	use super::*;

	fn grant_lab_and_allergy_to_b() {
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			HOSPITAL_B,
			BoundedVec::truncate_from(vec![Category::Laboratory, Category::Allergy]),
			Default::default(),
			BoundedVec::truncate_from(vec![Purpose::Treatment]),
			None,
			100,
			None
		));
	}

	fn release(id: &[u8]) -> sp_runtime::DispatchResult {
		Consent::log_release(
			RuntimeOrigin::signed(DEVICE_A),
			PATIENT,
			HOSPITAL_B,
			id.to_vec(),
			Purpose::Treatment,
		)
	}

	/// The custodian's releases may fill the pseudonym's whole log (it is the only custodian
	/// that releases under this pseudonym), and keep logging once the oldest entry is past
	/// the retention period.
	#[test]
	fn young_entries_are_never_pruned_by_a_release() {
		with_registry().execute_with(|| {
			grant_lab_and_allergy_to_b();
			for _ in 0..4 {
				assert_ok!(release(b"lab"));
			}
			// Full (4) of entries younger than the retention (10 blocks).
			assert_noop!(release(b"allergy"), Error::<Test>::DisclosureLogFull);
			let decision = Consent::check(
				&PATIENT,
				HOSPITAL_B,
				&Target::Record { custodian: HOSPITAL_A, record_id: b"allergy".to_vec() },
				Purpose::Treatment,
				1,
			);
			assert!(decision.is_permit(), "the check itself permits; only the log refuses");
			// Once the oldest is past the retention period it may go.
			System::set_block_number(11);
			assert_ok!(release(b"allergy"));
			assert!(Disclosures::<Test>::get(PATIENT, 0).is_none());
			// And so on, for as long as the custodian releases.
			for k in 0..8u64 {
				System::set_block_number(22 + k * 11);
				assert_ok!(release(b"lab"));
			}
			assert_eq!(Consent::disclosures(&PATIENT, 0).log.next, 13);
		});
	}

	#[test]
	fn emergency_entries_survive_pruning_and_break_glass_is_never_refused() {
		with_registry().execute_with(|| {
			grant_lab_and_allergy_to_b();
			assert_ok!(open(PHYSICIAN_B, PATIENT));
			for _ in 0..3 {
				assert_ok!(release(b"lab"));
			}
			// Full of young entries: a release is refused, break-glass is not.
			assert_noop!(release(b"allergy"), Error::<Test>::DisclosureLogFull);
			assert_ok!(open(PHYSICIAN_A, PATIENT));
			// The first emergency entry left the range but is kept and shown.
			let page = Consent::disclosures(&PATIENT, 0);
			assert_eq!((page.log.first, page.log.next), (1, 5));
			assert_eq!(KeptEmergencyEntries::<Test>::get(PATIENT).into_inner(), vec![0]);
			assert!(Disclosures::<Test>::get(PATIENT, 0).is_some());
			assert_eq!(page.kept_emergency.len(), 1);
			assert_eq!(page.kept_emergency[0].1.basis, Basis::Emergency(0));
			// Releases later, past the retention: pruning never deletes an emergency entry.
			System::set_block_number(20);
			assert_ok!(release(b"allergy"));
			assert_ok!(release(b"allergy"));
			assert!(Disclosures::<Test>::get(PATIENT, 0).is_some());
			// Only newer emergency entries displace kept ones, beyond the bound (2): entry 7
			// (an emergency) joins 0 and 4, and 0 goes.
			assert_ok!(open(NURSE_A, PATIENT));
			System::set_block_number(40);
			for _ in 0..4 {
				assert_ok!(release(b"lab"));
			}
			assert_eq!(KeptEmergencyEntries::<Test>::get(PATIENT).into_inner(), vec![4, 7]);
			assert!(Disclosures::<Test>::get(PATIENT, 0).is_none());
			assert!(Disclosures::<Test>::get(PATIENT, 4).is_some());
		});
	}
}
