//! The content-hash contract (docs/records.md): `content_hash = SHA-256(salt || document)`,
//! with a salt of 32 random bytes per record version, so that a short document cannot be
//! confirmed by hashing guesses.

use sha2::{Digest, Sha256};

/// A record version's salt.
pub type Salt = [u8; 32];

/// The content hash anchored on chain for `document` with `salt`.
pub fn content_hash(salt: &Salt, document: &[u8]) -> [u8; 32] {
	let mut hasher = Sha256::new();
	hasher.update(salt);
	hasher.update(document);
	hasher.finalize().into()
}

/// A fresh random salt.
pub fn new_salt() -> Salt {
	crate::vault::random_bytes()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The example of docs/records.md.
	#[test]
	fn the_documented_example_hashes_as_documented() {
		let document =
			br#"{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"}}"#;
		let hash = content_hash(&[7u8; 32], document);
		let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
		assert_eq!(hex, "88d7755f66071105cffda08ca123f99c5ad81031f79437455442d3270027d7eb");
	}

	#[test]
	fn the_salt_changes_the_hash() {
		assert_ne!(content_hash(&[1; 32], b"K 4.1"), content_hash(&[2; 32], b"K 4.1"));
		assert_ne!(new_salt(), new_salt());
	}
}
