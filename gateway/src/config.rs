//! The gateway's configuration: `gateway.toml` in the data directory, written by `init` with a
//! fresh API token, read by `serve` (command-line flags override it).
//!
//! ```toml
//! listen = "127.0.0.1:8080"       # where the EHR reaches the API
//! node = "ws://127.0.0.1:9944"    # the chain node (JSON-RPC over WebSocket)
//! tokens = ["…"]                  # the EHR's API tokens (Authorization: Bearer …)
//! max_body_bytes = 33554432       # larger documents are refused with 413
//! request_timeout_secs = 60       # slower requests are answered 408
//! min_free_bytes = 67108864       # writes that would leave less free space answer 507
//! relay = "http://127.0.0.1:8090" # the relay packages go through (none: no exchange)
//! relay_chunk_bytes = 8388608     # bytes per upload request to the relay
//! app_dir = "/opt/medchain/app"   # the built web app, served at /app/ (none: not served)
//! ```

use crate::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The configuration file's name in the data directory.
pub const CONFIG_FILE: &str = "gateway.toml";
/// What the gateway remembers of the chain (the custodian it anchors for), so that it can
/// start and accept records while the node is away.
pub const CHAIN_FILE: &str = "chain.toml";

/// The gateway's configuration.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The API's address.
	#[serde(default = "default_listen")]
	pub listen: String,
	/// The node's WebSocket address.
	#[serde(default = "default_node")]
	pub node: String,
	/// The API tokens (at least one).
	pub tokens: Vec<String>,
	/// The largest document accepted, in bytes.
	#[serde(default = "default_max_body")]
	pub max_body_bytes: usize,
	/// How long a request may take before it is answered 408, in seconds.
	#[serde(default = "default_timeout")]
	pub request_timeout_secs: u64,
	/// Free space every write leaves on the store's disk; below it writes answer 507.
	#[serde(default = "default_min_free")]
	pub min_free_bytes: u64,
	/// The relay used for exchanges with other gateways (`http://host:port`); without one,
	/// requests to this gateway are declined and deliveries to it cannot be fetched.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub relay: Option<String>,
	/// Bytes per upload request to the relay (at most the relay's `max_chunk_bytes`).
	#[serde(default = "default_relay_chunk")]
	pub relay_chunk_bytes: usize,
	/// The built web app (`app/dist`), served at `/app/` without a token; none: not served.
	/// A relative path is taken from the directory `serve` runs in.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub app_dir: Option<PathBuf>,
}

fn default_relay_chunk() -> usize {
	medchain_relay::client::DEFAULT_CHUNK
}

fn default_listen() -> String {
	"127.0.0.1:8080".into()
}
fn default_node() -> String {
	"ws://127.0.0.1:9944".into()
}
fn default_max_body() -> usize {
	32 * 1024 * 1024
}
fn default_timeout() -> u64 {
	60
}
fn default_min_free() -> u64 {
	crate::store::DEFAULT_RESERVE
}

impl Config {
	/// A configuration with one fresh random API token (32 bytes, hex).
	pub fn with_fresh_token() -> Self {
		let token: String =
			crate::vault::random_bytes::<32>().iter().map(|b| format!("{b:02x}")).collect();
		Config {
			listen: default_listen(),
			node: default_node(),
			tokens: vec![token],
			max_body_bytes: default_max_body(),
			request_timeout_secs: default_timeout(),
			min_free_bytes: default_min_free(),
			relay: None,
			relay_chunk_bytes: default_relay_chunk(),
			app_dir: None,
		}
	}

	/// Reads `gateway.toml` in `dir`.
	pub fn load(dir: &Path) -> Result<Self, Error> {
		let path = dir.join(CONFIG_FILE);
		let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
		let config: Config =
			toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
		if config.tokens.is_empty() || config.tokens.iter().any(|t| t.len() < 16) {
			return Err(Error::Config(format!(
				"{}: at least one API token, each of 16 characters or more",
				path.display()
			)));
		}
		Ok(config)
	}

	/// Writes `gateway.toml` in `dir` (mode 0600: it holds the API tokens); never overwrites.
	pub fn create(&self, dir: &Path) -> Result<(), Error> {
		let path = dir.join(CONFIG_FILE);
		if path.exists() {
			return Err(Error::KeyExists(path.display().to_string()));
		}
		let text = toml::to_string(self).map_err(|e| Error::Config(e.to_string()))?;
		let mut file = crate::vault::private_file(&path)?;
		std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(&path, e))
	}
}

/// What the gateway last learnt from the chain about itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ChainMemory {
	/// The institution the device acts for.
	pub custodian: u32,
	/// The chain's genesis hash (0x-hex), once known.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub genesis: Option<String>,
}

impl ChainMemory {
	/// Reads it from `dir`, if it was ever written.
	pub fn load(dir: &Path) -> Option<Self> {
		let text = std::fs::read_to_string(dir.join(CHAIN_FILE)).ok()?;
		toml::from_str(&text).ok()
	}

	/// Writes it to `dir`.
	pub fn save(&self, dir: &Path) -> Result<(), Error> {
		let path = dir.join(CHAIN_FILE);
		let text = toml::to_string(self).map_err(|e| Error::Config(e.to_string()))?;
		std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn config_is_written_private_read_back_and_checked() {
		let dir = tempfile::tempdir().unwrap();
		let config = Config::with_fresh_token();
		assert_eq!(config.tokens[0].len(), 64);
		config.create(dir.path()).unwrap();
		assert_eq!(Config::load(dir.path()).unwrap(), config);
		assert!(matches!(config.create(dir.path()), Err(Error::KeyExists(_))));
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(dir.path().join(CONFIG_FILE)).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
		// Bad files are refused with the reason.
		std::fs::write(dir.path().join(CONFIG_FILE), "tokens = [\"short\"]\n").unwrap();
		assert!(
			matches!(Config::load(dir.path()), Err(Error::Config(m)) if m.contains("16 characters"))
		);
		std::fs::write(dir.path().join(CONFIG_FILE), "tokens = []\nport = 1\n").unwrap();
		assert!(matches!(Config::load(dir.path()), Err(Error::Config(m)) if m.contains("port")));
		// Defaults.
		std::fs::write(
			dir.path().join(CONFIG_FILE),
			format!("tokens = [\"{}\"]\n", "t".repeat(20)),
		)
		.unwrap();
		let loaded = Config::load(dir.path()).unwrap();
		assert_eq!((loaded.listen.as_str(), loaded.max_body_bytes), ("127.0.0.1:8080", 32 << 20));
		assert_eq!(loaded.app_dir, None);
		assert_eq!(ChainMemory::load(dir.path()), None);
		let memory = ChainMemory { custodian: 3, genesis: Some("0x01".into()) };
		memory.save(dir.path()).unwrap();
		assert_eq!(ChainMemory::load(dir.path()), Some(memory));
	}
}
