//! Encryption at rest. Every record version is sealed under a **data key** of its own
//! (XChaCha20-Poly1305, a random 24-byte nonce per seal); the data key and the version's salt
//! are sealed together under the gateway's **master key** (kept in `master.key`, mode 0600).
//! Destroying a version's sealed secrets destroys the only copy of its data key and salt:
//! the sealed document can no longer be opened, and its anchored hash no longer verified
//! (crypto-shredding, docs/privacy.md §7).
//!
//! Every seal binds what it seals to where it belongs (associated data: a domain tag, the
//! record id and the version), so a sealed document or key moved to another record does not
//! open.

use crate::{hashing::Salt, Error};
use chacha20poly1305::{
	aead::{rand_core::RngCore, Aead, KeyInit, OsRng, Payload},
	XChaCha20Poly1305, XNonce,
};
use std::{io::Write, path::Path};
use zeroize::{Zeroize, ZeroizeOnDrop};

const NONCE_LEN: usize = 24;
const DOCUMENT_TAG: &[u8] = b"medchain-gateway/document/v1";
const SECRETS_TAG: &[u8] = b"medchain-gateway/secrets/v1";

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
	let mut bytes = [0u8; N];
	OsRng.fill_bytes(&mut bytes);
	bytes
}

/// A 32-byte symmetric key, wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; 32]);

impl Key {
	/// A fresh random key.
	pub fn generate() -> Self {
		Key(random_bytes())
	}

	/// The master key in `path`, created (mode 0600) if the file does not exist.
	pub fn load_or_create(path: &Path) -> Result<Self, Error> {
		match std::fs::read(path) {
			Ok(mut bytes) => {
				let key = <[u8; 32]>::try_from(&bytes[..])
					.map(Key)
					.map_err(|_| Error::BadKeyFile(path.display().to_string()));
				bytes.zeroize();
				key
			},
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
				let key = Key::generate();
				let mut file = private_file(path)?;
				file.write_all(&key.0).map_err(|e| Error::io(path, e))?;
				file.sync_all().map_err(|e| Error::io(path, e))?;
				Ok(key)
			},
			Err(e) => Err(Error::io(path, e)),
		}
	}

	fn cipher(&self) -> XChaCha20Poly1305 {
		XChaCha20Poly1305::new((&self.0).into())
	}

	/// Seals `plaintext` bound to `aad`: nonce followed by ciphertext and tag.
	fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
		let nonce: [u8; NONCE_LEN] = random_bytes();
		let sealed = self
			.cipher()
			.encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
			// Encryption fails only for messages beyond 256 GiB, far above any bound here.
			.unwrap_or_else(|_| panic!("XChaCha20-Poly1305 seals any bounded message"));
		[&nonce[..], &sealed[..]].concat()
	}

	/// Opens what [`Key::seal`] sealed with the same `aad`.
	fn open(&self, aad: &[u8], sealed: &[u8], what: &'static str) -> Result<Vec<u8>, Error> {
		if sealed.len() < NONCE_LEN {
			return Err(Error::Tampered(what));
		}
		let (nonce, body) = sealed.split_at(NONCE_LEN);
		self.cipher()
			.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
			.map_err(|_| Error::Tampered(what))
	}
}

/// A file only its owner can read and write, created anew.
pub(crate) fn private_file(path: &Path) -> Result<std::fs::File, Error> {
	use std::os::unix::fs::OpenOptionsExt;
	std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| Error::io(path, e))
}

fn binding(tag: &[u8], record_id: &str, version: u32) -> Vec<u8> {
	let mut aad = tag.to_vec();
	aad.extend_from_slice(&(record_id.len() as u32).to_le_bytes());
	aad.extend_from_slice(record_id.as_bytes());
	aad.extend_from_slice(&version.to_le_bytes());
	aad
}

/// A record version's secrets: its data key and its salt, wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct VersionSecrets {
	data_key: Key,
	salt: Salt,
}

impl VersionSecrets {
	/// Fresh secrets for a new version.
	pub fn generate() -> Self {
		VersionSecrets { data_key: Key::generate(), salt: crate::hashing::new_salt() }
	}

	/// Fresh data key for a document whose salt is given (a document received from another
	/// custodian keeps the salt its anchored hash was made with).
	pub fn with_salt(salt: Salt) -> Self {
		VersionSecrets { data_key: Key::generate(), salt }
	}

	/// The version's salt (anchored hash = SHA-256(salt || document)).
	pub fn salt(&self) -> &Salt {
		&self.salt
	}

	/// Seals a version's document under its data key.
	pub fn seal_document(&self, record_id: &str, version: u32, document: &[u8]) -> Vec<u8> {
		self.data_key.seal(&binding(DOCUMENT_TAG, record_id, version), document)
	}

	/// Opens a version's sealed document.
	pub fn open_document(
		&self,
		record_id: &str,
		version: u32,
		sealed: &[u8],
	) -> Result<Vec<u8>, Error> {
		self.data_key.open(&binding(DOCUMENT_TAG, record_id, version), sealed, "document")
	}

	/// These secrets sealed under the master key, for the store.
	pub fn seal(&self, master: &Key, record_id: &str, version: u32) -> Vec<u8> {
		let mut plain = [0u8; 64];
		plain[..32].copy_from_slice(&self.data_key.0);
		plain[32..].copy_from_slice(&self.salt);
		let sealed = master.seal(&binding(SECRETS_TAG, record_id, version), &plain);
		plain.zeroize();
		sealed
	}

	/// Secrets the store kept sealed under the master key.
	pub fn open(master: &Key, record_id: &str, version: u32, sealed: &[u8]) -> Result<Self, Error> {
		let mut plain =
			master.open(&binding(SECRETS_TAG, record_id, version), sealed, "secrets")?;
		let secrets = (plain.len() == 64).then(|| {
			let mut key = [0u8; 32];
			let mut salt = [0u8; 32];
			key.copy_from_slice(&plain[..32]);
			salt.copy_from_slice(&plain[32..]);
			VersionSecrets { data_key: Key(key), salt }
		});
		plain.zeroize();
		secrets.ok_or(Error::Tampered("secrets"))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_document_opens_only_with_its_key_and_at_its_place() {
		let secrets = VersionSecrets::generate();
		let sealed = secrets.seal_document("lab-1", 1, b"K 4.1 mmol/L");
		assert!(!sealed.windows(4).any(|w| w == b"mmol"), "no plaintext in the sealed bytes");
		assert_eq!(secrets.open_document("lab-1", 1, &sealed).unwrap(), b"K 4.1 mmol/L");
		// Another version, record or key; a flipped bit; a truncated seal.
		assert!(secrets.open_document("lab-1", 2, &sealed).is_err());
		assert!(secrets.open_document("lab-2", 1, &sealed).is_err());
		assert!(VersionSecrets::generate().open_document("lab-1", 1, &sealed).is_err());
		let mut flipped = sealed.clone();
		flipped[30] ^= 1;
		assert!(secrets.open_document("lab-1", 1, &flipped).is_err());
		assert!(secrets.open_document("lab-1", 1, &sealed[..10]).is_err());
	}

	#[test]
	fn secrets_round_trip_under_the_master_key_only() {
		let master = Key::generate();
		let secrets = VersionSecrets::generate();
		let sealed = secrets.seal(&master, "lab-1", 3);
		let opened = VersionSecrets::open(&master, "lab-1", 3, &sealed).unwrap();
		assert_eq!(opened.salt(), secrets.salt());
		let doc = secrets.seal_document("lab-1", 3, b"x");
		assert_eq!(opened.open_document("lab-1", 3, &doc).unwrap(), b"x");
		assert!(VersionSecrets::open(&Key::generate(), "lab-1", 3, &sealed).is_err());
		assert!(VersionSecrets::open(&master, "lab-1", 4, &sealed).is_err());
	}

	#[test]
	fn the_master_key_file_is_private_and_stable() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("master.key");
		let key = Key::load_or_create(&path).unwrap();
		let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode, 0o600);
		let again = Key::load_or_create(&path).unwrap();
		let sealed = key.seal(b"t", b"m");
		assert_eq!(again.open(b"t", &sealed, "test").unwrap(), b"m");
		std::fs::write(&path, b"short").unwrap();
		assert!(matches!(Key::load_or_create(&path), Err(Error::BadKeyFile(_))));
	}
}
