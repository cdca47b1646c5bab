//! Test harness for MedChain: starts `medchain-node` processes on 127.0.0.1 with free ports and
//! base paths of their own, and stops them. Talking to the chain is the client library's job
//! (`medchain-client`): its modules are re-exported here under their old names, so tests write
//! `medchain_harness::{tx, council, …}`, and a started [`Node`] is a [`Chain`] they accept.
//!
//! Every node a test starts is killed when its [`Node`] is dropped, and every wait is bounded
//! by a timeout, so a failing test stops by itself and leaves no process behind.

pub mod network;
pub mod node;

pub use medchain_client::{
	self as client, blocking, council, from_hex, hashing, identity, rpc, to_hex, tx, upgrade,
	validator, ws, Chain, Error,
};
pub use node::{Node, NodeConfig};

/// The client's error under the harness's old name.
pub type RpcError = medchain_client::Error;

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

#[cfg(test)]
mod tests {
	use super::*;

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
