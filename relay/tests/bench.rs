//! `medchain-relay bench` on a small package, as a process: the child relay starts, the package
//! goes up and comes down byte-identical (the bench fails otherwise), the figures are coherent
//! and nothing is left on disk; bad arguments exit 1 with a message.

use std::process::Command;

fn relay() -> Command {
	Command::new(env!("CARGO_BIN_EXE_medchain-relay"))
}

#[test]
fn a_package_goes_through_and_the_figures_are_coherent() {
	let dir = tempfile::tempdir().unwrap();
	let out = relay()
		.args(["bench", "--size-mib", "3", "--chunk-mib", "1", "--json", "--dir"])
		.arg(dir.path())
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let f: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(f["bytes"], 3 << 20);
	assert_eq!(f["chunk_bytes"], 1 << 20);
	assert!(f["upload_secs"].as_f64().unwrap() > 0.0);
	assert!(f["download_secs"].as_f64().unwrap() > 0.0);
	let start = f["rss_start_kib"].as_u64().unwrap();
	let max = f["rss_max_kib"].as_u64().unwrap();
	let peak = f["rss_peak_kib"].as_u64().unwrap();
	// (The kernel updates VmHWM lazily, so it may trail a sample by a few pages.)
	assert!(start > 0 && max >= start && peak > 0, "{f}");
	// The package, the relay's data and the download are removed.
	assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn bad_arguments_exit_1_with_a_message() {
	let out = relay().args(["bench", "--size-mib", "0"]).output().unwrap();
	assert_eq!(out.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&out.stderr).contains("--size-mib must be at least 1"));
	let out = relay().args(["bench", "--chunk-mib", "17"]).output().unwrap();
	assert_eq!(out.status.code(), Some(1));
}
