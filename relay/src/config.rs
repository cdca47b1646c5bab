//! The relay's configuration (`relay.toml` in the data directory, written by `init`; flags of
//! `serve` override it) and its device key (`device.key`, the 32-byte sr25519 seed of the
//! relay operator's device, mode 0600, never overwritten).
//!
//! ```toml
//! listen = "127.0.0.1:8090"          # where gateways reach the relay
//! node = "ws://127.0.0.1:9944"       # the chain node
//! max_package_bytes = 4294967296     # a larger declared package is refused (413)
//! max_chunk_bytes = 16777216         # a larger PUT body is refused (413)
//! max_packages = 10000               # packages held at once (507 beyond)
//! min_free_bytes = 268435456         # uploads that would leave less free space answer 507
//! requests_per_second = 50           # per institution (429 beyond), with a burst of 4 s
//! sweep_secs = 3                     # how often the mailbox is checked against the chain
//! anchor_every_secs = 60             # how often the audit head is anchored (when it moved)
//! ```

use crate::Error;
use serde::{Deserialize, Serialize};
use sp_core::{sr25519, Pair};
use std::{io::Write, os::unix::fs::OpenOptionsExt, path::Path};
use zeroize::Zeroize;

/// The configuration file's name.
pub const CONFIG_FILE: &str = "relay.toml";
/// The device key's file name.
pub const DEVICE_KEY: &str = "device.key";

/// The relay's configuration.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The API's address.
	#[serde(default = "default_listen")]
	pub listen: String,
	/// The node's WebSocket address.
	#[serde(default = "default_node")]
	pub node: String,
	/// Largest declared package.
	#[serde(default = "default_max_package")]
	pub max_package_bytes: u64,
	/// Largest PUT body.
	#[serde(default = "default_max_chunk")]
	pub max_chunk_bytes: u64,
	/// Packages held at once.
	#[serde(default = "default_max_packages")]
	pub max_packages: u64,
	/// Free space every upload leaves on the data directory's disk.
	#[serde(default = "default_min_free")]
	pub min_free_bytes: u64,
	/// Requests per second per institution.
	#[serde(default = "default_rate")]
	pub requests_per_second: u32,
	/// Seconds between sweeps of the mailbox.
	#[serde(default = "default_sweep")]
	pub sweep_secs: u64,
	/// Seconds between anchors of the audit head.
	#[serde(default = "default_anchor")]
	pub anchor_every_secs: u64,
}

fn default_listen() -> String {
	"127.0.0.1:8090".into()
}
fn default_node() -> String {
	"ws://127.0.0.1:9944".into()
}
fn default_max_package() -> u64 {
	4 << 30
}
fn default_max_chunk() -> u64 {
	16 << 20
}
fn default_max_packages() -> u64 {
	10_000
}
fn default_min_free() -> u64 {
	256 << 20
}
fn default_rate() -> u32 {
	50
}
fn default_sweep() -> u64 {
	3
}
fn default_anchor() -> u64 {
	60
}

impl Default for Config {
	fn default() -> Self {
		Config {
			listen: default_listen(),
			node: default_node(),
			max_package_bytes: default_max_package(),
			max_chunk_bytes: default_max_chunk(),
			max_packages: default_max_packages(),
			min_free_bytes: default_min_free(),
			requests_per_second: default_rate(),
			sweep_secs: default_sweep(),
			anchor_every_secs: default_anchor(),
		}
	}
}

impl Config {
	/// Reads `relay.toml` in `dir` and checks it.
	pub fn load(dir: &Path) -> Result<Self, Error> {
		let path = dir.join(CONFIG_FILE);
		let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
		let config: Config =
			toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
		config.check().map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
		Ok(config)
	}

	/// Why the configuration is unusable, if it is.
	pub fn check(&self) -> Result<(), String> {
		if self.max_chunk_bytes == 0 || self.max_package_bytes == 0 {
			return Err("max_chunk_bytes and max_package_bytes must be positive".into());
		}
		if self.requests_per_second == 0 || self.sweep_secs == 0 || self.anchor_every_secs == 0 {
			return Err(
				"requests_per_second, sweep_secs and anchor_every_secs must be positive".into()
			);
		}
		Ok(())
	}

	/// Writes `relay.toml` in `dir`; never overwrites.
	pub fn create(&self, dir: &Path) -> Result<(), Error> {
		let path = dir.join(CONFIG_FILE);
		let text = toml::to_string(self).map_err(|e| Error::Config(e.to_string()))?;
		let mut file = private_file(&path)?;
		file.write_all(text.as_bytes()).map_err(|e| Error::io(&path, e))
	}
}

fn private_file(path: &Path) -> Result<std::fs::File, Error> {
	std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(|e| {
		match e.kind() {
			std::io::ErrorKind::AlreadyExists => Error::Exists(path.display().to_string()),
			_ => Error::io(path, e),
		}
	})
}

/// Creates the relay's device key in `dir` (refuses if it exists).
pub fn create_device_key(dir: &Path) -> Result<sr25519::Pair, Error> {
	std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
	let mut seed: [u8; 32] = rand::random();
	let path = dir.join(DEVICE_KEY);
	let mut file = private_file(&path)?;
	file.write_all(&seed).and_then(|_| file.sync_all()).map_err(|e| Error::io(&path, e))?;
	let pair = sr25519::Pair::from_seed(&seed);
	seed.zeroize();
	Ok(pair)
}

/// Loads the relay's device key from `dir`.
pub fn load_device_key(dir: &Path) -> Result<sr25519::Pair, Error> {
	let path = dir.join(DEVICE_KEY);
	let mut bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
	let seed = <[u8; 32]>::try_from(&bytes[..])
		.map_err(|_| Error::Config(format!("{}: not a 32-byte key", path.display())));
	bytes.zeroize();
	let mut seed = seed?;
	let pair = sr25519::Pair::from_seed(&seed);
	seed.zeroize();
	Ok(pair)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	#[test]
	fn config_and_key_are_written_private_once_and_read_back() {
		let dir = tempfile::tempdir().unwrap();
		let key = create_device_key(dir.path()).unwrap();
		assert!(matches!(create_device_key(dir.path()), Err(Error::Exists(_))));
		assert_eq!(load_device_key(dir.path()).unwrap().public(), key.public());
		Config::default().create(dir.path()).unwrap();
		assert!(matches!(Config::default().create(dir.path()), Err(Error::Exists(_))));
		for name in [CONFIG_FILE, DEVICE_KEY] {
			let mode = std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600, "{name}");
		}
		assert_eq!(Config::load(dir.path()).unwrap(), Config::default());
		std::fs::write(dir.path().join(CONFIG_FILE), "sweep_secs = 0\n").unwrap();
		assert!(Config::load(dir.path()).unwrap_err().to_string().contains("sweep_secs"));
		std::fs::write(dir.path().join(CONFIG_FILE), "port = 1\n").unwrap();
		assert!(Config::load(dir.path()).unwrap_err().to_string().contains("port"));
		std::fs::write(dir.path().join(DEVICE_KEY), b"short").unwrap();
		assert!(load_device_key(dir.path()).is_err());
	}
}
