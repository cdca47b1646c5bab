//! Emergency (break-glass) access: who opens it, what it covers, its limits, flagging and
//! the releases it allows.

use super::*;

fn allergy() -> Target {
	Target::Record { custodian: HOSPITAL_A, record_id: b"allergy".to_vec() }
}

#[test]
fn a_physician_opens_emergency_access_to_emergency_data() {
	with_registry().execute_with(|| {
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(PHYSICIAN_B),
			PATIENT,
			committed(EmergencyReason::PatientUnresponsive),
			card_for(PATIENT, PHYSICIAN_B)
		));
		System::assert_last_event(
			Event::EmergencyAccessOpened {
				access: 0,
				patient: PATIENT,
				practitioner: PHYSICIAN_B,
				institution: HOSPITAL_B,
				reason_commitment: committed(EmergencyReason::PatientUnresponsive),
				expires_at: 11,
			}
			.into(),
		);
		let d = check(&allergy(), HOSPITAL_B, Purpose::EmergencyTreatment, 5);
		assert_eq!(d, crate::Decision::Permit(Basis::Emergency(0)));
		// Only emergency data, only for emergency treatment, only for that hospital.
		assert!(!check(&lab_at_a(), HOSPITAL_B, Purpose::EmergencyTreatment, 5).is_permit());
		assert!(!check(&allergy(), HOSPITAL_B, Purpose::Treatment, 5).is_permit());
		assert!(!check(&allergy(), CLINIC_C, Purpose::EmergencyTreatment, 5).is_permit());
		// Deny provisions do not stop break-glass access.
		assert_ok!(Consent::set_deny_provisions(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			bounded(vec![Category::Allergy])
		));
		assert!(check(&allergy(), HOSPITAL_B, Purpose::EmergencyTreatment, 5).is_permit());
		// It expires by itself.
		assert!(!check(&allergy(), HOSPITAL_B, Purpose::EmergencyTreatment, 11).is_permit());
		// It is in the patient's disclosure log.
		let page = Consent::disclosures(&PATIENT, 0);
		assert_eq!(page.entries.len(), 1);
		let (_, entry) = &page.entries[0];
		assert_eq!((entry.recipient, entry.basis), (HOSPITAL_B, Basis::Emergency(0)));
		assert_eq!(entry.category, Category::EmergencyDataSet);
		invariants();
	});
}

#[test]
fn only_hospital_physicians_and_nurses_break_the_glass() {
	with_registry().execute_with(|| {
		let open = |who| {
			Consent::open_emergency_access(
				RuntimeOrigin::signed(who),
				PATIENT,
				committed(EmergencyReason::LifeThreatening),
				card_for(PATIENT, who),
			)
		};
		assert_ok!(open(NURSE_A));
		assert_noop!(open(PHARMACIST_A), Error::<Test>::NotEmergencyPractitioner);
		assert_noop!(open(DEVICE_A), Error::<Test>::NotEmergencyPractitioner);
		assert_noop!(open(STRANGER), Error::<Test>::NotEmergencyPractitioner);
		// A clinic is not a hospital.
		assert_noop!(open(PHYSICIAN_C), Error::<Test>::NotEmergencyPractitioner);
		assert_noop!(
			Consent::open_emergency_access(
				RuntimeOrigin::signed(PHYSICIAN_A),
				STRANGER,
				committed(EmergencyReason::LifeThreatening),
				sp_runtime::testing::TestSignature(STRANGER, vec![])
			),
			Error::<Test>::UnknownPatient
		);
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL_A));
		assert_noop!(open(PHYSICIAN_A), Error::<Test>::NotEmergencyPractitioner);
	});
}

#[test]
fn emergency_access_is_rate_limited_per_practitioner() {
	with_registry().execute_with(|| {
		let open = |patient| {
			Consent::open_emergency_access(
				RuntimeOrigin::signed(PHYSICIAN_A),
				patient,
				committed(EmergencyReason::LifeThreatening),
				card_for(patient, PHYSICIAN_A),
			)
		};
		assert_ok!(open(PATIENT));
		assert_ok!(open(OTHER_PATIENT));
		assert_noop!(open(PATIENT), Error::<Test>::EmergencyRateLimited);
		// Another practitioner is not affected; the limit resets after the period.
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(NURSE_A),
			PATIENT,
			committed(EmergencyReason::LifeThreatening),
			card_for(PATIENT, NURSE_A)
		));
		System::set_block_number(51);
		assert_ok!(open(PATIENT));
	});
}

#[test]
fn governance_flags_an_access_for_review() {
	with_registry().execute_with(|| {
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(PHYSICIAN_A),
			PATIENT,
			committed(EmergencyReason::UnableToConsent),
			card_for(PATIENT, PHYSICIAN_A)
		));
		assert_noop!(
			Consent::flag_emergency_access(RuntimeOrigin::signed(PATIENT), 0),
			DispatchError::BadOrigin
		);
		assert_ok!(Consent::flag_emergency_access(RuntimeOrigin::root(), 0));
		System::assert_last_event(
			Event::EmergencyAccessFlagged {
				access: 0,
				patient: PATIENT,
				institution: HOSPITAL_A,
				index: 1,
			}
			.into(),
		);
		assert!(crate::EmergencyAccesses::<Test>::get(0).unwrap().flagged);
		assert_noop!(
			Consent::flag_emergency_access(RuntimeOrigin::root(), 0),
			Error::<Test>::AlreadyFlagged
		);
		assert_noop!(
			Consent::flag_emergency_access(RuntimeOrigin::root(), 5),
			Error::<Test>::UnknownEmergencyAccess
		);
	});
}
