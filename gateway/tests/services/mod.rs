//! The smart-hospital services through a running gateway, on the chain test's dev node (step
//! 2b of `tests/chain.rs`): a claim signed by the gateway's device is refused without the
//! patient's consent to payment (`Consent::NoConsent`, in words), submitted after it, seen
//! `submitted` and cancelled; a certificate and a prescription are prepared by the gateway,
//! signed and submitted by the physician's own key, and verified by their document and salt
//! (`valid`; `active` with 2 fills left), an altered byte answering `unknown`.
//!
//! Independent calls share blocks (`include_all`, and the refused claim in a thread while the
//! certificate is issued), so the step takes five blocks; it runs beside the rest of step 2
//! (`spawn`), whose supersede, retraction and erasure wait for finality meanwhile, so the
//! device signs claims while the pipeline anchors.

use crate::http::Gateway;
use medchain_harness::{tx, Node};
use medchain_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use pallet_consent::Purpose;
use pallet_institutions::{InstitutionKind, PractitionerRole};
use pallet_records::Category;
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CLAIM: &str = r#"{"resourceType":"Claim","status":"active","type":{"coding":[{"code":"institutional"}]},"use":"claim","patient":{"reference":"Patient/gw-1"},"created":"2026-12-01","total":{"value":10,"currency":"EUR"}}"#;
const RX: &str = r#"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"amoxicillin 500 mg"},"subject":{"reference":"Patient/gw-1"},"dispenseRequest":{"numberOfRepeatsAllowed":1},"substitution":{"allowedBoolean":true}}"#;
const NOTE: &str = r#"{"resourceType":"DocumentReference","status":"current","type":{"text":"sick leave"},"content":[{"attachment":{"contentType":"text/plain","data":"dW5maXQgZm9yIHdvcmsgNyBkYXlz"}}]}"#;

fn base64(bytes: &[u8]) -> String {
	const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	let mut out = String::new();
	for chunk in bytes.chunks(3) {
		let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
		for i in 0..=chunk.len() {
			out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
		}
	}
	out
}

/// `document` with its first `from` after the start replaced by `to` (one byte changed).
fn altered(document: &str, from: &str, to: &str) -> String {
	assert_eq!(from.len(), to.len());
	document.replacen(from, to, 1)
}

fn decode_call(hex: &str) -> RuntimeCall {
	let bytes = medchain_harness::from_hex(hex).expect("hex");
	codec::Decode::decode(&mut &bytes[..]).expect("the gateway's call is a RuntimeCall")
}

fn dispatched(outcomes: Vec<tx::Included>, what: &str) -> Vec<tx::Included> {
	for outcome in &outcomes {
		assert!(outcome.result.is_ok(), "{what}: {:?}", outcome.result);
	}
	outcomes
}

/// Step 2b in a thread of its own, beside the rest of step 2 (its waits for finality): over
/// its own connection to `node`; join it before the node stops.
pub fn spawn(
	node: &Node,
	gw: &Gateway,
	custodian: u32,
	patient: AccountId,
	patient_key: sr25519::Pair,
) -> std::thread::JoinHandle<()> {
	let (node, gw) = (Node::attach(node.rpc_addr()), gw.clone());
	std::thread::spawn(move || check_services(&node, &gw, custodian, &patient, &patient_key))
}

/// Step 2b: `custodian`'s gateway `gw`, its registered `patient` (key `patient_key`).
pub fn check_services(
	node: &Node,
	gw: &Gateway,
	custodian: u32,
	patient: &AccountId,
	patient_key: &sr25519::Pair,
) {
	let started = Instant::now();
	let physician = Sr25519Keyring::Eve.pair();
	let insurer_admin: AccountId = sr25519::Pair::generate().0.public().into();
	let pseudonym = medchain_harness::to_hex(patient.as_ref());

	// Block 1: sudo admits an insurer; the hospital's admin registers its physician.
	let admit = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Institutions(pallet_institutions::Call::admit {
			admin: insurer_admin,
			kind: InstitutionKind::Insurer,
			name: b"Mutuelle Gateway".to_vec(),
		})),
	});
	let add_physician = RuntimeCall::Institutions(pallet_institutions::Call::add_practitioner {
		practitioner: physician.public().into(),
		role: PractitionerRole::Physician,
		licence_hash: H256::repeat_byte(0x3e),
	});
	let (alice, bob) = (Sr25519Keyring::Alice.pair(), Sr25519Keyring::Bob.pair());
	let outcomes =
		tx::include_all(node, &[(admit, &alice), (add_physician, &bob)], Duration::from_secs(60))
			.expect("in a block");
	let outcomes = dispatched(outcomes, "insurer and physician");
	let insurer = outcomes[0]
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Institutions(pallet_institutions::Event::InstitutionAdmitted {
				institution,
				..
			}) => Some(*institution),
			_ => None,
		})
		.expect("InstitutionAdmitted");
	let claim_body = format!(
		r#"{{"claim": {CLAIM}, "insurer": {insurer}, "patient": "{pseudonym}", "category": "Laboratory", "amount": "10000000000000", "use": "claim"}}"#
	);

	// Block 2: the claim without consent (in a thread), and the certificate issued by the
	// physician from the call the gateway prepared.
	let refused = {
		let (gw, body) = (gw.clone(), claim_body.clone());
		std::thread::spawn(move || gw.json("POST", "/claims", body.as_bytes()))
	};
	let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
	let body = format!(
		r#"{{"document": {NOTE}, "subject": "{pseudonym}", "kind": "SickLeave", "validFromMs": {}, "validUntilMs": {}}}"#,
		now_ms - 60_000,
		now_ms + 7 * 24 * 3_600_000
	);
	let (status, certificate) = gw.json("POST", "/certificates", body.as_bytes());
	assert_eq!(status, 201, "{certificate}");
	let call = decode_call(certificate["call"].as_str().unwrap());
	tx::execute(node, call, &physician).expect("the physician issues the certificate");
	let (status, answer) = refused.join().unwrap();
	assert_eq!(status, 403, "{answer}");
	assert_eq!(answer["chainError"], "Consent::NoConsent", "{answer}");
	let words = format!("the patient has not consented to payment by insurer {insurer}");
	assert!(answer["error"].as_str().unwrap().contains(&words), "{answer}");
	assert!(answer.get("hash").is_none(), "nothing kept: {answer}");

	// The certificate verified by its document and salt: base64 of the bytes, or the JSON.
	let salt = certificate["salt"].as_str().unwrap();
	let verify = |document: &str| {
		let (status, answer) = gw.json("POST", "/certificates/verify", document.as_bytes());
		assert_eq!(status, 200, "{answer}");
		answer
	};
	let v = verify(&format!(r#"{{"document": "{}", "salt": "{salt}"}}"#, base64(NOTE.as_bytes())));
	assert_eq!(
		(v["verdict"].as_str(), v["kind"].as_str()),
		(Some("valid"), Some("SickLeave")),
		"{v}"
	);
	assert_eq!(v["institution"], json!(custodian), "{v}");
	assert_eq!(v["contentHash"], certificate["hash"], "{v}");
	let v = verify(&format!(r#"{{"document": {NOTE}, "salt": "{salt}"}}"#));
	assert_eq!(v["verdict"], "valid", "{v}");
	let changed = altered(NOTE, "sick leave", "sick leavf");
	let v = verify(&format!(r#"{{"document": {changed}, "salt": "{salt}"}}"#));
	assert_eq!(v["verdict"], "unknown", "{v}");

	// Block 3: the patient consents to payment by the insurer; the physician prescribes.
	let body = format!(
		r#"{{"medicationRequest": {RX}, "patient": "{pseudonym}", "fills": 2, "substitution": true}}"#
	);
	let (status, prescription) = gw.json("POST", "/prescriptions", body.as_bytes());
	assert_eq!(status, 201, "{prescription}");
	let best = node.best_number().unwrap();
	let consent = RuntimeCall::Consent(pallet_consent::Call::grant {
		patient: patient.clone(),
		grantee: insurer,
		categories: vec![Category::Laboratory].try_into().expect("within the bound"),
		records: Default::default(),
		purposes: vec![Purpose::Payment].try_into().expect("within the bound"),
		valid_from: None,
		valid_until: best + 1_000,
		custodian: None,
	});
	let issue = decode_call(prescription["call"].as_str().unwrap());
	let outcomes = tx::include_all(
		node,
		&[(consent, patient_key), (issue, &physician)],
		Duration::from_secs(60),
	)
	.expect("in a block");
	dispatched(outcomes, "consent and prescription");
	let salt = prescription["salt"].as_str().unwrap();
	let body = format!(r#"{{"document": "{}", "salt": "{salt}"}}"#, base64(RX.as_bytes()));
	let (status, v) = gw.json("POST", "/prescriptions/verify", body.as_bytes());
	assert_eq!(status, 200, "{v}");
	assert_eq!((v["status"].as_str(), v["remaining"].as_u64()), (Some("active"), Some(2)), "{v}");
	assert_eq!(v["claimedByAnotherPharmacy"], json!(false), "{v}");
	assert_eq!(v["dispensable"], json!(true), "{v}");
	assert_eq!(v["institution"], json!(custodian), "{v}");
	let changed = altered(RX, "500 mg", "900 mg");
	let body = format!(r#"{{"document": {changed}, "salt": "{salt}"}}"#);
	let (_, v) = gw.json("POST", "/prescriptions/verify", body.as_bytes());
	assert_eq!(v["status"], "unknown", "{v}");

	// Blocks 4 and 5: the claim goes through, is seen submitted, and is cancelled.
	let (status, submitted) = gw.json("POST", "/claims", claim_body.as_bytes());
	assert_eq!(status, 201, "{submitted}");
	let hash = submitted["hash"].as_str().unwrap().to_string();
	let (status, seen) = gw.json("GET", &format!("/claims/{hash}"), b"");
	assert_eq!(status, 200, "{seen}");
	assert_eq!(
		(seen["status"].as_str(), seen["held"].as_bool()),
		(Some("submitted"), Some(true)),
		"{seen}"
	);
	assert_eq!(seen["chain"]["insurer"], json!(insurer), "{seen}");
	assert_eq!(seen["chain"]["hospital"], json!(custodian), "{seen}");
	assert_eq!(seen["chain"]["amount"], json!("10000000000000"), "{seen}");
	assert_eq!(seen["chain"]["submittedAt"], submitted["block"], "{seen}");
	let (status, document) = gw.get(&format!("/claims/{hash}/document")).unwrap();
	assert_eq!((status, document.as_slice()), (200, CLAIM.as_bytes()));
	let (status, cancelled) = gw.json("POST", &format!("/claims/{hash}/cancel"), b"");
	assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")), "{cancelled}");
	let (_, seen) = gw.json("GET", &format!("/claims/{hash}"), b"");
	assert_eq!(seen["status"], "cancelled", "{seen}");
	let (status, unknown) = gw.json("GET", &format!("/claims/0x{}", "ab".repeat(32)), b"");
	assert_eq!(status, 404, "{unknown}");
	eprintln!("services step: {:?}", started.elapsed());
}

#[test]
fn base64_is_standard() {
	assert_eq!(base64(b"hello"), "aGVsbG8");
	assert_eq!(base64(b"{\"a\":1}"), "eyJhIjoxfQ");
}
