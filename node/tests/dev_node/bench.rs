//! A smoke run of the performance tool (`medchain-bench`, issue 16) on the shared dev node, so
//! that it cannot rot: every workload with a few items, each bounded in time. No figure is
//! asserted (speed is measured by scripts/bench.sh, not in tests); what is asserted is that
//! the tool finishes, that every transaction it sent was final and dispatched without error,
//! and that every consent check was answered.

use medchain_harness::Node;
use serde_json::Value;
use std::{path::PathBuf, process::Command, time::Instant};

/// The tool, built beside the node.
fn bench_binary() -> PathBuf {
	let node = PathBuf::from(env!("CARGO_BIN_EXE_medchain-node"));
	node.with_file_name("medchain-bench")
}

pub fn check_bench_smoke(node: &Node) {
	let started = Instant::now();
	let json =
		std::env::temp_dir().join(format!("medchain-bench-smoke-{}.json", std::process::id()));
	let output = Command::new(bench_binary())
		.args([
			"--node",
			&node.rpc_url(),
			"--workloads",
			"transfer,anchor,anchor-batch,anchor-root,consent-grant,consent-check,exchange",
			"--count",
			"16",
			"--batch",
			"8",
			"--senders",
			"4",
			"--clients",
			"2",
			"--timeout-secs",
			"60",
			"--json",
		])
		.arg(&json)
		.output()
		.expect("medchain-bench runs (it is built with the workspace)");
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "medchain-bench failed: {}\n{stderr}", output.status);
	let report: Value =
		serde_json::from_slice(&std::fs::read(&json).expect("the JSON report is written"))
			.expect("the report is JSON");
	let _ = std::fs::remove_file(&json);
	let rows = report["transactions"].as_array().expect("transaction rows");
	let names: Vec<&str> = rows.iter().filter_map(|r| r["workload"].as_str()).collect();
	assert_eq!(
		names,
		[
			"transfer",
			"anchor",
			"anchor-batch",
			"anchor-root",
			"consent-grant",
			"exchange-request",
			"exchange-deliver",
			"exchange-confirm"
		],
		"{stderr}"
	);
	for row in rows {
		let submitted = row["submitted"].as_u64().unwrap_or_default();
		assert_eq!(submitted, 16, "{row}");
		assert_eq!(row["finalized"].as_u64(), Some(submitted), "all final: {row}\n{stderr}");
		assert_eq!(row["failed"], serde_json::json!({}), "none failed: {row}");
		assert_eq!(row["refused"], serde_json::json!({}), "none refused: {row}");
		assert_eq!(row["timed_out"], Value::Bool(false), "{row}");
	}
	let checks = &report["checks"][0];
	assert_eq!(checks["asked"].as_u64(), Some(16), "{checks}");
	assert_eq!(checks["errors"], serde_json::json!({}), "{checks}");
	// The patients granted the hospital just before: every check permits.
	assert_eq!(checks["permits"].as_u64(), Some(16), "{checks}");
	let cycle = &report["exchange_cycle"];
	assert_eq!(cycle["completed"].as_u64(), Some(16), "{cycle}");
	eprintln!("medchain-bench smoke run took {:?}", started.elapsed());
}
