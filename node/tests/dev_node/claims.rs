//! Insurance claims on a running dev node (issue 17): an insurer is admitted with a funded
//! device; the hospital's device cannot claim before the patient consents to payment by that
//! insurer (`NoConsent`); after the consent, the claim is submitted and its release is in the
//! patient's disclosure log; the insurer accepts (its funds are held), pays part of it, the
//! hospital appeals and the governance origin (sudo on the development chain) settles it. The
//! hospital's admin account receives exactly the approved amount and the award, the insurer's
//! device gets back the rest of the hold, and nothing stays held.

use crate::records::{admit, sudo, Anchored};
use medchain_harness::{tx, Node};
use medchain_runtime::{currency::MED, AccountId, Balance, RuntimeCall};
use pallet_claims::ClaimUse;
use pallet_consent::Purpose;
use pallet_institutions::InstitutionKind;
use pallet_records::Category;
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;

fn get(node: &Node, hash: H256) -> Value {
	node.rpc("claims_get", json!([format!("{hash:?}")])).expect("claims_get answers")
}

fn amount(value: Balance) -> Value {
	json!(value.to_string())
}

pub fn check_claims(node: &Node, a: &Anchored) {
	let alice = Sr25519Keyring::Alice.pair();
	let hospital_device = Sr25519Keyring::Dave.pair();
	let hospital_admin = Sr25519Keyring::Bob.to_account_id();
	let insurer_admin = sr25519::Pair::generate().0;
	let insurer_admin_id: AccountId = insurer_admin.public().into();
	let insurer_device = sr25519::Pair::generate().0;
	let insurer_device_id: AccountId = insurer_device.public().into();

	// An insurer with a funded device.
	let insurer = admit(node, insurer_admin_id.clone(), InstitutionKind::Insurer, "Health Mutual");
	tx::execute(node, tx::transfer(&insurer_admin_id, 10 * MED), &alice).expect("funding");
	tx::execute(node, tx::transfer(&insurer_device_id, 100 * MED), &alice).expect("funding");
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device {
			device: insurer_device_id.clone(),
		}),
		&insurer_admin,
	)
	.expect("the insurer's admin adds its device");

	// Without the patient's consent for payment, the claim is refused by the consent check.
	let claim = H256::repeat_byte(0xc1);
	let submit = || {
		RuntimeCall::Claims(pallet_claims::Call::submit {
			claim,
			insurer,
			patient: a.patient.clone(),
			category: Category::Laboratory,
			amount: 10 * MED,
			claim_use: ClaimUse::Claim,
			preauthorization: None,
		})
	};
	let error = tx::execute(node, submit(), &hospital_device).expect_err("refused");
	assert!(error.contains("Consent") && error.contains("NoConsent"), "{error}");
	assert_eq!(get(node, claim), Value::Null, "nothing was written");

	// The patient consents to payment by the insurer for laboratory records.
	let best = node.best_number().unwrap();
	tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::grant {
			patient: a.patient.clone(),
			grantee: insurer,
			categories: vec![Category::Laboratory].try_into().expect("within the bound"),
			records: Default::default(),
			purposes: vec![Purpose::Payment].try_into().expect("within the bound"),
			valid_from: None,
			valid_until: best + 1_000,
			custodian: None,
		}),
		&a.patient_key,
	)
	.expect("the patient consents to payment");
	tx::execute(node, submit(), &hospital_device).expect("the hospital submits the claim");
	let v = get(node, claim);
	assert_eq!(v["status"], json!("submitted"), "{v}");
	assert_eq!(v["amount"], amount(10 * MED), "{v}");
	let log = node.rpc("consent_disclosures", json!([a.patient.to_string()])).unwrap();
	let release = &log["entries"][0];
	assert_eq!(release[0], v["disclosure"], "{log}");
	assert_eq!(release[1]["recipient"], json!(insurer), "{log}");
	assert_eq!(release[1]["purpose"], json!("Payment"), "{log}");
	let q = node.rpc("claims_insurerQueue", json!([insurer])).expect("claims_insurerQueue");
	assert_eq!(q["total"], json!(1), "{q}");

	// The insurer accepts (10 MED held), pays 6 MED and leaves 1 MED to the patient.
	tx::execute(node, RuntimeCall::Claims(pallet_claims::Call::accept { claim }), &insurer_device)
		.expect("the insurer accepts the claim");
	assert_eq!(get(node, claim)["held"], amount(10 * MED));
	let admin_before = tx::free_balance(node, &hospital_admin, None).unwrap();
	tx::execute(
		node,
		RuntimeCall::Claims(pallet_claims::Call::adjudicate {
			claim,
			approved: 6 * MED,
			patient_share: MED,
			response_hash: H256::repeat_byte(0xc2),
		}),
		&insurer_device,
	)
	.expect("the insurer adjudicates");
	let v = get(node, claim);
	assert_eq!(v["status"], json!({"adjudicated": {"outcome": "partial"}}), "{v}");
	assert_eq!(v["held"], amount(4 * MED), "the unpaid rest stays held for an appeal: {v}");
	let admin_paid = tx::free_balance(node, &hospital_admin, None).unwrap();
	assert_eq!(admin_paid - admin_before, 6 * MED, "the approved amount reached the hospital");

	// The hospital appeals; the council (sudo here) awards 3 of the 4 MED held.
	tx::execute(node, RuntimeCall::Claims(pallet_claims::Call::appeal { claim }), &hospital_device)
		.expect("the hospital appeals");
	assert_eq!(get(node, claim)["status"], json!("appealed"));
	let device_before = tx::free_balance(node, &insurer_device_id, None).unwrap();
	tx::execute(
		node,
		sudo(RuntimeCall::Claims(pallet_claims::Call::settle { claim, award: 3 * MED })),
		&alice,
	)
	.expect("the council settles");
	let v = get(node, claim);
	assert_eq!(v["status"], json!({"settled": {"award": (3 * MED).to_string()}}), "{v}");
	assert_eq!(v["held"], amount(0), "{v}");
	let admin_after = tx::free_balance(node, &hospital_admin, None).unwrap();
	assert_eq!(admin_after - admin_paid, 3 * MED, "the award reached the hospital");
	let device_after = tx::free_balance(node, &insurer_device_id, None).unwrap();
	assert_eq!(device_after - device_before, MED, "the rest of the hold went back to the insurer");

	let q = node.rpc("claims_insurerQueue", json!([insurer])).unwrap();
	assert_eq!(q["total"], json!(0), "{q}");
	let mine = node.rpc("claims_ofPatient", json!([a.patient.to_string()])).unwrap();
	assert_eq!(mine["total"], json!(1), "{mine}");
}
