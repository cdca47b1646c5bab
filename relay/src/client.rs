//! A client of the relay for the gateways: signed requests (`auth.rs`), a resumable chunked
//! upload from a file and a resumable download into a file, each holding one chunk in memory
//! at most. HTTP/1.1 over one TCP connection per request (hyper's client connection).

use crate::{
	auth::{self, Canonical},
	Error,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{header, Method, Request, Response, StatusCode};
use sp_core::sr25519;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// The default size of an uploaded chunk.
pub const DEFAULT_CHUNK: usize = 8 << 20;
/// How many times an upload resynchronises its offset with the relay, or waits out the rate
/// limit, before giving up.
const MAX_RESYNC: usize = 8;

/// What the relay holds of a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
	/// Bytes received.
	pub offset: u64,
	/// Declared size.
	pub total: u64,
	/// The SHA-256, once complete.
	pub sha256: Option<[u8; 32]>,
}

/// A relay, as one device reaches it.
pub struct RelayClient {
	address: String,
	genesis: [u8; 32],
	device: sr25519::Pair,
	/// Bytes per uploaded chunk.
	pub chunk: usize,
}

fn header_u64(response: &Response<hyper::body::Incoming>, name: &str) -> Option<u64> {
	response.headers().get(name)?.to_str().ok()?.parse().ok()
}

fn header_hash(response: &Response<hyper::body::Incoming>) -> Option<[u8; 32]> {
	auth::unhex(response.headers().get(auth::PACKAGE_SHA256)?.to_str().ok()?)
}

async fn refusal(response: Response<hyper::body::Incoming>) -> Error {
	let status = response.status().as_u16();
	let body = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
	let message = serde_json::from_slice::<serde_json::Value>(&body)
		.ok()
		.and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
		.unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
	Error::Remote(status, message)
}

impl RelayClient {
	/// A client of the relay at `url` (`http://host:port`) for chain `genesis`, signing as
	/// `device`.
	pub fn new(url: &str, genesis: [u8; 32], device: sr25519::Pair) -> Result<Self, Error> {
		let address = url
			.strip_prefix("http://")
			.map(|a| a.trim_end_matches('/').to_string())
			.filter(|a| !a.is_empty() && !a.contains('/'))
			.ok_or_else(|| Error::Config(format!("relay URL must be http://host:port: {url}")))?;
		Ok(RelayClient { address, genesis, device, chunk: DEFAULT_CHUNK })
	}

	async fn send(
		&self,
		method: Method,
		request: u64,
		headers: Vec<(header::HeaderName, String)>,
		body: Bytes,
	) -> Result<Response<hyper::body::Incoming>, Error> {
		let path = format!("/packages/{request}");
		let signed = Canonical {
			genesis: self.genesis,
			method: method.as_str(),
			path: &path,
			request,
			content_sha256: auth::sha256(&body),
			timestamp_ms: auth::now_ms(),
			nonce: rand::random(),
		}
		.sign(&self.device);
		let mut builder = Request::builder()
			.method(method)
			.uri(&path)
			.header(header::HOST, &self.address)
			.header(header::CONTENT_LENGTH, body.len().to_string());
		for (name, value) in signed {
			builder = builder.header(name, value);
		}
		for (name, value) in headers {
			builder = builder.header(name, value);
		}
		let request =
			builder.body(Full::new(body)).map_err(|e| Error::BadRequest(e.to_string()))?;
		self.exchange(request).await
	}

	/// The relay's `/health` answer (unsigned).
	pub async fn health(&self) -> Result<serde_json::Value, Error> {
		let request = Request::builder()
			.method(Method::GET)
			.uri("/health")
			.header(header::HOST, &self.address)
			.body(Full::new(Bytes::new()))
			.map_err(|e| Error::BadRequest(e.to_string()))?;
		let response = self.exchange(request).await?;
		if response.status() != StatusCode::OK {
			return Err(refusal(response).await);
		}
		let body = response
			.into_body()
			.collect()
			.await
			.map_err(|e| Error::Unreachable(e.to_string()))?
			.to_bytes();
		serde_json::from_slice(&body).map_err(|e| Error::Remote(200, format!("health: {e}")))
	}

	/// The relay operator institution the relay serves as (from `/health`).
	pub async fn institution(&self) -> Result<u32, Error> {
		let health = self.health().await?;
		health["institution"]
			.as_u64()
			.and_then(|i| u32::try_from(i).ok())
			.ok_or_else(|| Error::Remote(200, "health names no institution".into()))
	}

	async fn exchange(
		&self,
		request: Request<Full<Bytes>>,
	) -> Result<Response<hyper::body::Incoming>, Error> {
		let stream = tokio::net::TcpStream::connect(&self.address)
			.await
			.map_err(|e| Error::Unreachable(format!("{}: {e}", self.address)))?;
		let (mut sender, connection) =
			hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
				.await
				.map_err(|e| Error::Unreachable(e.to_string()))?;
		tokio::spawn(async move {
			let _ = connection.await;
		});
		sender.send_request(request).await.map_err(|e| Error::Unreachable(e.to_string()))
	}

	/// What the relay holds of request `id`'s package (`None`: nothing).
	pub async fn held(&self, id: u64) -> Result<Option<Held>, Error> {
		let response = self.send(Method::HEAD, id, vec![], Bytes::new()).await?;
		match response.status() {
			StatusCode::OK => Ok(Some(Held {
				offset: header_u64(&response, auth::UPLOAD_OFFSET).unwrap_or_default(),
				total: header_u64(&response, auth::UPLOAD_LENGTH).unwrap_or_default(),
				sha256: header_hash(&response),
			})),
			StatusCode::NOT_FOUND => Ok(None),
			_ => Err(refusal(response).await),
		}
	}

	/// Uploads the package in `file` as request `id`'s, continuing from what the relay holds;
	/// returns the SHA-256 the relay computed.
	pub async fn upload(&self, id: u64, file: &Path) -> Result<[u8; 32], Error> {
		let mut source = tokio::fs::File::open(file).await.map_err(|e| Error::io(file, e))?;
		let total = source.metadata().await.map_err(|e| Error::io(file, e))?.len();
		let held = self.held(id).await?;
		if let Some(held) = held {
			if held.total != total {
				return Err(Error::Conflict {
					reason: format!(
						"the relay holds a package of {} bytes for request {id}, this one has {total}",
						held.total
					),
					offset: Some(held.offset),
				});
			}
			if let Some(hash) = held.sha256 {
				return Ok(hash);
			}
		}
		let mut offset = held.map(|h| h.offset).unwrap_or(0);
		let mut resyncs = 0;
		let mut buffer = vec![0u8; self.chunk];
		loop {
			let length = (total - offset).min(self.chunk as u64) as usize;
			source.seek(std::io::SeekFrom::Start(offset)).await.map_err(|e| Error::io(file, e))?;
			source.read_exact(&mut buffer[..length]).await.map_err(|e| Error::io(file, e))?;
			let range = format!("bytes {offset}-{}/{total}", offset + length as u64 - 1);
			let body = Bytes::copy_from_slice(&buffer[..length]);
			let response =
				self.send(Method::PUT, id, vec![(header::CONTENT_RANGE, range)], body).await?;
			match response.status() {
				StatusCode::CREATED => {
					return header_hash(&response)
						.ok_or_else(|| Error::Remote(201, "no package hash in the answer".into()))
				},
				StatusCode::NO_CONTENT => offset += length as u64,
				// Over the institution's rate: the same chunk again a second later.
				StatusCode::TOO_MANY_REQUESTS if resyncs < MAX_RESYNC => {
					resyncs += 1;
					tokio::time::sleep(std::time::Duration::from_secs(1)).await;
				},
				StatusCode::CONFLICT if resyncs < MAX_RESYNC => {
					resyncs += 1;
					match header_u64(&response, auth::UPLOAD_OFFSET) {
						Some(at) if at <= total => offset = at,
						_ => return Err(refusal(response).await),
					}
				},
				_ => return Err(refusal(response).await),
			}
		}
	}

	/// Downloads request `id`'s package of `total` bytes into `file`, continuing after what
	/// the file already holds.
	pub async fn download(&self, id: u64, file: &Path, total: u64) -> Result<(), Error> {
		let mut sink = tokio::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(file)
			.await
			.map_err(|e| Error::io(file, e))?;
		let have = sink.metadata().await.map_err(|e| Error::io(file, e))?.len();
		if have > total {
			return Err(Error::Mismatch(format!(
				"{} holds more than {total} bytes",
				file.display()
			)));
		}
		if have == total {
			return Ok(());
		}
		let range = vec![(header::RANGE, format!("bytes={have}-"))];
		let response = self.send(Method::GET, id, range, Bytes::new()).await?;
		if !matches!(response.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT) {
			return Err(refusal(response).await);
		}
		let mut body = response.into_body();
		while let Some(frame) = body.frame().await {
			let frame = frame.map_err(|e| Error::Unreachable(format!("download cut: {e}")))?;
			if let Some(data) = frame.data_ref() {
				sink.write_all(data).await.map_err(|e| Error::io(file, e))?;
			}
		}
		sink.sync_data().await.map_err(|e| Error::io(file, e))?;
		let got = sink.metadata().await.map_err(|e| Error::io(file, e))?.len();
		if got != total {
			return Err(Error::Unreachable(format!("download stopped at {got} of {total} bytes")));
		}
		Ok(())
	}
}
