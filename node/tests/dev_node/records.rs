//! Records on a running dev node: sudo admits a hospital and a clinic, the hospital's device
//! registers a patient and anchors a record, and the record is verified over JSON-RPC.

use medchain_harness::hashing::sha2_256;
use medchain_harness::{to_hex, tx, Node};
use medchain_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use pallet_institutions::InstitutionKind;
use pallet_records::{Category, FormatCode};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;

/// What the checks anchored, to check again after a restart.
pub struct Anchored {
	pub custodian: u32,
	pub clinic: u32,
	pub record_id: Vec<u8>,
	pub content_hash: H256,
	pub patient: AccountId,
	pub patient_key: sr25519::Pair,
}

/// The content hash contract: SHA-256 over the record's 32-byte secret salt and the document.
fn content_hash(salt: &[u8; 32], document: &[u8]) -> H256 {
	let mut data = salt.to_vec();
	data.extend_from_slice(document);
	H256(sha2_256(&data))
}

/// `call` dispatched with the development chain's sudo key.
pub fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// Sudo admits an institution; returns its id.
pub fn admit(node: &Node, admin: AccountId, kind: InstitutionKind, name: &str) -> u32 {
	let call = sudo(RuntimeCall::Institutions(pallet_institutions::Call::admit {
		admin,
		kind,
		name: name.as_bytes().to_vec(),
	}));
	let included = tx::execute(node, call, &Sr25519Keyring::Alice.pair()).expect("sudo admit");
	included
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Institutions(pallet_institutions::Event::InstitutionAdmitted {
				institution,
				..
			}) => Some(*institution),
			_ => None,
		})
		.unwrap_or_else(|| panic!("no InstitutionAdmitted event: {:?}", included.events))
}

fn verify(node: &Node, custodian: u32, record_id: &[u8], hash: H256) -> Value {
	node.rpc("records_verify", json!([custodian, to_hex(record_id), format!("{hash:?}")]))
		.expect("records_verify answers")
}

pub fn check_anchor_and_verify(node: &Node) -> Anchored {
	let hospital_admin = Sr25519Keyring::Bob.pair();
	let device = Sr25519Keyring::Dave.pair();
	let device_id: AccountId = device.public().into();
	let hospital = admit(
		node,
		Sr25519Keyring::Bob.to_account_id(),
		InstitutionKind::Hospital,
		"Hôpital Saint-Louis",
	);
	let clinic = admit(
		node,
		Sr25519Keyring::Charlie.to_account_id(),
		InstitutionKind::Clinic,
		"Clinique du Parc",
	);
	assert_ne!(hospital, clinic);
	// The patient's app derives the pseudonym for this hospital from the patient's secret.
	let genesis: String =
		serde_json::from_value(node.rpc("chain_getBlockHash", serde_json::json!([0])).unwrap())
			.unwrap();
	let genesis = H256::from_slice(&medchain_harness::from_hex(&genesis).unwrap());
	let secret = medchain_harness::identity::PatientSecret::new("//DevNodePatient").unwrap();
	let patient_key = secret.pseudonym(&genesis, hospital);
	let patient: AccountId = patient_key.public().into();
	assert_ne!(patient, secret.pseudonym_account(&genesis, clinic));

	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device { device: device_id }),
		&hospital_admin,
	)
	.expect("the hospital admin adds a device");
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		}),
		&device,
	)
	.expect("the device registers a patient");
	// The hospital's waiting registrations (the chain's index by institution) list it.
	let waiting = node
		.rpc("institutions_pendingRegistrations", serde_json::json!([hospital]))
		.expect("institutions_pendingRegistrations");
	assert_eq!(waiting["institution"], serde_json::json!(hospital), "{waiting}");
	assert_eq!(waiting["total"], serde_json::json!(1), "{waiting}");
	assert_eq!(waiting["pageSize"], serde_json::json!(50), "{waiting}");
	// The RPC writes accounts in the chain's SS58 format: the same public key.
	let listed = waiting["registrations"][0]["patient"].as_str().expect("{waiting}");
	let (listed, _) =
		<AccountId as sp_core::crypto::Ss58Codec>::from_ss58check_with_version(listed)
			.expect("an SS58 address");
	assert_eq!(listed, patient, "{waiting}");
	assert_eq!(waiting["registrations"][0]["guardian"], serde_json::Value::Null, "{waiting}");
	assert!(waiting["registrations"][0]["expiresAt"].as_u64().is_some(), "{waiting}");
	let err = node
		.rpc("institutions_pendingRegistrations", serde_json::json!(["x"]))
		.expect_err("bad institution");
	assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		}),
		&patient_key,
	)
	.expect("the patient confirms the registration (fee-free, with no balance)");
	let waiting =
		node.rpc("institutions_pendingRegistrations", serde_json::json!([hospital, 0])).unwrap();
	assert_eq!(waiting["total"], serde_json::json!(0), "confirmed: {waiting}");
	assert_eq!(waiting["registrations"], serde_json::json!([]), "{waiting}");

	let salt = [7u8; 32];
	let document = br#"{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"}}"#;
	let hash = content_hash(&salt, document);
	let record_id = b"lab-2026-000001".to_vec();
	let included = tx::execute(
		node,
		RuntimeCall::Records(pallet_records::Call::anchor {
			patient: patient.clone(),
			record_id: record_id.clone(),
			category: Category::Laboratory,
			content_hash: hash,
			size: document.len() as u64,
			format: FormatCode::FhirJson,
		}),
		&device,
	)
	.expect("the device anchors the record");

	// The clinic (anyone) verifies the document it received.
	let v = verify(node, hospital, &record_id, hash);
	assert_eq!(v["found"], json!(true), "{v}");
	assert_eq!(v["matchesCurrent"], json!(true), "{v}");
	assert_eq!(v["matchedVersion"], json!(1), "{v}");
	assert_eq!(v["category"], json!("Laboratory"), "{v}");
	assert_eq!(v["status"], json!("Active"), "{v}");
	assert_eq!(v["current"]["size"], json!(document.len()), "{v}");
	assert_eq!(v["current"]["anchoredAt"], json!(included.block_number), "{v}");
	assert!(v["current"]["anchoredAtMs"].as_u64().unwrap() > 1_700_000_000_000, "{v}");

	// A tampered document (one byte changed) does not match.
	let mut tampered = document.to_vec();
	tampered[20] ^= 1;
	let v = verify(node, hospital, &record_id, content_hash(&salt, &tampered));
	assert_eq!(v["found"], json!(true), "{v}");
	assert_eq!(v["matchesCurrent"], json!(false), "{v}");
	assert_eq!(v["matchedVersion"], json!(null), "{v}");
	// Nor does the right document without the salt, or under another custodian.
	let v = verify(node, hospital, &record_id, H256(sha2_256(document)));
	assert_eq!(v["matchesCurrent"], json!(false), "{v}");
	let v = verify(node, clinic, &record_id, hash);
	assert_eq!(v["found"], json!(false), "{v}");

	// Bad input gets an RPC error with a message.
	let err = node
		.rpc("records_verify", json!([hospital, "0x", format!("{hash:?}")]))
		.expect_err("an empty record id is an error");
	assert!(err.to_string().contains("record id is empty"), "{err}");
	let err = node
		.rpc("records_verify", json!([hospital, "0x01", "0x1234"]))
		.expect_err("a short hash is an error");
	assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");

	// The patient's record list.
	let page = node
		.rpc("records_ofPatient", json!([patient.to_string(), 0]))
		.expect("records_ofPatient answers");
	assert_eq!(page["total"], json!(1), "{page}");
	assert_eq!(page["records"][0]["custodian"], json!(hospital), "{page}");
	assert_eq!(page["records"][0]["recordId"], json!(to_hex(&record_id)), "{page}");
	assert_eq!(page["records"][0]["category"], json!("Laboratory"), "{page}");

	// A Merkle root of three record hashes, and an inclusion proof checked on chain.
	let leaves = [hash, H256::repeat_byte(1), H256::repeat_byte(2)];
	let root = pallet_records::merkle::root(&leaves).unwrap();
	tx::execute(
		node,
		RuntimeCall::Records(pallet_records::Call::anchor_root { root, leaf_count: 3 }),
		&device,
	)
	.expect("the device anchors a root");
	let proof = pallet_records::merkle::proof(&leaves, 2).unwrap();
	let siblings: Vec<String> = proof.iter().map(|h| format!("{h:?}")).collect();
	let answer = node
		.rpc(
			"records_verifyInclusion",
			json!([hospital, format!("{root:?}"), format!("{:?}", leaves[2]), {"leafIndex": 2, "siblings": siblings}]),
		)
		.expect("records_verifyInclusion answers");
	assert_eq!(answer["included"], json!(true), "{answer}");
	assert_eq!(answer["root"]["leafCount"], json!(3), "{answer}");
	let answer = node
		.rpc(
			"records_verifyInclusion",
			json!([hospital, format!("{root:?}"), format!("{:?}", H256::repeat_byte(9)), {"leafIndex": 2, "siblings": siblings}]),
		)
		.expect("records_verifyInclusion answers");
	assert_eq!(answer["included"], json!(false), "{answer}");
	// Roots are kept per custodian: the clinic never anchored this one.
	let answer = node
		.rpc(
			"records_verifyInclusion",
			json!([clinic, format!("{root:?}"), format!("{:?}", leaves[2]), {"leafIndex": 2, "siblings": siblings}]),
		)
		.expect("records_verifyInclusion answers");
	assert_eq!(answer["included"], json!(false), "{answer}");
	assert_eq!(answer["root"], json!(null), "{answer}");

	Anchored { custodian: hospital, clinic, record_id, content_hash: hash, patient, patient_key }
}

pub fn check_still_verifiable(node: &Node, anchored: &Anchored) {
	let v = verify(node, anchored.custodian, &anchored.record_id, anchored.content_hash);
	assert_eq!(v["matchesCurrent"], json!(true), "the anchor survives a restart: {v}");
	let page = node
		.rpc("records_ofPatient", json!([anchored.patient.to_string()]))
		.expect("records_ofPatient answers");
	assert_eq!(page["total"], json!(1), "{page}");
}
