//! A minimal blocking JSON-RPC 2.0 client over HTTP/1.1 (the node serves HTTP and WebSocket on
//! the same port). Blocking and dependency-free so tests stay simple and bounded in time.

use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpStream},
	time::Duration,
};

/// Why a JSON-RPC call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum RpcError {
	/// The node could not be reached or the connection broke.
	Transport(String),
	/// The node answered with a JSON-RPC error object.
	Call { code: i64, message: String, data: Option<Value> },
	/// The answer was not valid JSON-RPC.
	Malformed(String),
}

impl std::fmt::Display for RpcError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			RpcError::Transport(e) => write!(f, "transport error: {e}"),
			RpcError::Call { code, message, data } => write!(
				f,
				"RPC error {code}: {message}{}",
				data.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
			),
			RpcError::Malformed(e) => write!(f, "malformed answer: {e}"),
		}
	}
}

impl std::error::Error for RpcError {}

/// Calls `method` with `params` on the node at `addr`, waiting at most `timeout`.
pub fn call(
	addr: SocketAddr,
	method: &str,
	params: Value,
	timeout: Duration,
) -> Result<Value, RpcError> {
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let transport = |e: std::io::Error| RpcError::Transport(format!("{addr}: {e}"));
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
	let text = String::from_utf8(raw).map_err(|e| RpcError::Malformed(e.to_string()))?;
	let (head, body) = text
		.split_once("\r\n\r\n")
		.ok_or_else(|| RpcError::Malformed(format!("no HTTP body in {text:?}")))?;
	let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
		dechunk(body)?
	} else {
		body.to_string()
	};
	let answer: Value = serde_json::from_str(&body)
		.map_err(|e| RpcError::Malformed(format!("{e}: {body:?} (HTTP head {head:?})")))?;
	if let Some(error) = answer.get("error") {
		return Err(RpcError::Call {
			code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
			message: error.get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
			data: error.get("data").cloned(),
		});
	}
	answer
		.get("result")
		.cloned()
		.ok_or_else(|| RpcError::Malformed(format!("no result in {answer}")))
}

fn dechunk(body: &str) -> Result<String, RpcError> {
	let mut out = String::new();
	let mut rest = body;
	loop {
		let (size, tail) = rest
			.split_once("\r\n")
			.ok_or_else(|| RpcError::Malformed("bad chunked encoding".into()))?;
		let size = usize::from_str_radix(size.trim(), 16)
			.map_err(|e| RpcError::Malformed(format!("bad chunk size {size:?}: {e}")))?;
		if size == 0 {
			return Ok(out);
		}
		if tail.len() < size {
			return Err(RpcError::Malformed("truncated chunk".into()));
		}
		out.push_str(&tail[..size]);
		rest = tail[size..].trim_start_matches("\r\n");
	}
}
