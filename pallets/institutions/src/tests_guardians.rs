//! Tests of a guardian key's account: a guardian holds no balance and is never funded, so
//! naming its key gives it an account on chain (a provider reference), kept for good, with
//! which it signs the confirmation and acts for the ward. Every test runs through
//! `build_and_execute`, which checks the invariants afterwards (every guardianship's key has
//! an account).

use crate::{
	mock::*,
	tests::{GUARDIAN, GUARDIAN_2, PATIENT, STRANGER},
	tests_patients::{hospital_with_device, request, signed, PATIENT_2},
};
use frame_support::assert_ok;

/// A guardian's key holds no balance (it is never funded: a transfer would link it), yet it
/// signs the confirmation and acts for the ward: naming it gives it an account for good.
#[test]
fn a_named_guardian_key_exists_on_chain_to_sign_and_keeps_its_account() {
	build_and_execute(|| {
		hospital_with_device();
		assert!(!System::account_exists(&GUARDIAN));
		request(PATIENT, Some(GUARDIAN));
		assert_eq!(System::providers(&GUARDIAN), 1);
		// Corrected by the institution: named again, still one reference.
		request(PATIENT, Some(GUARDIAN));
		assert_eq!(System::providers(&GUARDIAN), 1);
		assert_ok!(Institutions::confirm_registration(signed(GUARDIAN), PATIENT, Some(GUARDIAN)));
		System::inc_account_nonce(GUARDIAN);
		// A new guardian named by the old one: the new key exists too; the old one keeps its
		// account (its nonce must never start again at 0).
		assert!(!System::account_exists(&GUARDIAN_2));
		assert_ok!(Institutions::set_guardian(signed(GUARDIAN), PATIENT, Some(GUARDIAN_2)));
		assert_eq!(System::providers(&GUARDIAN_2), 1);
		assert_eq!(System::providers(&GUARDIAN), 1);
		assert_ok!(Institutions::leave(signed(GUARDIAN_2), PATIENT));
		assert_eq!(System::providers(&GUARDIAN_2), 1);
		assert_eq!(System::account_nonce(GUARDIAN), 1);
	});
}

/// A guardian named in a registration that expires unconfirmed keeps its account (given by a
/// paid registration, kept like a guardianship), and an existing account gets no second
/// reference.
#[test]
fn a_guardian_of_an_expired_registration_keeps_its_account() {
	build_and_execute(|| {
		hospital_with_device();
		System::inc_providers(&GUARDIAN_2);
		request(PATIENT, Some(GUARDIAN));
		request(PATIENT_2, Some(GUARDIAN_2));
		assert_eq!(System::providers(&GUARDIAN_2), 1);
		System::set_block_number(System::block_number() + RegistrationExpiry::get());
		assert_ok!(Institutions::remove_expired_registration(signed(STRANGER), PATIENT));
		assert_eq!(System::providers(&PATIENT), 0);
		assert_eq!(System::providers(&GUARDIAN), 1);
	});
}
