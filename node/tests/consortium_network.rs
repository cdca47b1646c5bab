//! The four-hospital consortium chain as four validator processes on 127.0.0.1: they find each
//! other through the first node, produce blocks in turn and finalize them with GRANDPA, and
//! the finality lag stays small. Bounded in time; every process is stopped at the end.

use medchain_harness::{Node, NodeConfig};
use serde_json::json;
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A node key of 32 bytes in hex, distinct per validator.
fn node_key(i: u8) -> String {
	format!("{:064x}", 0x4d45_4443_0000u64 + i as u64)
}

fn start_validator(name: &str, i: u8, bootnode: Option<&str>) -> Node {
	let binary = env!("CARGO_BIN_EXE_medchain-node");
	let mut args = vec![
		"--chain".to_string(),
		"consortium".to_string(),
		format!("--{name}"),
		"--node-key".to_string(),
		node_key(i),
	];
	if let Some(addr) = bootnode {
		args.extend(["--bootnodes".to_string(), addr.to_string()]);
	}
	NodeConfig::new(binary, &format!("consortium-{name}"), args)
		.start(START_TIMEOUT)
		.unwrap_or_else(|e| panic!("{name}'s node starts: {e}"))
}

#[test]
fn four_hospital_validators_produce_and_finalize() {
	let t0 = Instant::now();
	let first = start_validator("alice", 1, None);
	let peer_id = first.rpc("system_localPeerId", json!([])).expect("system_localPeerId");
	let bootnode =
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", first.config.p2p_port, peer_id.as_str().unwrap());
	let mut nodes = vec![first];
	for (i, name) in ["bob", "charlie", "dave"].iter().enumerate() {
		nodes.push(start_validator(name, i as u8 + 2, Some(&bootnode)));
	}
	eprintln!("four nodes up after {:?}", t0.elapsed());

	// Every node sees the others and finality advances past block 4 on each.
	for node in &nodes {
		medchain_harness::wait_until(
			"three peers",
			Duration::from_secs(60),
			Duration::from_secs(1),
			|| {
				let health = node.rpc("system_health", json!([])).ok()?;
				(health["peers"].as_u64()? >= 3).then_some(())
			},
		)
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(30)));
	}
	for node in &nodes {
		node.wait_finalized(4, Duration::from_secs(120))
			.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	}
	eprintln!("finalized #4 on all four after {:?}", t0.elapsed());

	// The finality lag (best - finalized) stays below 5.
	let node = &nodes[0];
	let mut worst_lag = 0;
	for _ in 0..5 {
		let best = node.best_number().unwrap();
		let finalized = node.finalized_number().unwrap();
		worst_lag = worst_lag.max(best - finalized);
		std::thread::sleep(Duration::from_secs(3));
	}
	assert!(worst_lag < 5, "best - finalized stayed below 5 (worst {worst_lag})");
	// All four agree on the finalized block they all have.
	let common = nodes.iter().map(|n| n.finalized_number().unwrap()).min().unwrap();
	let hashes: Vec<_> = nodes.iter().map(|n| n.block_hash(common).unwrap()).collect();
	assert!(hashes.windows(2).all(|w| w[0] == w[1]), "the same finalized chain: {hashes:?}");
	eprintln!("worst lag {worst_lag}; common finalized #{common} after {:?}", t0.elapsed());

	for mut node in nodes {
		let status = node.stop(Duration::from_secs(30)).expect("the node stops");
		assert!(status.success(), "clean exit, got {status}");
		medchain_harness::node::remove_base_path(&node.config.base_path);
	}
}
