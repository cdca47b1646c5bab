//! A minimal HTTP/1.1 client for the tests (one request per connection), so that the tests
//! speak to the gateway process as an EHR would, over TCP.

use serde_json::Value;
use std::{
	collections::HashMap,
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// A gateway's address and API token.
#[derive(Clone, Debug)]
pub struct Gateway {
	pub addr: String,
	pub token: String,
}

/// Status, headers (lower-case names) and body.
pub type Answer = (u16, HashMap<String, String>, Vec<u8>);

impl Gateway {
	fn send(&self, method: &str, path: &str, body: &[u8]) -> std::io::Result<Answer> {
		let mut stream = TcpStream::connect(&self.addr)?;
		stream.set_read_timeout(Some(Duration::from_secs(60)))?;
		let head = format!(
			"{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
			self.addr,
			self.token,
			body.len()
		);
		stream.write_all(head.as_bytes())?;
		stream.write_all(body)?;
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw)?;
		let split = raw
			.windows(4)
			.position(|w| w == b"\r\n\r\n")
			.ok_or_else(|| std::io::Error::other("no header end"))?;
		let head = String::from_utf8_lossy(&raw[..split]).to_string();
		let mut lines = head.split("\r\n");
		let status = lines
			.next()
			.and_then(|l| l.split(' ').nth(1))
			.and_then(|s| s.parse().ok())
			.ok_or_else(|| std::io::Error::other("no status"))?;
		let headers: HashMap<String, String> = lines
			.filter_map(|l| l.split_once(':'))
			.map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
			.collect();
		let mut body = raw[split + 4..].to_vec();
		if headers.get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
			body = dechunk(&body);
		}
		Ok((status, headers, body))
	}

	/// A request; panics if the gateway does not answer.
	pub fn request(&self, method: &str, path: &str, body: &[u8]) -> Answer {
		self.send(method, path, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
	}

	/// A request whose answer is JSON.
	pub fn json(&self, method: &str, path: &str, body: &[u8]) -> (u16, Value) {
		let (status, _, body) = self.request(method, path, body);
		let value = serde_json::from_slice(&body).unwrap_or_else(|e| {
			panic!("{method} {path}: {status} not JSON ({e}): {}", String::from_utf8_lossy(&body))
		});
		(status, value)
	}

	/// `GET path` if the gateway answers at all.
	pub fn get(&self, path: &str) -> Option<(u16, Vec<u8>)> {
		self.send("GET", path, b"").ok().map(|(s, _, b)| (s, b))
	}
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
		let size =
			usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
		if size == 0 {
			break;
		}
		out.extend_from_slice(&data[end + 2..end + 2 + size]);
		data = &data[end + 2 + size + 2..];
	}
	out
}
