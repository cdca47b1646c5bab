//! Patients need no tokens: in the real runtime (all transaction extensions, real fees), a
//! registered patient whose account holds nothing signs consent transactions fee-free up to
//! the allowance; the next one is invalid (it would need a fee the account cannot pay), and a
//! stranger's empty account cannot transact at all. A guardian's empty key, named by the
//! hospital, confirms for its ward and acts for it the same way.

use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use medchain_harness::tx::{signed, ChainContext};
use medchain_runtime::{
	genesis_config_presets, AccountId, BuildStorage, Executive, Runtime, RuntimeCall,
	RuntimeOrigin, System, VERSION,
};
use pallet_institutions::InstitutionKind;
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Header,
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionValidityError},
};

fn development_ext() -> sp_io::TestExternalities {
	let config = genesis_config_presets::preset_genesis_config("development").unwrap();
	sp_io::TestExternalities::new(config.build_storage().unwrap())
}

fn dispatch(call: RuntimeCall, origin: RuntimeOrigin) {
	assert_ok!(call.dispatch_bypass_filter(origin));
}

/// Block 1 of the development chain, a hospital with a device, and a fresh patient key with an
/// empty account: (patient key, patient, device). The registration is left to the test.
fn hospital_and_patient_key() -> (sr25519::Pair, AccountId, AccountId) {
	let header = Header::<u32, sp_runtime::traits::BlakeTwo256>::new(
		1,
		Default::default(),
		Default::default(),
		System::block_hash(0),
		Default::default(),
	);
	Executive::initialize_block(&header);
	let admin = Sr25519Keyring::Bob.to_account_id();
	let device = Sr25519Keyring::Dave.to_account_id();
	let patient_key = sr25519::Pair::generate().0;
	let patient: AccountId = patient_key.public().into();
	dispatch(
		RuntimeCall::Institutions(pallet_institutions::Call::admit {
			admin: admin.clone(),
			kind: InstitutionKind::Hospital,
			name: b"H".to_vec(),
		}),
		RuntimeOrigin::root(),
	);
	dispatch(
		RuntimeCall::Institutions(pallet_institutions::Call::add_device { device: device.clone() }),
		RuntimeOrigin::signed(admin),
	);
	(patient_key, patient, device)
}

/// As [`hospital_and_patient_key`], with the patient registered and confirmed, and the chain
/// context to sign with.
fn registered_patient() -> (sr25519::Pair, AccountId, ChainContext) {
	let (patient_key, patient, device) = hospital_and_patient_key();
	dispatch(
		RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		}),
		RuntimeOrigin::signed(device),
	);
	dispatch(
		RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		}),
		RuntimeOrigin::signed(patient.clone()),
	);
	let ctx = ChainContext {
		genesis: System::block_hash(0),
		spec_version: VERSION.spec_version,
		transaction_version: VERSION.transaction_version,
	};
	(patient_key, patient, ctx)
}

#[test]
fn an_empty_patient_account_transacts_fee_free_within_its_allowance() {
	development_ext().execute_with(|| {
		let (patient_key, patient, ctx) = registered_patient();
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);

		let deny = |nonce| {
			signed(
				RuntimeCall::Consent(pallet_consent::Call::set_deny_provisions {
					patient: patient.clone(),
					categories: vec![pallet_records::Category::MentalHealth]
						.try_into()
						.expect("within the bound"),
				}),
				&patient_key,
				nonce,
				ctx,
			)
		};
		let allowance = pallet_consent::Params::<Runtime>::get().patient_allowance;
		for nonce in 0..allowance {
			assert_eq!(Executive::apply_extrinsic(deny(nonce)), Ok(Ok(())), "transaction {nonce}");
		}
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0, "no fee paid");
		assert_eq!(
			Executive::apply_extrinsic(deny(allowance)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment)),
			"beyond the allowance a fee is due, and the account has none"
		);

		// A stranger's empty account: not a patient, no allowance, no fee: invalid.
		let stranger = sr25519::Pair::generate().0;
		let xt = signed(
			RuntimeCall::Consent(pallet_consent::Call::set_deny_provisions {
				patient: patient.clone(),
				categories: Default::default(),
			}),
			&stranger,
			0,
			ctx,
		);
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
	});
}

#[test]
fn failing_fee_free_calls_spend_the_allowance_and_then_need_a_fee() {
	development_ext().execute_with(|| {
		let (patient_key, patient, ctx) = registered_patient();
		// A grant that always fails (no purposes): 100 of them from an empty patient account.
		let failing = |nonce: u32| {
			let call = RuntimeCall::Consent(pallet_consent::Call::grant {
				patient: patient.clone(),
				grantee: 0,
				categories: vec![pallet_records::Category::Laboratory]
					.try_into()
					.expect("within the bound"),
				records: Default::default(),
				purposes: Default::default(),
				valid_from: None,
				valid_until: 100,
				custodian: None,
			});
			signed(call, &patient_key, nonce, ctx)
		};
		let allowance = pallet_consent::Params::<Runtime>::get().patient_allowance;
		let (mut included, mut refused) = (0u32, 0u32);
		let mut nonce = 0;
		for _ in 0..100 {
			match Executive::apply_extrinsic(failing(nonce)) {
				Ok(Err(_dispatch_error)) => {
					included += 1;
					nonce += 1;
				},
				Err(TransactionValidityError::Invalid(InvalidTransaction::Payment)) => refused += 1,
				other => panic!("unexpected outcome {other:?}"),
			}
		}
		assert_eq!(included, allowance, "only the allowance's worth are valid");
		assert_eq!(refused, 100 - allowance, "the rest need a fee the account does not have");
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);
		assert_eq!(pallet_consent::Allowance::<Runtime>::get(&patient).1, allowance);
	});
}

#[test]
fn an_empty_patient_account_confirms_its_registration_and_leaves_fee_free() {
	development_ext().execute_with(|| {
		let (patient_key, patient, device) = hospital_and_patient_key();
		dispatch(
			RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
				patient: patient.clone(),
				guardian: None,
			}),
			RuntimeOrigin::signed(device),
		);
		let ctx = ChainContext {
			genesis: System::block_hash(0),
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		};
		let confirm = RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		});
		// Not the patient: not fee-free, and an empty account cannot pay.
		let stranger = sr25519::Pair::generate().0;
		assert_eq!(
			Executive::apply_extrinsic(signed(confirm.clone(), &stranger, 0, ctx)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		// The pending registration's provider reference lets the patient's empty account sign.
		assert_eq!(
			Executive::apply_extrinsic(signed(confirm.clone(), &patient_key, 0, ctx)),
			Ok(Ok(()))
		);
		assert!(pallet_institutions::Patients::<Runtime>::contains_key(&patient));
		// Confirmed once: a second confirmation is not fee-free.
		assert_eq!(
			Executive::apply_extrinsic(signed(confirm, &patient_key, 1, ctx)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		let leave = RuntimeCall::Institutions(pallet_institutions::Call::leave {
			patient: patient.clone(),
		});
		assert_eq!(Executive::apply_extrinsic(signed(leave, &patient_key, 1, ctx)), Ok(Ok(())));
		assert!(!pallet_institutions::Patients::<Runtime>::contains_key(&patient));
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0, "no fee paid");
		assert_eq!(System::account_nonce(&patient), 2, "the account keeps its nonce");
	});
}

/// A guardian's key holds nothing either (it is never funded): naming it gives it an account,
/// so it confirms the ward's registration and acts for the ward fee-free.
#[test]
fn an_empty_guardian_account_confirms_for_the_ward_and_acts_fee_free() {
	development_ext().execute_with(|| {
		let (_, ward, device) = hospital_and_patient_key();
		let guardian_key = sr25519::Pair::generate().0;
		let guardian: AccountId = guardian_key.public().into();
		assert!(!System::account_exists(&guardian));
		dispatch(
			RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
				patient: ward.clone(),
				guardian: Some(guardian.clone()),
			}),
			RuntimeOrigin::signed(device),
		);
		let ctx = ChainContext {
			genesis: System::block_hash(0),
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		};
		let confirm = RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: ward.clone(),
			guardian: Some(guardian.clone()),
		});
		assert_eq!(Executive::apply_extrinsic(signed(confirm, &guardian_key, 0, ctx)), Ok(Ok(())));
		assert_eq!(
			pallet_institutions::Patients::<Runtime>::get(&ward).and_then(|p| p.guardian),
			Some(guardian.clone())
		);
		let deny = RuntimeCall::Consent(pallet_consent::Call::set_deny_provisions {
			patient: ward.clone(),
			categories: vec![pallet_records::Category::MentalHealth]
				.try_into()
				.expect("within the bound"),
		});
		assert_eq!(Executive::apply_extrinsic(signed(deny, &guardian_key, 1, ctx)), Ok(Ok(())));
		assert_eq!(
			pallet_consent::DenyProvisions::<Runtime>::get(&ward).into_inner(),
			vec![pallet_records::Category::MentalHealth]
		);
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&guardian), 0, "no fee paid");
		assert_eq!(System::account_nonce(&guardian), 2);
	});
}

/// A certificate's holder logs that they showed it (`certificates::log_verification`) from an
/// empty pseudonym: fee-free, and it spends one unit of the patient allowance.
#[test]
fn an_empty_holder_logs_a_shown_certificate_fee_free_and_spends_the_allowance() {
	development_ext().execute_with(|| {
		let (patient_key, patient, ctx) = registered_patient();
		let physician = Sr25519Keyring::Ferdie.to_account_id();
		dispatch(
			RuntimeCall::Institutions(pallet_institutions::Call::add_practitioner {
				practitioner: physician.clone(),
				role: pallet_institutions::PractitionerRole::Physician,
				licence_hash: Default::default(),
			}),
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
		);
		let document_hash = sp_core::H256::repeat_byte(0x5c);
		dispatch(
			RuntimeCall::Certificates(pallet_certificates::Call::issue {
				subject: patient.clone(),
				document_hash,
				kind: pallet_certificates::CertificateKind::Fitness,
				valid_from_ms: 0,
				valid_until_ms: None,
			}),
			RuntimeOrigin::signed(physician),
		);
		let used = |who: &AccountId| pallet_consent::Allowance::<Runtime>::get(who).1;
		let before = used(&patient);
		let log = RuntimeCall::Certificates(pallet_certificates::Call::log_verification {
			document_hash,
			verifier: sp_core::H256::repeat_byte(0xe1),
		});
		assert_eq!(Executive::apply_extrinsic(signed(log, &patient_key, 0, ctx)), Ok(Ok(())));
		assert_eq!(used(&patient), before + 1, "one fee-free action spent");
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0, "no fee paid");
		assert_eq!(pallet_consent::Pallet::<Runtime>::disclosures(&patient, 0).entries.len(), 1);
	});
}
