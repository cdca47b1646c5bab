//! Test harness for MedChain: starts `medchain-node` processes on 127.0.0.1 with free ports,
//! talks JSON-RPC to them, and builds signed extrinsics with the runtime's own types.
//!
//! Every node a test starts is killed when its [`Node`] is dropped, and every wait is bounded
//! by a timeout, so a failing test stops by itself and leaves no process behind.

pub mod council;
pub mod network;
pub mod node;
pub mod rpc;
pub mod tx;
pub mod upgrade;
pub mod validator;

pub use node::{Node, NodeConfig};
pub use rpc::RpcError;
pub use sp_crypto_hashing as hashing;

use std::time::{Duration, Instant};

/// Polls `f` every `every` until it returns `Some`, or fails with `what` after `timeout`.
pub fn wait_until<T>(
	what: &str,
	timeout: Duration,
	every: Duration,
	mut f: impl FnMut() -> Option<T>,
) -> Result<T, String> {
	let start = Instant::now();
	loop {
		if let Some(value) = f() {
			return Ok(value);
		}
		if start.elapsed() >= timeout {
			return Err(format!("timed out after {:?} waiting for {what}", timeout));
		}
		std::thread::sleep(every);
	}
}

/// Hex of bytes with the `0x` prefix, as JSON-RPC expects.
pub fn to_hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + bytes.len() * 2);
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

/// Bytes of a `0x`-prefixed hex string.
pub fn from_hex(s: &str) -> Result<Vec<u8>, String> {
	let s = s.strip_prefix("0x").unwrap_or(s);
	if !s.len().is_multiple_of(2) {
		return Err(format!("odd-length hex string: {s}"));
	}
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("bad hex {s}: {e}")))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trip() {
		let bytes = vec![0u8, 1, 0xab, 0xff];
		assert_eq!(to_hex(&bytes), "0x0001abff");
		assert_eq!(from_hex("0x0001abff").unwrap(), bytes);
		assert!(from_hex("0x123").is_err());
		assert!(from_hex("0xzz").is_err());
	}

	#[test]
	fn wait_until_times_out_and_succeeds() {
		let mut n = 0;
		let got =
			wait_until("n to reach 3", Duration::from_secs(1), Duration::from_millis(1), || {
				n += 1;
				(n >= 3).then_some(n)
			});
		assert_eq!(got, Ok(3));
		let err =
			wait_until::<()>("never", Duration::from_millis(20), Duration::from_millis(5), || None);
		assert!(err.unwrap_err().contains("timed out"));
	}
}
