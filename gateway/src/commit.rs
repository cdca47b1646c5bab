//! Group commit: concurrent writers' versions go into one redb transaction, so that one
//! commit (one `fsync`) stores many versions. Each writer has already written and synced its
//! sealed file; it queues its version and waits for the commit lock. Whoever takes the lock
//! first (the leader) commits everything queued so far and hands each writer its own outcome.
//!
//! Rules:
//! 1. **Each version is checked on its own** against the transaction's view (rule 2 of
//!    [`crate::store`]): a refused version (wrong version, erased, unknown) is answered with
//!    its error and does not stop the others; versions of the same record queued together
//!    apply in queue order.
//! 2. **A failed commit fails every version in it**, each writer deleting its own file; none
//!    is half stored.
//! 3. **A writer's 202 follows its commit**: the leader releases the lock only after the
//!    commit returned and every outcome was handed over.

use crate::{
	outbox::{self, Operation},
	store::{RecordMeta, RecordStatus, Store, VersionMeta, BY_PATIENT, RECORDS, SECRETS, VERSIONS},
	Error,
};
use codec::Encode;
use redb::{ReadableTable, WriteTransaction};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Mutex,
	},
};

/// A version whose sealed file is in place, waiting for its commit.
pub(crate) struct Pending {
	/// The record.
	pub record_id: String,
	/// The record as the writer saw it, with `current_version` = the new version.
	pub meta: RecordMeta,
	/// The version's data key and salt, sealed under the master key.
	pub sealed: Vec<u8>,
	/// The version's entry.
	pub entry: VersionMeta,
}

/// The queue and the lock of the group commit.
#[derive(Default)]
pub(crate) struct GroupCommit {
	queue: Mutex<Vec<(u64, Pending)>>,
	outcomes: Mutex<HashMap<u64, Result<(), Error>>>,
	leader: Mutex<()>,
	tickets: AtomicU64,
	/// Commits made, for the tests and the benchmark.
	pub commits: AtomicU64,
}

fn poisoned() -> Error {
	Error::Store("a writer panicked while committing".into())
}

impl Store {
	/// Commits `pending` with whatever else is queued (rules 1-3).
	pub(crate) fn commit_version(&self, pending: Pending) -> Result<(), Error> {
		let group = &self.group;
		let ticket = group.tickets.fetch_add(1, Ordering::Relaxed);
		group.queue.lock().map_err(|_| poisoned())?.push((ticket, pending));
		let _leader = group.leader.lock().map_err(|_| poisoned())?;
		if let Some(outcome) = group.outcomes.lock().map_err(|_| poisoned())?.remove(&ticket) {
			return outcome;
		}
		let batch = std::mem::take(&mut *group.queue.lock().map_err(|_| poisoned())?);
		let tickets: Vec<u64> = batch.iter().map(|(t, _)| *t).collect();
		let mut outcomes: Vec<Result<(), Error>> = match self.commit_batch(batch) {
			Ok(outcomes) => outcomes,
			// Rule 2: nothing of the batch is stored.
			Err(e) => tickets.iter().map(|_| Err(Error::Store(e.to_string()))).collect(),
		};
		group.commits.fetch_add(1, Ordering::Relaxed);
		let mut mine = Err(Error::Store("the commit lost this version".into()));
		let mut others = group.outcomes.lock().map_err(|_| poisoned())?;
		for (t, outcome) in tickets.into_iter().zip(outcomes.drain(..)) {
			if t == ticket {
				mine = outcome;
			} else {
				others.insert(t, outcome);
			}
		}
		mine
	}

	fn commit_batch(&self, batch: Vec<(u64, Pending)>) -> Result<Vec<Result<(), Error>>, Error> {
		let txn = self.db.begin_write()?;
		let mut outcomes = Vec::with_capacity(batch.len());
		for (_, pending) in batch {
			outcomes.push(apply(&txn, pending)?);
		}
		txn.commit()?;
		Ok(outcomes)
	}
}

/// Checks and writes one version in `txn`: the inner result is the version's own refusal
/// (nothing written), the outer one a failure of the transaction.
fn apply(txn: &WriteTransaction, pending: Pending) -> Result<Result<(), Error>, Error> {
	let Pending { record_id, meta, sealed, entry } = pending;
	let version = meta.current_version;
	let mut records = txn.open_table(RECORDS)?;
	let current: Option<RecordMeta> =
		records.get(record_id.as_str())?.map(|v| crate::store::decode(v.value())).transpose()?;
	let meta = match current {
		None if version == 1 => meta,
		Some(c) if c.status == RecordStatus::Erased => return Ok(Err(Error::Erased(record_id))),
		Some(c) if version > 1 && c.current_version + 1 == version => {
			RecordMeta { current_version: version, ..c }
		},
		Some(c) => {
			return Ok(Err(Error::WrongVersion {
				record: record_id,
				expected: version - 1,
				current: c.current_version,
			}))
		},
		None => return Ok(Err(Error::UnknownRecord(record_id))),
	};
	records.insert(record_id.as_str(), &meta.encode()[..])?;
	txn.open_table(VERSIONS)?.insert((record_id.as_str(), version), &entry.encode()[..])?;
	txn.open_table(SECRETS)?.insert((record_id.as_str(), version), &sealed[..])?;
	txn.open_table(BY_PATIENT)?
		.insert(crate::store::patient_key(&meta.patient, &record_id).as_str(), ())?;
	if !meta.archived {
		let operation =
			if version == 1 { Operation::Anchor } else { Operation::Supersede { version } };
		outbox::enqueue(txn, &record_id, operation)?;
	}
	Ok(Ok(()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::sync::Arc;

	#[test]
	fn queued_versions_share_one_commit_and_keep_their_own_outcomes() {
		let dir = tempfile::tempdir().unwrap();
		let store = Arc::new(Store::open(dir.path()).unwrap());
		store.put("shared", [1; 32], 1, 0, b"v1").unwrap();
		// Hold the commit lock while six writers queue their versions.
		let leader = store.group.leader.lock().unwrap();
		let writers: Vec<_> = (0..6)
			.map(|i| {
				let store = store.clone();
				std::thread::spawn(move || match i % 2 {
					0 => store.put(&format!("own-{i}"), [1; 32], 1, 0, b"doc").map(|_| "put"),
					_ => store.supersede("shared", 1, b"v2").map(|_| "supersede"),
				})
			})
			.collect();
		while store.group.queue.lock().unwrap().len() < 6 {
			std::thread::sleep(std::time::Duration::from_millis(5));
		}
		let before = store.group.commits.load(Ordering::Relaxed);
		drop(leader);
		let outcomes: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
		assert_eq!(store.group.commits.load(Ordering::Relaxed) - before, 1, "one commit for six");
		assert_eq!(outcomes.iter().filter(|o| matches!(o, Ok("put"))).count(), 3);
		assert_eq!(outcomes.iter().filter(|o| matches!(o, Ok("supersede"))).count(), 1);
		assert_eq!(
			outcomes.iter().filter(|o| matches!(o, Err(Error::WrongVersion { .. }))).count(),
			2,
			"the other two supersedes of version 1 are refused, each with its own error"
		);
		assert_eq!(store.outbox_len().unwrap(), 5, "4 anchorings and 1 supersede queued");
		assert_eq!(std::fs::read_dir(dir.path().join("blobs")).unwrap().count(), 5);
	}
}
