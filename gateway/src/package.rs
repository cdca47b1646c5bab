//! The exchange package (docs/relay.md §2): what a custodian's gateway sends a requester's
//! gateway, end to end encrypted with **HPKE (RFC 9180)** base mode, DHKEM(X25519,
//! HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305, to the requesting device's encryption key,
//! in chunks (the STREAM construction) so that neither side holds the whole package.
//!
//! Wire format (what the relay carries and the receipt's SHA-256 and size are over):
//!
//! ```text
//! "MCPK" || version (1 byte) || enc (32 bytes) || chunk size (u32 LE) || sealed chunks
//! ```
//!
//! Rules:
//! 1. `info` = `"medchain/package/v1" || genesis hash || request id (u64 LE)`: a package
//!    sealed for one request or chain does not open for another.
//! 2. The plaintext is cut into chunks of [`CHUNK`] bytes; each is sealed by the HPKE context
//!    (whose sequence number is the nonce, so reordered chunks fail) with AAD = chunk index
//!    (u64 LE) || last flag (1 byte). The last chunk is shorter than [`CHUNK`] (possibly
//!    empty) and flagged: a package cut at a chunk boundary fails on the missing flag.
//! 3. The plaintext is a framed archive: a u32 LE length, a JSON [`Manifest`], then each
//!    document's bytes in manifest order, each exactly its `size`.

use hpke::{
	aead::{AeadCtxR, AeadCtxS, ChaCha20Poly1305},
	kdf::HkdfSha256,
	kem::X25519HkdfSha256,
	Deserializable, Kem as _, OpModeR, OpModeS, Serializable,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
/// The AEAD tag per chunk.
pub const TAG: usize = 16;
/// The format's magic bytes.
pub const MAGIC: &[u8; 4] = b"MCPK";
/// The format's version.
pub const VERSION: u8 = 1;
/// Header bytes before the first chunk.
pub const HEADER: usize = 4 + 1 + 32 + 4;
/// The largest manifest accepted, in bytes.
pub const MAX_MANIFEST: u32 = 4 << 20;

type Kem = X25519HkdfSha256;
type Sender = AeadCtxS<ChaCha20Poly1305, HkdfSha256, Kem>;
type Receiver = AeadCtxR<ChaCha20Poly1305, HkdfSha256, Kem>;

/// Why a package cannot be made or opened.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PackageError {
	/// Not a package of this format.
	#[error("not a MedChain package: {0}")]
	Format(String),
	/// A chunk did not open: wrong key, request or chain, or altered, reordered or truncated.
	#[error("chunk {0} does not open: wrong recipient, request or chain, or altered, reordered or truncated")]
	Undecryptable(u64),
	/// The manifest is unreadable or does not fit the documents.
	#[error("manifest: {0}")]
	Manifest(String),
	/// The encryption key is not a valid X25519 key.
	#[error("bad encryption key")]
	BadKey,
	/// Reading or writing failed.
	#[error("i/o: {0}")]
	Io(String),
}

impl From<std::io::Error> for PackageError {
	fn from(e: std::io::Error) -> Self {
		PackageError::Io(e.to_string())
	}
}

/// The operating system's random numbers, for HPKE's ephemeral key (hpke 0.13 takes
/// `rand_core` 0.9 generators; the system source is the one the vault uses).
struct SystemRng;

impl hpke::rand_core::RngCore for SystemRng {
	fn next_u32(&mut self) -> u32 {
		u32::from_le_bytes(crate::vault::random_bytes())
	}
	fn next_u64(&mut self) -> u64 {
		u64::from_le_bytes(crate::vault::random_bytes())
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		use chacha20poly1305::aead::rand_core::RngCore as _;
		chacha20poly1305::aead::OsRng.fill_bytes(dest)
	}
}

impl hpke::rand_core::CryptoRng for SystemRng {}

/// Rule 1.
pub fn info(genesis: &[u8; 32], request: u64) -> Vec<u8> {
	[b"medchain/package/v1".as_slice(), genesis, &request.to_le_bytes()].concat()
}

fn aad(index: u64, last: bool) -> [u8; 9] {
	let mut aad = [0u8; 9];
	aad[..8].copy_from_slice(&index.to_le_bytes());
	aad[8] = u8::from(last);
	aad
}

/// The public key of an X25519 secret, as HPKE computes it (equal to x25519-dalek's).
pub fn public_key(secret: &[u8; 32]) -> Result<[u8; 32], PackageError> {
	let sk =
		<Kem as hpke::Kem>::PrivateKey::from_bytes(secret).map_err(|_| PackageError::BadKey)?;
	Ok(Kem::sk_to_pk(&sk).to_bytes().into())
}

/// Seals a plaintext stream into a package written to `out` (rule 2), counting and hashing
/// what it writes. Holds one chunk in memory.
pub struct Sealer<W: Write> {
	context: Sender,
	out: W,
	buffer: Vec<u8>,
	index: u64,
	hasher: Sha256,
	written: u64,
}

impl<W: Write> Sealer<W> {
	/// Starts a package for `recipient` (an X25519 public key) bound to `genesis` and
	/// `request`; writes the header.
	pub fn new(
		recipient: &[u8; 32],
		genesis: &[u8; 32],
		request: u64,
		out: W,
	) -> Result<Self, PackageError> {
		let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(recipient)
			.map_err(|_| PackageError::BadKey)?;
		let (enc, context) = hpke::setup_sender::<ChaCha20Poly1305, HkdfSha256, Kem, _>(
			&OpModeS::Base,
			&pk,
			&info(genesis, request),
			&mut SystemRng,
		)
		.map_err(|_| PackageError::BadKey)?;
		let mut sealer = Sealer {
			context,
			out,
			buffer: Vec::with_capacity(CHUNK),
			index: 0,
			hasher: Sha256::new(),
			written: 0,
		};
		let mut header = Vec::with_capacity(HEADER);
		header.extend_from_slice(MAGIC);
		header.push(VERSION);
		header.extend_from_slice(&enc.to_bytes());
		header.extend_from_slice(&(CHUNK as u32).to_le_bytes());
		sealer.emit(&header)?;
		Ok(sealer)
	}

	fn emit(&mut self, bytes: &[u8]) -> Result<(), PackageError> {
		self.out.write_all(bytes)?;
		self.hasher.update(bytes);
		self.written += bytes.len() as u64;
		Ok(())
	}

	fn seal_chunk(&mut self, last: bool) -> Result<(), PackageError> {
		let sealed = self
			.context
			.seal(&self.buffer, &aad(self.index, last))
			.map_err(|_| PackageError::Undecryptable(self.index))?;
		self.emit(&sealed)?;
		self.buffer.clear();
		self.index += 1;
		Ok(())
	}

	/// Adds plaintext. A full chunk is sealed only when more plaintext follows, so that the
	/// last chunk is always shorter than [`CHUNK`] (rule 2).
	pub fn push(&mut self, mut data: &[u8]) -> Result<(), PackageError> {
		while !data.is_empty() {
			if self.buffer.len() == CHUNK {
				self.seal_chunk(false)?;
			}
			let take = (CHUNK - self.buffer.len()).min(data.len());
			self.buffer.extend_from_slice(&data[..take]);
			data = &data[take..];
		}
		Ok(())
	}

	/// Seals the rest as the last chunk; returns the output, the package's SHA-256 and size.
	pub fn finish(mut self) -> Result<(W, [u8; 32], u64), PackageError> {
		if self.buffer.len() == CHUNK {
			self.seal_chunk(false)?;
		}
		self.seal_chunk(true)?;
		self.out.flush()?;
		Ok((self.out, self.hasher.finalize().into(), self.written))
	}
}

/// Opens a package read from `input` as a plaintext stream (rule 2); any altered, reordered,
/// missing or extra chunk is an error, never silently accepted. Holds one chunk in memory.
pub struct Opener<R: Read> {
	context: Receiver,
	input: BufReader<R>,
	chunk: usize,
	index: u64,
	plain: Vec<u8>,
	position: usize,
	done: bool,
}

impl<R: Read> Opener<R> {
	/// Reads the header and sets up the context with the recipient's X25519 `secret`.
	pub fn new(
		secret: &[u8; 32],
		genesis: &[u8; 32],
		request: u64,
		input: R,
	) -> Result<Self, PackageError> {
		let mut input = BufReader::with_capacity(CHUNK + TAG + 1, input);
		let mut header = [0u8; HEADER];
		input
			.read_exact(&mut header)
			.map_err(|_| PackageError::Format("shorter than its header".into()))?;
		if &header[..4] != MAGIC || header[4] != VERSION {
			return Err(PackageError::Format("wrong magic bytes or version".into()));
		}
		let chunk = u32::from_le_bytes([header[37], header[38], header[39], header[40]]) as usize;
		if chunk == 0 || chunk > 16 * CHUNK {
			return Err(PackageError::Format(format!("chunk size {chunk}")));
		}
		let sk =
			<Kem as hpke::Kem>::PrivateKey::from_bytes(secret).map_err(|_| PackageError::BadKey)?;
		let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&header[5..37])
			.map_err(|_| PackageError::Format("bad encapsulated key".into()))?;
		let context = hpke::setup_receiver::<ChaCha20Poly1305, HkdfSha256, Kem>(
			&OpModeR::Base,
			&sk,
			&enc,
			&info(genesis, request),
		)
		.map_err(|_| PackageError::Undecryptable(0))?;
		Ok(Opener { context, input, chunk, index: 0, plain: Vec::new(), position: 0, done: false })
	}

	fn next_chunk(&mut self) -> Result<(), PackageError> {
		let mut sealed = Vec::with_capacity(self.chunk + TAG);
		(&mut self.input).take((self.chunk + TAG) as u64).read_to_end(&mut sealed)?;
		// The last chunk is the one nothing follows.
		let last = self.input.fill_buf()?.is_empty();
		if !last && sealed.len() != self.chunk + TAG {
			return Err(PackageError::Undecryptable(self.index));
		}
		self.plain = self
			.context
			.open(&sealed, &aad(self.index, last))
			.map_err(|_| PackageError::Undecryptable(self.index))?;
		self.position = 0;
		self.index += 1;
		self.done = last;
		Ok(())
	}

	/// Whether the whole package was read and opened.
	pub fn is_finished(&self) -> bool {
		self.done && self.position == self.plain.len()
	}
}

impl<R: Read> Read for Opener<R> {
	fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
		while self.position == self.plain.len() {
			if self.done {
				return Ok(0);
			}
			self.next_chunk().map_err(std::io::Error::other)?;
		}
		let n = out.len().min(self.plain.len() - self.position);
		out[..n].copy_from_slice(&self.plain[self.position..self.position + n]);
		self.position += n;
		Ok(n)
	}
}

/// The package's table of contents (rule 3).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
	/// The exchange request.
	pub request: u64,
	/// The custodian institution.
	pub custodian: u32,
	/// The patient's pseudonym at the custodian (0x-hex).
	pub patient: String,
	/// The documents, in the order of their bytes.
	pub records: Vec<Item>,
}

/// One document of a package.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
	/// The record id at the custodian.
	pub record_id: String,
	/// The version delivered.
	pub version: u32,
	/// Its salt (0x-hex): the anchored hash is SHA-256(salt || document).
	pub salt: String,
	/// The document's size in bytes.
	pub size: u64,
	/// The chain's format name (`FhirJson`, `Dicom`, ...).
	pub format: String,
	/// The chain's category name (`Laboratory`, ...).
	pub category: String,
}

/// Writes the manifest's frame (rule 3); the documents follow with [`Sealer::push`].
pub fn push_manifest<W: Write>(
	sealer: &mut Sealer<W>,
	manifest: &Manifest,
) -> Result<(), PackageError> {
	let json = serde_json::to_vec(manifest).map_err(|e| PackageError::Manifest(e.to_string()))?;
	let length = u32::try_from(json.len())
		.ok()
		.filter(|l| *l <= MAX_MANIFEST)
		.ok_or_else(|| PackageError::Manifest("too large".into()))?;
	sealer.push(&length.to_le_bytes())?;
	sealer.push(&json)
}

/// Reads the manifest's frame from an opened package.
pub fn read_manifest<R: Read>(opener: &mut Opener<R>) -> Result<Manifest, PackageError> {
	let mut length = [0u8; 4];
	opener.read_exact(&mut length).map_err(unwrap_io)?;
	let length = u32::from_le_bytes(length);
	if length > MAX_MANIFEST {
		return Err(PackageError::Manifest(format!("{length} bytes")));
	}
	let mut json = vec![0u8; length as usize];
	opener.read_exact(&mut json).map_err(unwrap_io)?;
	serde_json::from_slice(&json).map_err(|e| PackageError::Manifest(e.to_string()))
}

/// The next document of `size` bytes from an opened package.
pub fn read_document<R: Read>(opener: &mut Opener<R>, size: u64) -> Result<Vec<u8>, PackageError> {
	let mut document = Vec::new();
	opener.take(size).read_to_end(&mut document).map_err(unwrap_io)?;
	if document.len() as u64 != size {
		return Err(PackageError::Manifest("the package ends before its documents do".into()));
	}
	Ok(document)
}

/// The package error inside an I/O error from [`Opener::read`], or the I/O error itself.
fn unwrap_io(e: std::io::Error) -> PackageError {
	if e.kind() == std::io::ErrorKind::UnexpectedEof {
		return PackageError::Manifest("the package ends before its manifest does".into());
	}
	match e.into_inner().map(|inner| inner.downcast::<PackageError>()) {
		Some(Ok(package)) => *package,
		Some(Err(other)) => PackageError::Io(other.to_string()),
		None => PackageError::Io("read failed".into()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const GENESIS: [u8; 32] = [3; 32];

	fn keys() -> ([u8; 32], [u8; 32]) {
		let secret = [42u8; 32];
		(secret, public_key(&secret).unwrap())
	}

	fn seal(plain: &[u8], request: u64) -> Vec<u8> {
		let (_, public) = keys();
		let mut sealer = Sealer::new(&public, &GENESIS, request, Vec::new()).unwrap();
		// Pushed in uneven pieces, as documents arrive.
		for piece in plain.chunks(10_007) {
			sealer.push(piece).unwrap();
		}
		let (out, hash, size) = sealer.finish().unwrap();
		assert_eq!(size, out.len() as u64);
		assert_eq!(hash, <[u8; 32]>::from(Sha256::digest(&out)));
		out
	}

	fn open(package: &[u8], request: u64) -> Result<Vec<u8>, PackageError> {
		let (secret, _) = keys();
		let mut opener = Opener::new(&secret, &GENESIS, request, package)?;
		let mut plain = Vec::new();
		opener.read_to_end(&mut plain).map_err(unwrap_io)?;
		assert!(opener.is_finished());
		Ok(plain)
	}

	fn plain(n: usize) -> Vec<u8> {
		(0..n).map(|i| (i % 253) as u8).collect()
	}

	#[test]
	fn hpke_and_x25519_dalek_agree_on_the_public_key() {
		let secret = [42u8; 32];
		let dalek = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(secret));
		assert_eq!(public_key(&secret).unwrap(), dalek.to_bytes());
	}

	#[test]
	fn packages_of_every_shape_round_trip() {
		for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
			let bytes = plain(n);
			let package = seal(&bytes, 9);
			let chunks = n / CHUNK + 1;
			assert_eq!(package.len(), HEADER + n + chunks * TAG, "{n}");
			assert_eq!(open(&package, 9).unwrap(), bytes, "{n}");
		}
	}

	#[test]
	fn another_request_chain_or_key_does_not_open() {
		let package = seal(&plain(1000), 9);
		assert_eq!(open(&package, 10), Err(PackageError::Undecryptable(0)));
		let (secret, _) = keys();
		let other_chain = Opener::new(&secret, &[4; 32], 9, &package[..]).unwrap();
		assert!(std::io::read_to_string(other_chain).is_err());
		let wrong_key = Opener::new(&[7; 32], &GENESIS, 9, &package[..]).unwrap();
		assert!(std::io::read_to_string(wrong_key).is_err());
	}

	#[test]
	fn altered_truncated_reordered_or_extended_packages_are_detected() {
		let bytes = plain(3 * CHUNK + 100);
		let package = seal(&bytes, 9);
		let sealed = CHUNK + TAG;
		// A flipped bit in the second chunk.
		let mut altered = package.clone();
		altered[HEADER + sealed + 5] ^= 1;
		assert_eq!(open(&altered, 9), Err(PackageError::Undecryptable(1)));
		// Cut at a chunk boundary: the last chunk is missing, the one before is not flagged.
		let cut = &package[..HEADER + 2 * sealed];
		assert_eq!(open(cut, 9), Err(PackageError::Undecryptable(1)));
		// Cut inside a chunk.
		assert!(open(&package[..package.len() - 3], 9).is_err());
		// The first two chunks swapped.
		let mut swapped = package[..HEADER].to_vec();
		swapped.extend_from_slice(&package[HEADER + sealed..HEADER + 2 * sealed]);
		swapped.extend_from_slice(&package[HEADER..HEADER + sealed]);
		swapped.extend_from_slice(&package[HEADER + 2 * sealed..]);
		assert_eq!(open(&swapped, 9), Err(PackageError::Undecryptable(0)));
		// Bytes appended after the last chunk.
		let mut longer = package.clone();
		longer.extend_from_slice(&[0; 20]);
		assert!(open(&longer, 9).is_err());
		// Not a package.
		assert!(matches!(open(b"MCPX", 9), Err(PackageError::Format(_))));
		let mut wrong = package.clone();
		wrong[4] = 2;
		assert!(matches!(open(&wrong, 9), Err(PackageError::Format(_))));
	}

	#[test]
	fn the_archive_frames_a_manifest_and_documents() {
		let (secret, public) = keys();
		let docs = [b"first document".to_vec(), plain(CHUNK + 5), b"third".to_vec()];
		let manifest = Manifest {
			request: 9,
			custodian: 1,
			patient: format!("0x{}", "ab".repeat(32)),
			records: docs
				.iter()
				.enumerate()
				.map(|(i, d)| Item {
					record_id: format!("rec-{i}"),
					version: 1,
					salt: format!("0x{}", "00".repeat(32)),
					size: d.len() as u64,
					format: "FhirJson".into(),
					category: "Laboratory".into(),
				})
				.collect(),
		};
		let mut sealer = Sealer::new(&public, &GENESIS, 9, Vec::new()).unwrap();
		push_manifest(&mut sealer, &manifest).unwrap();
		for d in &docs {
			sealer.push(d).unwrap();
		}
		let (package, _, _) = sealer.finish().unwrap();
		let mut opener = Opener::new(&secret, &GENESIS, 9, &package[..]).unwrap();
		assert_eq!(read_manifest(&mut opener).unwrap(), manifest);
		for (item, d) in manifest.records.iter().zip(&docs) {
			assert_eq!(&read_document(&mut opener, item.size).unwrap(), d);
		}
		// A manifest claiming more than the package holds.
		let mut opener = Opener::new(&secret, &GENESIS, 9, &package[..]).unwrap();
		read_manifest(&mut opener).unwrap();
		assert!(matches!(
			read_document(&mut opener, 10 * CHUNK as u64),
			Err(PackageError::Manifest(_))
		));
	}
}
