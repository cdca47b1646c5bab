//! Signed device requests (docs/relay.md §4). Every call to the relay carries the device's
//! account and an sr25519 signature over a canonical request:
//!
//! ```text
//! "medchain/relay/v1\n" genesis (hex) "\n" method "\n" path "\n" request id "\n"
//!   content SHA-256 (hex) "\n" timestamp (unix ms) "\n" nonce (hex)
//! ```
//!
//! Rules:
//! 1. The domain prefix starts with `m` (0x6d), a pallet index the runtime never uses, so a
//!    relay signature is never a valid extrinsic signature; the genesis hash binds it to one
//!    chain.
//! 2. The content hash is of the body (of the chunk for a `PUT`, of the empty body otherwise);
//!    the relay checks the body against it while streaming it.
//! 3. A timestamp more than [`MAX_SKEW_MS`] from the relay's clock is refused, and so is a
//!    nonce the device used within the window ([`ReplayGuard`]).
//! 4. A signature over the message wrapped in `<Bytes>…</Bytes>` (what browser wallets sign)
//!    is accepted as well.

use crate::Error;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use sp_core::{crypto::AccountId32, crypto::Ss58Codec, sr25519, Pair};
use std::collections::{HashMap, VecDeque};

/// The domain prefix of every signed relay request.
pub const DOMAIN: &str = "medchain/relay/v1\n";
/// The `Authorization` scheme: `MedChain-Device <ss58 account>`.
pub const SCHEME: &str = "MedChain-Device";
/// The signature (0x-hex, 64 bytes).
pub const SIGNATURE: &str = "x-medchain-signature";
/// The timestamp (unix milliseconds).
pub const TIMESTAMP: &str = "x-medchain-timestamp";
/// The nonce (16 bytes, hex).
pub const NONCE: &str = "x-medchain-nonce";
/// The SHA-256 of the body (hex).
pub const CONTENT_SHA256: &str = "x-medchain-content-sha256";
/// The SHA-256 of a whole package, once uploaded (hex).
pub const PACKAGE_SHA256: &str = "x-package-sha256";
/// How much of a package the relay holds.
pub const UPLOAD_OFFSET: &str = "upload-offset";
/// The package's declared total size.
pub const UPLOAD_LENGTH: &str = "upload-length";
/// The largest accepted distance between the caller's and the relay's clocks.
pub const MAX_SKEW_MS: u64 = 60_000;

/// The SHA-256 of the empty body.
pub fn empty_sha256() -> [u8; 32] {
	Sha256::digest([]).into()
}

/// Lower-case hex without prefix.
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of `N` from hex (`0x` optional).
pub fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
	medchain_client::from_hex(text).ok()?.try_into().ok()
}

/// The request as signed.
#[derive(Clone, Debug, PartialEq)]
pub struct Canonical<'a> {
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// `GET`, `HEAD`, `PUT`.
	pub method: &'a str,
	/// The path, without query.
	pub path: &'a str,
	/// The exchange request id.
	pub request: u64,
	/// SHA-256 of the body.
	pub content_sha256: [u8; 32],
	/// Unix milliseconds.
	pub timestamp_ms: u64,
	/// Random, never reused within the window.
	pub nonce: [u8; 16],
}

impl Canonical<'_> {
	/// The signed bytes.
	pub fn message(&self) -> Vec<u8> {
		format!(
			"{DOMAIN}{}\n{}\n{}\n{}\n{}\n{}\n{}",
			hex(&self.genesis),
			self.method,
			self.path,
			self.request,
			hex(&self.content_sha256),
			self.timestamp_ms,
			hex(&self.nonce)
		)
		.into_bytes()
	}

	/// The headers that authenticate this request as `device`'s.
	pub fn sign(&self, device: &sr25519::Pair) -> Vec<(&'static str, String)> {
		let signature = device.sign(&self.message());
		vec![
			("authorization", format!("{SCHEME} {}", device.public().to_ss58check())),
			(SIGNATURE, format!("0x{}", hex(&signature.0))),
			(TIMESTAMP, self.timestamp_ms.to_string()),
			(NONCE, hex(&self.nonce)),
			(CONTENT_SHA256, hex(&self.content_sha256)),
		]
	}
}

/// What a request's headers claim, before the signature is checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
	/// The device account.
	pub device: AccountId32,
	/// The signature.
	pub signature: sr25519::Signature,
	/// Unix milliseconds.
	pub timestamp_ms: u64,
	/// The nonce.
	pub nonce: [u8; 16],
	/// The body's SHA-256 as signed.
	pub content_sha256: [u8; 32],
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, Error> {
	headers
		.get(name)
		.and_then(|v| v.to_str().ok())
		.ok_or_else(|| Error::Unauthenticated(format!("missing header {name}")))
}

impl Claim {
	/// Reads the claim from the headers.
	pub fn from_headers(headers: &HeaderMap) -> Result<Self, Error> {
		let authorization = header(headers, "authorization")?;
		let account = authorization.strip_prefix(SCHEME).map(str::trim).ok_or_else(|| {
			Error::Unauthenticated(format!("authorization scheme is not {SCHEME}"))
		})?;
		let device = AccountId32::from_ss58check(account)
			.map_err(|_| Error::Unauthenticated(format!("not an account: {account}")))?;
		let signature = unhex::<64>(header(headers, SIGNATURE)?)
			.map(sr25519::Signature::from_raw)
			.ok_or_else(|| Error::Unauthenticated("signature is not 64 bytes of hex".into()))?;
		let timestamp_ms = header(headers, TIMESTAMP)?
			.parse()
			.map_err(|_| Error::Unauthenticated("timestamp is not unix milliseconds".into()))?;
		let nonce = unhex::<16>(header(headers, NONCE)?)
			.ok_or_else(|| Error::Unauthenticated("nonce is not 16 bytes of hex".into()))?;
		let content_sha256 = unhex::<32>(header(headers, CONTENT_SHA256)?)
			.ok_or_else(|| Error::Unauthenticated("content hash is not 32 bytes of hex".into()))?;
		Ok(Claim { device, signature, timestamp_ms, nonce, content_sha256 })
	}

	/// Checks the signature over the request (rules 1 and 4).
	pub fn verify(
		&self,
		genesis: [u8; 32],
		method: &str,
		path: &str,
		request: u64,
	) -> Result<(), Error> {
		let message = Canonical {
			genesis,
			method,
			path,
			request,
			content_sha256: self.content_sha256,
			timestamp_ms: self.timestamp_ms,
			nonce: self.nonce,
		}
		.message();
		let public = sr25519::Public::from_raw(self.device.clone().into());
		let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>"].concat();
		if sr25519::Pair::verify(&self.signature, &message, &public)
			|| sr25519::Pair::verify(&self.signature, &wrapped, &public)
		{
			Ok(())
		} else {
			Err(Error::Unauthenticated("bad signature".into()))
		}
	}
}

/// Refuses stale timestamps and reused nonces (rule 3). Remembers each nonce for as long as
/// its timestamp would be accepted, at most `capacity` of them (when full, new requests are
/// refused until old nonces expire: the guard never forgets a nonce that could be replayed).
pub struct ReplayGuard {
	seen: HashMap<(AccountId32, [u8; 16]), u64>,
	order: VecDeque<(u64, AccountId32, [u8; 16])>,
	capacity: usize,
	/// Requests signed before this instant are refused: nonces seen before a restart are not
	/// remembered.
	floor_ms: u64,
}

impl ReplayGuard {
	/// A guard for at most `capacity` live nonces, refusing timestamps before `floor_ms`.
	pub fn new(capacity: usize, floor_ms: u64) -> Self {
		ReplayGuard { seen: HashMap::new(), order: VecDeque::new(), capacity, floor_ms }
	}

	/// Accepts the claim's timestamp and nonce at `now_ms`, or says why not.
	pub fn admit(&mut self, claim: &Claim, now_ms: u64) -> Result<(), Error> {
		if claim.timestamp_ms.abs_diff(now_ms) > MAX_SKEW_MS {
			return Err(Error::Unauthenticated(format!(
				"timestamp {} is more than {} s from the relay's clock",
				claim.timestamp_ms,
				MAX_SKEW_MS / 1000
			)));
		}
		if claim.timestamp_ms < self.floor_ms {
			return Err(Error::Unauthenticated(
				"timestamp precedes the relay's start: sign the request again".into(),
			));
		}
		while let Some((at, _, _)) = self.order.front() {
			if at.saturating_add(MAX_SKEW_MS) >= now_ms {
				break;
			}
			if let Some((_, device, nonce)) = self.order.pop_front() {
				self.seen.remove(&(device, nonce));
			}
		}
		let key = (claim.device.clone(), claim.nonce);
		if self.seen.contains_key(&key) {
			return Err(Error::Unauthenticated("nonce already used".into()));
		}
		if self.seen.len() >= self.capacity {
			return Err(Error::RateLimited("too many requests in the replay window".into()));
		}
		// Remembered until its timestamp can no longer be accepted.
		let expiry = claim.timestamp_ms.max(now_ms);
		self.seen.insert(key, expiry);
		let position = self.order.partition_point(|(at, _, _)| *at <= expiry);
		self.order.insert(position, (expiry, claim.device.clone(), claim.nonce));
		Ok(())
	}

	/// How many nonces are remembered.
	pub fn len(&self) -> usize {
		self.seen.len()
	}

	/// Whether none is.
	pub fn is_empty(&self) -> bool {
		self.seen.is_empty()
	}
}

/// The SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	Sha256::digest(bytes).into()
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;
	use axum::http::HeaderValue;

	fn headers(pairs: Vec<(&'static str, String)>) -> HeaderMap {
		let mut map = HeaderMap::new();
		for (k, v) in pairs {
			map.insert(k, HeaderValue::from_str(&v).unwrap());
		}
		map
	}

	fn canonical(now: u64) -> Canonical<'static> {
		Canonical {
			genesis: [7; 32],
			method: "PUT",
			path: "/packages/5",
			request: 5,
			content_sha256: sha256(b"chunk"),
			timestamp_ms: now,
			nonce: [1; 16],
		}
	}

	#[test]
	fn a_signed_request_verifies_and_nothing_else_does() {
		let alice = sp_keyring::Sr25519Keyring::Alice.pair();
		let request = canonical(1_000_000);
		let claim = Claim::from_headers(&headers(request.sign(&alice))).unwrap();
		assert_eq!(claim.device, AccountId32::from(alice.public()));
		claim.verify([7; 32], "PUT", "/packages/5", 5).unwrap();
		// Another chain, method, path, request, body hash or nonce: refused.
		assert!(claim.verify([8; 32], "PUT", "/packages/5", 5).is_err());
		assert!(claim.verify([7; 32], "GET", "/packages/5", 5).is_err());
		assert!(claim.verify([7; 32], "PUT", "/packages/6", 5).is_err());
		assert!(claim.verify([7; 32], "PUT", "/packages/5", 6).is_err());
		let mut other = claim.clone();
		other.content_sha256 = sha256(b"other chunk");
		assert!(other.verify([7; 32], "PUT", "/packages/5", 5).is_err());
		let mut other = claim.clone();
		other.nonce = [2; 16];
		assert!(other.verify([7; 32], "PUT", "/packages/5", 5).is_err());
		// Another device claiming Alice's signature.
		let mut other = claim.clone();
		other.device = AccountId32::from(sp_keyring::Sr25519Keyring::Bob.public());
		assert_eq!(
			other.verify([7; 32], "PUT", "/packages/5", 5),
			Err(Error::Unauthenticated("bad signature".into()))
		);
		// The wallet form is accepted.
		let wrapped = [b"<Bytes>".as_slice(), &request.message(), b"</Bytes>"].concat();
		let mut wallet = claim.clone();
		wallet.signature = alice.sign(&wrapped);
		wallet.verify([7; 32], "PUT", "/packages/5", 5).unwrap();
	}

	#[test]
	fn the_message_is_never_an_extrinsic_payload() {
		let message = canonical(0).message();
		assert!(message.starts_with(b"medchain/relay/v1\n"));
		assert_eq!(message[0], 109);
	}

	#[test]
	fn missing_or_malformed_headers_are_named() {
		let alice = sp_keyring::Sr25519Keyring::Alice.pair();
		let good = canonical(1).sign(&alice);
		for (drop, named) in [(0, "authorization"), (1, SIGNATURE), (2, TIMESTAMP), (3, NONCE)] {
			let mut pairs = good.clone();
			pairs.remove(drop);
			let err = Claim::from_headers(&headers(pairs)).unwrap_err();
			assert!(err.to_string().contains(named), "{err}");
		}
		let mut pairs = good.clone();
		pairs[0].1 = "Bearer abc".into();
		assert!(Claim::from_headers(&headers(pairs)).is_err());
		let mut pairs = good;
		pairs[3].1 = "00".into();
		assert!(Claim::from_headers(&headers(pairs)).unwrap_err().to_string().contains("nonce"));
	}

	#[test]
	fn stale_timestamps_and_reused_nonces_are_refused() {
		let alice = sp_keyring::Sr25519Keyring::Alice.pair();
		let now = 10_000_000;
		let mut guard = ReplayGuard::new(3, now - 5_000);
		let claim = |ts: u64, nonce: u8| {
			let mut c = canonical(ts);
			c.nonce = [nonce; 16];
			Claim::from_headers(&headers(c.sign(&alice))).unwrap()
		};
		guard.admit(&claim(now, 1), now).unwrap();
		assert!(guard.admit(&claim(now, 1), now + 1).is_err(), "replayed");
		assert!(guard.admit(&claim(now - 61_000, 2), now).is_err(), "stale");
		assert!(guard.admit(&claim(now + 61_000, 2), now).is_err(), "from the future");
		assert!(guard.admit(&claim(now - 6_000, 2), now).is_err(), "before the start");
		guard.admit(&claim(now + 1_000, 2), now).unwrap();
		guard.admit(&claim(now - 1_000, 3), now).unwrap();
		// Full: refused until nonces expire, never forgotten early.
		assert!(matches!(guard.admit(&claim(now, 4), now), Err(Error::RateLimited(_))));
		assert!(guard.admit(&claim(now, 1), now + 30_000).is_err(), "still remembered");
		// Once every timestamp is out of the window, the nonces are forgotten.
		let later = now + 62_000;
		guard.admit(&claim(later, 1), later).unwrap();
		assert_eq!(guard.len(), 1);
	}

	/// Rule 1: what a device signs for the relay can never be an extrinsic's signed payload,
	/// which starts with a call, whose first byte is the pallet's index in the runtime.
	#[test]
	fn a_relay_request_is_no_call_of_the_runtime() {
		use codec::Decode;
		assert_eq!(DOMAIN.as_bytes()[0], 0x6d);
		let message = canonical(1_000_000).message();
		assert!(medchain_runtime::RuntimeCall::decode(&mut &message[..]).is_err());
		// Whatever follows the prefix's first byte.
		for tail in 0u8..=255 {
			let bytes = [0x6d, tail, 0, 0, 0, 0, 0, 0, 0, 0];
			assert!(medchain_runtime::RuntimeCall::decode(&mut &bytes[..]).is_err());
		}
		// While a real call's first byte is its pallet's index (System is 0).
		let remark =
			medchain_runtime::RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let encoded = codec::Encode::encode(&remark);
		assert_eq!(encoded[0], 0);
		assert!(medchain_runtime::RuntimeCall::decode(&mut &encoded[..]).is_ok());
	}
}
