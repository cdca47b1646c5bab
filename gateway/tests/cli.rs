//! The command line as an operator meets it: `init` creates the keys once and says what to
//! register; a second `init` on the same directory fails with exit code 1 and a message, and
//! leaves the keys as they were.

use std::process::Command;

fn gateway() -> Command {
	Command::new(env!("CARGO_BIN_EXE_medchain-gateway"))
}

#[test]
fn init_creates_the_keys_once() {
	let dir = tempfile::tempdir().unwrap();
	let data = dir.path().join("gw");
	let out = gateway().args(["init", "--data-dir"]).arg(&data).output().unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let stdout = String::from_utf8(out.stdout).unwrap();
	let keys = medchain_gateway::keys::DeviceKeys::load(&data).unwrap();
	assert!(stdout.contains(&keys.address()), "{stdout}");
	assert!(stdout.contains("set_encryption_key"), "{stdout}");
	let before = std::fs::read(data.join("device.key")).unwrap();

	let again = gateway().args(["init", "--data-dir"]).arg(&data).output().unwrap();
	assert_eq!(again.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
	assert_eq!(std::fs::read(data.join("device.key")).unwrap(), before);

	let usage = gateway().arg("init").output().unwrap();
	assert_eq!(usage.status.code(), Some(2), "a missing --data-dir is a usage error");

	// init wrote the configuration with the API token it printed.
	let config = medchain_gateway::config::Config::load(&data).unwrap();
	assert!(stdout.contains(&format!("API token:        {}", config.tokens[0])), "{stdout}");
	// serve with no node to reach and no earlier check of the device: refuses, exit 1.
	let out = gateway()
		.args(["serve", "--node", "ws://127.0.0.1:1", "--data-dir"])
		.arg(&data)
		.output()
		.unwrap();
	assert_eq!(out.status.code(), Some(1));
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("never checked its device on chain"), "{stderr}");
	// serve on a directory without init: says which file is missing.
	let out =
		gateway().args(["serve", "--data-dir"]).arg(dir.path().join("none")).output().unwrap();
	assert_eq!(out.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&out.stderr).contains("gateway.toml"));
}
