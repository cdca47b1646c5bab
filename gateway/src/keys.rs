//! The device's keys on disk, created by `medchain-gateway init`: `device.key` (the 32-byte
//! seed of its sr25519 signing key: the device account) and `encryption.key` (its X25519
//! secret: other institutions encrypt to the public half, which the device publishes with
//! `institutions::set_encryption_key`). Both files are created with mode 0600 and never
//! overwritten.

use crate::{vault, Error};
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::{io::Write, path::Path};
use zeroize::Zeroize;

/// The file names in the data directory.
pub const DEVICE_KEY: &str = "device.key";
/// See [`DEVICE_KEY`].
pub const ENCRYPTION_KEY: &str = "encryption.key";

/// The device's keys.
pub struct DeviceKeys {
	/// The signing key: the device account.
	pub signing: sr25519::Pair,
	/// The encryption key's secret half.
	pub encryption: x25519_dalek::StaticSecret,
}

impl DeviceKeys {
	/// The device account, SS58 (generic prefix 42), as `add_device` takes it.
	pub fn address(&self) -> String {
		self.signing.public().to_ss58check()
	}

	/// The public encryption key, as `set_encryption_key` takes it.
	pub fn encryption_public(&self) -> [u8; 32] {
		x25519_dalek::PublicKey::from(&self.encryption).to_bytes()
	}

	/// Creates both keys in `dir`; refuses if either file exists (a device key is never
	/// replaced by accident: its account is registered on chain).
	pub fn create(dir: &Path) -> Result<Self, Error> {
		std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
		for name in [DEVICE_KEY, ENCRYPTION_KEY] {
			let path = dir.join(name);
			if path.exists() {
				return Err(Error::KeyExists(path.display().to_string()));
			}
		}
		let seed: [u8; 32] = vault::random_bytes();
		let secret: [u8; 32] = vault::random_bytes();
		write_secret(&dir.join(DEVICE_KEY), &seed)?;
		write_secret(&dir.join(ENCRYPTION_KEY), &secret)?;
		Ok(Self::from_secrets(seed, secret))
	}

	/// Loads both keys from `dir`.
	pub fn load(dir: &Path) -> Result<Self, Error> {
		let seed = read_secret(&dir.join(DEVICE_KEY))?;
		let secret = read_secret(&dir.join(ENCRYPTION_KEY))?;
		Ok(Self::from_secrets(seed, secret))
	}

	/// The keys from the signing seed and the encryption secret, which are wiped afterwards.
	fn from_secrets(mut seed: [u8; 32], mut secret: [u8; 32]) -> Self {
		let keys = DeviceKeys {
			signing: sr25519::Pair::from_seed(&seed),
			encryption: x25519_dalek::StaticSecret::from(secret),
		};
		seed.zeroize();
		secret.zeroize();
		keys
	}
}

fn write_secret(path: &Path, bytes: &[u8; 32]) -> Result<(), Error> {
	let mut file = vault::private_file(path)?;
	file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| Error::io(path, e))
}

fn read_secret(path: &Path) -> Result<[u8; 32], Error> {
	let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
	let key =
		<[u8; 32]>::try_from(&bytes[..]).map_err(|_| Error::BadKeyFile(path.display().to_string()));
	bytes.zeroize();
	key
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	#[test]
	fn keys_are_created_private_once_and_load_back() {
		let dir = tempfile::tempdir().unwrap();
		let keys = DeviceKeys::create(dir.path()).unwrap();
		for name in [DEVICE_KEY, ENCRYPTION_KEY] {
			let meta = std::fs::metadata(dir.path().join(name)).unwrap();
			assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
			assert_eq!(meta.len(), 32);
		}
		assert!(matches!(DeviceKeys::create(dir.path()), Err(Error::KeyExists(_))));
		let loaded = DeviceKeys::load(dir.path()).unwrap();
		assert_eq!(loaded.address(), keys.address());
		assert_eq!(loaded.encryption_public(), keys.encryption_public());
		assert_ne!(keys.encryption_public(), [0; 32]);
		// The address is the signing key's account.
		let public = sr25519::Public::from_ss58check(&keys.address()).unwrap();
		assert_eq!(public, keys.signing.public());
		std::fs::write(dir.path().join(ENCRYPTION_KEY), b"short").unwrap();
		assert!(matches!(DeviceKeys::load(dir.path()), Err(Error::BadKeyFile(_))));
	}
}
