//! Tests of every path of the consent pallet: grants, revocation, expiry, deny provisions,
//! purposes, custodian limits, emergency access, the disclosure log and the patient allowance.

use crate::{
	mock::*, Allowance, Basis, ConsentsOf, Disclosures, EmergencyReason, Error, Event, Params,
	Purpose, Reason, Target,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use pallet_records::Category;
use sp_runtime::DispatchError;

#[allow(clippy::too_many_arguments)]
fn grant_full(
	who: u64,
	patient: u64,
	grantee: u32,
	categories: Vec<Category>,
	records: Vec<(u32, Vec<u8>)>,
	purposes: Vec<Purpose>,
	from: Option<u64>,
	until: u64,
	custodian: Option<u32>,
) -> sp_runtime::DispatchResult {
	Consent::grant(
		RuntimeOrigin::signed(who),
		patient,
		grantee,
		bounded(categories),
		bounded(records.into_iter().map(|(c, id)| (c, bounded(id))).collect()),
		bounded(purposes),
		from,
		until,
		custodian,
	)
}

/// A list within its bound, as a call takes it.
fn bounded<N: frame_support::traits::Get<u32>, X: core::fmt::Debug>(
	items: Vec<X>,
) -> frame_support::BoundedVec<X, N> {
	items.try_into().expect("within the bound")
}

/// `who` grants hospital B patient 40's laboratory records for treatment until block 50.
fn grant_lab_to_b_by(who: u64) -> sp_runtime::DispatchResult {
	grant_full(
		who,
		PATIENT,
		HOSPITAL_B,
		vec![Category::Laboratory],
		vec![],
		vec![Purpose::Treatment],
		None,
		50,
		None,
	)
}

/// Patient 40 grants hospital B laboratory records for treatment until block 50.
fn grant_lab_to_b() -> u64 {
	let id = crate::NextConsentId::<Test>::get();
	assert_ok!(grant_lab_to_b_by(PATIENT));
	id
}

fn lab_at_a() -> Target {
	Target::Record { custodian: HOSPITAL_A, record_id: b"lab".to_vec() }
}

fn check(target: &Target, grantee: u32, purpose: Purpose, at: u64) -> crate::Decision {
	Consent::check(&PATIENT, grantee, target, purpose, at)
}

/// The reason of a decision that must be a denial.
trait Denied {
	fn reason(&self) -> Reason;
}

impl Denied for crate::Decision {
	fn reason(&self) -> Reason {
		self.denial().unwrap_or_else(|| panic!("expected a denial, got {self:?}"))
	}
}

fn invariants() {
	assert_ok!(Consent::do_try_state());
}

mod granting {
	use super::*;

	#[test]
	fn patient_grants_and_the_check_permits() {
		with_registry().execute_with(|| {
			let id = grant_lab_to_b();
			System::assert_last_event(
				Event::ConsentGranted {
					consent: id,
					patient: PATIENT,
					grantee: HOSPITAL_B,
					valid_from: 1,
					valid_until: 50,
				}
				.into(),
			);
			let d = check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1);
			assert_eq!(d, crate::Decision::Permit(Basis::Consent(id)));
			// By category, from any custodian.
			let cat = Target::Category { category: Category::Laboratory, custodian: None };
			assert!(check(&cat, HOSPITAL_B, Purpose::Treatment, 10).is_permit());
			// Not for another grantee, nor another category.
			assert_eq!(
				check(&lab_at_a(), CLINIC_C, Purpose::Treatment, 1).reason(),
				Reason::NoConsent
			);
			// The same person's record at the clinic is another pseudonym's: a consent reaches
			// only the records of the pseudonym that granted it.
			let img = Target::Record { custodian: CLINIC_C, record_id: b"img".to_vec() };
			assert_eq!(
				check(&img, HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::UnknownRecord
			);
			invariants();
		});
	}

	#[test]
	fn guardian_grants_and_a_stranger_cannot() {
		with_registry().execute_with(|| {
			assert_ok!(grant_lab_to_b_by(GUARDIAN));
			assert_eq!(crate::Consents::<Test>::get(0).unwrap().granted_by, GUARDIAN);
			assert_noop!(grant_lab_to_b_by(STRANGER), Error::<Test>::NotPatientOrGuardian);
			// A hospital cannot grant on the patient's behalf either.
			assert_noop!(grant_lab_to_b_by(DEVICE_A), Error::<Test>::NotPatientOrGuardian);
		});
	}

	#[test]
	fn bad_grants_are_rejected() {
		with_registry().execute_with(|| {
			let lab = || vec![Category::Laboratory];
			let treat = || vec![Purpose::Treatment];
			let g = |grantee, cats, recs, purposes, from, until, custodian| {
				grant_full(PATIENT, PATIENT, grantee, cats, recs, purposes, from, until, custodian)
			};
			assert_noop!(
				g(HOSPITAL_B, vec![], vec![], treat(), None, 50, None),
				Error::<Test>::EmptyScope
			);
			// Duplicates collapse.
			assert_ok!(g(
				HOSPITAL_B,
				vec![Category::Laboratory; 4],
				vec![],
				treat(),
				None,
				50,
				None
			));
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![(0, vec![])], treat(), None, 50, None),
				Error::<Test>::BadRecordId
			);
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], vec![], None, 50, None),
				Error::<Test>::NoPurpose
			);
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], treat(), Some(10), 10, None),
				Error::<Test>::EmptyPeriod
			);
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], treat(), None, 1, None),
				Error::<Test>::EmptyPeriod
			);
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], treat(), None, 102, None),
				Error::<Test>::PeriodTooLong
			);
			assert_ok!(g(HOSPITAL_B, lab(), vec![], treat(), Some(5), 105, None));
			assert_noop!(
				g(7, lab(), vec![], treat(), None, 50, None),
				Error::<Test>::InstitutionInactive
			);
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], treat(), None, 50, Some(7)),
				Error::<Test>::CustodianInactive
			);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL_B));
			assert_noop!(
				g(HOSPITAL_B, lab(), vec![], treat(), None, 50, None),
				Error::<Test>::InstitutionInactive
			);
			invariants();
		});
	}

	#[test]
	fn consents_per_patient_are_bounded_and_ended_ones_make_room() {
		with_registry().execute_with(|| {
			let g = |until| {
				grant_full(
					PATIENT,
					PATIENT,
					HOSPITAL_B,
					vec![Category::Laboratory],
					vec![],
					vec![Purpose::Treatment],
					None,
					until,
					None,
				)
			};
			assert_ok!(g(5));
			assert_ok!(g(50));
			assert_ok!(g(50));
			assert_noop!(g(50), Error::<Test>::TooManyConsents);
			System::set_block_number(5);
			// The first consent expired at block 5: the next grant prunes it.
			assert_ok!(g(50));
			assert_eq!(ConsentsOf::<Test>::get(PATIENT).to_vec(), vec![1, 2, 3]);
			invariants();
		});
	}
}

mod revocation_and_expiry {
	use super::*;

	#[test]
	fn revocation_takes_effect_from_the_next_block() {
		with_registry().execute_with(|| {
			let id = grant_lab_to_b();
			System::set_block_number(3);
			assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), id));
			System::assert_last_event(
				Event::ConsentRevoked { consent: id, patient: PATIENT, effective_from: 4 }.into(),
			);
			assert!(check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 3).is_permit());
			let later = check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 4);
			assert_eq!(later, crate::Decision::deny(Reason::Revoked, Some(id)));
			assert_noop!(
				Consent::revoke(RuntimeOrigin::signed(PATIENT), id),
				Error::<Test>::AlreadyRevoked
			);
			System::set_block_number(4);
			invariants();
		});
	}

	#[test]
	fn only_the_patient_or_guardian_revokes() {
		with_registry().execute_with(|| {
			let id = grant_lab_to_b();
			assert_noop!(
				Consent::revoke(RuntimeOrigin::signed(STRANGER), id),
				Error::<Test>::NotPatientOrGuardian
			);
			assert_noop!(
				Consent::revoke(RuntimeOrigin::signed(DEVICE_B), id),
				Error::<Test>::NotPatientOrGuardian
			);
			assert_noop!(
				Consent::revoke(RuntimeOrigin::signed(PATIENT), 77),
				Error::<Test>::UnknownConsent
			);
			assert_ok!(Consent::revoke(RuntimeOrigin::signed(GUARDIAN), id));
		});
	}

	#[test]
	fn expired_and_future_consents_deny_without_a_transaction() {
		with_registry().execute_with(|| {
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![Category::Laboratory],
				vec![],
				vec![Purpose::Treatment],
				Some(10),
				20,
				None
			));
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 9).reason(),
				Reason::NotYetValid
			);
			assert!(check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 10).is_permit());
			assert!(check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 19).is_permit());
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 20).reason(),
				Reason::Expired
			);
		});
	}
}

mod rules {
	use super::*;

	#[test]
	fn a_deny_provision_beats_a_permit() {
		with_registry().execute_with(|| {
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![Category::Laboratory, Category::MentalHealth],
				vec![],
				vec![Purpose::Treatment],
				None,
				50,
				None
			));
			let mental = Target::Record { custodian: HOSPITAL_A, record_id: b"mental".to_vec() };
			assert!(check(&mental, HOSPITAL_B, Purpose::Treatment, 1).is_permit());
			assert_ok!(Consent::set_deny_provisions(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				bounded(vec![Category::MentalHealth])
			));
			System::assert_last_event(
				Event::DenyProvisionsSet {
					patient: PATIENT,
					categories: vec![Category::MentalHealth],
				}
				.into(),
			);
			assert_eq!(
				check(&mental, HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::DeniedByPatient
			);
			assert!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1).is_permit(),
				"other categories unaffected"
			);
			// Clearing the provisions restores the permit.
			assert_ok!(Consent::set_deny_provisions(
				RuntimeOrigin::signed(GUARDIAN),
				PATIENT,
				bounded(vec![])
			));
			assert!(check(&mental, HOSPITAL_B, Purpose::Treatment, 1).is_permit());
			assert_noop!(
				Consent::set_deny_provisions(
					RuntimeOrigin::signed(STRANGER),
					PATIENT,
					bounded(vec![])
				),
				Error::<Test>::NotPatientOrGuardian
			);
		});
	}

	#[test]
	fn purpose_and_custodian_limits_apply() {
		with_registry().execute_with(|| {
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![Category::Laboratory, Category::Imaging],
				vec![],
				vec![Purpose::Treatment],
				None,
				50,
				Some(HOSPITAL_A)
			));
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Research, 1).reason(),
				Reason::PurposeMismatch
			);
			assert!(check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1).is_permit());
			// A consent cannot name another custodian, in its limit or its records: the
			// pseudonym's records are all at A, and naming C would link it to C's patients.
			assert_noop!(
				grant_full(
					PATIENT,
					PATIENT,
					HOSPITAL_B,
					vec![Category::Laboratory],
					vec![],
					vec![Purpose::Treatment],
					None,
					50,
					Some(CLINIC_C)
				),
				Error::<Test>::OtherCustodian
			);
			assert_noop!(
				grant_full(
					PATIENT,
					PATIENT,
					HOSPITAL_B,
					vec![],
					vec![(CLINIC_C, b"img".to_vec())],
					vec![Purpose::Treatment],
					None,
					50,
					None
				),
				Error::<Test>::OtherCustodian
			);
			// A consent limited to a custodian that another one's records cannot match (state
			// from before issue 13): the check still refuses.
			let mut c = crate::Consents::<Test>::get(0).unwrap();
			c.custodian = Some(CLINIC_C);
			crate::Consents::<Test>::insert(0, c);
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::CustodianMismatch
			);
		});
	}

	#[test]
	fn specific_records_can_be_granted() {
		with_registry().execute_with(|| {
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![],
				vec![(HOSPITAL_A, b"allergy".to_vec())],
				vec![Purpose::Treatment],
				None,
				50,
				None
			));
			let allergy = Target::Record { custodian: HOSPITAL_A, record_id: b"allergy".to_vec() };
			assert!(check(&allergy, HOSPITAL_B, Purpose::Treatment, 1).is_permit());
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::OutOfScope
			);
		});
	}

	#[test]
	fn unknown_patients_records_and_inactive_grantees_deny() {
		with_registry().execute_with(|| {
			grant_lab_to_b();
			assert_eq!(
				Consent::check(&STRANGER, HOSPITAL_B, &lab_at_a(), Purpose::Treatment, 1).reason(),
				Reason::UnknownPatient
			);
			let other = Target::Record { custodian: HOSPITAL_A, record_id: b"other".to_vec() };
			assert_eq!(
				check(&other, HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::UnknownRecord,
				"another patient's record"
			);
			let none = Target::Record { custodian: HOSPITAL_A, record_id: b"none".to_vec() };
			assert_eq!(
				check(&none, HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::UnknownRecord
			);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL_B));
			assert_eq!(
				check(&lab_at_a(), HOSPITAL_B, Purpose::Treatment, 1).reason(),
				Reason::GranteeInactive
			);
		});
	}
}

mod emergency;

mod disclosure_log {
	use super::*;

	fn release(
		device: u64,
		recipient: u32,
		id: &[u8],
		purpose: Purpose,
	) -> sp_runtime::DispatchResult {
		Consent::log_release(
			RuntimeOrigin::signed(device),
			PATIENT,
			recipient,
			id.to_vec(),
			purpose,
		)
	}

	#[test]
	fn a_permitted_release_is_logged_with_its_consent() {
		with_registry().execute_with(|| {
			let id = grant_lab_to_b();
			assert_ok!(release(DEVICE_A, HOSPITAL_B, b"lab", Purpose::Treatment));
			System::assert_last_event(
				Event::ReleaseLogged {
					patient: PATIENT,
					custodian: HOSPITAL_A,
					recipient: HOSPITAL_B,
					index: 0,
					basis: Basis::Consent(id),
				}
				.into(),
			);
			let page = Consent::disclosures(&PATIENT, 0);
			let (index, entry) = &page.entries[0];
			assert_eq!(*index, 0);
			assert_eq!(entry.custodian, Some(HOSPITAL_A));
			assert_eq!(entry.record_id, b"lab".to_vec());
			assert_eq!(entry.category, Category::Laboratory);
			assert_eq!(entry.previous, Default::default());
			invariants();
		});
	}

	#[test]
	fn a_release_without_a_permitting_consent_is_rejected() {
		with_registry().execute_with(|| {
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"lab", Purpose::Treatment),
				Error::<Test>::NoConsent
			);
			grant_lab_to_b();
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"lab", Purpose::Research),
				Error::<Test>::PurposeNotCovered
			);
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"allergy", Purpose::Treatment),
				Error::<Test>::RecordNotCovered
			);
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"nope", Purpose::Treatment),
				Error::<Test>::UnknownRecord
			);
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, &[b'x'; 17], Purpose::Treatment),
				Error::<Test>::BadRecordId
			);
			// Only the custodian's device logs its releases.
			assert_noop!(
				release(DEVICE_C, HOSPITAL_B, b"lab", Purpose::Treatment),
				Error::<Test>::UnknownRecord
			);
			assert_noop!(
				release(STRANGER, HOSPITAL_B, b"lab", Purpose::Treatment),
				Error::<Test>::NotActiveDevice
			);
			assert_ok!(Consent::set_deny_provisions(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				bounded(vec![Category::Laboratory])
			));
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"lab", Purpose::Treatment),
				Error::<Test>::DeniedByPatient
			);
			assert!(Consent::disclosures(&PATIENT, 0).entries.is_empty());
		});
	}

	#[test]
	fn a_release_under_emergency_access_is_logged_with_it() {
		with_registry().execute_with(|| {
			assert_ok!(Consent::open_emergency_access(
				RuntimeOrigin::signed(PHYSICIAN_B),
				PATIENT,
				committed(EmergencyReason::LifeThreatening),
				card_for(PATIENT, PHYSICIAN_B)
			));
			assert_ok!(release(DEVICE_A, HOSPITAL_B, b"allergy", Purpose::EmergencyTreatment));
			let page = Consent::disclosures(&PATIENT, 0);
			assert_eq!(page.entries[0].1.basis, Basis::Emergency(0));
			assert_noop!(
				release(DEVICE_A, HOSPITAL_B, b"lab", Purpose::EmergencyTreatment),
				Error::<Test>::NoConsent
			);
		});
	}

	#[test]
	fn the_log_is_bounded_hash_chained_and_pruning_is_provable() {
		with_registry().execute_with(|| {
			let (lab, allergy) = (Category::Laboratory, Category::Allergy);
			let treat = vec![Purpose::Treatment];
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![lab, allergy],
				vec![],
				treat,
				None,
				100,
				None
			));
			// Each release older than the retention period by the time the log is full, so
			// each new entry prunes the oldest.
			for k in 0..6u64 {
				System::set_block_number(1 + k * 11);
				let id: &[u8] = if k % 2 == 0 { b"lab" } else { b"allergy" };
				assert_ok!(release(DEVICE_A, HOSPITAL_B, id, Purpose::Treatment));
			}
			let page = Consent::disclosures(&PATIENT, 0);
			assert_eq!((page.log.first, page.log.next), (2, 6), "the 4 newest are kept");
			assert!(Disclosures::<Test>::get(PATIENT, 1).is_none());
			// Newest first, 3 per page; each entry's `previous` is the hash of the one before.
			let indices: Vec<u32> = page.entries.iter().map(|(i, _)| *i).collect();
			assert_eq!(indices, vec![5, 4, 3]);
			assert_eq!(page.entries[0].1.previous, page.entries[1].1.hash);
			assert_eq!(page.entries[0].1.hash, page.log.head);
			let older = Consent::disclosures(&PATIENT, 1);
			assert_eq!(older.entries.len(), 1);
			assert_eq!(older.entries[0].1.previous, page.log.pruned_head, "pruning is provable");
			assert!(Consent::disclosures(&PATIENT, 2).entries.is_empty());
			invariants();
			// Tampering with a kept entry breaks the chain.
			let kept = Disclosures::<Test>::get(PATIENT, 3).unwrap();
			Disclosures::<Test>::mutate(PATIENT, 3, |d| d.as_mut().unwrap().recipient = CLINIC_C);
			assert!(Consent::do_try_state().is_err());
			Disclosures::<Test>::insert(PATIENT, 3, kept);
		});
	}
}

mod allowance_and_parameters {
	use super::*;

	#[test]
	fn patients_transact_fee_free_within_their_allowance() {
		with_registry().execute_with(|| {
			let origin = RuntimeOrigin::signed(PATIENT);
			assert!(Consent::is_within_allowance(&origin, &PATIENT));
			assert!(!Consent::is_within_allowance(&RuntimeOrigin::signed(STRANGER), &PATIENT));
			assert!(!Consent::is_within_allowance(&RuntimeOrigin::root(), &PATIENT));
			// Applied as a block builder does, through the extension that spends it.
			for _ in 0..3 {
				use frame_support::dispatch::GetDispatchInfo;
				use sp_runtime::traits::DispatchTransaction;
				let call = RuntimeCall::Consent(crate::Call::set_deny_provisions {
					patient: PATIENT,
					categories: bounded(vec![]),
				});
				let info = call.get_dispatch_info();
				let outcome = crate::PatientAllowance::<Test>::new()
					.dispatch_transaction(origin.clone(), call, &info, 50, 0)
					.expect("valid");
				assert_ok!(outcome);
			}
			assert_eq!(Allowance::<Test>::get(PATIENT), (0, 3));
			assert!(!Consent::is_within_allowance(&origin, &PATIENT), "allowance used up");
			// The guardian has an allowance of their own.
			assert!(Consent::is_within_allowance(&RuntimeOrigin::signed(GUARDIAN), &PATIENT));
			System::set_block_number(21);
			assert!(Consent::is_within_allowance(&origin, &PATIENT), "a new period");
		});
	}

	#[test]
	fn governance_sets_parameters() {
		with_registry().execute_with(|| {
			let mut p = Params::<Test>::get();
			p.max_consent_duration = 500;
			assert_noop!(
				Consent::set_parameters(RuntimeOrigin::signed(PATIENT), p.clone()),
				DispatchError::BadOrigin
			);
			assert_ok!(Consent::set_parameters(RuntimeOrigin::root(), p.clone()));
			System::assert_last_event(Event::ParametersSet { parameters: p.clone() }.into());
			assert_ok!(grant_full(
				PATIENT,
				PATIENT,
				HOSPITAL_B,
				vec![Category::Laboratory],
				vec![],
				vec![Purpose::Treatment],
				None,
				400,
				None
			));
			let mut bad = p.clone();
			bad.emergency_window = 0;
			assert_noop!(
				Consent::set_parameters(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParameters
			);
			let mut bad = p;
			bad.patient_allowance = 0;
			assert_noop!(
				Consent::set_parameters(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParameters
			);
		});
	}
}

#[test]
fn integrity_test_passes() {
	CheckedExt::from(new_test_ext()).execute_with(|| {
		<crate::Pallet<Test> as Hooks<u64>>::integrity_test();
	});
}
