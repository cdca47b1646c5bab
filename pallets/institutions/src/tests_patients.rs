//! Tests of the patients' calls (issue 12): a registration takes effect only when the patient
//! (or the named guardian) confirms it; a pending registration blocks no key and expires; a
//! guardian never holds an institution role; a patient may leave. Every test runs through
//! `build_and_execute`, which checks the invariants afterwards.

use crate::{
	mock::*,
	tests::{
		admit, DEVICE, DOCTOR, GUARDIAN, GUARDIAN_2, HOSPITAL_ADMIN, PATIENT, PHARMACY_ADMIN,
		STRANGER,
	},
	AdminOf, Error, Event, InstitutionId, InstitutionKind, PendingCount, PendingRegistration,
	PendingRegistrations, PractitionerRole, Registry,
};
use frame_support::{assert_noop, assert_ok, dispatch::CheckIfFeeless};
use sp_core::H256;

const CLINIC_ADMIN: u64 = 3;
pub(crate) const PATIENT_2: u64 = 31;
const PATIENT_3: u64 = 32;

pub(crate) fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A hospital (id 0) with `DEVICE`.
pub(crate) fn hospital_with_device() -> InstitutionId {
	let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
	assert_ok!(Institutions::add_device(signed(HOSPITAL_ADMIN), DEVICE));
	id
}

/// `DEVICE` asks to register `patient`.
pub(crate) fn request(patient: u64, guardian: Option<u64>) {
	assert_ok!(Institutions::register_patient(signed(DEVICE), patient, guardian));
}

/// `DEVICE` asks to register `patient` and the patient confirms.
fn register(patient: u64, guardian: Option<u64>) {
	request(patient, guardian);
	assert_ok!(Institutions::confirm_registration(signed(patient), patient, guardian));
}

fn is_feeless(call: crate::Call<Test>, signer: u64) -> bool {
	RuntimeCall::Institutions(call).is_feeless(&signed(signer))
}

#[test]
fn an_unconfirmed_registration_is_not_a_patient() {
	build_and_execute(|| {
		let id = hospital_with_device();
		request(PATIENT, Some(GUARDIAN));
		System::assert_last_event(
			Event::RegistrationRequested {
				patient: PATIENT,
				custodian: id,
				guardian: Some(GUARDIAN),
				expires_at: 11,
			}
			.into(),
		);
		assert_eq!(
			PendingRegistrations::<Test>::get(PATIENT),
			Some(PendingRegistration { custodian: id, guardian: Some(GUARDIAN), expires_at: 11 })
		);
		assert_eq!(PendingCount::<Test>::get(id), 1);
		assert!(!Institutions::is_patient(&PATIENT));
		assert!(!Institutions::may_act_for_patient(&PATIENT, &PATIENT));
		assert!(!Institutions::may_act_for_patient(&GUARDIAN, &PATIENT));
		assert_eq!(Institutions::guardian_of(&PATIENT), None);
		assert_eq!(System::providers(&PATIENT), 1, "the patient can sign the confirmation");
		// Nothing a patient may do is open yet.
		assert_noop!(
			Institutions::set_guardian(signed(PATIENT), PATIENT, None),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(Institutions::leave(signed(PATIENT), PATIENT), Error::<Test>::UnknownPatient);
	});
}

#[test]
fn the_patient_confirms_and_becomes_a_patient() {
	build_and_execute(|| {
		let id = hospital_with_device();
		request(PATIENT, None);
		System::set_block_number(5);
		assert!(is_feeless(
			crate::Call::confirm_registration { patient: PATIENT, guardian: None },
			PATIENT
		));
		assert_ok!(Institutions::confirm_registration(signed(PATIENT), PATIENT, None));
		System::assert_last_event(
			Event::PatientRegistered {
				patient: PATIENT,
				custodian: id,
				guardian: None,
				confirmed_by: PATIENT,
			}
			.into(),
		);
		assert!(Institutions::is_patient(&PATIENT));
		assert!(Institutions::may_act_for_patient(&PATIENT, &PATIENT));
		let entry = crate::Patients::<Test>::get(PATIENT).unwrap();
		assert_eq!((entry.custodian, entry.registered_at), (id, 5));
		assert_eq!(PendingRegistrations::<Test>::get(PATIENT), None);
		assert!(!PendingCount::<Test>::contains_key(id), "no count stored for none");
		assert_eq!(System::providers(&PATIENT), 1, "the patient entry keeps the reference");
		// Confirmed once: nothing left to confirm, and no fee-free retry.
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT), PATIENT, None),
			Error::<Test>::NoPendingRegistration
		);
		assert!(!is_feeless(
			crate::Call::confirm_registration { patient: PATIENT, guardian: None },
			PATIENT
		));
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT, None),
			Error::<Test>::PatientAlreadyRegistered
		);
	});
}

#[test]
fn a_guardian_confirms_for_a_minor() {
	build_and_execute(|| {
		let id = hospital_with_device();
		request(PATIENT, Some(GUARDIAN));
		assert!(is_feeless(
			crate::Call::confirm_registration { patient: PATIENT, guardian: Some(GUARDIAN) },
			GUARDIAN
		));
		assert_ok!(Institutions::confirm_registration(signed(GUARDIAN), PATIENT, Some(GUARDIAN)));
		System::assert_last_event(
			Event::PatientRegistered {
				patient: PATIENT,
				custodian: id,
				guardian: Some(GUARDIAN),
				confirmed_by: GUARDIAN,
			}
			.into(),
		);
		assert!(Institutions::is_patient(&PATIENT));
		assert_eq!(Institutions::guardian_of(&PATIENT), Some(GUARDIAN));
		assert!(Institutions::may_act_for_patient(&GUARDIAN, &PATIENT));
		assert!(Institutions::may_act_for_patient(&PATIENT, &PATIENT));
		assert!(!Institutions::may_act_for_patient(&STRANGER, &PATIENT));
	});
}

#[test]
fn only_the_patient_or_the_named_guardian_confirms_what_was_asked() {
	build_and_execute(|| {
		let id = hospital_with_device();
		request(PATIENT, Some(GUARDIAN));
		// Not the patient, not the named guardian (the registering device neither).
		for who in [STRANGER, DEVICE, HOSPITAL_ADMIN, GUARDIAN_2] {
			assert_noop!(
				Institutions::confirm_registration(signed(who), PATIENT, Some(GUARDIAN)),
				Error::<Test>::NotPatientOrGuardian
			);
			assert!(!is_feeless(
				crate::Call::confirm_registration { patient: PATIENT, guardian: Some(GUARDIAN) },
				who
			));
		}
		// The signer accepts exactly the guardian the institution named.
		for guardian in [None, Some(GUARDIAN_2)] {
			assert_noop!(
				Institutions::confirm_registration(signed(PATIENT), PATIENT, guardian),
				Error::<Test>::GuardianMismatch
			);
		}
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None),
			Error::<Test>::NoPendingRegistration
		);
		// A registration by an institution suspended meanwhile cannot be confirmed.
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT), PATIENT, Some(GUARDIAN)),
			Error::<Test>::InstitutionInactive
		);
		assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), id));
		assert_ok!(Institutions::confirm_registration(signed(PATIENT), PATIENT, Some(GUARDIAN)));
	});
}

#[test]
fn an_institution_account_as_guardian_is_refused() {
	build_and_execute(|| {
		hospital_with_device();
		admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy);
		assert_ok!(Institutions::add_practitioner(
			signed(HOSPITAL_ADMIN),
			DOCTOR,
			PractitionerRole::Physician,
			H256::zero()
		));
		// The registering device itself, its admin, a practitioner, another institution's
		// admin.
		for guardian in [DEVICE, HOSPITAL_ADMIN, DOCTOR, PHARMACY_ADMIN] {
			assert_noop!(
				Institutions::register_patient(signed(DEVICE), PATIENT, Some(guardian)),
				Error::<Test>::GuardianHoldsInstitutionRole
			);
		}
		// Nor can a guardian named in time confirm once it took a role.
		request(PATIENT, Some(GUARDIAN));
		assert_ok!(Institutions::add_device(signed(HOSPITAL_ADMIN), GUARDIAN));
		assert_noop!(
			Institutions::confirm_registration(signed(GUARDIAN), PATIENT, Some(GUARDIAN)),
			Error::<Test>::GuardianHoldsInstitutionRole
		);
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT), PATIENT, Some(GUARDIAN)),
			Error::<Test>::GuardianHoldsInstitutionRole
		);
	});
}

#[test]
fn the_patient_as_own_guardian_is_refused() {
	build_and_execute(|| {
		hospital_with_device();
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT, Some(PATIENT)),
			Error::<Test>::GuardianIsPatient
		);
		register(PATIENT, None);
		assert_noop!(
			Institutions::set_guardian(signed(PATIENT), PATIENT, Some(PATIENT)),
			Error::<Test>::GuardianIsPatient
		);
	});
}

#[test]
fn a_key_with_a_pending_registration_can_still_take_any_role() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		request(PATIENT, None);
		request(PATIENT_2, None);
		// A pending registration does not squat the key: it can become a device, an
		// institution's admin...
		assert_ok!(Institutions::add_device(signed(HOSPITAL_ADMIN), PATIENT));
		let clinic = admit(PATIENT_2, InstitutionKind::Clinic);
		assert_eq!(AdminOf::<Test>::get(PATIENT_2), Some(clinic));
		// ... and the registrations can then no longer be confirmed (they expire).
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT), PATIENT, None),
			Error::<Test>::AccountHasRole
		);
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None),
			Error::<Test>::AccountHasRole
		);
		assert_eq!(PendingCount::<Test>::get(hospital), 2);
		// ... or a practitioner.
		System::set_block_number(11);
		assert_ok!(Institutions::remove_expired_registration(signed(STRANGER), PATIENT_2));
		request(PATIENT_3, None);
		assert_ok!(Institutions::add_practitioner(
			signed(HOSPITAL_ADMIN),
			PATIENT_3,
			PractitionerRole::Nurse,
			H256::zero()
		));
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT_3), PATIENT_3, None),
			Error::<Test>::AccountHasRole
		);
	});
}

#[test]
fn an_unconfirmed_registration_expires_and_anyone_removes_it() {
	build_and_execute(|| {
		let id = hospital_with_device();
		request(PATIENT, None);
		assert_eq!(System::providers(&PATIENT), 1);
		System::set_block_number(10);
		assert_noop!(
			Institutions::remove_expired_registration(signed(STRANGER), PATIENT),
			Error::<Test>::RegistrationNotExpired
		);
		System::set_block_number(11);
		assert_noop!(
			Institutions::confirm_registration(signed(PATIENT), PATIENT, None),
			Error::<Test>::RegistrationExpired
		);
		assert!(!is_feeless(
			crate::Call::confirm_registration { patient: PATIENT, guardian: None },
			PATIENT
		));
		assert_ok!(Institutions::remove_expired_registration(signed(STRANGER), PATIENT));
		System::assert_last_event(
			Event::RegistrationRemoved { patient: PATIENT, custodian: id }.into(),
		);
		assert_eq!(PendingRegistrations::<Test>::get(PATIENT), None);
		assert!(!PendingCount::<Test>::contains_key(id));
		assert_eq!(System::providers(&PATIENT), 0, "the account is gone again");
		assert_noop!(
			Institutions::remove_expired_registration(signed(STRANGER), PATIENT),
			Error::<Test>::NoPendingRegistration
		);
		assert!(!Institutions::is_patient(&PATIENT));
	});
}

#[test]
fn an_institution_replaces_its_own_pending_registration_others_wait_for_expiry() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		let clinic = admit(CLINIC_ADMIN, InstitutionKind::Clinic);
		request(PATIENT, Some(GUARDIAN));
		// Another institution cannot take over a registration waiting for confirmation.
		assert_noop!(
			Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT, None),
			Error::<Test>::RegistrationPending
		);
		// The registering institution corrects it: new guardian, new expiry, same count.
		System::set_block_number(5);
		assert_ok!(Institutions::register_patient(
			signed(HOSPITAL_ADMIN),
			PATIENT,
			Some(GUARDIAN_2)
		));
		let pending = PendingRegistrations::<Test>::get(PATIENT).unwrap();
		assert_eq!((pending.guardian, pending.expires_at), (Some(GUARDIAN_2), 15));
		assert_eq!(PendingCount::<Test>::get(hospital), 1);
		assert_eq!(System::providers(&PATIENT), 1, "one reference, not two");
		// The old guardian can no longer confirm.
		assert_noop!(
			Institutions::confirm_registration(signed(GUARDIAN), PATIENT, Some(GUARDIAN)),
			Error::<Test>::NotPatientOrGuardian
		);
		// Expired: the clinic's registration replaces it, and the count moves.
		System::set_block_number(15);
		assert_ok!(Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT, None));
		assert!(!PendingCount::<Test>::contains_key(hospital));
		assert_eq!(PendingCount::<Test>::get(clinic), 1);
		assert_eq!(System::providers(&PATIENT), 1);
		assert_ok!(Institutions::confirm_registration(signed(PATIENT), PATIENT, None));
		assert_eq!(crate::Patients::<Test>::get(PATIENT).unwrap().custodian, clinic);
	});
}

#[test]
fn pending_registrations_are_capped_per_institution() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		request(PATIENT, None);
		request(PATIENT_2, None);
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT_3, None),
			Error::<Test>::TooManyPendingRegistrations
		);
		// Replacing its own pending registration needs no room.
		request(PATIENT, Some(GUARDIAN));
		// Another institution has its own room.
		admit(CLINIC_ADMIN, InstitutionKind::Clinic);
		assert_ok!(Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT_3, None));
		// A confirmation frees a place.
		assert_ok!(Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None));
		assert_eq!(PendingCount::<Test>::get(hospital), 1);
		request(33, None);
	});
}

#[test]
fn leaving_frees_the_key() {
	build_and_execute(|| {
		hospital_with_device();
		register(PATIENT, None);
		assert_noop!(
			Institutions::leave(signed(STRANGER), PATIENT),
			Error::<Test>::NotPatientOrGuardian
		);
		assert!(!is_feeless(crate::Call::leave { patient: PATIENT }, STRANGER));
		assert!(is_feeless(crate::Call::leave { patient: PATIENT }, PATIENT));
		assert_ok!(Institutions::leave(signed(PATIENT), PATIENT));
		System::assert_last_event(
			Event::PatientLeft { patient: PATIENT, signed_by: PATIENT }.into(),
		);
		assert!(!Institutions::is_patient(&PATIENT));
		assert!(!Institutions::may_act_for_patient(&PATIENT, &PATIENT));
		assert_eq!(System::providers(&PATIENT), 0, "never transacted: released");
		assert_noop!(Institutions::leave(signed(PATIENT), PATIENT), Error::<Test>::UnknownPatient);
		// The key is free: it may become a device.
		assert_ok!(Institutions::add_device(signed(HOSPITAL_ADMIN), PATIENT));
	});
}

#[test]
fn the_guardian_may_end_the_registration_and_a_used_account_keeps_its_nonce() {
	build_and_execute(|| {
		hospital_with_device();
		register(PATIENT, Some(GUARDIAN));
		// The patient sent transactions: the account must not be reaped (its nonce would
		// start again at 0 and its old transactions could be replayed).
		System::inc_account_nonce(PATIENT);
		System::inc_account_nonce(PATIENT);
		assert!(is_feeless(crate::Call::leave { patient: PATIENT }, GUARDIAN));
		assert_ok!(Institutions::leave(signed(GUARDIAN), PATIENT));
		System::assert_last_event(
			Event::PatientLeft { patient: PATIENT, signed_by: GUARDIAN }.into(),
		);
		assert!(!Institutions::is_patient(&PATIENT));
		assert_eq!(System::providers(&PATIENT), 1);
		assert_eq!(System::account_nonce(PATIENT), 2);
		// Registered again, confirmed again: still one more reference than before.
		register(PATIENT, None);
		assert_eq!(System::providers(&PATIENT), 2);
	});
}

#[test]
fn the_new_guardian_must_satisfy_the_same_rule() {
	build_and_execute(|| {
		hospital_with_device();
		assert_ok!(Institutions::add_practitioner(
			signed(HOSPITAL_ADMIN),
			DOCTOR,
			PractitionerRole::Physician,
			H256::zero()
		));
		register(PATIENT, Some(GUARDIAN));
		for guardian in [DEVICE, HOSPITAL_ADMIN, DOCTOR] {
			assert_noop!(
				Institutions::set_guardian(signed(PATIENT), PATIENT, Some(guardian)),
				Error::<Test>::GuardianHoldsInstitutionRole
			);
			assert_noop!(
				Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(guardian)),
				Error::<Test>::GuardianHoldsInstitutionRole
			);
		}
		assert_ok!(Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(GUARDIAN_2)));
		assert_eq!(Institutions::guardian_of(&PATIENT), Some(GUARDIAN_2));
	});
}

#[test]
fn a_guardian_who_takes_an_institution_role_cannot_act() {
	build_and_execute(|| {
		hospital_with_device();
		register(PATIENT, Some(GUARDIAN));
		assert_ok!(Institutions::add_device(signed(HOSPITAL_ADMIN), GUARDIAN));
		assert_eq!(Institutions::guardian_of(&PATIENT), None);
		assert!(!Institutions::may_act_for_patient(&GUARDIAN, &PATIENT));
		assert_noop!(
			Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(GUARDIAN_2)),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_noop!(
			Institutions::leave(signed(GUARDIAN), PATIENT),
			Error::<Test>::NotPatientOrGuardian
		);
		// The patient still decides; the device key can act as guardian again once it no
		// longer is a device.
		assert!(Institutions::may_act_for_patient(&PATIENT, &PATIENT));
		assert_ok!(Institutions::remove_device(signed(HOSPITAL_ADMIN), GUARDIAN));
		assert!(Institutions::may_act_for_patient(&GUARDIAN, &PATIENT));
	});
}

#[test]
fn a_hospital_device_or_admin_registers_patients() {
	build_and_execute(|| {
		let id = hospital_with_device();
		register(PATIENT, Some(GUARDIAN));
		assert!(Institutions::is_patient(&PATIENT));
		assert_eq!(System::providers(&PATIENT), 1, "the account exists without a balance");
		assert_ok!(Institutions::register_patient(signed(HOSPITAL_ADMIN), PATIENT_2, None));
		assert_ok!(Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None));
		assert_eq!(crate::Patients::<Test>::get(PATIENT_2).unwrap().custodian, id);
		assert_eq!(Institutions::guardian_of(&PATIENT_2), None);
	});
}

#[test]
fn only_active_record_keepers_register_patients() {
	build_and_execute(|| {
		let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
		admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy);
		assert_noop!(
			Institutions::register_patient(signed(STRANGER), PATIENT, None),
			Error::<Test>::NotRecordKeeper
		);
		assert_noop!(
			Institutions::register_patient(signed(PHARMACY_ADMIN), PATIENT, None),
			Error::<Test>::NotRecordKeeper
		);
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
		assert_noop!(
			Institutions::register_patient(signed(HOSPITAL_ADMIN), PATIENT, None),
			Error::<Test>::NotRecordKeeper
		);
	});
}

#[test]
fn patient_registration_rejects_bad_accounts() {
	build_and_execute(|| {
		hospital_with_device();
		assert_noop!(
			Institutions::register_patient(signed(HOSPITAL_ADMIN), DEVICE, None),
			Error::<Test>::AccountHasRole
		);
		register(PATIENT, None);
		assert_noop!(
			Institutions::register_patient(signed(HOSPITAL_ADMIN), PATIENT, None),
			Error::<Test>::PatientAlreadyRegistered
		);
		// A patient cannot become a device or practitioner.
		assert_noop!(
			Institutions::add_device(signed(HOSPITAL_ADMIN), PATIENT),
			Error::<Test>::AccountHasRole
		);
	});
}

#[test]
fn patient_or_guardian_changes_the_guardian() {
	build_and_execute(|| {
		hospital_with_device();
		register(PATIENT, Some(GUARDIAN));
		assert_ok!(Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(GUARDIAN_2)));
		System::assert_last_event(
			Event::GuardianChanged { patient: PATIENT, guardian: Some(GUARDIAN_2) }.into(),
		);
		// The old guardian lost the right.
		assert_noop!(
			Institutions::set_guardian(signed(GUARDIAN), PATIENT, None),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_ok!(Institutions::set_guardian(signed(PATIENT), PATIENT, None));
		assert_eq!(Institutions::guardian_of(&PATIENT), None);
		assert_noop!(
			Institutions::set_guardian(signed(STRANGER), PATIENT, Some(STRANGER)),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_noop!(
			Institutions::set_guardian(signed(STRANGER), STRANGER, None),
			Error::<Test>::UnknownPatient
		);
	});
}

/// A patient treated at a second institution registers another pseudonym there: one key is a
/// patient of one custodian only (rule 2).
#[test]
fn a_pseudonym_belongs_to_one_custodian() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		register(PATIENT, None);
		let clinic = admit(CLINIC_ADMIN, InstitutionKind::Clinic);
		assert_eq!(Institutions::custodian_of(&PATIENT), Some(hospital));
		assert_noop!(
			Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT, None),
			Error::<Test>::PatientAlreadyRegistered
		);
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT, None),
			Error::<Test>::PatientAlreadyRegistered
		);
		// The patient's key for the clinic is another account.
		assert_ok!(Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT_2, None));
		assert_eq!(Institutions::custodian_of(&PATIENT_2), None, "pending only");
		assert_ok!(Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None));
		System::assert_last_event(
			Event::PatientRegistered {
				patient: PATIENT_2,
				custodian: clinic,
				guardian: None,
				confirmed_by: PATIENT_2,
			}
			.into(),
		);
		assert_eq!(Institutions::custodian_of(&PATIENT_2), Some(clinic));
		assert_eq!(Institutions::custodian_of(&PATIENT), Some(hospital));
		assert_eq!(Institutions::custodian_of(&STRANGER), None);
		// Leaving one pseudonym leaves the other as it was.
		assert_ok!(Institutions::leave(signed(PATIENT), PATIENT));
		assert_eq!(Institutions::custodian_of(&PATIENT), None);
		assert_eq!(Institutions::custodian_of(&PATIENT_2), Some(clinic));
	});
}

/// A guardian key acts for one ward, for good, is never a patient, and a guardian key cannot
/// be registered as a patient (rule 3): the guardian link never joins two pseudonyms.
#[test]
fn a_guardian_key_acts_for_one_ward_and_is_never_a_patient() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		register(PATIENT, Some(GUARDIAN));
		assert_eq!(crate::Guardianships::<Test>::get(GUARDIAN), Some(PATIENT));
		// The same guardian key for a second pseudonym (the same child at another custodian,
		// or a sibling) is refused, at the request and at the confirmation.
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT_2, Some(GUARDIAN)),
			Error::<Test>::GuardianAlreadyActs
		);
		request(PATIENT_3, Some(GUARDIAN_2));
		assert_ok!(Institutions::set_guardian(signed(PATIENT), PATIENT, Some(GUARDIAN_2)));
		assert_noop!(
			Institutions::confirm_registration(signed(GUARDIAN_2), PATIENT_3, Some(GUARDIAN_2)),
			Error::<Test>::GuardianAlreadyActs
		);
		// The old guardian key stays bound to its ward: it can guard this ward again, no
		// other.
		assert_noop!(
			Institutions::register_patient(signed(DEVICE), PATIENT_3, Some(GUARDIAN)),
			Error::<Test>::GuardianAlreadyActs
		);
		assert_ok!(Institutions::set_guardian(signed(GUARDIAN_2), PATIENT, Some(GUARDIAN)));
		// Naming the current guardian again is allowed; naming a registered patient is not.
		assert_ok!(Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(GUARDIAN)));
		register(PATIENT_2, None);
		assert_noop!(
			Institutions::set_guardian(signed(PATIENT), PATIENT, Some(PATIENT_2)),
			Error::<Test>::GuardianIsPatient
		);
		// A guardian key cannot become a patient, even after its ward left.
		assert_ok!(Institutions::leave(signed(GUARDIAN), PATIENT));
		for key in [GUARDIAN, GUARDIAN_2] {
			assert_noop!(
				Institutions::register_patient(signed(DEVICE), key, None),
				Error::<Test>::AccountIsGuardian
			);
		}
		assert_eq!(Institutions::custodian_of(&PATIENT_2), Some(hospital));
	});
}

/// A pseudonym that left is never another custodian's patient nor anyone's guardian; its own
/// custodian may register it again (rule 2).
#[test]
fn a_former_pseudonym_stays_with_its_custodian() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		register(PATIENT, None);
		assert_ok!(Institutions::leave(signed(PATIENT), PATIENT));
		admit(CLINIC_ADMIN, InstitutionKind::Clinic);
		assert_noop!(
			Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT, None),
			Error::<Test>::PseudonymOfAnotherCustodian
		);
		assert_noop!(
			Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT_2, Some(PATIENT)),
			Error::<Test>::GuardianIsPatient
		);
		// Back at its own custodian.
		register(PATIENT, None);
		assert_eq!(Institutions::custodian_of(&PATIENT), Some(hospital));
	});
}
