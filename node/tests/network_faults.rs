//! A four-hospital network under faults (issue 7), as processes on 127.0.0.1. One network
//! (`--chain consortium`, validators Alice, Bob, Charlie, Dave) serves the checks in order, each
//! bounded in time; every process is stopped at the end:
//!
//! 1. four validators produce and finalize blocks; best minus finalized stays below 5;
//! 2. one validator paused (SIGSTOP) for 60 s: finality goes on with three; after SIGCONT it
//!    catches up within 30 s;
//! 3. two validators paused: blocks may go on, finality stalls; after resuming, finality
//!    recovers and no finalized block is reverted;
//! 4. a validator killed (SIGKILL) and restarted on its base path re-syncs and authors again;
//! 5. a new non-validator node joins by warp sync and serves the current state over JSON-RPC;
//! 6. a patient grants consent through node A, the check is made through node C, the release
//!    logged through node B shows in the disclosure list on node D;
//! 7. transactions submitted to a node that is then killed: those in finalized blocks are on
//!    every other node, and none is applied twice (resubmitted, they are refused as stale).
//!
//! The figures (recovery times, memory) are printed for docs/network.md.

use codec::Encode;
use medchain_harness::{
	council, network,
	node::{SIGCONT, SIGSTOP},
	tx, validator, wait_until, Node, NodeConfig,
};
use medchain_runtime::{currency::MED, AccountId, RuntimeCall};
use pallet_consent::Purpose;
use pallet_records::{Category, FormatCode};
use serde_json::json;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring::{self, *};
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const ALICE: usize = 0;
const BOB: usize = 1;
const CHARLIE: usize = 2;
const DAVE: usize = 3;

fn binary() -> &'static str {
	env!("CARGO_BIN_EXE_medchain-node")
}

fn validator_config(i: usize, bootnode: Option<&str>) -> NodeConfig {
	let mut args = vec![
		"--chain".to_string(),
		"consortium".to_string(),
		format!("--{}", NAMES[i]),
		"--node-key".to_string(),
		// The founders' keys: their peer ids are on the consortium chain's genesis allow-list.
		network::founder_node_key(NAMES[i]),
	];
	if let Some(addr) = bootnode {
		args.extend(["--bootnodes".to_string(), addr.to_string()]);
	}
	NodeConfig::new(binary(), &format!("faults-{}", NAMES[i]), args)
}

fn ok<T>(result: Result<T, String>, node: &Node) -> T {
	result.unwrap_or_else(|e| panic!("{e}\n--- node log ---\n{}", node.log_tail(40)))
}

fn finalized(node: &Node) -> u32 {
	ok(node.finalized_number(), node)
}

fn best(node: &Node) -> u32 {
	ok(node.best_number(), node)
}

fn aura_key(who: Sr25519Keyring) -> AuraId {
	AuraId::from(who.public())
}

#[test]
fn four_hospitals_keep_finalizing_through_faults_and_recover() {
	let t0 = Instant::now();
	let alice = validator_config(ALICE, None).start(START_TIMEOUT).expect("alice starts");
	let bootnode = network::bootnode_of(&alice).unwrap();
	let mut nodes = vec![alice];
	for i in [BOB, CHARLIE, DAVE] {
		nodes.push(validator_config(i, Some(&bootnode)).start(START_TIMEOUT).expect("node starts"));
	}
	ok(nodes[ALICE].wait_finalized(1, Duration::from_secs(120)), &nodes[ALICE]);
	eprintln!(
		"[figure] first finalized block {:.1} s after the first start",
		t0.elapsed().as_secs_f64()
	);

	check_1_four_validators(&nodes);
	check_2_one_paused(&nodes);
	check_3_two_paused(&nodes);
	check_4_killed_and_restarted(&mut nodes, BOB);
	let joiner = check_5_warp_sync_joiner(&nodes, &bootnode);
	check_6_consent_across_nodes(&nodes);
	check_7_transactions_to_a_killed_node(&mut nodes, CHARLIE);

	for (i, node) in nodes.iter().enumerate() {
		if let Some(kib) = node.resident_memory_kib() {
			eprintln!("[figure] resident memory of {}: {} MiB", NAMES[i], kib / 1024);
		}
	}
	if let Some(kib) = joiner.resident_memory_kib() {
		eprintln!("[figure] resident memory of the warp-synced full node: {} MiB", kib / 1024);
	}
	let mut all = nodes;
	all.push(joiner);
	for mut node in all {
		let status = node.stop(Duration::from_secs(30)).expect("the node stops");
		assert!(status.success(), "clean exit, got {status}");
		medchain_harness::node::remove_base_path(&node.config.base_path);
	}
	eprintln!("[figure] whole fault test {:.0} s", t0.elapsed().as_secs_f64());
}

/// Check 1: All four see each other, finalize, agree, and the lag stays below 5.
fn check_1_four_validators(nodes: &[Node]) {
	for node in nodes {
		ok(
			wait_until("three peers", Duration::from_secs(60), Duration::from_secs(1), || {
				let health = node.rpc("system_health", json!([])).ok()?;
				(health["peers"].as_u64()? >= 3).then_some(())
			}),
			node,
		);
		ok(node.wait_finalized(3, Duration::from_secs(120)), node);
	}
	let mut worst = 0;
	for _ in 0..5 {
		for node in nodes {
			worst = worst.max(best(node) - finalized(node));
		}
		std::thread::sleep(Duration::from_secs(2));
	}
	assert!(worst < 5, "best - finalized stayed below 5 (worst {worst})");
	let common = nodes.iter().map(finalized).min().unwrap();
	let hashes: Vec<_> = nodes.iter().map(|n| n.block_hash(common).unwrap()).collect();
	assert!(hashes.windows(2).all(|w| w[0] == w[1]), "one finalized chain: {hashes:?}");
	eprintln!("check 1: four validators finalize, worst lag {worst}");
}

/// Check 2: Dave paused for 60 s: the other three keep finalizing; Dave catches up within 30 s.
fn check_2_one_paused(nodes: &[Node]) {
	let (alice, dave) = (&nodes[ALICE], &nodes[DAVE]);
	let before = finalized(alice);
	dave.signal(SIGSTOP).unwrap();
	let paused = Instant::now();
	// Finality advances by at least 5 blocks with three of four voters.
	let advanced = alice.wait_finalized(before + 5, Duration::from_secs(60));
	let advanced_after = paused.elapsed();
	std::thread::sleep(Duration::from_secs(60).saturating_sub(paused.elapsed()));
	let target = finalized(alice);
	dave.signal(SIGCONT).unwrap();
	let resumed = Instant::now();
	ok(advanced, alice);
	let caught_up = dave.wait_finalized(target, Duration::from_secs(30));
	let catch_up = resumed.elapsed();
	ok(caught_up, dave);
	eprintln!(
		"check 2: one of four paused 60 s: finalized #{before} -> #{target} meanwhile (5 more after {:.1} s); [figure] caught up with #{target} {:.1} s after resume",
		advanced_after.as_secs_f64(),
		catch_up.as_secs_f64()
	);
}

/// Check 3: Charlie and Dave paused: finality stalls; after resuming it recovers, nothing reverted.
fn check_3_two_paused(nodes: &[Node]) {
	let alice = &nodes[ALICE];
	let best_before = best(alice);
	for i in [CHARLIE, DAVE] {
		nodes[i].signal(SIGSTOP).unwrap();
	}
	let paused = Instant::now();
	// Rounds in flight may complete in the first seconds; then finality stands still.
	std::thread::sleep(Duration::from_secs(12));
	let stalled_at = finalized(alice);
	std::thread::sleep(Duration::from_secs(30));
	let still = finalized(alice);
	let best_paused = best(alice);
	// What was finalized before the stall, as Alice and Bob see it.
	let finalized_chain: Vec<String> =
		(1..=stalled_at).map(|n| alice.block_hash(n).unwrap().unwrap()).collect();
	for i in [CHARLIE, DAVE] {
		nodes[i].signal(SIGCONT).unwrap();
	}
	let resumed = Instant::now();
	assert_eq!(still, stalled_at, "with two of four voters finality stalls");
	assert!(
		best_paused >= best_before,
		"blocks may go on meanwhile (best #{best_before} -> #{best_paused})"
	);
	// Recovery: everything produced meanwhile gets finalized.
	ok(alice.wait_finalized(best_paused, Duration::from_secs(90)), alice);
	let recovery = resumed.elapsed();
	for node in nodes {
		ok(node.wait_finalized(best_paused, Duration::from_secs(60)), node);
		for (n, hash) in finalized_chain.iter().enumerate() {
			assert_eq!(
				node.block_hash(n as u32 + 1).unwrap().as_ref(),
				Some(hash),
				"finalized block #{} kept",
				n + 1
			);
		}
	}
	eprintln!(
		"check 3: two of four paused {:.0} s: finalized stayed at #{stalled_at} while best went #{best_before} -> #{best_paused}; [figure] finality recovered past #{best_paused} {:.1} s after resume; #1..#{stalled_at} unchanged on all",
		resumed.duration_since(paused).as_secs_f64(),
		recovery.as_secs_f64()
	);
}

/// Check 4: A validator killed and restarted on its base path re-syncs and authors again.
fn check_4_killed_and_restarted(nodes: &mut [Node], who: usize) {
	let config = nodes[who].config.clone();
	nodes[who].kill().unwrap();
	std::thread::sleep(Duration::from_secs(12));
	let killed_best = best(&nodes[ALICE]);
	let restarted = Instant::now();
	nodes[who] = config.start(START_TIMEOUT).expect("the killed node restarts");
	let node = &nodes[who];
	ok(node.wait_best(killed_best, Duration::from_secs(90)), node);
	let resynced = restarted.elapsed();
	// It authors again: a block in its slot with its Aura key, after the restart.
	let key = aura_key([Alice, Bob, Charlie, Dave][who]);
	let authored = validator::wait_authored(node, &key, killed_best + 1, Duration::from_secs(90));
	let authored = ok(authored, node);
	ok(node.wait_finalized(authored, Duration::from_secs(60)), node);
	eprintln!(
		"check 4: {} killed and restarted: [figure] re-synced to #{killed_best} {:.1} s after restart, authored #{authored} {:.1} s after restart",
		NAMES[who],
		resynced.as_secs_f64(),
		restarted.elapsed().as_secs_f64()
	);
}

/// Check 5: A full node (not a validator) joins by warp sync and serves the current state.
fn check_5_warp_sync_joiner(nodes: &[Node], bootnode: &str) -> Node {
	let alice = &nodes[ALICE];
	// The founders accept only listed nodes (genesis allow-list): the council puts the
	// joiner's node on the list first, as hospital 0's second node.
	let (peer, _) =
		ok(network::peer_id_of_node_key(&network::node_key(10)).map_err(|e| e.to_string()), alice);
	let authorize = RuntimeCall::Consortium(pallet_consortium::Call::authorize_node {
		node: peer,
		hospital: 0,
	});
	let (a, b, c) = (Alice.pair(), Bob.pair(), Charlie.pair());
	let motion = ok(council::propose(alice, &a, 3, authorize), alice);
	ok(council::vote(alice, &motion, &[&a, &b, &c], true), alice);
	assert_eq!(ok(council::close(alice, &a, &motion), alice), council::Closed::Executed(Ok(())));
	let target = finalized(alice);
	let args = vec![
		"--chain".to_string(),
		"consortium".to_string(),
		"--sync".to_string(),
		"warp".to_string(),
		"--bootnodes".to_string(),
		bootnode.to_string(),
		"--node-key".to_string(),
		network::node_key(10),
	];
	let started = Instant::now();
	let joiner = NodeConfig::new(binary(), "faults-joiner", args)
		.start(START_TIMEOUT)
		.expect("the joining node starts");
	ok(joiner.wait_finalized(target, Duration::from_secs(120)), &joiner);
	let synced = started.elapsed();
	let log = std::fs::read_to_string(joiner.config.log_path()).unwrap_or_default();
	assert!(
		log.contains("Warp sync is complete"),
		"it synced by warp sync:\n{}",
		joiner.log_tail(30)
	);
	// It serves the state: the same account data and registry entry as a validator, at its
	// finalized block (it holds no state, nor header, of the blocks it warped over).
	let at = ok(joiner.finalized_hash(), &joiner);
	let account =
		frame_system::Account::<medchain_runtime::Runtime>::hashed_key_for(Alice.to_account_id());
	let hospital =
		pallet_institutions::Institutions::<medchain_runtime::Runtime>::hashed_key_for(0u32);
	for key in [account, hospital] {
		let theirs =
			alice.rpc("state_getStorage", json!([medchain_harness::to_hex(&key), at])).unwrap();
		let ours =
			joiner.rpc("state_getStorage", json!([medchain_harness::to_hex(&key), at])).unwrap();
		assert!(theirs.is_string(), "the key has a value");
		assert_eq!(ours, theirs, "the warp-synced node serves the same state");
	}
	let version = joiner.rpc("state_getRuntimeVersion", json!([])).unwrap();
	assert_eq!(version["specName"], json!("medchain"));
	eprintln!(
		"check 5: a full node joined by warp sync: [figure] finalized #{target} {:.1} s after its start",
		synced.as_secs_f64()
	);
	joiner
}

/// Check 6: Consent end to end across nodes: grant through A, check through C, release logged
/// through B, disclosure read on D.
fn check_6_consent_across_nodes(nodes: &[Node]) {
	let (a, b, c, d) = (&nodes[ALICE], &nodes[BOB], &nodes[CHARLIE], &nodes[DAVE]);
	// Hôpital Nord (0, admin Alice) and Hôpital Sud (1) are admitted in the consortium genesis.
	let (nord, sud) = (0u32, 1u32);
	let device = Ferdie.pair();
	let patient_key = sr25519::Pair::generate().0;
	let patient: AccountId = patient_key.public().into();
	let record_id = b"lab-net-000001".to_vec();
	ok(
		tx::execute(
			a,
			RuntimeCall::Institutions(pallet_institutions::Call::add_device {
				device: device.public().into(),
			}),
			&Alice.pair(),
		),
		a,
	);
	ok(
		tx::execute(
			a,
			RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
				patient: patient.clone(),
				guardian: None,
			}),
			&device,
		),
		a,
	);
	ok(
		tx::execute(
			a,
			RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
				patient: patient.clone(),
				guardian: None,
			}),
			&patient_key,
		),
		a,
	);
	ok(
		tx::execute(
			a,
			RuntimeCall::Records(pallet_records::Call::anchor {
				patient: patient.clone(),
				record_id: record_id.clone(),
				category: Category::Laboratory,
				content_hash: H256::repeat_byte(0x42),
				size: 1_024,
				format: FormatCode::FhirJson,
			}),
			&device,
		),
		a,
	);
	let check = |node: &Node| {
		let target = json!({"record": {"custodian": nord, "recordId": medchain_harness::to_hex(&record_id)}});
		node.rpc("consent_check", json!([patient.to_string(), sud, target, "Treatment", null]))
			.expect("consent_check answers")
	};
	assert_eq!(check(c)["deny"]["reason"], json!("NoConsent"));
	let grant = RuntimeCall::Consent(pallet_consent::Call::grant {
		patient: patient.clone(),
		grantee: sud,
		categories: vec![Category::Laboratory].try_into().expect("within the bound"),
		records: Default::default(),
		purposes: vec![Purpose::Treatment].try_into().expect("within the bound"),
		valid_from: None,
		valid_until: best(a) + 1_000,
		custodian: None,
	});
	let granted = ok(tx::execute(a, grant, &patient_key), a);
	ok(c.wait_best(granted.block_number, Duration::from_secs(30)), c);
	let decision = check(c);
	assert!(decision["permit"]["consent"].is_u64(), "checked through node C: {decision}");
	let release = RuntimeCall::Consent(pallet_consent::Call::log_release {
		patient: patient.clone(),
		recipient: sud,
		record_id: record_id.clone(),
		purpose: Purpose::Treatment,
	});
	let logged = ok(tx::execute(b, release, &device), b);
	ok(d.wait_best(logged.block_number, Duration::from_secs(30)), d);
	let page = d.rpc("consent_disclosures", json!([patient.to_string()])).expect("disclosures");
	let entries = page["entries"].as_array().expect("entries");
	assert_eq!(entries.len(), 1, "{page}");
	assert_eq!(entries[0][1]["recipient"], json!(sud), "{page}");
	assert_eq!(entries[0][1]["recordId"], json!(medchain_harness::to_hex(&record_id)), "{page}");
	eprintln!(
		"check 6: consent granted via A (#{}), permitted via C, release logged via B (#{}), disclosure read on D",
		granted.block_number, logged.block_number
	);
}

/// Check 7: Transfers submitted to a node in two waves, killed right after the second: every one
/// that reaches a finalized block is on every other node, and none is applied twice.
fn check_7_transactions_to_a_killed_node(nodes: &mut [Node], victim: usize) {
	const COUNT: usize = 8;
	let signer = Eve.pair();
	let signer_id: AccountId = signer.public().into();
	let recipient: AccountId = sr25519::Pair::generate().0.public().into();
	let ctx = tx::ChainContext::of(&nodes[victim]).unwrap();
	let first_nonce = tx::next_nonce(&nodes[victim], &signer_id).unwrap();
	let extrinsics: Vec<Vec<u8>> = (0..COUNT as u32)
		.map(|k| tx::signed(tx::transfer(&recipient, MED), &signer, first_nonce + k, ctx).encode())
		.collect();
	let from = best(&nodes[victim]);
	let (first_wave, second_wave) = extrinsics.split_at(COUNT / 2);
	for xt in first_wave {
		nodes[victim].submit(xt).expect("the node takes the transfer");
	}
	// Once the first wave is in a block it knows, the second wave goes in and the node is
	// killed at once: whether the second wave reaches a block depends on whether the node
	// gossiped it before dying.
	ok(
		wait_until(
			"a transfer in a block",
			Duration::from_secs(60),
			Duration::from_millis(200),
			|| {
				let node = &nodes[victim];
				let top = node.best_number().ok()?;
				(from..=top).find(|n| {
					node.block_hash(*n)
						.ok()
						.flatten()
						.and_then(|h| node.block_extrinsics(&h).ok())
						.is_some_and(|xts| xts.iter().any(|x| first_wave.contains(x)))
				})
			},
		),
		&nodes[victim],
	);
	for xt in second_wave {
		nodes[victim].submit(xt).expect("the node takes the transfer");
	}
	let config = nodes[victim].config.clone();
	nodes[victim].kill().unwrap();
	let killed_at = best(&nodes[ALICE]);

	// The three others finalize a few more blocks, then agree on which transfers made it.
	let others: Vec<usize> = (0..nodes.len()).filter(|i| *i != victim).collect();
	for &i in &others {
		ok(nodes[i].wait_finalized(killed_at + 3, Duration::from_secs(90)), &nodes[i]);
	}
	let mut found = Vec::new();
	for xt in &extrinsics {
		let mut places = Vec::new();
		for &i in &others {
			places.push(nodes[i].find_finalized_extrinsic(xt, from).unwrap());
		}
		assert!(
			places.windows(2).all(|w| w[0] == w[1]),
			"the same block on every other node: {places:?}"
		);
		found.push(places[0].clone());
	}
	let included = found.iter().filter(|f| f.is_some()).count();
	let alice = &nodes[ALICE];
	let balance = tx::free_balance(alice, &recipient, None).unwrap();
	assert_eq!(balance, MED * included as u128, "each transfer in a finalized block applied once");

	// Resubmitted everywhere: the applied ones are refused as stale; the rest go in once.
	for (xt, place) in extrinsics.iter().zip(&found) {
		let answer = alice.submit(xt);
		if place.is_some() {
			assert!(answer.is_err(), "an applied transfer is refused when resubmitted");
		}
	}
	ok(
		wait_until(
			"every transfer applied",
			Duration::from_secs(90),
			Duration::from_secs(1),
			|| {
				(tx::free_balance(alice, &recipient, None).ok()? == MED * COUNT as u128)
					.then_some(())
			},
		),
		alice,
	);
	let final_nonce = tx::next_nonce(alice, &signer_id).unwrap();
	assert_eq!(final_nonce, first_nonce + COUNT as u32, "one nonce per transfer: none twice");
	// The killed node comes back.
	nodes[victim] = config.start(START_TIMEOUT).expect("the killed node restarts");
	ok(nodes[victim].wait_best(killed_at, Duration::from_secs(90)), &nodes[victim]);
	eprintln!(
		"check 7: {COUNT} transfers to {} in two waves, killed right after the second: {included} were in finalized blocks on the three others, the other {} applied after resubmission, none twice",
		NAMES[victim],
		COUNT - included
	);
}
