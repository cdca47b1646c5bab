//! Client library for MedChain: talks JSON-RPC to `medchain-node`, builds signed extrinsics with
//! the runtime's own types (a client cannot drift from what the chain accepts), and drives the
//! consortium's steps (council motions, session keys, the node allow-list, runtime upgrades).
//!
//! Transports:
//! - [`ws::WsClient`]: async JSON-RPC over WebSocket with subscriptions (new and finalized heads,
//!   `author_submitAndWatchExtrinsic`), for long-running services (gateway, relay);
//! - [`blocking::WsClient`]: the same connection behind blocking calls, for tools and tests;
//! - [`rpc::HttpClient`]: one blocking HTTP request per call, no async runtime at all.
//!
//! The blocking transports implement [`Chain`], on which the step functions of [`tx`],
//! [`council`], [`validator`], [`network`] and [`upgrade`] are written. Every call and every
//! wait is bounded by a timeout. Failures are [`Error`]s. Nothing here starts or stops a process
//! (the test harness, `medchain-harness`, does that for tests).

pub mod blocking;
pub mod chain;
pub mod council;
pub mod error;
pub mod identity;
pub mod network;
pub mod rpc;
pub mod tx;
pub mod upgrade;
pub mod validator;
pub mod ws;

pub use chain::Chain;
pub use error::Error;
pub use medchain_runtime::Header;
pub use rpc::HttpClient;
pub use sp_crypto_hashing as hashing;

use std::time::{Duration, Instant};

/// Hex of bytes with the `0x` prefix, as JSON-RPC expects.
pub fn to_hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + bytes.len() * 2);
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

/// Bytes of a hex string (`0x` prefix optional).
pub fn from_hex(s: &str) -> Result<Vec<u8>, Error> {
	let s = s.strip_prefix("0x").unwrap_or(s);
	if !s.len().is_multiple_of(2) {
		return Err(Error::Decode(format!("odd-length hex string: {s}")));
	}
	(0..s.len())
		.step_by(2)
		.map(|i| {
			u8::from_str_radix(&s[i..i + 2], 16)
				.map_err(|e| Error::Decode(format!("bad hex {s}: {e}")))
		})
		.collect()
}

/// Polls `f` every `every` until it returns `Some`, or fails with [`Error::Timeout`] naming
/// `what` after `timeout`.
pub fn poll_until<T>(
	what: &str,
	timeout: Duration,
	every: Duration,
	mut f: impl FnMut() -> Option<T>,
) -> Result<T, Error> {
	let start = Instant::now();
	loop {
		if let Some(value) = f() {
			return Ok(value);
		}
		if start.elapsed() >= timeout {
			return Err(Error::Timeout(format!("timed out after {timeout:?} waiting for {what}")));
		}
		std::thread::sleep(every);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trip() {
		let bytes = vec![0u8, 1, 0xab, 0xff];
		assert_eq!(to_hex(&bytes), "0x0001abff");
		assert_eq!(from_hex("0x0001abff").unwrap(), bytes);
		assert!(matches!(from_hex("0x123"), Err(Error::Decode(_))));
		assert!(from_hex("0xzz").is_err());
	}

	#[test]
	fn poll_until_times_out_and_succeeds() {
		let mut n = 0;
		let got =
			poll_until("n to reach 3", Duration::from_secs(1), Duration::from_millis(1), || {
				n += 1;
				(n >= 3).then_some(n)
			});
		assert_eq!(got, Ok(3));
		let err =
			poll_until::<()>("never", Duration::from_millis(20), Duration::from_millis(5), || None);
		assert!(matches!(err, Err(Error::Timeout(ref m)) if m.contains("timed out")));
	}
}
