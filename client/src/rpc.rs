//! A minimal blocking JSON-RPC 2.0 client over HTTP/1.1 (the node serves HTTP and WebSocket on
//! the same port): one connection per call, every call bounded by a timeout, no async runtime.
//! No subscriptions: use [`crate::ws`] or [`crate::blocking`] for those.

use crate::{Chain, Error};
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpStream},
	time::Duration,
};

/// How long one call may take unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// Calls `method` with `params` on the node at `addr`, waiting at most `timeout`.
pub fn call(
	addr: SocketAddr,
	method: &str,
	params: Value,
	timeout: Duration,
) -> Result<Value, Error> {
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let transport = |e: std::io::Error| match e.kind() {
		std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
			Error::Timeout(format!("{addr} did not answer {method} within {timeout:?}"))
		},
		_ => Error::Transport(format!("{addr}: {e}")),
	};
	let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(transport)?;
	stream.set_read_timeout(Some(timeout)).map_err(transport)?;
	stream.set_write_timeout(Some(timeout)).map_err(transport)?;
	let request = format!(
		"POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).map_err(transport)?;
	let mut raw = Vec::new();
	stream.read_to_end(&mut raw).map_err(transport)?;
	let text = String::from_utf8(raw).map_err(|e| Error::Decode(e.to_string()))?;
	let (head, body) = text
		.split_once("\r\n\r\n")
		.ok_or_else(|| Error::Decode(format!("no HTTP body in {text:?}")))?;
	let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
		dechunk(body)?
	} else {
		body.to_string()
	};
	let answer: Value = serde_json::from_str(&body)
		.map_err(|e| Error::Decode(format!("{e}: {body:?} (HTTP head {head:?})")))?;
	if let Some(error) = answer.get("error") {
		return Err(Error::Rpc {
			code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
			message: error.get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
			data: error.get("data").cloned(),
		});
	}
	answer.get("result").cloned().ok_or_else(|| Error::Decode(format!("no result in {answer}")))
}

fn dechunk(body: &str) -> Result<String, Error> {
	let mut out = String::new();
	let mut rest = body;
	loop {
		let (size, tail) =
			rest.split_once("\r\n").ok_or_else(|| Error::Decode("bad chunked encoding".into()))?;
		let size = usize::from_str_radix(size.trim(), 16)
			.map_err(|e| Error::Decode(format!("bad chunk size {size:?}: {e}")))?;
		if size == 0 {
			return Ok(out);
		}
		if tail.len() < size {
			return Err(Error::Decode("truncated chunk".into()));
		}
		out.push_str(&tail[..size]);
		rest = tail[size..].trim_start_matches("\r\n");
	}
}

/// A node reached over HTTP: each call is one request on a fresh connection.
#[derive(Clone, Copy, Debug)]
pub struct HttpClient {
	/// The node's JSON-RPC address.
	pub addr: SocketAddr,
	/// How long one call may take.
	pub timeout: Duration,
}

impl HttpClient {
	/// A client of the node at `addr`, with the default timeout per call.
	pub fn new(addr: SocketAddr) -> Self {
		Self { addr, timeout: DEFAULT_TIMEOUT }
	}

	/// The same client with another timeout per call.
	pub fn with_timeout(self, timeout: Duration) -> Self {
		Self { timeout, ..self }
	}
}

impl Chain for HttpClient {
	type Error = Error;

	fn rpc(&self, method: &str, params: Value) -> Result<Value, Error> {
		call(self.addr, method, params, self.timeout)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chunked_bodies_are_joined() {
		assert_eq!(dechunk("4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n").unwrap(), "abcdef");
		assert!(dechunk("zz\r\nab").is_err());
		assert!(dechunk("9\r\nab").is_err());
	}

	#[test]
	fn an_unreachable_node_is_a_transport_error() {
		// A port bound and released: nobody listens there.
		let addr = std::net::TcpListener::bind("127.0.0.1:0")
			.and_then(|l| l.local_addr())
			.expect("a free port");
		let client = HttpClient::new(addr).with_timeout(Duration::from_secs(2));
		let err = client.rpc("system_health", json!([])).expect_err("nobody listens");
		assert_eq!(err.kind(), "transport", "{err}");
	}
}
