//! The relay's API over TCP, against a chain of the test's making (`FixedChain`): who may
//! upload and download what and when, signatures, resumption after a restart, limits, and
//! deletion when the chain closes the exchange.

use medchain_relay::{
	audit::{Action, DeleteCause},
	auth::{self, Canonical},
	chain::{Exchange, FixedChain, Stage},
	client::RelayClient,
	config::Config,
	mailbox::Mailbox,
	state::Relay,
	sweep, Error,
};
use pallet_institutions::InstitutionKind;
use sp_core::sr25519;
use sp_keyring::Sr25519Keyring;
use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	sync::Arc,
	time::Duration,
};

const CUSTODIAN: u32 = 1;
const REQUESTER: u32 = 2;
const OTHER: u32 = 3;
const RELAY: u32 = 9;

struct Running {
	addr: String,
	runtime: tokio::runtime::Runtime,
	relay: Arc<Relay<FixedChain>>,
}

fn config() -> Config {
	Config {
		max_package_bytes: 1 << 20,
		max_chunk_bytes: 64 << 10,
		min_free_bytes: 0,
		requests_per_second: 1000,
		..Config::default()
	}
}

fn start(dir: &Path, chain: Arc<FixedChain>, config: Config) -> Running {
	let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
	let mailbox = Arc::new(Mailbox::open(dir, config.max_packages).unwrap());
	let relay = Arc::new(Relay::new(chain, mailbox, config, RELAY).unwrap());
	let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
	let addr = listener.local_addr().unwrap().to_string();
	let router = medchain_relay::api::router(relay.clone(), Duration::from_secs(30));
	runtime.spawn(async move { axum::serve(listener, router).await });
	Running { addr, runtime, relay }
}

fn chain() -> Arc<FixedChain> {
	let chain = Arc::new(FixedChain::default());
	chain.add_device(Sr25519Keyring::Alice.to_account_id(), CUSTODIAN, InstitutionKind::Hospital);
	chain.add_device(Sr25519Keyring::Bob.to_account_id(), REQUESTER, InstitutionKind::Hospital);
	chain.add_device(Sr25519Keyring::Charlie.to_account_id(), OTHER, InstitutionKind::Clinic);
	chain.set_exchange(7, Some(requested()));
	chain.finalize(10);
	chain
}

fn requested() -> Exchange {
	Exchange {
		requester: REQUESTER,
		custodian: CUSTODIAN,
		stage: Stage::Requested,
		deadline: 100,
		receipt: None,
		relay: None,
	}
}

fn delivered(hash: [u8; 32], size: u64) -> Exchange {
	Exchange {
		stage: Stage::Delivered,
		receipt: Some((hash, size)),
		relay: Some(RELAY),
		..requested()
	}
}

fn client(run: &Running, who: Sr25519Keyring, chunk: usize) -> RelayClient {
	let mut c = RelayClient::new(&format!("http://{}", run.addr), [0x6d; 32], who.pair()).unwrap();
	c.chunk = chunk;
	c
}

/// A package of `n` pseudo-random bytes in a file.
fn package(dir: &Path, n: usize) -> (std::path::PathBuf, Vec<u8>) {
	let bytes: Vec<u8> = (0..n).map(|i| (i * 7919 % 251) as u8).collect();
	let path = dir.join("package.mcpk");
	std::fs::write(&path, &bytes).unwrap();
	(path, bytes)
}

/// One raw HTTP request with the given headers: status and body.
fn raw(
	addr: &str,
	method: &str,
	path: &str,
	headers: &[(&str, String)],
	body: &[u8],
) -> (u16, String) {
	let mut stream = TcpStream::connect(addr).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	let mut head = format!(
		"{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
		body.len()
	);
	for (k, v) in headers {
		head.push_str(&format!("{k}: {v}\r\n"));
	}
	head.push_str("\r\n");
	stream.write_all(head.as_bytes()).unwrap();
	stream.write_all(body).unwrap();
	let mut answer = Vec::new();
	let _ = stream.read_to_end(&mut answer);
	let text = String::from_utf8_lossy(&answer).into_owned();
	let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
	(status, text)
}

/// Headers of a request signed by `who` at `timestamp_ms`.
fn signed(
	who: &sr25519::Pair,
	method: &str,
	id: u64,
	body: &[u8],
	timestamp_ms: u64,
) -> Vec<(&'static str, String)> {
	let path = format!("/packages/{id}");
	Canonical {
		genesis: [0x6d; 32],
		method,
		path: &path,
		request: id,
		content_sha256: auth::sha256(body),
		timestamp_ms,
		nonce: rand_nonce(),
	}
	.sign(who)
}

fn rand_nonce() -> [u8; 16] {
	let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
	(t ^ 0x5a5a_5a5a).to_le_bytes()
}

fn remote(e: Error) -> u16 {
	match e {
		Error::Remote(status, _) => status,
		other => panic!("not an answer of the relay: {other}"),
	}
}

#[test]
fn a_package_goes_from_custodian_to_requester_only_as_the_chain_allows() {
	let dir = tempfile::tempdir().unwrap();
	let chain = chain();
	let run = start(&dir.path().join("relay"), chain.clone(), config());
	let (file, bytes) = package(dir.path(), 200_000);
	let alice = client(&run, Sr25519Keyring::Alice, 64 << 10);
	let bob = client(&run, Sr25519Keyring::Bob, 64 << 10);
	let charlie = client(&run, Sr25519Keyring::Charlie, 64 << 10);
	let rt = &run.runtime;

	// Nobody but the custodian uploads; a stranger learns nothing of other requests: the same
	// 403 for an existing request and for one that does not exist.
	assert_eq!(remote(rt.block_on(bob.upload(7, &file)).unwrap_err()), 403);
	assert_eq!(remote(rt.block_on(charlie.upload(7, &file)).unwrap_err()), 403);
	assert_eq!(remote(rt.block_on(charlie.held(7)).unwrap_err()), 403);
	assert_eq!(remote(rt.block_on(charlie.held(8)).unwrap_err()), 403);
	assert_eq!(remote(rt.block_on(alice.upload(8, &file)).unwrap_err()), 403);
	// An unknown device: 403 as well.
	let dave = client(&run, Sr25519Keyring::Dave, 64 << 10);
	assert_eq!(remote(rt.block_on(dave.held(7)).unwrap_err()), 403);

	let hash = rt.block_on(alice.upload(7, &file)).unwrap();
	assert_eq!(hash, auth::sha256(&bytes));
	let held = rt.block_on(bob.held(7)).unwrap().unwrap();
	assert_eq!((held.offset, held.total, held.sha256), (200_000, 200_000, Some(hash)));
	// Uploading again is a no-op for the client, a conflict for the relay.
	assert_eq!(rt.block_on(alice.upload(7, &file)).unwrap(), hash);

	// Not delivered yet: no download.
	let out = dir.path().join("received.mcpk");
	assert_eq!(remote(rt.block_on(bob.download(7, &out, 200_000)).unwrap_err()), 409);
	// Delivered with another hash, or through another relay: no download.
	chain.set_exchange(7, Some(delivered([1; 32], 200_000)));
	assert_eq!(remote(rt.block_on(bob.download(7, &out, 200_000)).unwrap_err()), 409);
	// A package larger than the receipt says (the receipt's size is 199,999): no download.
	chain.set_exchange(7, Some(delivered(hash, 199_999)));
	assert_eq!(remote(rt.block_on(bob.download(7, &out, 199_999)).unwrap_err()), 409);
	chain.set_exchange(7, Some(Exchange { relay: Some(4), ..delivered(hash, 200_000) }));
	assert_eq!(remote(rt.block_on(bob.download(7, &out, 200_000)).unwrap_err()), 409);
	chain.set_exchange(7, Some(delivered(hash, 200_000)));
	// The custodian may not download, nor may a stranger.
	assert_eq!(remote(rt.block_on(alice.download(7, &out, 200_000)).unwrap_err()), 403);
	assert_eq!(remote(rt.block_on(charlie.download(7, &out, 200_000)).unwrap_err()), 403);
	// A download resumes after what the file holds (Range).
	std::fs::write(&out, &bytes[..123_457]).unwrap();
	rt.block_on(bob.download(7, &out, 200_000)).unwrap();
	assert_eq!(std::fs::read(&out).unwrap(), bytes);
	// No upload once delivered.
	let mut h = signed(&Sr25519Keyring::Alice.pair(), "PUT", 7, b"0123456789", auth::now_ms());
	h.push(("content-range", "bytes 0-9/200000".to_string()));
	assert_eq!(raw(&run.addr, "PUT", "/packages/7", &h, b"0123456789").0, 409);
	// A client with another package for the same request is told, not silently resumed.
	std::fs::write(dir.path().join("other.mcpk"), b"other").unwrap();
	assert!(matches!(
		rt.block_on(alice.upload(7, &dir.path().join("other.mcpk"))),
		Err(Error::Conflict { .. })
	));

	// Closed on chain: the sweeper deletes it, and the audit log says so.
	chain.set_exchange(7, Some(Exchange { stage: Stage::Closed, ..delivered(hash, 200_000) }));
	assert_eq!(rt.block_on(sweep::sweep(&run.relay)).unwrap(), 1);
	assert_eq!(run.relay.mailbox.entry(7).unwrap(), None);
	assert_eq!(std::fs::read_dir(dir.path().join("relay/packages")).unwrap().count(), 0);
	let audit = run.relay.mailbox.audit();
	assert_eq!(audit.verify().unwrap(), 3);
	let actions: Vec<Action> =
		audit.entries(0, 10).unwrap().into_iter().map(|e| e.event.action).collect();
	assert_eq!(
		actions,
		vec![Action::Upload, Action::Download, Action::Delete(DeleteCause::Closed)]
	);
	let entries = audit.entries(0, 10).unwrap();
	assert_eq!(entries[0].event.institution, Some(CUSTODIAN));
	assert_eq!(entries[1].event.institution, Some(REQUESTER));
	assert_eq!(entries[1].event.bytes, 200_000 - 123_457);

	// Health and metrics say what moved, never which request.
	let (status, health) = raw(&run.addr, "GET", "/health", &[], b"");
	assert_eq!(status, 200, "{health}");
	assert!(health.contains("\"auditEntries\":3"), "{health}");
	let (_, metrics) = raw(&run.addr, "GET", "/metrics", &[], b"");
	assert!(metrics.contains("medchain_relay_uploads_total 1"), "{metrics}");
	assert!(metrics.contains("medchain_relay_bytes_in_total 200000"), "{metrics}");
	assert!(metrics.contains("medchain_relay_deleted_total 1"), "{metrics}");
}

#[test]
fn bad_signatures_replays_and_stale_requests_are_refused() {
	let dir = tempfile::tempdir().unwrap();
	let run = start(&dir.path().join("relay"), chain(), config());
	let alice = Sr25519Keyring::Alice.pair();
	let now = auth::now_ms();
	let headers = signed(&alice, "HEAD", 7, b"", now);
	let pairs: Vec<(&str, String)> = headers.clone();
	// First use: authenticated (404: nothing uploaded yet). The same signed request again: 401.
	assert_eq!(raw(&run.addr, "HEAD", "/packages/7", &pairs, b"").0, 404);
	let (status, text) = raw(&run.addr, "GET", "/packages/7", &pairs, b"");
	assert_eq!(status, 401, "another method under the same signature: {text}");
	assert_eq!(raw(&run.addr, "HEAD", "/packages/7", &pairs, b"").0, 401, "replayed");
	// Stale and future timestamps.
	for ts in [now - 61_000, now + 61_000] {
		let h = signed(&alice, "HEAD", 7, b"", ts);
		assert_eq!(raw(&run.addr, "HEAD", "/packages/7", &h, b"").0, 401);
	}
	// Signed for request 7, sent for request 8.
	let h = signed(&alice, "HEAD", 7, b"", now);
	assert_eq!(raw(&run.addr, "HEAD", "/packages/8", &h, b"").0, 401);
	// No signature at all.
	let (status, text) = raw(&run.addr, "GET", "/packages/7", &[], b"");
	assert_eq!(status, 401);
	assert!(text.contains("missing header authorization"), "{text}");
	assert!(text.to_lowercase().contains("www-authenticate: medchain-device"), "{text}");
}

#[test]
fn bodies_must_match_what_was_signed_and_declared_and_limits_hold() {
	let dir = tempfile::tempdir().unwrap();
	let run = start(&dir.path().join("relay"), chain(), config());
	let alice = Sr25519Keyring::Alice.pair();
	let put = |body: &[u8], signed_body: &[u8], range: &str| {
		let mut h = signed(&alice, "PUT", 7, signed_body, auth::now_ms());
		h.push(("content-range", range.to_string()));
		raw(&run.addr, "PUT", "/packages/7", &h, body)
	};
	// A body that is not the one signed: 422, nothing kept.
	let (status, text) = put(b"0123456789", b"0123456780", "bytes 0-9/30");
	assert_eq!(status, 422, "{text}");
	assert_eq!(run.relay.mailbox.entry(7).unwrap().unwrap().offset, 0);
	// A body shorter than its range: 400.
	assert_eq!(put(b"01234", b"01234", "bytes 0-9/30").0, 400);
	assert_eq!(put(b"0123456789", b"0123456789", "bytes 0-9/30").0, 204);
	// The wrong offset: 409 with the right one.
	let (status, text) = put(b"abc", b"abc", "bytes 0-2/30");
	assert_eq!(status, 409);
	assert!(text.to_lowercase().contains("upload-offset: 10"), "{text}");
	// Another total than declared first: 409.
	assert_eq!(put(b"abc", b"abc", "bytes 10-12/31").0, 409);
	// Beyond the relay's limits: 413.
	assert_eq!(put(b"abc", b"abc", &format!("bytes 10-12/{}", 2 << 20)).0, 413);
	let big = vec![1u8; (64 << 10) + 1];
	let (status, _) = put(&big, &big, &format!("bytes 10-{}/{}", 10 + big.len() - 1, 1 << 20));
	assert_eq!(status, 413);
	// A malformed range: 400.
	assert_eq!(put(b"abc", b"abc", "bytes 12-10/30").0, 400);
	assert_eq!(run.relay.mailbox.entry(7).unwrap().unwrap().offset, 10);

	// The deadline passed at the finalized block: no upload, and the sweeper deletes.
	let chain = run.relay.chain.clone();
	chain.finalize(100);
	assert_eq!(put(b"abc", b"abc", "bytes 10-12/30").0, 409);
	assert_eq!(run.runtime.block_on(sweep::sweep(&run.relay)).unwrap(), 1);
	let last = run.relay.mailbox.audit().entries(0, 10).unwrap().pop().unwrap();
	assert_eq!(last.event.action, Action::Delete(DeleteCause::DeadlinePassed));
}

#[test]
fn an_upload_resumes_after_a_restart_and_only_checked_bytes_count() {
	let dir = tempfile::tempdir().unwrap();
	let data = dir.path().join("relay");
	let chain = chain();
	let (file, bytes) = package(dir.path(), 300_000);
	let run = start(&data, chain.clone(), config());
	// Two chunks arrive, then the relay stops; a half-written chunk lies on disk.
	let alice = Sr25519Keyring::Alice.pair();
	for (a, b) in [(0usize, 65_535usize), (65_536, 131_071)] {
		let body = &bytes[a..=b];
		let mut h = signed(&alice, "PUT", 7, body, auth::now_ms());
		h.push(("content-range", format!("bytes {a}-{b}/300000")));
		assert_eq!(raw(&run.addr, "PUT", "/packages/7", &h, body).0, 204);
	}
	let Running { runtime, relay, .. } = run;
	runtime.shutdown_timeout(Duration::from_secs(5));
	drop(relay);
	let part = data.join("uploads/7.part");
	std::fs::OpenOptions::new().append(true).open(&part).unwrap().write_all(&[0xff; 5000]).unwrap();
	std::thread::sleep(Duration::from_millis(1100));

	let run = start(&data, chain.clone(), config());
	assert_eq!(std::fs::metadata(&part).unwrap().len(), 131_072, "cut back to the offset");
	let alice = client(&run, Sr25519Keyring::Alice, 64 << 10);
	assert_eq!(run.runtime.block_on(alice.held(7)).unwrap().unwrap().offset, 131_072);
	let hash = run.runtime.block_on(alice.upload(7, &file)).unwrap();
	assert_eq!(hash, auth::sha256(&bytes), "the hash covers the bytes before the restart");
	assert_eq!(std::fs::read(data.join("packages/7.mcpk")).unwrap(), bytes);
}

#[test]
fn an_institution_beyond_its_rate_is_refused() {
	let dir = tempfile::tempdir().unwrap();
	let run =
		start(&dir.path().join("relay"), chain(), Config { requests_per_second: 1, ..config() });
	let bob = client(&run, Sr25519Keyring::Bob, 64 << 10);
	let statuses: Vec<u16> = (0..6)
		.map(|_| match run.runtime.block_on(bob.held(7)) {
			Ok(None) => 404,
			Ok(Some(_)) => 200,
			Err(e) => remote(e),
		})
		.collect();
	assert_eq!(statuses, vec![404, 404, 404, 404, 429, 429]);
	// Another institution is not slowed down.
	let alice = client(&run, Sr25519Keyring::Alice, 64 << 10);
	assert_eq!(run.runtime.block_on(alice.held(7)).unwrap(), None);
}
