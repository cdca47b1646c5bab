//! The relay's audit log (IHE ATNA style, docs/relay.md §5): one entry per completed upload,
//! download and deletion — who (device, institution), which request, bytes, when, why — each
//! entry's hash covering the previous one, so that an entry cannot be changed or dropped
//! without breaking every later hash. The head is anchored on chain from time to time
//! (`System::remark_with_event`, see `sweep.rs`).
//!
//! Rules:
//! 1. Entry `n` hashes `"medchain/audit/v1" || hash(n-1) || SCALE(event)`; entry 0 follows the
//!    all-zero hash.
//! 2. Entries are written in the same transaction as the change they record.

use crate::Error;
use codec::{Decode, Encode};
use redb::{ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use sha2::{Digest, Sha256};

/// Audit entries by sequence number.
pub(crate) const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
/// Single values: the audit head, the last anchored entry.
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const HEAD: &str = "audit_head";
const ANCHORED: &str = "audit_anchored";

/// What happened.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// The custodian's device completed an upload.
	Upload,
	/// The requester's device downloaded (a range of) the package.
	Download,
	/// The package was deleted.
	Delete(DeleteCause),
}

/// Why a package was deleted.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteCause {
	/// The exchange was paid out or refunded.
	Closed,
	/// The delivery deadline passed without a delivery.
	DeadlinePassed,
	/// The chain has no such request.
	UnknownRequest,
	/// The chain's receipt names another package or relay.
	NotTheReceipt,
}

/// One audited event.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct Event {
	/// Unix milliseconds.
	pub at_ms: u64,
	/// What.
	pub action: Action,
	/// The exchange request.
	pub request: u64,
	/// The device that acted (none for deletions by the relay itself).
	pub device: Option<[u8; 32]>,
	/// Its institution.
	pub institution: Option<u32>,
	/// Bytes moved (the package size for uploads and deletions).
	pub bytes: u64,
}

/// An entry as stored.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// The event.
	pub event: Event,
	/// The previous entry's hash.
	pub previous: [u8; 32],
	/// This entry's hash (rule 1).
	pub hash: [u8; 32],
}

/// The hash of `event` after `previous` (rule 1).
pub fn chain_hash(previous: &[u8; 32], event: &Event) -> [u8; 32] {
	let mut hasher = Sha256::new();
	hasher.update(b"medchain/audit/v1");
	hasher.update(previous);
	hasher.update(event.encode());
	hasher.finalize().into()
}

/// The head: the number of entries and the last one's hash.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Head {
	/// Number of entries.
	pub entries: u64,
	/// The last entry's hash (all zero before the first).
	pub hash: [u8; 32],
}

fn read_meta<T: Decode + Default>(
	table: &impl ReadableTable<&'static str, &'static [u8]>,
	key: &str,
) -> Result<T, Error> {
	match table.get(key)? {
		Some(value) => T::decode(&mut value.value()).map_err(|e| Error::Store(e.to_string())),
		None => Ok(T::default()),
	}
}

/// Appends `event` inside `txn` (rule 2); returns the new head.
pub(crate) fn append(txn: &WriteTransaction, event: Event) -> Result<Head, Error> {
	let mut meta = txn.open_table(META)?;
	let head: Head = read_meta(&meta, HEAD)?;
	let hash = chain_hash(&head.hash, &event);
	let entry = Entry { event, previous: head.hash, hash };
	txn.open_table(AUDIT)?.insert(head.entries, entry.encode().as_slice())?;
	let head = Head { entries: head.entries + 1, hash };
	meta.insert(HEAD, head.encode().as_slice())?;
	Ok(head)
}

/// The anchoring state: the head last anchored and the block it went into.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Anchored {
	/// The head anchored.
	pub head: Head,
	/// The block number of its remark.
	pub block: u32,
}

/// Reads the audit log.
pub struct AuditLog<'a> {
	pub(crate) db: &'a redb::Database,
}

impl AuditLog<'_> {
	/// The current head.
	pub fn head(&self) -> Result<Head, Error> {
		let txn = self.db.begin_read()?;
		read_meta(&txn.open_table(META)?, HEAD)
	}

	/// The last anchored head.
	pub fn anchored(&self) -> Result<Anchored, Error> {
		let txn = self.db.begin_read()?;
		read_meta(&txn.open_table(META)?, ANCHORED)
	}

	/// Records that `head` was anchored in block `block`.
	pub fn set_anchored(&self, anchored: Anchored) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		txn.open_table(META)?.insert(ANCHORED, anchored.encode().as_slice())?;
		txn.commit()?;
		Ok(())
	}

	/// Entries `from..` (at most `limit`).
	pub fn entries(&self, from: u64, limit: usize) -> Result<Vec<Entry>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(AUDIT)?;
		let mut out = Vec::new();
		for item in table.range(from..)?.take(limit) {
			let (_, value) = item?;
			out.push(Entry::decode(&mut value.value()).map_err(|e| Error::Store(e.to_string()))?);
		}
		Ok(out)
	}

	/// Checks the whole chain of hashes (rule 1) and that it ends at the head; the number of
	/// entries, or the first broken one.
	pub fn verify(&self) -> Result<u64, Error> {
		let head = self.head()?;
		let mut previous = [0u8; 32];
		let mut n = 0u64;
		loop {
			let batch = self.entries(n, 1024)?;
			if batch.is_empty() {
				break;
			}
			for entry in batch {
				if entry.previous != previous || chain_hash(&previous, &entry.event) != entry.hash {
					return Err(Error::Store(format!("audit entry {n} is broken")));
				}
				previous = entry.hash;
				n += 1;
			}
		}
		if head != (Head { entries: n, hash: previous }) {
			return Err(Error::Store("the audit head does not match its entries".into()));
		}
		Ok(n)
	}
}
