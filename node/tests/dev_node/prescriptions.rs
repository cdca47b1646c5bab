//! E-prescriptions on a running dev node (issue 17): a pharmacy is admitted and registers its
//! pharmacist; the hospital's physician (registered by the consent checks) prescribes two fills
//! for the patient at that pharmacy; the pharmacy sees it in its queue over JSON-RPC, cannot
//! dispense without claiming it, claims and dispenses both fills; the prescription is then
//! completed and leaves the queue, a third fill is refused, and both dispenses are in the
//! patient's disclosure log with the prescription as their basis.

use crate::records::{admit, Anchored};
use medchain_harness::{tx, Node};
use medchain_runtime::{currency::MED, AccountId, RuntimeCall};
use pallet_institutions::{InstitutionKind, PractitionerRole};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;

fn get(node: &Node, hash: H256) -> Value {
	node.rpc("prescriptions_get", json!([format!("{hash:?}")])).expect("prescriptions_get answers")
}

fn queue(node: &Node, pharmacy: u32) -> Value {
	node.rpc("prescriptions_queue", json!([pharmacy])).expect("prescriptions_queue answers")
}

/// The chain's refusal of a prescriptions call (it names the pallet and the error).
fn refused(
	node: &Node,
	call: pallet_prescriptions::Call<medchain_runtime::Runtime>,
	who: &sr25519::Pair,
) -> String {
	let error = tx::execute(node, RuntimeCall::Prescriptions(call), who)
		.expect_err("the chain refuses the call");
	assert!(error.contains("Prescriptions"), "{error}");
	error
}

pub fn check_prescriptions(node: &Node, a: &Anchored) {
	let alice = Sr25519Keyring::Alice.pair();
	let physician = Sr25519Keyring::Ferdie.pair();
	let pharmacy_admin = sr25519::Pair::generate().0;
	let pharmacy_admin_id: AccountId = pharmacy_admin.public().into();
	let pharmacist = sr25519::Pair::generate().0;
	let pharmacist_id: AccountId = pharmacist.public().into();

	// A pharmacy with one pharmacist.
	let pharmacy =
		admit(node, pharmacy_admin_id.clone(), InstitutionKind::Pharmacy, "Jongno Pharmacy");
	for account in [&pharmacy_admin_id, &pharmacist_id] {
		tx::execute(node, tx::transfer(account, 10 * MED), &alice).expect("funding");
	}
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_practitioner {
			practitioner: pharmacist_id.clone(),
			role: PractitionerRole::Pharmacist,
			licence_hash: H256::repeat_byte(0x77),
		}),
		&pharmacy_admin,
	)
	.expect("the pharmacy registers its pharmacist");

	// Two fills at that pharmacy, generic substitution allowed, the default period of use.
	let prescription = H256::repeat_byte(0xd1);
	let issued = tx::execute(
		node,
		RuntimeCall::Prescriptions(pallet_prescriptions::Call::issue {
			hash: prescription,
			patient: a.patient.clone(),
			pharmacy: Some(pharmacy),
			fills: 2,
			valid_until: None,
			substitution: true,
		}),
		&physician,
	)
	.expect("the physician prescribes");
	let v = get(node, prescription);
	assert_eq!(v["found"], json!(true), "{v}");
	assert_eq!(v["status"], json!("active"), "{v}");
	assert_eq!(v["institution"], json!(a.custodian), "{v}");
	assert_eq!(v["remaining"], json!(2), "{v}");
	assert_eq!(v["validUntil"], json!(issued.block_number + 3 * medchain_runtime::DAYS), "{v}");
	assert_eq!(get(node, H256::repeat_byte(0xee))["found"], json!(false));
	let q = queue(node, pharmacy);
	assert_eq!(q["total"], json!(1), "{q}");
	assert_eq!(q["prescriptions"][0]["hash"], json!(format!("{prescription:?}")), "{q}");
	assert_eq!(q["prescriptions"][0]["designated"], json!(true), "{q}");

	// No dispense without the claim lock.
	let dispense = |fill: u8| pallet_prescriptions::Call::dispense {
		hash: prescription,
		dispense_hash: H256::repeat_byte(0xe0 + fill),
	};
	let error = refused(node, dispense(0), &pharmacist);
	assert!(error.contains("NotClaimed"), "{error}");

	// Claim and dispense each fill.
	for fill in 0..2u8 {
		tx::execute(
			node,
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::claim { hash: prescription }),
			&pharmacist,
		)
		.expect("the pharmacist claims the prescription");
		tx::execute(node, RuntimeCall::Prescriptions(dispense(fill)), &pharmacist)
			.expect("the pharmacist dispenses a fill");
	}
	let v = get(node, prescription);
	assert_eq!(v["status"], json!("completed"), "{v}");
	assert_eq!(v["dispenses"].as_array().map(Vec::len), Some(2), "{v}");
	assert_eq!(v["dispenses"][1]["pharmacy"], json!(pharmacy), "{v}");
	assert_eq!(
		queue(node, pharmacy)["total"],
		json!(0),
		"a completed prescription leaves the queue"
	);
	let again = pallet_prescriptions::Call::claim { hash: prescription };
	let error = refused(node, again, &pharmacist);
	assert!(error.contains("AllFillsDispensed"), "{error}");

	// Each dispense is in the patient's disclosure log, the prescription as its basis.
	let log = node.rpc("consent_disclosures", json!([a.patient.to_string()])).unwrap();
	for (i, entry) in log["entries"].as_array().expect("entries")[..2].iter().enumerate() {
		let entry = &entry[1];
		assert_eq!(entry["basis"], json!("prescription"), "{i}: {log}");
		assert_eq!(entry["custodian"], json!(a.custodian), "{log}");
		assert_eq!(entry["recipient"], json!(pharmacy), "{log}");
		assert_eq!(entry["recordId"], json!(format!("{prescription:?}")), "{log}");
	}
	assert_eq!(v["dispenses"][1]["disclosure"], log["entries"][0][0], "{v}\n{log}");

	// The patient's prescriptions.
	let mine = node
		.rpc("prescriptions_ofPatient", json!([a.patient.to_string()]))
		.expect("prescriptions_ofPatient answers");
	assert_eq!(mine["total"], json!(1), "{mine}");
	assert_eq!(mine["prescriptions"][0]["status"], json!("completed"), "{mine}");
}
