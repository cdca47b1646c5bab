//! Tests of the emergency card ([`crate::card`], issue 13): break-glass only with the card of
//! the pseudonym, bound to the practitioner who sends it; the patient or guardian sets,
//! replaces and withdraws it; one card key per pseudonym; the reason stays a commitment.
//! Every test runs in [`with_registry`], which checks the invariants afterwards.

use crate::{mock::*, CardKeyHolders, CardKeys, EmergencyAccesses, EmergencyReason, Error, Event};
use frame_support::{assert_noop, assert_ok, dispatch::CheckIfFeeless};
use sp_runtime::testing::TestSignature;

fn open(practitioner: u64, patient: u64, card: TestSignature) -> sp_runtime::DispatchResult {
	Consent::open_emergency_access(
		RuntimeOrigin::signed(practitioner),
		patient,
		committed(EmergencyReason::LifeThreatening),
		card,
	)
}

#[test]
fn the_card_opens_its_pseudonym_for_the_practitioner_it_names() {
	with_registry().execute_with(|| {
		assert_ok!(open(PHYSICIAN_B, PATIENT, card_for(PATIENT, PHYSICIAN_B)));
		// The same signature seen on chain opens nothing for anyone else.
		assert_noop!(
			open(PHYSICIAN_A, PATIENT, card_for(PATIENT, PHYSICIAN_B)),
			Error::<Test>::InvalidEmergencyCard
		);
		// Another pseudonym's card, a key that is not the card's, a statement of another
		// chain or custodian: refused.
		assert_noop!(
			open(PHYSICIAN_A, PATIENT, card_for(PATIENT_AT_C, PHYSICIAN_A)),
			Error::<Test>::InvalidEmergencyCard
		);
		let statement = Consent::card_statement(&PATIENT, &PHYSICIAN_A).unwrap();
		let wrong_key = TestSignature(card_key(OTHER_PATIENT), statement.signing_payload());
		assert_noop!(open(PHYSICIAN_A, PATIENT, wrong_key), Error::<Test>::InvalidEmergencyCard);
		for forged in [
			crate::EmergencyCardStatement {
				genesis_hash: sp_core::H256::repeat_byte(1),
				..statement.clone()
			},
			crate::EmergencyCardStatement { custodian: CLINIC_C, ..statement.clone() },
		] {
			let sig = TestSignature(card_key(PATIENT), forged.signing_payload());
			assert_noop!(open(PHYSICIAN_A, PATIENT, sig), Error::<Test>::InvalidEmergencyCard);
		}
		// Without the domain tag the same bytes are no card.
		let untagged = TestSignature(card_key(PATIENT), codec::Encode::encode(&statement));
		assert_noop!(open(PHYSICIAN_A, PATIENT, untagged), Error::<Test>::InvalidEmergencyCard);
		// Unknown patients are refused as such.
		assert_noop!(
			open(PHYSICIAN_A, STRANGER, TestSignature(STRANGER, vec![])),
			Error::<Test>::UnknownPatient
		);
		assert_ok!(open(PHYSICIAN_A, PATIENT, card_for(PATIENT, PHYSICIAN_A)));
	});
}

#[test]
fn the_patient_or_guardian_replaces_and_withdraws_the_card() {
	with_registry().execute_with(|| {
		let old = card_for(PATIENT, PHYSICIAN_A);
		// The guardian replaces the lost card: the old one opens nothing.
		assert_ok!(Consent::set_emergency_card(
			RuntimeOrigin::signed(GUARDIAN),
			PATIENT,
			Some(500)
		));
		System::assert_last_event(
			Event::EmergencyCardSet { patient: PATIENT, card_key: Some(500) }.into(),
		);
		assert_eq!(CardKeyHolders::<Test>::get(card_key(PATIENT)), None, "old key released");
		assert_noop!(open(PHYSICIAN_A, PATIENT, old), Error::<Test>::InvalidEmergencyCard);
		let statement = Consent::card_statement(&PATIENT, &PHYSICIAN_A).unwrap();
		assert_ok!(open(PHYSICIAN_A, PATIENT, TestSignature(500, statement.signing_payload())));
		// A key of another pseudonym is refused; only the patient or guardian sets it.
		assert_noop!(
			Consent::set_emergency_card(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				Some(card_key(OTHER_PATIENT))
			),
			Error::<Test>::CardKeyInUse
		);
		assert_noop!(
			Consent::set_emergency_card(RuntimeOrigin::signed(STRANGER), PATIENT, None),
			Error::<Test>::NotPatientOrGuardian
		);
		// Withdrawn: no card, no break-glass.
		assert_ok!(Consent::set_emergency_card(RuntimeOrigin::signed(PATIENT), PATIENT, None));
		assert_eq!(
			(CardKeys::<Test>::get(PATIENT), CardKeyHolders::<Test>::get(500)),
			(None, None)
		);
		assert_noop!(
			open(PHYSICIAN_B, PATIENT, TestSignature(500, statement.signing_payload())),
			Error::<Test>::InvalidEmergencyCard
		);
		// Setting the card is fee-free for the patient within the allowance.
		let call = RuntimeCall::Consent(crate::Call::set_emergency_card {
			patient: PATIENT,
			card_key: Some(501),
		});
		assert!(call.is_feeless(&RuntimeOrigin::signed(PATIENT)));
		assert!(!call.is_feeless(&RuntimeOrigin::signed(STRANGER)));
	});
}

#[test]
fn the_reason_is_only_a_commitment() {
	with_registry().execute_with(|| {
		let salt = [42u8; 32];
		let commitment = EmergencyReason::UnableToConsent.commitment(&salt);
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(PHYSICIAN_A),
			PATIENT,
			commitment,
			card_for(PATIENT, PHYSICIAN_A)
		));
		let access = EmergencyAccesses::<Test>::get(0).unwrap();
		assert_eq!(access.reason_commitment, commitment);
		// Without the salt no reason matches; with it, the true one does and no other.
		for reason in [
			EmergencyReason::PatientUnresponsive,
			EmergencyReason::LifeThreatening,
			EmergencyReason::UnableToConsent,
		] {
			assert_ne!(reason.commitment(&[0; 32]), commitment);
			assert_eq!(
				reason.commitment(&salt) == commitment,
				reason == EmergencyReason::UnableToConsent
			);
		}
	});
}
