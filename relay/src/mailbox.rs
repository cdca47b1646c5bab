//! The mailbox: which packages the relay holds (`relay.redb`) and their ciphertext as files —
//! `uploads/<request>.part` while an upload is in progress, `packages/<request>.mcpk` once it
//! is complete. Nothing else is written: the relay never sees plaintext.
//!
//! Rules:
//! 1. An upload's offset is written only after the bytes up to it are synced to disk; a relay
//!    that restarts truncates each partial file to its recorded offset, so a resumed upload
//!    continues from bytes that are really there.
//! 2. A package moves to `packages/` only when all its declared bytes arrived; only complete
//!    packages are ever handed out.
//! 3. At most `max_packages` entries; a new upload beyond it is refused (507).
//! 4. Deleting a package removes its file and entry and writes its audit entry in the same
//!    transaction.

use crate::{
	audit::{self, AuditLog},
	Error,
};
use codec::{Decode, Encode};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use std::path::{Path, PathBuf};

const PACKAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("packages");

/// A package the relay holds or is receiving.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// The request's custodian (who uploads).
	pub custodian: u32,
	/// The request's requester (who downloads).
	pub requester: u32,
	/// The declared total size.
	pub total: u64,
	/// Bytes received and synced.
	pub offset: u64,
	/// The SHA-256 of the whole package, once complete.
	pub sha256: Option<[u8; 32]>,
	/// The request's delivery deadline (block).
	pub deadline: u32,
	/// When the upload started (unix ms).
	pub created_ms: u64,
}

impl Entry {
	/// Whether every declared byte arrived.
	pub fn is_complete(&self) -> bool {
		self.sha256.is_some()
	}
}

/// Counts for `/health` and the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Census {
	/// Complete packages.
	pub packages: u64,
	/// Uploads in progress.
	pub uploading: u64,
	/// Bytes held (complete and partial).
	pub bytes: u64,
}

/// The relay's store.
pub struct Mailbox {
	db: Database,
	dir: PathBuf,
	max_packages: u64,
}

fn decode(bytes: &[u8]) -> Result<Entry, Error> {
	Entry::decode(&mut &bytes[..]).map_err(|e| Error::Store(format!("mailbox entry: {e}")))
}

fn sync_dir(dir: &Path) -> Result<(), Error> {
	std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
}

impl Mailbox {
	/// Opens (or creates) the mailbox in `dir` and repairs what a crash left (rule 1): partial
	/// files truncated to their offsets, files without an entry removed.
	pub fn open(dir: &Path, max_packages: u64) -> Result<Self, Error> {
		for sub in ["uploads", "packages"] {
			std::fs::create_dir_all(dir.join(sub)).map_err(|e| Error::io(dir, e))?;
		}
		let db = Database::create(dir.join("relay.redb"))?;
		let txn = db.begin_write()?;
		txn.open_table(PACKAGES)?;
		txn.open_table(audit::AUDIT)?;
		txn.open_table(audit::META)?;
		txn.commit()?;
		let mailbox = Mailbox { db, dir: dir.to_path_buf(), max_packages };
		mailbox.repair()?;
		Ok(mailbox)
	}

	fn repair(&self) -> Result<(), Error> {
		let entries = self.list()?;
		for (id, entry) in &entries {
			if !entry.is_complete() {
				let path = self.part_path(*id);
				let file = std::fs::OpenOptions::new()
					.create(true)
					.truncate(false)
					.write(true)
					.open(&path)
					.map_err(|e| Error::io(&path, e))?;
				file.set_len(entry.offset)
					.and_then(|_| file.sync_all())
					.map_err(|e| Error::io(&path, e))?;
			}
		}
		for sub in ["uploads", "packages"] {
			let dir = self.dir.join(sub);
			for file in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
				let path = file.map_err(|e| Error::io(&dir, e))?.path();
				let known = path
					.file_stem()
					.and_then(|s| s.to_str())
					.and_then(|s| s.parse::<u64>().ok())
					.and_then(|id| entries.iter().find(|(i, _)| *i == id))
					.is_some_and(|(id, e)| path == self.file_of(*id, e));
				if !known {
					std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
				}
			}
		}
		Ok(())
	}

	/// The data directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// The file of a partial upload.
	pub fn part_path(&self, id: u64) -> PathBuf {
		self.dir.join("uploads").join(format!("{id}.part"))
	}

	/// The file of a complete package.
	pub fn package_path(&self, id: u64) -> PathBuf {
		self.dir.join("packages").join(format!("{id}.mcpk"))
	}

	/// The file holding `entry`'s bytes.
	pub fn file_of(&self, id: u64, entry: &Entry) -> PathBuf {
		if entry.is_complete() {
			self.package_path(id)
		} else {
			self.part_path(id)
		}
	}

	/// The audit log.
	pub fn audit(&self) -> AuditLog<'_> {
		AuditLog { db: &self.db }
	}

	/// The entry of request `id`.
	pub fn entry(&self, id: u64) -> Result<Option<Entry>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(PACKAGES)?;
		table.get(id)?.map(|v| decode(v.value())).transpose()
	}

	/// Every entry, by request id.
	pub fn list(&self) -> Result<Vec<(u64, Entry)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(PACKAGES)?;
		let mut out = Vec::new();
		for item in table.iter()? {
			let (id, value) = item?;
			out.push((id.value(), decode(value.value())?));
		}
		Ok(out)
	}

	/// What the relay holds.
	pub fn census(&self) -> Result<Census, Error> {
		let mut census = Census::default();
		for (_, entry) in self.list()? {
			if entry.is_complete() {
				census.packages += 1;
			} else {
				census.uploading += 1;
			}
			census.bytes += entry.offset;
		}
		Ok(census)
	}

	/// Starts the upload of request `id` with an empty partial file (rule 3).
	pub fn begin(&self, id: u64, entry: &Entry) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut table = txn.open_table(PACKAGES)?;
			if table.get(id)?.is_some() {
				return Err(Error::Conflict { reason: "upload exists".into(), offset: None });
			}
			if table.len()? >= self.max_packages {
				return Err(Error::DiskFull(format!(
					"the relay holds {} packages, its limit",
					self.max_packages
				)));
			}
			let path = self.part_path(id);
			std::fs::File::create(&path)
				.and_then(|f| f.sync_all())
				.map_err(|e| Error::io(&path, e))?;
			table.insert(id, entry.encode().as_slice())?;
		}
		txn.commit()?;
		Ok(())
	}

	/// Records that request `id`'s bytes up to `offset` are synced (rule 1); with `sha256` the
	/// upload is complete: the file moves to `packages/` (rule 2) and `completion` is audited.
	pub fn advance(
		&self,
		id: u64,
		offset: u64,
		sha256: Option<[u8; 32]>,
		completion: Option<audit::Event>,
	) -> Result<Entry, Error> {
		let txn = self.db.begin_write()?;
		let entry = {
			let mut table = txn.open_table(PACKAGES)?;
			let mut entry = match table.get(id)? {
				Some(v) => decode(v.value())?,
				None => return Err(Error::NotFound(id)),
			};
			entry.offset = offset;
			if let Some(hash) = sha256 {
				let (from, to) = (self.part_path(id), self.package_path(id));
				std::fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
				sync_dir(&self.dir.join("packages"))?;
				entry.sha256 = Some(hash);
			}
			table.insert(id, entry.encode().as_slice())?;
			entry
		};
		if let Some(event) = completion {
			audit::append(&txn, event)?;
		}
		txn.commit()?;
		Ok(entry)
	}

	/// Audits `event` on its own (a download).
	pub fn record(&self, event: audit::Event) -> Result<audit::Head, Error> {
		let txn = self.db.begin_write()?;
		let head = audit::append(&txn, event)?;
		txn.commit()?;
		Ok(head)
	}

	/// Deletes request `id`'s package and entry, auditing `event` (rule 4).
	pub fn delete(&self, id: u64, event: audit::Event) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut table = txn.open_table(PACKAGES)?;
			let Some(entry) = table.remove(id)?.map(|v| decode(v.value())).transpose()? else {
				return Ok(());
			};
			let path = self.file_of(id, &entry);
			match std::fs::remove_file(&path) {
				Ok(()) => {},
				Err(e) if e.kind() == std::io::ErrorKind::NotFound => {},
				Err(e) => return Err(Error::io(&path, e)),
			}
		}
		audit::append(&txn, event)?;
		txn.commit()?;
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::audit::{Action, DeleteCause, Event};

	fn entry() -> Entry {
		Entry {
			custodian: 1,
			requester: 2,
			total: 10,
			offset: 0,
			sha256: None,
			deadline: 50,
			created_ms: 0,
		}
	}

	fn event(action: Action) -> Event {
		Event { at_ms: 1, action, request: 7, device: None, institution: None, bytes: 10 }
	}

	#[test]
	fn restart_truncates_partial_files_to_their_offsets_and_drops_strays() {
		let dir = tempfile::tempdir().unwrap();
		let mailbox = Mailbox::open(dir.path(), 10).unwrap();
		mailbox.begin(7, &entry()).unwrap();
		std::fs::write(mailbox.part_path(7), b"0123456789").unwrap();
		mailbox.advance(7, 4, None, None).unwrap();
		std::fs::write(dir.path().join("packages/99.mcpk"), b"stray").unwrap();
		drop(mailbox);
		let mailbox = Mailbox::open(dir.path(), 10).unwrap();
		assert_eq!(std::fs::read(mailbox.part_path(7)).unwrap(), b"0123");
		assert!(!dir.path().join("packages/99.mcpk").exists());
		assert_eq!(mailbox.census().unwrap(), Census { packages: 0, uploading: 1, bytes: 4 });
		assert!(matches!(mailbox.begin(7, &entry()), Err(Error::Conflict { .. })));
	}

	#[test]
	fn complete_packages_move_and_deletions_are_audited() {
		let dir = tempfile::tempdir().unwrap();
		let mailbox = Mailbox::open(dir.path(), 1).unwrap();
		mailbox.begin(7, &entry()).unwrap();
		// Rule 3: one package at most here.
		assert!(matches!(mailbox.begin(8, &entry()), Err(Error::DiskFull(_))));
		std::fs::write(mailbox.part_path(7), b"0123456789").unwrap();
		let done = mailbox.advance(7, 10, Some([9; 32]), Some(event(Action::Upload))).unwrap();
		assert!(done.is_complete());
		assert!(!mailbox.part_path(7).exists());
		assert_eq!(std::fs::read(mailbox.package_path(7)).unwrap(), b"0123456789");
		mailbox.delete(7, event(Action::Delete(DeleteCause::Closed))).unwrap();
		assert!(!mailbox.package_path(7).exists());
		assert_eq!(mailbox.entry(7).unwrap(), None);
		let audit = mailbox.audit();
		assert_eq!(audit.verify().unwrap(), 2);
		let entries = audit.entries(0, 10).unwrap();
		assert_eq!(entries[1].event.action, Action::Delete(DeleteCause::Closed));
		assert_eq!(entries[1].previous, entries[0].hash);
		// Deleting what is gone changes nothing.
		mailbox.delete(7, event(Action::Delete(DeleteCause::Closed))).unwrap();
		assert_eq!(audit.verify().unwrap(), 2);
	}

	#[test]
	fn a_changed_audit_entry_breaks_the_chain() {
		let dir = tempfile::tempdir().unwrap();
		let mailbox = Mailbox::open(dir.path(), 10).unwrap();
		for _ in 0..3 {
			mailbox.record(event(Action::Download)).unwrap();
		}
		assert_eq!(mailbox.audit().verify().unwrap(), 3);
		let mut entries = mailbox.audit().entries(0, 10).unwrap();
		entries[1].event.bytes = 11;
		let txn = mailbox.db.begin_write().unwrap();
		txn.open_table(audit::AUDIT).unwrap().insert(1, entries[1].encode().as_slice()).unwrap();
		txn.commit().unwrap();
		let err = mailbox.audit().verify().unwrap_err();
		assert!(err.to_string().contains("entry 1"), "{err}");
	}
}
