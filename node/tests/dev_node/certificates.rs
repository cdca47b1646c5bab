//! Certificates on a running dev node (issue 17): the hospital's physician (registered by the
//! consent checks) issues a sick-leave certificate for the patient; anyone verifies it over
//! JSON-RPC; it is suspended and reinstated, corrected, and the correction revoked; the
//! institution's revocation list comes back as a W3C Bitstring Status List credential whose
//! bits for the superseded and the revoked certificate are set; the holder logs showing the
//! first one to an employer, and the entry appears in the holder's disclosure log.

use crate::records::Anchored;
use medchain_harness::{tx, Node};
use medchain_runtime::RuntimeCall;
use pallet_certificates::{CertificateKind, RevocationReason, SuspensionReason};
use serde_json::{json, Value};
use sp_core::H256;
use sp_keyring::Sr25519Keyring;

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;

fn verify(node: &Node, hash: H256) -> Value {
	node.rpc("certificates_verify", json!([format!("{hash:?}")]))
		.expect("certificates_verify answers")
}

/// The bits of an `encodedList`, decoded as an offline verifier does.
fn decode_list(encoded: &str) -> Vec<u8> {
	pallet_certificates_rpc::decode_list(encoded).expect("the encoded list decodes")
}

pub fn check_certificates(node: &Node, a: &Anchored) {
	let physician = Sr25519Keyring::Ferdie.pair();
	// The dev node's blocks carry the wall clock's time.
	let now_ms =
		std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
			as u64;
	let first = H256::repeat_byte(0xc1);
	let corrected = H256::repeat_byte(0xc2);

	// A sick leave from yesterday for five days.
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::issue {
			subject: a.patient.clone(),
			document_hash: first,
			kind: CertificateKind::SickLeave,
			valid_from_ms: now_ms - DAY_MS,
			valid_until_ms: Some(now_ms + 4 * DAY_MS),
		}),
		&physician,
	)
	.expect("the physician issues a certificate");
	let v = verify(node, first);
	assert_eq!(v["found"], json!(true), "{v}");
	assert_eq!(v["validity"], json!("Valid"), "{v}");
	assert_eq!(v["kind"], json!("SickLeave"), "{v}");
	assert_eq!(v["institution"], json!(a.custodian), "{v}");
	assert_eq!(v["statusIndex"], json!(0), "{v}");
	let unknown = verify(node, H256::repeat_byte(0xee));
	assert_eq!(unknown["found"], json!(false), "{unknown}");
	let err =
		node.rpc("certificates_verify", json!(["0x12"])).expect_err("a short hash is an error");
	assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");

	// Suspended, then reinstated.
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::suspend {
			document_hash: first,
			reason: SuspensionReason::UnderReview,
		}),
		&physician,
	)
	.expect("suspended");
	assert_eq!(verify(node, first)["validity"], json!("Suspended"));
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::reinstate { document_hash: first }),
		&physician,
	)
	.expect("reinstated");
	assert_eq!(verify(node, first)["validity"], json!("Valid"));

	// Corrected (two more days), and the correction revoked as issued in error.
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::supersede {
			old_hash: first,
			new_hash: corrected,
			valid_from_ms: now_ms - DAY_MS,
			valid_until_ms: Some(now_ms + 6 * DAY_MS),
		}),
		&physician,
	)
	.expect("superseded");
	assert_eq!(verify(node, first)["validity"], json!("Superseded"));
	assert_eq!(verify(node, corrected)["supersedes"], json!(format!("{first:?}")));
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::revoke {
			document_hash: corrected,
			reason: RevocationReason::IssuedInError,
		}),
		&Sr25519Keyring::Bob.pair(),
	)
	.expect("the hospital's admin revokes the correction");
	assert_eq!(verify(node, corrected)["validity"], json!("Revoked"));

	// The revocation list: index 1 (the revoked correction) set, and index 0 too: a superseded
	// document is no longer in force, so offline verifiers see it revoked.
	let list = node
		.rpc("certificates_statusList", json!([a.custodian, "revocation"]))
		.expect("certificates_statusList answers");
	assert_eq!(list["issued"], json!(2), "{list}");
	let subject = &list["credential"]["credentialSubject"];
	assert_eq!(subject["statusPurpose"], json!("revocation"), "{list}");
	let bits = decode_list(subject["encodedList"].as_str().unwrap());
	assert_eq!(bits.len(), 131_072 / 8, "padded to the specification's minimum");
	assert_eq!(bits[0], 0b1100_0000, "indices 0 and 1 revoked");
	assert!(bits[1..].iter().all(|b| *b == 0));
	let list = node
		.rpc("certificates_statusList", json!([a.custodian, "suspension"]))
		.expect("certificates_statusList answers");
	let bits =
		decode_list(list["credential"]["credentialSubject"]["encodedList"].as_str().unwrap());
	assert!(bits.iter().all(|b| *b == 0), "nothing suspended any more");

	// The holder shows the certificate to an employer and logs it in their disclosure log (a
	// normal transaction: the patient pays its fee).
	tx::execute(
		node,
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: a.patient.clone().into(),
			value: 1_000_000_000_000,
		}),
		&Sr25519Keyring::Alice.pair(),
	)
	.expect("the patient gets funds for a fee");
	let employer = H256::repeat_byte(0xe1);
	tx::execute(
		node,
		RuntimeCall::Certificates(pallet_certificates::Call::log_verification {
			document_hash: first,
			verifier: employer,
		}),
		&a.patient_key,
	)
	.expect("the holder logs the verification");
	let log = node.rpc("consent_disclosures", json!([a.patient.to_string()])).unwrap();
	let newest = &log["entries"][0][1];
	assert_eq!(newest["basis"], json!({"holderShared": format!("{employer:?}")}), "{log}");
	assert_eq!(newest["recordId"], json!(format!("{first:?}")), "{log}");
	assert_eq!(newest["purpose"], json!("PatientRequest"), "{log}");

	// The patient's certificates, history included.
	let page = node
		.rpc("certificates_ofSubject", json!([a.patient.to_string()]))
		.expect("certificates_ofSubject answers");
	assert_eq!(page["total"], json!(2), "{page}");
	assert_eq!(page["certificates"][0]["documentHash"], json!(format!("{first:?}")), "{page}");
}
