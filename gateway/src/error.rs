//! The gateway's errors: each says what failed, for an HTTP answer or a CLI message.

use thiserror::Error;

/// What can go wrong in the gateway's store.
#[derive(Debug, Error)]
pub enum Error {
	/// No record with this id (or no such version).
	#[error("unknown record {0}")]
	UnknownRecord(String),
	/// The record's current version is not the one the caller expected (a concurrent update).
	#[error("record {record}: expected version {expected}, the current one is {current}")]
	WrongVersion {
		/// The record.
		record: String,
		/// What the caller expected.
		expected: u32,
		/// What the store holds.
		current: u32,
	},
	/// The record was erased: its documents cannot be read or changed any more.
	#[error("record {0} was erased")]
	Erased(String),
	/// The record came from an imported archive: anchored in a Merkle root, it takes no new
	/// version (store the new document as a new record).
	#[error("record {0} was imported from an archive (anchored in a Merkle root) and takes no new version; store the new document as a new record")]
	Archived(String),
	/// A record id must be 1..=64 bytes (the chain's bound).
	#[error("a record id must be 1 to 64 bytes, got {0}")]
	BadRecordId(usize),
	/// An empty document cannot be stored (the chain refuses size 0).
	#[error("empty document")]
	EmptyDocument,
	/// Sealed data did not open: it was altered, or the key is not the one it was sealed with.
	#[error("sealed data does not open (altered, or another key): {0}")]
	Tampered(&'static str),
	/// The key file is not a 32-byte key.
	#[error("bad key file {0}")]
	BadKeyFile(String),
	/// A key file exists already; it is never overwritten.
	#[error(
		"key file {0} exists already; a device key is never replaced (use another data directory)"
	)]
	KeyExists(String),
	/// The disk is (nearly) full: the write was refused and nothing was stored.
	#[error("disk full: {free} bytes free, {needed} needed (the document and the reserve)")]
	DiskFull {
		/// Free bytes on the store's file system.
		free: u64,
		/// What the write needed.
		needed: u64,
	},
	/// The configuration file is missing something or malformed.
	#[error("configuration: {0}")]
	Config(String),
	/// The embedded store failed.
	#[error("store: {0}")]
	Store(String),
	/// A file could not be read or written.
	#[error("file {path}: {source}")]
	Io {
		/// The file.
		path: String,
		/// Why.
		source: std::io::Error,
	},
}

impl Error {
	pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
		Error::Io { path: path.display().to_string(), source }
	}
}

macro_rules! from_redb {
	($($t:ty),*) => {$(
		impl From<$t> for Error {
			fn from(e: $t) -> Self {
				Error::Store(e.to_string())
			}
		}
	)*};
}
from_redb!(
	redb::Error,
	redb::DatabaseError,
	redb::TransactionError,
	redb::TableError,
	redb::StorageError,
	redb::CommitError,
	redb::CompactionError
);
