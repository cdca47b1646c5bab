//! Consent on a running dev node, over JSON-RPC: a patient with an empty account grants a
//! clinic access, the check permits, the hospital logs the release, the patient revokes and
//! the check denies from the next block; a physician opens emergency access and it shows in
//! the patient's disclosure list.

use crate::records::Anchored;
use medchain_harness::{identity, to_hex, tx, Node};
use medchain_runtime::{AccountId, RuntimeCall};
use pallet_consent::{EmergencyReason, Purpose};
use pallet_institutions::PractitionerRole;
use pallet_records::Category;
use serde_json::{json, Value};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;

fn check(node: &Node, a: &Anchored, grantee: u32, purpose: &str, at: Option<u32>) -> Value {
	let target = json!({"record": {"custodian": a.custodian, "recordId": to_hex(&a.record_id)}});
	node.rpc("consent_check", json!([a.patient.to_string(), grantee, target, purpose, at]))
		.expect("consent_check answers")
}

pub fn check_consent_lifecycle(node: &Node, a: &Anchored) {
	let patient_key = &a.patient_key;
	assert_eq!(tx::free_balance(node, &a.patient, None).unwrap(), 0, "the patient holds no tokens");

	// Before any consent: deny, with the reason.
	let d = check(node, a, a.clinic, "Treatment", None);
	assert_eq!(d["deny"]["reason"].clone(), json!("NoConsent"), "{d}");

	// The patient grants the clinic laboratory records for treatment, without paying.
	let best = node.best_number().unwrap();
	let grant = RuntimeCall::Consent(pallet_consent::Call::grant {
		patient: a.patient.clone(),
		grantee: a.clinic,
		categories: vec![Category::Laboratory].try_into().expect("within the bound"),
		records: Default::default(),
		purposes: vec![Purpose::Treatment].try_into().expect("within the bound"),
		valid_from: None,
		valid_until: best + 1_000,
		custodian: None,
	});
	let granted =
		tx::execute(node, grant, patient_key).expect("an empty patient account can grant");
	assert_eq!(tx::free_balance(node, &a.patient, None).unwrap(), 0, "no fee was charged");

	// A past block is answered from its own history (the state its transactions met): the
	// grant's block was checked before the grant existed. Block 0 has no history.
	let d = check(node, a, a.clinic, "Treatment", Some(granted.block_number));
	assert_eq!(d["deny"]["reason"], json!("NoConsent"), "{d}");
	let err = node
		.rpc(
			"consent_check",
			json!([
				a.patient.to_string(),
				a.clinic,
				json!({"category": {"category": "Laboratory", "custodian": null}}),
				"Treatment",
				0
			]),
		)
		.expect_err("block 0 has no state before it");
	assert!(
		matches!(&err, medchain_harness::Error::Rpc { code: 8102, .. }),
		"a clear error for block 0: {err:?}"
	);

	let d = check(node, a, a.clinic, "Treatment", None);
	let consent_id = d["permit"]["consent"].as_u64().expect("permitted by a consent");
	let d = check(node, a, a.clinic, "Research", None);
	assert_eq!(d["deny"]["reason"], json!("PurposeMismatch"), "{d}");
	assert_eq!(d["deny"]["closest"], json!(consent_id), "the consent that came closest: {d}");

	// The hospital's device logs the release to the clinic.
	let device = Sr25519Keyring::Dave.pair();
	tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::log_release {
			patient: a.patient.clone(),
			recipient: a.clinic,
			record_id: a.record_id.clone(),
			purpose: Purpose::Treatment,
		}),
		&device,
	)
	.expect("a permitted release is logged");

	// The patient revokes: the check still permits at the revocation's block, denies after.
	let revoked = tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::revoke { consent: consent_id }),
		patient_key,
	)
	.expect("the patient revokes");
	let at = revoked.block_number;
	// By default the check answers for the next block: right after the revocation's block it
	// already denies (it used to answer one block behind and permit).
	if node.best_number().unwrap() == at {
		let d = check(node, a, a.clinic, "Treatment", None);
		assert_eq!(d["deny"]["reason"], json!("Revoked"), "answered for block {}: {d}", at + 1);
	}
	assert_eq!(
		check(node, a, a.clinic, "Treatment", Some(at))["permit"],
		json!({"consent": consent_id})
	);
	let d = check(node, a, a.clinic, "Treatment", Some(at + 1));
	assert_eq!(d["deny"]["reason"], json!("Revoked"), "{d}");
	node.wait_best(at + 1, std::time::Duration::from_secs(30)).unwrap();
	assert_eq!(check(node, a, a.clinic, "Treatment", None)["deny"]["reason"], json!("Revoked"));
	// A release after the revocation is refused.
	let refused = tx::include(
		node,
		RuntimeCall::Consent(pallet_consent::Call::log_release {
			patient: a.patient.clone(),
			recipient: a.clinic,
			record_id: a.record_id.clone(),
			purpose: Purpose::Treatment,
		}),
		&device,
	)
	.expect("the refused release is in a block");
	assert_eq!(
		refused.result,
		Err(pallet_consent::Error::<medchain_runtime::Runtime>::ConsentRevoked.into()),
		"a release after revocation fails with the reason"
	);

	// A physician of the hospital breaks the glass.
	let physician = Sr25519Keyring::Ferdie.pair();
	let physician_id: AccountId = physician.public().into();
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_practitioner {
			practitioner: physician_id.clone(),
			role: PractitionerRole::Physician,
			licence_hash: H256::repeat_byte(0x11),
		}),
		&Sr25519Keyring::Bob.pair(),
	)
	.expect("the hospital admin registers a physician");
	// Only with the patient's emergency card: the patient registers its card key, the
	// emergency department signs with the card for the physician.
	let genesis: String =
		serde_json::from_value(node.rpc("chain_getBlockHash", json!([0])).unwrap()).unwrap();
	let genesis = H256::from_slice(&medchain_harness::from_hex(&genesis).unwrap());
	// The patient's app issues the card (a QR code); the emergency department reads its text
	// and has nothing else.
	let secret = identity::PatientSecret::new("//DevNodePatient").unwrap();
	let qr = identity::EmergencyCard::issue(&secret, genesis, &[a.custodian], 0).to_text();
	let read = identity::EmergencyCard::from_text(&qr).expect("the card's QR text reads back");
	let card = read.entries[0].clone();
	assert_eq!((card.pseudonym.clone(), read.genesis), (a.patient.clone(), genesis));
	tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::set_emergency_card {
			patient: a.patient.clone(),
			card_key: Some(card.card_key_account()),
		}),
		&a.patient_key,
	)
	.expect("the patient registers an emergency card");
	let forged = identity::CardEntry { card_seed: [0x66; 32], ..card.clone() };
	let refused = tx::include(
		node,
		RuntimeCall::Consent(pallet_consent::Call::open_emergency_access {
			patient: a.patient.clone(),
			reason_commitment: EmergencyReason::PatientUnresponsive.commitment(&[1; 32]),
			card_signature: forged.sign_for(&genesis, &physician_id),
		}),
		&physician,
	)
	.expect("the refused access is in a block");
	assert_eq!(
		refused.result,
		Err(pallet_consent::Error::<medchain_runtime::Runtime>::InvalidEmergencyCard.into()),
		"a forged card opens nothing"
	);
	let opened = tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::open_emergency_access {
			patient: a.patient.clone(),
			reason_commitment: EmergencyReason::PatientUnresponsive.commitment(&[1; 32]),
			card_signature: card.sign_for(&genesis, &physician_id),
		}),
		&physician,
	)
	.expect("the physician opens emergency access");
	assert!(
		opened.events.iter().any(|e| matches!(
			e,
			medchain_runtime::RuntimeEvent::Consent(
				pallet_consent::Event::EmergencyAccessOpened { .. }
			)
		)),
		"the event the patient's apps watch: {:?}",
		opened.events
	);

	// The patient's disclosure list shows the emergency access and the earlier release.
	let page = node
		.rpc("consent_disclosures", json!([a.patient.to_string()]))
		.expect("consent_disclosures answers");
	let entries = page["entries"].as_array().expect("entries");
	assert_eq!(entries.len(), 2, "{page}");
	let newest = &entries[0][1];
	assert_eq!(newest["basis"], json!({"emergency": 0}), "{page}");
	assert_eq!(newest["recipient"], json!(a.custodian), "{page}");
	let release = &entries[1][1];
	assert_eq!(release["basis"], json!({"consent": consent_id}), "{page}");
	assert_eq!(release["recipient"], json!(a.clinic), "{page}");
	assert_eq!(release["recordId"], json!(to_hex(&a.record_id)), "{page}");
	assert_eq!(newest["previous"], release["hash"], "hash-chained: {page}");
	assert_eq!(page["log"]["head"], newest["hash"], "{page}");
}
