//! Uploads and downloads of packages, streamed with bounded memory whatever their size
//! (docs/relay.md §3).
//!
//! Upload rules (`PUT /packages/{request}`, `Content-Range: bytes a-b/total`):
//! 1. Only a device of the request's custodian, while the request waits for delivery at the
//!    finalized block (before its deadline).
//! 2. `total` at most `max_package_bytes`, the body at most `max_chunk_bytes` (413); `a` must be
//!    the stored offset (409 with `Upload-Offset`), `total` the one declared first.
//! 3. The body is written as it arrives while its SHA-256 is computed; a body that does not
//!    have the declared length (400) or does not hash to the signed content hash (422) is
//!    cut off again: the stored offset never moves past bytes that were not checked.
//! 4. The last chunk completes the package: its SHA-256 is fixed, the file moves to
//!    `packages/` and the upload is audited.
//! 5. An upload that would leave less than `min_free_bytes` free on the disk answers 507.
//!
//! Download rules (`GET /packages/{request}`, `Range: bytes=a-` or `bytes=a-b`):
//! 6. Only a device of the requester, once the finalized state says `Delivered` (or
//!    `Disputed`) with a receipt naming this relay and this package's SHA-256 and size.
//! 7. Each download is audited with the bytes asked for.

use crate::{
	audit::{Action, Event},
	auth::{self, now_ms},
	chain::{ChainView, Stage},
	mailbox::Entry,
	state::{Relay, Side},
	Error,
};
use axum::{
	body::Body,
	extract::{Path, State},
	http::{header, HeaderMap, StatusCode, Uri},
	response::Response,
};
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::{io::SeekFrom, sync::Arc};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// How much of a package is read from disk at a time for a download.
pub const READ_CHUNK: usize = 64 * 1024;

/// `bytes a-b/total` of a `Content-Range` header.
pub fn content_range(headers: &HeaderMap) -> Result<(u64, u64, u64), Error> {
	let text = headers
		.get(header::CONTENT_RANGE)
		.and_then(|v| v.to_str().ok())
		.ok_or_else(|| Error::BadRequest("Content-Range: bytes a-b/total is required".into()))?;
	let bad = || Error::BadRequest(format!("bad Content-Range: {text}"));
	let rest = text.strip_prefix("bytes ").ok_or_else(bad)?;
	let (span, total) = rest.split_once('/').ok_or_else(bad)?;
	let (a, b) = span.split_once('-').ok_or_else(bad)?;
	let (a, b, total): (u64, u64, u64) = (
		a.parse().map_err(|_| bad())?,
		b.parse().map_err(|_| bad())?,
		total.parse().map_err(|_| bad())?,
	);
	if a > b || b >= total {
		return Err(bad());
	}
	Ok((a, b, total))
}

/// `bytes=a-` or `bytes=a-b` of a `Range` header, within `total` (inclusive end).
pub fn range(headers: &HeaderMap, total: u64) -> Result<Option<(u64, u64)>, Error> {
	let Some(text) = headers.get(header::RANGE) else { return Ok(None) };
	let text = text.to_str().map_err(|_| Error::BadRequest("bad Range".into()))?;
	let bad = || Error::BadRequest(format!("bad Range (bytes=a- or bytes=a-b): {text}"));
	let span = text.strip_prefix("bytes=").ok_or_else(bad)?;
	let (a, b) = span.split_once('-').ok_or_else(bad)?;
	let a: u64 = a.parse().map_err(|_| bad())?;
	let b: u64 =
		if b.is_empty() { total.saturating_sub(1) } else { b.parse().map_err(|_| bad())? };
	if a >= total || a > b {
		return Err(Error::Range(format!("{text} of {total} bytes")));
	}
	Ok(Some((a, b.min(total - 1))))
}

fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> Error + '_ {
	move |e| Error::io(path, e)
}

/// The running SHA-256 of the first `offset` bytes of request `id`'s partial upload: kept in
/// memory between chunks, read again from the file after a restart.
async fn package_hasher<C>(relay: &Relay<C>, id: u64, offset: u64) -> Result<Sha256, Error> {
	if let Some(hasher) = relay.hashers.lock().ok().and_then(|mut h| h.remove(&id)) {
		return Ok(hasher);
	}
	let path = relay.mailbox.part_path(id);
	let mut file = tokio::fs::File::open(&path).await.map_err(io(&path))?;
	let mut hasher = Sha256::new();
	let mut left = offset;
	let mut buffer = vec![0u8; READ_CHUNK];
	while left > 0 {
		let want = left.min(READ_CHUNK as u64) as usize;
		let got = file.read(&mut buffer[..want]).await.map_err(io(&path))?;
		if got == 0 {
			return Err(Error::Store(format!("{} is shorter than its offset", path.display())));
		}
		hasher.update(&buffer[..got]);
		left -= got as u64;
	}
	Ok(hasher)
}

/// `PUT /packages/{request}`.
pub async fn upload<C: ChainView>(
	State(relay): State<Arc<Relay<C>>>,
	Path(id): Path<u64>,
	uri: Uri,
	headers: HeaderMap,
	body: Body,
) -> Result<Response, Error> {
	let answer = upload_inner(&relay, id, uri.path(), &headers, body).await;
	if answer.is_err() {
		relay.metrics.refusals.inc();
	}
	answer
}

async fn upload_inner<C: ChainView>(
	relay: &Relay<C>,
	id: u64,
	path: &str,
	headers: &HeaderMap,
	body: Body,
) -> Result<Response, Error> {
	let (claim, member, at) = relay.authenticate("PUT", path, id, headers).await?;
	let (start, end, total) = content_range(headers)?;
	// Rule 1.
	let exchange = relay.exchange_for(id, &member, Side::Custodian, &at).await?;
	if exchange.stage != Stage::Requested || at.number >= exchange.deadline {
		return Err(Error::Conflict {
			reason: "the request is not waiting for delivery".into(),
			offset: None,
		});
	}
	// Rule 2.
	if total > relay.config.max_package_bytes {
		return Err(Error::TooLarge(format!(
			"a package of {total} bytes exceeds the relay's {} bytes",
			relay.config.max_package_bytes
		)));
	}
	let length = end - start + 1;
	if length > relay.config.max_chunk_bytes {
		return Err(Error::TooLarge(format!(
			"a chunk of {length} bytes exceeds the relay's {} bytes",
			relay.config.max_chunk_bytes
		)));
	}
	let _busy = relay.busy(id)?;
	let mailbox = relay.mailbox.clone();
	let entry = match mailbox.entry(id)? {
		Some(entry) => entry,
		None if start == 0 => {
			let entry = Entry {
				custodian: exchange.custodian,
				requester: exchange.requester,
				total,
				offset: 0,
				sha256: None,
				deadline: exchange.deadline,
				created_ms: now_ms(),
			};
			mailbox.begin(id, &entry)?;
			entry
		},
		None => {
			return Err(Error::Conflict {
				reason: "the upload starts at offset 0".into(),
				offset: Some(0),
			})
		},
	};
	if entry.is_complete() {
		return Err(Error::Conflict {
			reason: "the package is complete".into(),
			offset: Some(entry.offset),
		});
	}
	if entry.total != total {
		return Err(Error::Conflict {
			reason: format!("the package was declared with {} bytes", entry.total),
			offset: Some(entry.offset),
		});
	}
	if start != entry.offset {
		return Err(Error::Conflict {
			reason: format!("the upload continues at offset {}", entry.offset),
			offset: Some(entry.offset),
		});
	}
	// Rule 5.
	let free = fs2::available_space(mailbox.dir()).map_err(io(mailbox.dir()))?;
	if free < length.saturating_add(relay.config.min_free_bytes) {
		return Err(Error::DiskFull(format!("{free} bytes free, the relay keeps a reserve")));
	}

	// Rule 3: write while hashing; cut off again on any failure.
	let before = package_hasher(relay, id, start).await?;
	let mut package = before.clone();
	let path = mailbox.part_path(id);
	let mut file =
		tokio::fs::OpenOptions::new().write(true).open(&path).await.map_err(io(&path))?;
	file.set_len(start).await.map_err(io(&path))?;
	file.seek(SeekFrom::Start(start)).await.map_err(io(&path))?;
	let mut chunk = Sha256::new();
	let mut received = 0u64;
	let mut stream = body.into_data_stream();
	let written: Result<(), Error> = async {
		while let Some(frame) = stream.next().await {
			let data = frame.map_err(|e| Error::BadRequest(format!("body: {e}")))?;
			received += data.len() as u64;
			if received > length {
				return Err(Error::TooLarge(format!(
					"the body exceeds the {length} bytes of its Content-Range"
				)));
			}
			chunk.update(&data);
			package.update(&data);
			file.write_all(&data).await.map_err(io(&path))?;
		}
		if received != length {
			return Err(Error::BadRequest(format!(
				"the body has {received} bytes, its Content-Range {length}"
			)));
		}
		if <[u8; 32]>::from(chunk.finalize()) != claim.content_sha256 {
			return Err(Error::Mismatch(
				"the body does not hash to the signed content hash".into(),
			));
		}
		file.sync_data().await.map_err(io(&path))
	}
	.await;
	if let Err(e) = written {
		let _ = file.set_len(start).await;
		let _ = file.sync_data().await;
		if let Ok(mut hashers) = relay.hashers.lock() {
			hashers.insert(id, before);
		}
		return Err(e);
	}
	drop(file);
	relay.metrics.bytes_in.inc_by(length);
	let offset = end + 1;
	let mut response = Response::builder().header(auth::UPLOAD_OFFSET, offset.to_string());
	if offset < total {
		mailbox.advance(id, offset, None, None)?;
		if let Ok(mut hashers) = relay.hashers.lock() {
			hashers.insert(id, package);
		}
		response = response.status(StatusCode::NO_CONTENT);
	} else {
		// Rule 4.
		let sha256: [u8; 32] = package.finalize().into();
		let event = Event {
			at_ms: now_ms(),
			action: Action::Upload,
			request: id,
			device: Some(claim.device.into()),
			institution: Some(member.institution),
			bytes: total,
		};
		mailbox.advance(id, offset, Some(sha256), Some(event))?;
		relay.metrics.uploads.inc();
		response =
			response.status(StatusCode::CREATED).header(auth::PACKAGE_SHA256, auth::hex(&sha256));
	}
	response.body(Body::empty()).map_err(|e| Error::Store(e.to_string()))
}

/// `GET /packages/{request}`.
pub async fn download<C: ChainView>(
	State(relay): State<Arc<Relay<C>>>,
	Path(id): Path<u64>,
	uri: Uri,
	headers: HeaderMap,
) -> Result<Response, Error> {
	let answer = download_inner(&relay, id, uri.path(), &headers).await;
	if answer.is_err() {
		relay.metrics.refusals.inc();
	}
	answer
}

async fn download_inner<C: ChainView>(
	relay: &Relay<C>,
	id: u64,
	path: &str,
	headers: &HeaderMap,
) -> Result<Response, Error> {
	let (claim, member, at) = relay.authenticate("GET", path, id, headers).await?;
	// Rule 6.
	let exchange = relay.exchange_for(id, &member, Side::Requester, &at).await?;
	if !matches!(exchange.stage, Stage::Delivered | Stage::Disputed) {
		return Err(Error::Conflict {
			reason: "the package is not delivered".into(),
			offset: None,
		});
	}
	let entry = relay.mailbox.entry(id)?.ok_or(Error::NotFound(id))?;
	let Some(sha256) = entry.sha256 else {
		return Err(Error::Conflict { reason: "the upload is incomplete".into(), offset: None });
	};
	if exchange.receipt != Some((sha256, entry.total)) || exchange.relay != Some(relay.institution)
	{
		return Err(Error::Conflict {
			reason: "the receipt on chain names another package or relay".into(),
			offset: None,
		});
	}
	let span = range(headers, entry.total)?;
	let (start, end) = span.unwrap_or((0, entry.total - 1));
	let length = end - start + 1;
	let path = relay.mailbox.package_path(id);
	let mut file = tokio::fs::File::open(&path).await.map_err(io(&path))?;
	file.seek(SeekFrom::Start(start)).await.map_err(io(&path))?;
	// Rule 7.
	relay.mailbox.record(Event {
		at_ms: now_ms(),
		action: Action::Download,
		request: id,
		device: Some(claim.device.into()),
		institution: Some(member.institution),
		bytes: length,
	})?;
	relay.metrics.downloads.inc();
	let sent = relay.metrics.bytes_out.clone();
	let stream = futures::stream::unfold((file, length), move |(mut file, left)| {
		let sent = sent.clone();
		async move {
			if left == 0 {
				return None;
			}
			let mut buffer = vec![0u8; left.min(READ_CHUNK as u64) as usize];
			match file.read(&mut buffer).await {
				Ok(0) => Some((
					Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "package shorter")),
					(file, 0),
				)),
				Ok(n) => {
					buffer.truncate(n);
					sent.inc_by(n as u64);
					Some((Ok(bytes::Bytes::from(buffer)), (file, left - n as u64)))
				},
				Err(e) => Some((Err(e), (file, 0))),
			}
		}
	});
	let mut response = Response::builder()
		.header(header::CONTENT_LENGTH, length.to_string())
		.header(header::ACCEPT_RANGES, "bytes")
		.header(auth::PACKAGE_SHA256, auth::hex(&sha256));
	response = match span {
		Some(_) => response
			.status(StatusCode::PARTIAL_CONTENT)
			.header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{}", entry.total)),
		None => response.status(StatusCode::OK),
	};
	response.body(Body::from_stream(stream)).map_err(|e| Error::Store(e.to_string()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use axum::http::HeaderValue;

	fn with(name: header::HeaderName, value: &str) -> HeaderMap {
		let mut map = HeaderMap::new();
		map.insert(name, HeaderValue::from_str(value).unwrap());
		map
	}

	#[test]
	fn ranges_are_parsed_and_checked() {
		assert_eq!(content_range(&with(header::CONTENT_RANGE, "bytes 0-9/20")), Ok((0, 9, 20)));
		for bad in ["bytes 9-0/20", "bytes 0-20/20", "0-9/20", "bytes 0-9", "bytes a-9/20"] {
			assert!(content_range(&with(header::CONTENT_RANGE, bad)).is_err(), "{bad}");
		}
		assert!(content_range(&HeaderMap::new()).is_err());
		assert_eq!(range(&HeaderMap::new(), 10), Ok(None));
		assert_eq!(range(&with(header::RANGE, "bytes=4-"), 10), Ok(Some((4, 9))));
		assert_eq!(range(&with(header::RANGE, "bytes=4-99"), 10), Ok(Some((4, 9))));
		assert!(matches!(range(&with(header::RANGE, "bytes=10-"), 10), Err(Error::Range(_))));
		assert!(matches!(range(&with(header::RANGE, "items=1-"), 10), Err(Error::BadRequest(_))));
	}
}
