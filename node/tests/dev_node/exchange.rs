//! An exchange on a running dev node, over JSON-RPC: the custodian's new price comes into
//! force after the governance delay (quoted before and after by `exchange_quote`), a second
//! hospital asks the first for the patient's laboratory record at most at the quoted fee, the
//! custodian's device delivers through a relay operator, the requester confirms, and the three
//! balances come out exactly right (fees of the transactions taken from their
//! `TransactionFeePaid` events).

use crate::records::{admit, sudo, Anchored};
use medchain_harness::{to_hex, tx, wait_until, Node};
use medchain_runtime::{currency::MED, AccountId, Balance, RuntimeCall, RuntimeEvent};
use pallet_consent::Purpose;
use pallet_institutions::InstitutionKind;
use pallet_records::Category;
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

/// The transaction fee `who` paid for an included extrinsic.
fn fee_paid(included: &tx::Included, who: &AccountId) -> Balance {
	included
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { who: w, actual_fee, tip },
			) if w == who => Some(actual_fee + tip),
			_ => None,
		})
		.unwrap_or_else(|| panic!("no TransactionFeePaid event: {:?}", included.events))
}

pub fn check_exchange(node: &Node, a: &Anchored) {
	let alice = Sr25519Keyring::Alice.pair();
	let custodian_admin = Sr25519Keyring::Bob.to_account_id();
	let custodian_device = Sr25519Keyring::Dave.pair();
	let requester_admin = sr25519::Pair::generate().0;
	let requester_admin_id: AccountId = requester_admin.public().into();
	let requester_device = sr25519::Pair::generate().0;
	let requester_device_id: AccountId = requester_device.public().into();
	let relay_admin_id: AccountId = sr25519::Pair::generate().0.public().into();

	// A second hospital (the requester) and a relay operator are admitted; the requester's
	// admin and device get funds; the relay operator's admin account starts empty.
	let requester = admit(
		node,
		requester_admin_id.clone(),
		InstitutionKind::Hospital,
		"Centre Hospitalier Nord",
	);
	let relay = admit(node, relay_admin_id.clone(), InstitutionKind::RelayOperator, "MedRelay");
	for account in [&requester_admin_id, &requester_device_id] {
		tx::execute(node, tx::transfer(account, 10 * MED), &alice).expect("funding");
	}
	tx::execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device {
			device: requester_device_id.clone(),
		}),
		&requester_admin,
	)
	.expect("the requester's admin adds its device");

	// The patient consents to the requester receiving laboratory records for treatment; the
	// custodian prices laboratory records at an odd amount.
	let best = node.best_number().unwrap();
	tx::execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::grant {
			patient: a.patient.clone(),
			grantee: requester,
			categories: vec![Category::Laboratory].try_into().expect("within the bound"),
			records: Default::default(),
			purposes: vec![Purpose::Treatment].try_into().expect("within the bound"),
			valid_from: None,
			valid_until: best + 1_000,
			custodian: None,
		}),
		&a.patient_key,
	)
	.expect("the patient consents");
	// Governance (sudo on --dev) shortens the price change delay from a day to 3 blocks.
	let mut parameters = medchain_runtime::configs::DefaultExchangeParameters::get();
	parameters.price_change_delay = 3;
	tx::execute(
		node,
		sudo(RuntimeCall::Exchange(pallet_exchange::Call::set_parameters { parameters })),
		&alice,
	)
	.expect("sudo sets the exchange parameters");
	let price: Balance = 333_333_333_333;
	let published = tx::execute(
		node,
		RuntimeCall::Exchange(pallet_exchange::Call::set_prices {
			custodian: a.custodian,
			prices: vec![(Category::Laboratory, price)],
		}),
		&Sr25519Keyring::Bob.pair(),
	)
	.expect("the custodian's admin sets its prices");
	let effective_from = published.block_number + 3;
	assert!(
		published.events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Exchange(pallet_exchange::Event::PricesSet { effective_from: at, .. })
				if *at == effective_from
		)),
		"PricesSet in force from #{effective_from}: {:?}",
		published.events
	);
	// The quote: the default fee until the new price is in force, then the price.
	let quote = || {
		node.rpc(
			"exchange_quote",
			json!([a.custodian, a.patient.to_string(), [to_hex(&a.record_id)], []]),
		)
	};
	let before = node.best_number().unwrap();
	let early = quote().expect("exchange_quote");
	if node.best_number().unwrap() < effective_from {
		// Quoted at a block (`before` or later) before the new price is in force.
		let default_fee = medchain_runtime::configs::DefaultExchangeParameters::get().default_fee;
		assert_eq!(early, json!(default_fee.to_string()), "quoted at #{before}");
	}
	wait_until(
		"the new price in force",
		Duration::from_secs(60),
		Duration::from_millis(500),
		|| (node.best_number().ok()? >= effective_from).then_some(()),
	)
	.expect("blocks are produced");
	assert_eq!(quote().expect("exchange_quote"), json!(price.to_string()));
	let err = node
		.rpc("exchange_quote", json!([a.custodian, a.patient.to_string(), [], ["Imaging"]]))
		.expect_err("no imaging study of the patient at the custodian");
	assert!(err.to_string().contains("NoRecordsInCategory"), "{err}");

	// Balances before the exchange.
	let device_before = tx::free_balance(node, &requester_device_id, None).unwrap();
	let custodian_before = tx::free_balance(node, &custodian_admin, None).unwrap();
	assert_eq!(tx::free_balance(node, &relay_admin_id, None).unwrap(), 0);

	// Request.
	let requested = tx::execute(
		node,
		RuntimeCall::Exchange(pallet_exchange::Call::request {
			custodian: a.custodian,
			patient: a.patient.clone(),
			record_ids: vec![a.record_id.clone()],
			categories: vec![],
			purpose: Purpose::Treatment,
			max_fee: price,
		}),
		&requester_device,
	)
	.expect("the requester's device requests the record");
	let id = requested
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Exchange(pallet_exchange::Event::ExchangeRequested {
				request, ..
			}) => Some(*request),
			_ => None,
		})
		.expect("ExchangeRequested");
	let request_fee = fee_paid(&requested, &requester_device_id);

	// The custodian's queue shows it; the request's status is `requested`.
	let queue = node.rpc("exchange_pending", json!([a.custodian])).expect("exchange_pending");
	assert_eq!(queue["total"], json!(1), "{queue}");
	let waiting = &queue["requests"][0];
	assert_eq!(waiting["id"], json!(id), "{queue}");
	assert_eq!(waiting["requester"], json!(requester), "{queue}");
	assert_eq!(waiting["fee"], json!(price.to_string()), "{queue}");
	assert_eq!(waiting["records"], json!([to_hex(&a.record_id)]), "{queue}");
	assert_eq!(waiting["status"], json!("requested"), "{queue}");
	assert_eq!(waiting["relaySharePerMille"], json!(50), "{queue}");

	// Delivery through the relay operator.
	let package = H256::repeat_byte(0x5e);
	let delivered = tx::execute(
		node,
		RuntimeCall::Exchange(pallet_exchange::Call::deliver {
			request: id,
			package_hash: package,
			package_size: 8_192,
			relay,
			versions: vec![(a.record_id.clone(), 1)],
		}),
		&custodian_device,
	)
	.expect("the custodian's device delivers");
	let view = node.rpc("exchange_request", json!([id])).expect("exchange_request");
	let dispute_until = view["status"]["delivered"]["disputeUntil"].as_u64().expect("{view}");
	assert!(dispute_until > delivered.block_number as u64, "{view}");
	assert_eq!(view["delivery"]["packageHash"], json!(format!("{package:?}")), "{view}");
	assert_eq!(view["delivery"]["relay"], json!(relay), "{view}");
	assert_eq!(
		view["delivery"]["versions"],
		json!([{"recordId": to_hex(&a.record_id), "version": 1}]),
		"{view}"
	);
	let queue = node.rpc("exchange_pending", json!([a.custodian, 0])).unwrap();
	assert_eq!(queue["total"], json!(0), "{queue}");
	// Both parties' lists of requests have it, newest first, with its status.
	for party in [a.custodian, requester] {
		let list = node.rpc("exchange_ofInstitution", json!([party])).expect("ofInstitution");
		assert_eq!(list["institution"], json!(party), "{list}");
		assert_eq!(list["requests"][0]["id"], json!(id), "{list}");
		assert!(list["requests"][0]["status"]["delivered"].is_object(), "{list}");
		assert!(list["total"].as_u64().is_some_and(|n| n >= 1), "{list}");
	}
	let empty = node.rpc("exchange_ofInstitution", json!([a.custodian, 1_000_000])).unwrap();
	assert_eq!(empty["requests"], json!([]), "a page past the end: {empty}");
	// The release is in the patient's disclosure log.
	let log = node.rpc("consent_disclosures", json!([a.patient.to_string()])).unwrap();
	assert_eq!(log["entries"][0][1]["recipient"], json!(requester), "{log}");
	assert_eq!(log["entries"][0][1]["custodian"], json!(a.custodian), "{log}");

	// Confirmation: the hold is paid out.
	let confirmed = tx::execute(
		node,
		RuntimeCall::Exchange(pallet_exchange::Call::confirm { request: id }),
		&requester_device,
	)
	.expect("the requester confirms");
	let confirm_fee = fee_paid(&confirmed, &requester_device_id);
	let at = Some(confirmed.block_hash.as_str());
	// 5 % of 333_333_333_333 is 16_666_666_666.65: the relay gets 16_666_666_666, the
	// custodian the other 316_666_666_667.
	let relay_share: Balance = 16_666_666_666;
	let custodian_share: Balance = 316_666_666_667;
	assert_eq!(relay_share + custodian_share, price);
	assert_eq!(
		tx::free_balance(node, &requester_device_id, at).unwrap(),
		device_before - price - request_fee - confirm_fee,
		"the requester paid the fee and two transaction fees"
	);
	assert_eq!(
		tx::free_balance(node, &custodian_admin, at).unwrap(),
		custodian_before + custodian_share
	);
	assert_eq!(tx::free_balance(node, &relay_admin_id, at).unwrap(), relay_share);
	let view = node.rpc("exchange_request", json!([id])).unwrap();
	assert_eq!(
		view["status"],
		json!({"completed": {"at": confirmed.block_number, "automatic": false}}),
		"{view}"
	);

	// Bad input gets an RPC error with a message.
	let err = node.rpc("exchange_request", json!([987_654])).expect_err("unknown request");
	assert!(err.to_string().contains("no exchange request has id 987654"), "{err}");
	let err = node.rpc("exchange_pending", json!(["x"])).expect_err("bad custodian");
	assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");
	let err = node.rpc("exchange_ofInstitution", json!([-1])).expect_err("bad institution");
	assert!(err.to_string().to_lowercase().contains("invalid"), "{err}");
}
