//! The consortium governing itself on a running network (issue 6), as processes on 127.0.0.1:
//!
//! 1. four hospital validators produce and finalize blocks; a fifth hospital's node, not on the
//!    allow-list, gets no blocks from them;
//! 2. `scripts/onboard-hospital.sh` (through `medchain-admin`) has the council admit the fifth
//!    hospital, registers session keys generated in its node's keystore, and has the council put
//!    its node on the allow-list (it then syncs) and in the validator set; after the session
//!    change it authors blocks and finality goes on with five;
//! 3. the council authorizes a runtime upgrade (two thirds) and anyone applies it: every node
//!    runs the new `spec_version`, blocks keep being produced and finalized, state is intact,
//!    and signed transactions of the new version are accepted.
//!
//! One network serves the three checks (each node start compiles the runtime). The chain spec
//! is the consortium preset with 5-block sessions and the four founding nodes on the allow-list.
//! Bounded in time; every process is stopped at the end.

use medchain_harness::{council, network, tx, upgrade, validator, Node, NodeConfig};
use medchain_runtime::{currency::MED, AccountId, Runtime};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::*;
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const SESSION_BLOCKS: u32 = 5;

/// The node key of node `i`: the founders' keys for nodes 1 to 4 (their peer ids are on the
/// consortium chain's genesis allow-list), others distinct from the other network tests' keys.
fn node_key(i: u8) -> String {
	match i {
		1..=4 => network::founder_node_key(["alice", "bob", "charlie", "dave"][i as usize - 1]),
		_ => network::node_key(100 + i as u64),
	}
}

fn binary() -> &'static str {
	env!("CARGO_BIN_EXE_medchain-node")
}

/// The consortium chain spec with short sessions; the founding nodes are on the allow-list by
/// the preset itself (issue 12, item 3: a chain whose list starts empty partitions itself at
/// the first authorization).
fn write_chain_spec(dir: &Path) -> PathBuf {
	let out = std::process::Command::new(binary())
		.args(["build-spec", "--chain", "consortium"])
		.stderr(std::process::Stdio::null())
		.output()
		.expect("build-spec runs");
	assert!(out.status.success(), "build-spec succeeds");
	let mut spec: Value = serde_json::from_slice(&out.stdout).expect("a JSON chain spec");
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"]["consortium"];
	patch["sessionBlocks"] = json!(SESSION_BLOCKS);
	let path = dir.join("consortium-governance.json");
	std::fs::write(&path, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
	path
}

fn start(spec: &Path, name: &str, key: u8, dev_keys: bool, bootnode: Option<&str>) -> Node {
	let mut args = vec![
		"--chain".to_string(),
		spec.display().to_string(),
		"--node-key".to_string(),
		node_key(key),
	];
	if dev_keys {
		args.push(format!("--{name}"));
	} else {
		args.extend(["--validator".to_string(), "--name".to_string(), name.to_string()]);
	}
	if let Some(addr) = bootnode {
		args.extend(["--bootnodes".to_string(), addr.to_string()]);
	}
	let node = NodeConfig::new(binary(), &format!("governance-{name}"), args)
		.start(START_TIMEOUT)
		.unwrap_or_else(|e| panic!("{name}'s node starts: {e}"));
	let peer = node.rpc("system_localPeerId", json!([])).expect("system_localPeerId");
	let (_, expected) = network::peer_id_of_node_key(&node_key(key)).unwrap();
	assert_eq!(peer.as_str(), Some(expected.as_str()), "the peer id follows from the node key");
	node
}

/// The peer ids a node is syncing with.
fn sync_peers(node: &Node) -> Vec<String> {
	node.rpc("system_peers", json!([]))
		.ok()
		.and_then(|v| v.as_array().cloned())
		.unwrap_or_default()
		.iter()
		.filter_map(|p| p["peerId"].as_str().map(str::to_string))
		.collect()
}

fn or_log<T>(result: Result<T, String>, node: &Node) -> T {
	result.unwrap_or_else(|e| {
		panic!("{e}\n--- log of {} ---\n{}", node.config.base_path.display(), node.log_tail(40))
	})
}

fn upgrade_blob() -> Vec<u8> {
	let path = std::env::var("MEDCHAIN_UPGRADE_WASM").unwrap_or_else(|_| {
		format!(
			"{}/.cache/medchain/medchain_runtime_next.compact.compressed.wasm",
			std::env::var("HOME").unwrap_or_default()
		)
	});
	std::fs::read(&path).unwrap_or_else(|e| {
		panic!("the upgrade fixture {path} is missing ({e}): run scripts/build-upgrade-fixture.sh")
	})
}

#[test]
fn the_council_admits_a_validator_authorizes_its_node_and_upgrades_the_runtime() {
	let t0 = Instant::now();
	let code = upgrade_blob();
	let spec_dir = medchain_harness::node::temp_base_path("governance-spec");
	let spec = write_chain_spec(&spec_dir);

	// ---- four founding validators ------------------------------------------------------------
	let alice = start(&spec, "alice", 1, true, None);
	let bootnode = network::bootnode_of(&alice).unwrap();
	let mut nodes = vec![alice];
	for (i, name) in ["bob", "charlie", "dave"].iter().enumerate() {
		nodes.push(start(&spec, name, i as u8 + 2, true, Some(&bootnode)));
	}
	for node in &nodes {
		or_log(node.wait_finalized(2, Duration::from_secs(150)), node);
	}
	eprintln!("four validators finalized #2 after {:?}", t0.elapsed());
	let genesis_list = network::authorized_nodes(&nodes[0]).unwrap();
	for i in 1..=4u8 {
		let (peer, _) = network::peer_id_of_node_key(&node_key(i)).unwrap();
		assert!(
			genesis_list.contains(&(peer, Some(i as u32 - 1))),
			"founder {i}'s node is on the genesis allow-list"
		);
	}
	assert_eq!(genesis_list.len(), 4);

	// ---- a fifth hospital's node, not on the allow-list --------------------------------------
	let eve_node = start(&spec, "eve", 5, false, Some(&bootnode));
	let (eve_peer_bytes, eve_peer) = network::peer_id_of_node_key(&node_key(5)).unwrap();
	let eve = Eve.pair();
	let eve_account: AccountId = council::account(&eve);
	let founders = [Alice.pair(), Bob.pair(), Charlie.pair(), Dave.pair()];
	let ayes3 = [&founders[0], &founders[1], &founders[2]];

	// Four blocks later it is still at genesis, and no founding node syncs with it.
	let best_before = nodes[0].best_number().unwrap();
	or_log(nodes[0].wait_best(best_before + 4, Duration::from_secs(60)), &nodes[0]);
	assert_eq!(eve_node.best_number().unwrap(), 0, "an unauthorized node gets no blocks");
	for node in &nodes {
		assert!(!sync_peers(node).contains(&eve_peer), "no founding node syncs with it");
	}
	eprintln!("outsider still at #0 at #{} ({:?})", best_before + 4, t0.elapsed());

	// ---- onboarding, by the script: admission, session keys, allow-list, validator ----------
	// Meanwhile every founder keeps at least three peers (item 3: authorizing a node never
	// partitions the founders), sampled every second until the onboarding is over. A founder
	// counts as below three only when three consecutive samples say so: on 2 shared cores a
	// founder's connection is sometimes dropped and re-established within a second or two
	// (seen in CI on 2026-12-02 within one sample, on 2026-12-03 over two, on a machine twice
	// as slow as usual), which is a reconnection, not a partition: a partition lasts for the
	// rest of the onboarding, tens of samples.
	let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
	let founders_rpc: Vec<_> = nodes.iter().map(|n| n.rpc_addr()).collect();
	let watcher = {
		let watching = watching.clone();
		std::thread::spawn(move || {
			let founders: Vec<Node> = founders_rpc.into_iter().map(Node::attach).collect();
			let mut fewest = usize::MAX;
			let mut samples = 0u32;
			// Each founder's two samples before this one.
			let mut previous = vec![[usize::MAX; 2]; founders.len()];
			while watching.load(std::sync::atomic::Ordering::Relaxed) && samples < 900 {
				for (node, previous) in founders.iter().zip(previous.iter_mut()) {
					if let Ok(health) = node.rpc("system_health", json!([])) {
						let peers = health["peers"].as_u64().unwrap_or(0) as usize;
						// The fewest peers held over three consecutive samples.
						fewest = fewest.min(peers.max(previous[0]).max(previous[1]));
						*previous = [previous[1], peers];
					}
				}
				samples += 1;
				std::thread::sleep(Duration::from_secs(1));
			}
			(fewest, samples)
		})
	};
	let council_file = spec_dir.join("council-suris");
	std::fs::write(&council_file, "//Alice\n//Bob\n//Charlie\n").unwrap();
	let admin_tool = Path::new(binary()).with_file_name("medchain-admin");
	assert!(admin_tool.exists(), "{} is built with the workspace", admin_tool.display());
	let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/onboard-hospital.sh");
	let run = std::process::Command::new("bash")
		.arg(script)
		.args(["--rpc", &nodes[0].rpc_addr().to_string()])
		.args(["--node", &eve_node.rpc_addr().to_string()])
		.args(["--name", "Hôpital Centre"])
		.env("HOSPITAL_SURI", "//Eve")
		.env("COUNCIL_SURIS_FILE", &council_file)
		.env("MEDCHAIN_ADMIN", &admin_tool)
		.output()
		.expect("the onboarding script runs");
	let output =
		format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
	assert!(run.status.success(), "the onboarding script succeeds:\n{output}");
	eprintln!("onboarding script done after {:?}:\n{output}", t0.elapsed());
	let hospital = 4u32;
	assert_eq!(council::members(&nodes[0], None).unwrap().len(), 5, "its admin took a seat");
	let key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&eve_account);
	assert_eq!(nodes[0].storage::<u32>(&key, None).unwrap(), Some(hospital));
	let keys = validator::registered_keys(&nodes[0], &eve_account).unwrap().expect("keys set");
	let has_keys = eve_node
		.rpc(
			"author_hasSessionKeys",
			json!([medchain_harness::to_hex(&codec::Encode::encode(&keys))]),
		)
		.unwrap();
	assert_eq!(has_keys, json!(true), "the registered keys are in the new node's keystore");
	assert!(network::authorized_nodes(&nodes[0])
		.unwrap()
		.contains(&(eve_peer_bytes.clone(), Some(hospital))));
	assert!(validator::consortium_validators(&nodes[0])
		.unwrap()
		.contains(&(eve_account.clone(), Some(hospital))));

	// Authorized, it syncs.
	let authorized_at = nodes[0].best_number().unwrap();
	or_log(eve_node.wait_best(authorized_at, Duration::from_secs(120)), &eve_node);
	watching.store(false, std::sync::atomic::Ordering::Relaxed);
	let (fewest, samples) = watcher.join().expect("the peer watcher ends");
	assert!(samples > 10, "the peers were sampled ({samples} rounds)");
	assert!(fewest >= 3, "a founder fell to {fewest} peers during the onboarding");
	eprintln!("founders kept >= {fewest} peers over {samples} samples of the onboarding");
	eprintln!("the authorized node synced to #{authorized_at} after {:?}", t0.elapsed());
	let added_at = authorized_at;
	nodes.push(eve_node);
	let eve_index = nodes.len() - 1;

	// Active from the session after next (at most 3 session lengths from now).
	let active = medchain_harness::wait_until(
		"the fifth validator in the session's set",
		Duration::from_secs(6 * 4 * SESSION_BLOCKS as u64 + 60),
		Duration::from_secs(2),
		|| {
			let set = validator::session_validators(&nodes[0], None).ok()?;
			set.contains(&eve_account).then(|| nodes[0].best_number().ok()).flatten()
		},
	);
	let active_at = or_log(active, &nodes[0]);
	eprintln!("added at #{added_at}, in the session's set at #{active_at} ({:?})", t0.elapsed());

	// It authors a block: within two rounds of five slots.
	let eve_aura = keys.aura.clone();
	let authored =
		validator::wait_authored(&nodes[0], &eve_aura, active_at, Duration::from_secs(6 * 12 + 60));
	let authored = or_log(authored, &nodes[eve_index]);
	for node in &nodes {
		or_log(node.wait_finalized(authored + 2, Duration::from_secs(120)), node);
	}
	eprintln!(
		"the fifth validator authored #{authored}; finalized past it on all five ({:?})",
		t0.elapsed()
	);

	// ---- runtime upgrade by council motion ---------------------------------------------------
	let old_version = upgrade::spec_version(&nodes[0]).unwrap();
	assert_eq!(old_version, medchain_runtime::VERSION.spec_version);
	let members: Vec<AccountId> = council::members(&nodes[0], None).unwrap();
	// Two thirds of 5 seats is 4: three ayes are not enough.
	let motion = or_log(
		council::propose(
			&nodes[0],
			&founders[0],
			council::two_thirds(5),
			upgrade::authorize_call(&code),
		),
		&nodes[0],
	);
	assert_eq!(motion.threshold, 4);
	or_log(council::vote(&nodes[0], &motion, &ayes3, true), &nodes[0]);
	or_log(council::vote(&nodes[1], &motion, &[&eve], true), &nodes[1]);
	assert_eq!(
		or_log(council::close(&nodes[0], &founders[3], &motion), &nodes[0]),
		council::Closed::Executed(Ok(()))
	);
	assert_eq!(
		upgrade::authorized(&nodes[0]).unwrap().map(|(h, _)| h),
		Some(upgrade::code_hash(&code))
	);
	// Anyone applies it, through any node.
	let applied = or_log(upgrade::apply(&nodes[2], code.clone()), &nodes[2]);
	assert_eq!(applied.result, Ok(()), "the upgrade is applied");
	eprintln!("upgrade applied in #{} ({:?})", applied.block_number, t0.elapsed());
	for node in &nodes {
		or_log(
			medchain_harness::wait_until(
				"the new spec_version",
				Duration::from_secs(120),
				Duration::from_secs(1),
				|| (upgrade::spec_version(node).ok()? == old_version + 1).then_some(()),
			),
			node,
		);
	}
	for node in &nodes {
		or_log(node.wait_finalized(applied.block_number + 3, Duration::from_secs(180)), node);
	}
	eprintln!(
		"every node runs spec_version {} and finalized past #{} ({:?})",
		old_version + 1,
		applied.block_number + 3,
		t0.elapsed()
	);

	// State intact: the council, the hospitals, the validators, the allow-list, balances.
	let after = &nodes[3];
	assert_eq!(council::members(after, None).unwrap(), members);
	let key = pallet_institutions::Institutions::<Runtime>::hashed_key_for(hospital);
	let centre: Option<pallet_institutions::InstitutionOf<Runtime>> =
		after.storage(&key, None).unwrap();
	assert_eq!(centre.map(|i| i.name.to_vec()), Some("Hôpital Centre".as_bytes().to_vec()));
	assert!(validator::session_validators(after, None).unwrap().contains(&eve_account));
	assert_eq!(network::authorized_nodes(after).unwrap().len(), 5);
	// A signed transaction of the new runtime version goes through.
	let ferdie = Ferdie.to_account_id();
	let before = tx::free_balance(after, &ferdie, None).unwrap();
	or_log(tx::execute(after, tx::transfer(&ferdie, MED), &founders[1]), after);
	assert_eq!(tx::free_balance(after, &ferdie, None).unwrap(), before + MED);
	eprintln!("state intact, transactions accepted after the upgrade ({:?})", t0.elapsed());

	// ---- removal (item 6): the removed hospital's validator authors no more blocks ----------
	let removal = medchain_runtime::RuntimeCall::Institutions(pallet_institutions::Call::remove {
		institution: hospital,
	});
	let motion = or_log(
		council::propose(&nodes[0], &founders[0], council::two_thirds(5), removal),
		&nodes[0],
	);
	or_log(council::vote(&nodes[0], &motion, &ayes3, true), &nodes[0]);
	or_log(council::vote(&nodes[0], &motion, &[&founders[3]], true), &nodes[0]);
	assert_eq!(
		or_log(council::close(&nodes[0], &founders[3], &motion), &nodes[0]),
		council::Closed::Executed(Ok(()))
	);
	assert!(
		!network::authorized_nodes(&nodes[0]).unwrap().iter().any(|(_, h)| *h == Some(hospital)),
		"its node left the allow-list at once"
	);
	let gone = medchain_harness::wait_until(
		"the removed hospital's validator out of the session's set",
		Duration::from_secs(6 * 3 * SESSION_BLOCKS as u64 + 60),
		Duration::from_secs(2),
		|| {
			let set = validator::session_validators(&nodes[0], None).ok()?;
			(!set.contains(&eve_account)).then(|| nodes[0].best_number().ok()).flatten()
		},
	);
	let gone_at = or_log(gone, &nodes[0]);
	// Two full rounds of the four remaining validators, all finalized, none by the removed one.
	let until = gone_at + 2 * SESSION_BLOCKS + 2;
	for node in &nodes[..4] {
		or_log(node.wait_finalized(until, Duration::from_secs(180)), node);
	}
	for n in gone_at + 1..=until {
		let hash = nodes[0].rpc("chain_getBlockHash", json!([n])).expect("a block hash");
		let hash = hash.as_str().expect("a hex hash").to_string();
		let author = validator::block_author(&nodes[0], &hash).expect("an Aura author");
		assert_ne!(author, eve_aura, "block #{n} authored by the removed hospital");
	}
	eprintln!(
		"removed by motion; out of the session's set at #{gone_at}, no block of it up to \
		 #{until} (best #{}, {:?})",
		nodes[0].best_number().unwrap_or(0),
		t0.elapsed()
	);

	for mut node in nodes {
		let status = node.stop(Duration::from_secs(30)).expect("the node stops");
		assert!(status.success(), "clean exit, got {status}");
		medchain_harness::node::remove_base_path(&node.config.base_path);
	}
	medchain_harness::node::remove_base_path(&spec_dir);
}
