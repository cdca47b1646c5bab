//! The outbox: what the chain still has to learn, written in the same redb transaction as the
//! change it reports (the transactional-outbox pattern), so a change is never stored without
//! its chain operation nor the other way round.
//!
//! Rules:
//! 1. **One entry per chain operation**, in the order the changes were made (a sequence
//!    number); the anchoring pipeline ([`crate::anchoring`]) sends a record's operations in
//!    that order, one at a time per record.
//! 2. **An attempt is written before it is sent**: the signed extrinsic's nonce and bytes are
//!    stored with the entries it carries before the node sees it. After a crash or a lost
//!    connection the pipeline asks the chain what became of it and resends exactly the same
//!    bytes (which the chain can include at most once: one nonce) rather than signing anew —
//!    so nothing is anchored twice.
//! 3. **An entry leaves the outbox** when its operation is in a block (the version's
//!    [`AnchorState`] says where), or when the chain refused it for
//!    a reason of its own (the version's state says why).

use crate::store::decode;
use crate::Error;
use codec::{Decode, Encode};
use redb::{
	ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction,
};

/// Sequence number → [`Entry`].
pub(crate) const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox");
/// Attempt nonce → [`Attempt`].
pub(crate) const ATTEMPTS: TableDefinition<u32, &[u8]> = TableDefinition::new("attempts");

/// A chain operation on a record.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Operation {
	/// Anchor version 1 (`records::anchor_batch`).
	Anchor,
	/// Anchor version `version` > 1 (`records::supersede` with `version - 1` expected).
	Supersede {
		/// The new version.
		version: u32,
	},
	/// Mark the record entered in error (`records::retract` with `version` expected).
	Retract {
		/// The record's current version when it was retracted.
		version: u32,
	},
	/// Mark the record erased (`records::erase`).
	Erase,
}

impl Operation {
	/// The version whose anchoring this operation is, if any.
	pub fn anchors_version(&self) -> Option<u32> {
		match self {
			Operation::Anchor => Some(1),
			Operation::Supersede { version } => Some(*version),
			_ => None,
		}
	}

	/// A short name, for logs and the API.
	pub fn name(&self) -> &'static str {
		match self {
			Operation::Anchor => "anchor",
			Operation::Supersede { .. } => "supersede",
			Operation::Retract { .. } => "retract",
			Operation::Erase => "erase",
		}
	}
}

/// An operation waiting in the outbox.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Entry {
	/// The record.
	pub record_id: String,
	/// What the chain must do.
	pub operation: Operation,
	/// The nonce of the attempt that carries it, once written (rule 2).
	pub attempt: Option<u32>,
	/// Send it alone: a batch carrying it was refused, so it is tried on its own to find out
	/// whether the refusal was its own.
	pub alone: bool,
	/// The block (number, hash) it was dispatched in, until that block is final.
	pub in_block: Option<(u32, [u8; 32])>,
}

/// A signed extrinsic written before it was sent (rule 2).
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Attempt {
	/// The outbox entries it carries.
	pub entries: Vec<u64>,
	/// The encoded extrinsic.
	pub extrinsic: Vec<u8>,
}

/// Appends `operation` on `record_id` to the outbox in `txn` (rule 1).
pub(crate) fn enqueue(
	txn: &WriteTransaction,
	record_id: &str,
	operation: Operation,
) -> Result<(), Error> {
	let mut table = txn.open_table(OUTBOX)?;
	let next = match table.last()? {
		Some((key, _)) => key.value() + 1,
		None => 0,
	};
	let entry = Entry {
		record_id: record_id.into(),
		operation,
		attempt: None,
		alone: false,
		in_block: None,
	};
	table.insert(next, &entry.encode()[..])?;
	Ok(())
}

/// Where an attempt ended up (the pipeline's findings, recorded by [`Store::settle`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Settlement {
	/// Dispatched successfully in block `number` with hash `hash`.
	InBlock {
		/// The block number.
		number: u32,
		/// The block hash.
		hash: [u8; 32],
	},
	/// Dispatched and refused with `error` (a pallet error's name and doc line).
	Refused(String),
	/// Never included (dropped, or its nonce used by another transaction): sign it anew.
	Lost,
}

use crate::store::{AnchorState, Store, VersionMeta, VERSIONS};

impl Store {
	/// The first `limit` outbox entries, oldest first.
	pub fn outbox(&self, limit: usize) -> Result<Vec<(u64, Entry)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(OUTBOX)?;
		let mut out: Vec<(u64, Entry)> = Vec::new();
		for item in table.iter()?.take(limit) {
			let (key, value) = item?;
			out.push((key.value(), decode(value.value())?));
		}
		Ok(out)
	}

	/// The outbox entry `seq`, if it is still there.
	pub fn outbox_entry(&self, seq: u64) -> Result<Option<Entry>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(OUTBOX)?;
		let value = table.get(seq)?;
		value.map(|v| decode(v.value())).transpose()
	}

	/// How many operations the chain has still to learn (or to finalize).
	pub fn outbox_len(&self) -> Result<u64, Error> {
		let txn = self.db.begin_read()?;
		Ok(txn.open_table(OUTBOX)?.len()?)
	}

	/// The attempts written and not yet settled (rule 2), by nonce.
	pub fn attempts(&self) -> Result<Vec<(u32, Attempt)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(ATTEMPTS)?;
		let mut out: Vec<(u32, Attempt)> = Vec::new();
		for item in table.iter()? {
			let (key, value) = item?;
			out.push((key.value(), decode(value.value())?));
		}
		Ok(out)
	}

	/// Writes an attempt before it is sent (rule 2).
	pub fn begin_attempt(&self, nonce: u32, attempt: &Attempt) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut outbox = txn.open_table(OUTBOX)?;
			for seq in &attempt.entries {
				let mut entry: Entry = {
					let value = outbox.get(*seq)?;
					decode(
						value
							.ok_or_else(|| Error::Store(format!("no outbox entry {seq}")))?
							.value(),
					)?
				};
				entry.attempt = Some(nonce);
				outbox.insert(*seq, &entry.encode()[..])?;
			}
			txn.open_table(ATTEMPTS)?.insert(nonce, &attempt.encode()[..])?;
		}
		txn.commit()?;
		Ok(())
	}

	/// Records what became of the attempt with `nonce` (rule 3).
	pub fn settle(&self, nonce: u32, settlement: &Settlement) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut attempts = txn.open_table(ATTEMPTS)?;
			let attempt: Attempt = match attempts.remove(nonce)? {
				Some(value) => decode(value.value())?,
				None => return Ok(()),
			};
			let mut outbox = txn.open_table(OUTBOX)?;
			let mut versions = txn.open_table(VERSIONS)?;
			let batch = attempt.entries.len() > 1;
			for seq in attempt.entries {
				let mut entry: Entry = match outbox.get(seq)? {
					Some(value) => decode(value.value())?,
					None => continue,
				};
				entry.attempt = None;
				let state = match settlement {
					Settlement::InBlock { number, hash } => {
						entry.in_block = Some((*number, *hash));
						Some(AnchorState::InBlock { number: *number, hash: *hash })
					},
					Settlement::Refused(_) if batch => {
						entry.alone = true;
						None
					},
					Settlement::Refused(error) => {
						outbox.remove(seq)?;
						if entry.operation.anchors_version().is_none() {
							continue;
						}
						Some(AnchorState::Refused { error: error.clone() })
					},
					Settlement::Lost => None,
				};
				if let (Some(state), Some(version)) = (state, entry.operation.anchors_version()) {
					let key = (entry.record_id.as_str(), version);
					let mut meta: VersionMeta = match versions.get(key)? {
						Some(value) => decode(value.value())?,
						None => continue,
					};
					meta.anchor = state;
					versions.insert(key, &meta.encode()[..])?;
				}
				if outbox.get(seq)?.is_some() {
					outbox.insert(seq, &entry.encode()[..])?;
				}
			}
		}
		txn.commit()?;
		Ok(())
	}

	/// Marks the outbox entry `seq` (in block) final when `canonical` (the finalized chain's
	/// hash at its block number) is the block it was in; else it was in a block that lost a
	/// fork, and goes back to be sent again.
	pub fn finalize(&self, seq: u64, canonical: [u8; 32]) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut outbox = txn.open_table(OUTBOX)?;
			let mut entry: Entry = match outbox.get(seq)? {
				Some(value) => decode(value.value())?,
				None => return Ok(()),
			};
			let Some((number, hash)) = entry.in_block else { return Ok(()) };
			let state = if hash == canonical {
				outbox.remove(seq)?;
				AnchorState::Finalized { number, hash }
			} else {
				entry.in_block = None;
				outbox.insert(seq, &entry.encode()[..])?;
				AnchorState::Pending
			};
			if let Some(version) = entry.operation.anchors_version() {
				let mut versions = txn.open_table(VERSIONS)?;
				let key = (entry.record_id.as_str(), version);
				let mut meta: VersionMeta = match versions.get(key)? {
					Some(value) => decode(value.value())?,
					None => return Err(Error::UnknownRecord(entry.record_id.clone())),
				};
				meta.anchor = state;
				versions.insert(key, &meta.encode()[..])?;
			}
		}
		txn.commit()?;
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ops(store: &Store) -> Vec<(String, Operation)> {
		store.outbox(100).unwrap().into_iter().map(|(_, e)| (e.record_id, e.operation)).collect()
	}

	#[test]
	fn every_change_queues_its_chain_operation_in_order() {
		let dir = tempfile::tempdir().unwrap();
		let mut store = Store::open(dir.path()).unwrap();
		store.put("a", [1; 32], 1, 0, b"one").unwrap();
		store.supersede("a", 1, b"two").unwrap();
		store.put("b", [1; 32], 1, 0, b"three").unwrap();
		store.retract("b").unwrap();
		store.retract("b").unwrap(); // already retracted: nothing more to tell the chain
		store.erase("a").unwrap();
		assert_eq!(
			ops(&store),
			vec![
				("a".into(), Operation::Anchor),
				("a".into(), Operation::Supersede { version: 2 }),
				("b".into(), Operation::Anchor),
				("b".into(), Operation::Retract { version: 1 }),
				("a".into(), Operation::Erase),
			]
		);
		// A refused write queues nothing.
		assert!(store.supersede("b", 7, b"x").is_err());
		assert_eq!(store.outbox_len().unwrap(), 5);
		// An archived record (bulk import) is anchored through its root: no chain operation,
		// no new version, a local retraction.
		store.put_archived("z", [1; 32], 1, 0, b"old scan").unwrap();
		assert!(matches!(store.supersede("z", 1, b"new"), Err(Error::Archived(_))));
		store.retract("z").unwrap();
		assert_eq!(store.outbox_len().unwrap(), 5);
	}

	#[test]
	fn attempts_settle_into_blocks_refusals_and_finality() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path()).unwrap();
		for id in ["a", "b", "c"] {
			store.put(id, [1; 32], 1, 0, id.as_bytes()).unwrap();
		}
		let seqs: Vec<u64> = store.outbox(10).unwrap().iter().map(|(s, _)| *s).collect();
		// Rule 2: written before sending, and still there after a restart.
		let batch = Attempt { entries: seqs.clone(), extrinsic: vec![1, 2, 3] };
		store.begin_attempt(5, &batch).unwrap();
		drop(store);
		let store = Store::open(dir.path()).unwrap();
		assert_eq!(store.attempts().unwrap(), vec![(5, batch)]);
		assert!(store.outbox(10).unwrap().iter().all(|(_, e)| e.attempt == Some(5)));
		// A refused batch: each entry is tried alone next.
		store.settle(5, &Settlement::Refused("Records.UnknownPatient".into())).unwrap();
		assert!(store.attempts().unwrap().is_empty());
		assert!(store.outbox(10).unwrap().iter().all(|(_, e)| e.alone && e.attempt.is_none()));
		// Alone: "a" refused for good, "b" in block, "c" lost (to be signed anew).
		for (nonce, seq) in [(6, seqs[0]), (7, seqs[1]), (8, seqs[2])] {
			store.begin_attempt(nonce, &Attempt { entries: vec![seq], extrinsic: vec![] }).unwrap();
		}
		store.settle(6, &Settlement::Refused("Records.UnknownPatient".into())).unwrap();
		store.settle(7, &Settlement::InBlock { number: 9, hash: [9; 32] }).unwrap();
		store.settle(8, &Settlement::Lost).unwrap();
		let anchor = |id: &str| store.versions(id).unwrap()[0].1.anchor.clone();
		assert_eq!(anchor("a"), AnchorState::Refused { error: "Records.UnknownPatient".into() });
		assert_eq!(anchor("b"), AnchorState::InBlock { number: 9, hash: [9; 32] });
		assert_eq!(anchor("c"), AnchorState::Pending);
		let left = store.outbox(10).unwrap();
		assert_eq!(left.len(), 2, "the refused entry left the outbox");
		assert_eq!(left[0].1.in_block, Some((9, [9; 32])));
		assert_eq!(left[1].1.attempt, None);
		// Finality: a block that lost a fork sends the entry back; the canonical one finalizes.
		store.finalize(seqs[1], [8; 32]).unwrap();
		assert_eq!(anchor("b"), AnchorState::Pending);
		assert_eq!(store.outbox(10).unwrap()[0].1.in_block, None);
		store.begin_attempt(10, &Attempt { entries: vec![seqs[1]], extrinsic: vec![] }).unwrap();
		store.settle(10, &Settlement::InBlock { number: 10, hash: [10; 32] }).unwrap();
		store.finalize(seqs[1], [10; 32]).unwrap();
		assert_eq!(anchor("b"), AnchorState::Finalized { number: 10, hash: [10; 32] });
		assert_eq!(store.outbox_len().unwrap(), 1);
		// Settling an unknown attempt changes nothing.
		store.settle(99, &Settlement::Lost).unwrap();
		assert_eq!(store.outbox_len().unwrap(), 1);
	}
}
