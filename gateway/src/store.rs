//! The gateway's private store: records and their versions in redb, each version's document
//! sealed in a file of its own beside it (`blobs/`), each version's data key and salt sealed
//! under the master key in the store ([`crate::vault`]).
//!
//! Rules:
//! 1. **A write is whole or absent.** The sealed document is written to a temporary file,
//!    synced and renamed into place before the transaction that records the version commits;
//!    a crash in between leaves only an unreferenced file, which [`Store::open`] deletes.
//! 2. **Versions follow the chain's contract.** Version 1 is created by [`Store::put`], later
//!    ones by [`Store::supersede`] with the expected current version (else `WrongVersion`),
//!    as `records::supersede` does; each version has a fresh salt and data key.
//! 3. **Erasure is crypto-shredding** ([`Store::erase`]): the sealed secrets of every version
//!    are deleted in one transaction, the files overwritten and deleted, and the store
//!    compacted so that no freed page keeps a sealed secret. Afterwards no file under the data
//!    directory can recover the document; what remains is the record's metadata (id, patient
//!    pseudonym, category, version hashes), the same as on chain, where the hashes now verify
//!    nothing.
//! 4. **A full disk refuses writes, never breaks the store.** A version is stored only if the
//!    file system keeps [`DEFAULT_RESERVE`] (or [`Store::set_reserve`]) free after it, so redb's
//!    own commits always have room; a write that fails anyway leaves no file behind.

use crate::{
	commit::{GroupCommit, Pending},
	hashing::{content_hash, Salt},
	outbox::{self, Operation},
	vault::{Key, VersionSecrets},
	Error,
};
use codec::{Decode, Encode};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use std::{
	io::Write,
	path::{Path, PathBuf},
};

pub(crate) const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");
pub(crate) const VERSIONS: TableDefinition<(&str, u32), &[u8]> = TableDefinition::new("versions");
pub(crate) const SECRETS: TableDefinition<(&str, u32), &[u8]> = TableDefinition::new("secrets");
/// The records of each patient: `"<pseudonym hex>/<record id>"` → ().
pub(crate) const BY_PATIENT: TableDefinition<&str, ()> = TableDefinition::new("by_patient");

/// The chain's bound on record ids (`MaxRecordIdLen`).
pub const MAX_RECORD_ID_LEN: usize = 64;

/// Where a record stands in the gateway (as on chain, `RecordStatus`).
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub enum RecordStatus {
	/// In use.
	Active,
	/// Entered in error; the documents are kept.
	Retracted,
	/// Crypto-shredded; only metadata remains.
	Erased,
}

/// How far a version's anchoring got.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub enum AnchorState {
	/// Stored, not yet in a block.
	Pending,
	/// In block `number` with hash `hash`, not final yet.
	InBlock {
		/// The block number.
		number: u32,
		/// The block hash.
		hash: [u8; 32],
	},
	/// In finalized block `number` with hash `hash`.
	Finalized {
		/// The block number.
		number: u32,
		/// The block hash.
		hash: [u8; 32],
	},
	/// The chain refused to anchor it, for a reason of its own (`error`: the pallet error's
	/// name and doc line), e.g. a pseudonym not registered at this hospital.
	Refused {
		/// Why.
		error: String,
	},
}

/// A record as the store keeps it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct RecordMeta {
	/// The patient's pseudonym at this hospital (account id bytes).
	pub patient: [u8; 32],
	/// The chain's category code (`pallet_records::Category`, SCALE index).
	pub category: u8,
	/// The chain's format code (`pallet_records::FormatCode`, SCALE index).
	pub format: u8,
	/// The latest version; versions are `1..=current_version`.
	pub current_version: u32,
	/// Active, retracted or erased.
	pub status: RecordStatus,
	/// Imported from an archive (`medchain-gateway import`): anchored in a Merkle root
	/// (`anchor_root`), not as a record of its own on chain, so it takes no new version and
	/// its retraction or erasure is the gateway's alone (docs/gateway.md, "Bulk import").
	pub archived: bool,
}

/// A version as the store keeps it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct VersionMeta {
	/// SHA-256(salt || document): what is anchored.
	pub content_hash: [u8; 32],
	/// The document's size in bytes.
	pub size: u64,
	/// How far its anchoring got.
	pub anchor: AnchorState,
	/// The random name of its sealed file in `blobs/` (reveals nothing of the record).
	pub blob: [u8; 16],
}

/// The store in a data directory.
pub struct Store {
	pub(crate) db: Database,
	blobs: PathBuf,
	pub(crate) master: Key,
	reserve: u64,
	pub(crate) group: GroupCommit,
}

/// The free space a write leaves on the store's file system unless configured otherwise
/// ([`Store::set_reserve`]): enough for redb's own commits and for erasures.
pub const DEFAULT_RESERVE: u64 = 64 * 1024 * 1024;

impl Store {
	/// Opens (or creates) the store in `dir`: `store.redb`, `master.key`, `blobs/`. Deletes
	/// sealed files no version refers to (a write interrupted by a crash, rule 1).
	pub fn open(dir: &Path) -> Result<Self, Error> {
		std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
		let blobs = dir.join("blobs");
		std::fs::create_dir_all(&blobs).map_err(|e| Error::io(&blobs, e))?;
		let master = Key::load_or_create(&dir.join("master.key"))?;
		let db = Database::create(dir.join("store.redb"))?;
		let txn = db.begin_write()?;
		txn.open_table(RECORDS)?;
		txn.open_table(VERSIONS)?;
		txn.open_table(SECRETS)?;
		txn.open_table(BY_PATIENT)?;
		txn.open_table(crate::outbox::OUTBOX)?;
		txn.open_table(crate::outbox::ATTEMPTS)?;
		txn.open_table(crate::import::INCLUSIONS)?;
		txn.open_table(crate::exchange::EXCHANGES)?;
		txn.open_table(crate::exchange::received::RECEIVED)?;
		txn.open_table(crate::services::documents::SERVICE_DOCUMENTS)?;
		txn.commit()?;
		let store =
			Store { db, blobs, master, reserve: DEFAULT_RESERVE, group: GroupCommit::default() };
		store.remove_unreferenced_files()?;
		store.remove_unreferenced_documents()?;
		Ok(store)
	}

	/// The data directory.
	pub fn dir(&self) -> &Path {
		self.blobs.parent().unwrap_or(&self.blobs)
	}

	/// The free space writes leave on the store's file system.
	pub fn reserve(&self) -> u64 {
		self.reserve
	}

	fn blob_file(&self, blob: &[u8; 16]) -> PathBuf {
		let name: String = blob.iter().map(|b| format!("{b:02x}")).collect();
		self.blobs.join(name)
	}

	/// The sealed file of a version.
	pub(crate) fn blob_path(&self, record_id: &str, version: u32) -> Result<PathBuf, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(VERSIONS)?;
		let value = table.get((record_id, version))?;
		let meta: VersionMeta =
			decode(value.ok_or_else(|| Error::UnknownRecord(record_id.into()))?.value())?;
		Ok(self.blob_file(&meta.blob))
	}

	fn remove_unreferenced_files(&self) -> Result<(), Error> {
		let txn = self.db.begin_read()?;
		let versions = txn.open_table(VERSIONS)?;
		let secrets = txn.open_table(SECRETS)?;
		let mut referenced = std::collections::BTreeSet::new();
		for entry in versions.iter()? {
			let (key, value) = entry?;
			let (id, version) = key.value();
			if secrets.get((id, version))?.is_some() {
				let meta: VersionMeta = decode(value.value())?;
				referenced.insert(self.blob_file(&meta.blob));
			}
		}
		let entries = std::fs::read_dir(&self.blobs).map_err(|e| Error::io(&self.blobs, e))?;
		for entry in entries {
			let path = entry.map_err(|e| Error::io(&self.blobs, e))?.path();
			if !referenced.contains(&path) {
				shred_file(&path)?;
			}
		}
		Ok(())
	}

	/// Stores version 1 of a record imported from an archive (anchored later in a Merkle root
	/// by [`crate::import`], not through the outbox); returns its content hash.
	pub fn put_archived(
		&self,
		record_id: &str,
		patient: [u8; 32],
		category: u8,
		format: u8,
		document: &[u8],
	) -> Result<[u8; 32], Error> {
		let meta = self.new_record(record_id, patient, category, format, true)?;
		Ok(self.write_version(record_id, meta, document)?.0)
	}

	/// Stores version 1 of a new record; returns its content hash and salt.
	pub fn put(
		&self,
		record_id: &str,
		patient: [u8; 32],
		category: u8,
		format: u8,
		document: &[u8],
	) -> Result<([u8; 32], Salt), Error> {
		let meta = self.new_record(record_id, patient, category, format, false)?;
		self.write_version(record_id, meta, document)
	}

	fn new_record(
		&self,
		record_id: &str,
		patient: [u8; 32],
		category: u8,
		format: u8,
		archived: bool,
	) -> Result<RecordMeta, Error> {
		check_record_id(record_id)?;
		if self.record(record_id)?.is_some() {
			return Err(Error::WrongVersion { record: record_id.into(), expected: 0, current: 1 });
		}
		let status = RecordStatus::Active;
		Ok(RecordMeta { patient, category, format, current_version: 1, status, archived })
	}

	/// Stores a new version of `record_id`, whose current version must be `expected`.
	pub fn supersede(
		&self,
		record_id: &str,
		expected: u32,
		document: &[u8],
	) -> Result<([u8; 32], Salt), Error> {
		let mut meta = self.active_record(record_id)?;
		if meta.archived {
			return Err(Error::Archived(record_id.into()));
		}
		if meta.current_version != expected {
			return Err(Error::WrongVersion {
				record: record_id.into(),
				expected,
				current: meta.current_version,
			});
		}
		meta.current_version += 1;
		self.write_version(record_id, meta, document)
	}

	/// Rule 4: writes leave at least `bytes` free on the store's file system.
	pub fn set_reserve(&mut self, bytes: u64) {
		self.reserve = bytes;
	}

	fn write_version(
		&self,
		record_id: &str,
		meta: RecordMeta,
		document: &[u8],
	) -> Result<([u8; 32], Salt), Error> {
		if document.is_empty() {
			return Err(Error::EmptyDocument);
		}
		// Rule 4: refused while the disk can still take redb's commits, so that the store
		// never meets a full disk inside a transaction.
		let free = fs2::available_space(&self.blobs).map_err(|e| Error::io(&self.blobs, e))?;
		let needed = document.len() as u64 + self.reserve;
		if free < needed {
			return Err(Error::DiskFull { free, needed });
		}
		let version = meta.current_version;
		let secrets = VersionSecrets::generate();
		let hash = content_hash(secrets.salt(), document);
		// Rule 1: the sealed file first, in place before the transaction commits. Its name is
		// random, so concurrent writers never share a file.
		let blob = crate::vault::random_bytes::<16>();
		let path = self.blob_file(&blob);
		let partial = path.with_extension("partial");
		let _ = std::fs::remove_file(&partial);
		let mut file = crate::vault::private_file(&partial)?;
		let written = file
			.write_all(&secrets.seal_document(record_id, version, document))
			.and_then(|_| file.sync_all());
		if let Err(e) = written {
			let _ = std::fs::remove_file(&partial);
			return Err(Error::io(&partial, e));
		}
		std::fs::rename(&partial, &path).map_err(|e| Error::io(&path, e))?;
		let size = document.len() as u64;
		let sealed = secrets.seal(&self.master, record_id, meta.current_version);
		let entry = VersionMeta { content_hash: hash, size, anchor: AnchorState::Pending, blob };
		self.commit_version(Pending { record_id: record_id.into(), meta, sealed, entry })
			.inspect_err(|_| {
				// Not recorded: the file is nobody's (rule 1).
				let _ = std::fs::remove_file(&path);
			})?;
		Ok((hash, *secrets.salt()))
	}

	/// The record, if the store has it.
	pub fn record(&self, record_id: &str) -> Result<Option<RecordMeta>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(RECORDS)?;
		let value = table.get(record_id)?;
		value.map(|v| decode(v.value())).transpose()
	}

	fn active_record(&self, record_id: &str) -> Result<RecordMeta, Error> {
		let meta = self.record(record_id)?.ok_or_else(|| Error::UnknownRecord(record_id.into()))?;
		match meta.status {
			RecordStatus::Erased => Err(Error::Erased(record_id.into())),
			_ => Ok(meta),
		}
	}

	/// The ids of a patient's records, in id order.
	pub fn records_of(&self, patient: &[u8; 32]) -> Result<Vec<String>, Error> {
		let prefix = patient_key(patient, "");
		// '0' follows '/': the range holds exactly the keys that start with the prefix.
		let end = format!("{}0", &prefix[..prefix.len() - 1]);
		let txn = self.db.begin_read()?;
		let table = txn.open_table(BY_PATIENT)?;
		let mut out = Vec::new();
		for entry in table.range(prefix.as_str()..end.as_str())? {
			let (key, _) = entry?;
			out.push(key.value()[prefix.len()..].to_string());
		}
		Ok(out)
	}

	/// The versions of a record, oldest first.
	pub fn versions(&self, record_id: &str) -> Result<Vec<(u32, VersionMeta)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(VERSIONS)?;
		let mut out = Vec::new();
		for entry in table.range((record_id, 0)..=(record_id, u32::MAX))? {
			let (key, value) = entry?;
			out.push((key.value().1, decode(value.value())?));
		}
		Ok(out)
	}

	/// A version's salt and size, without reading its document.
	pub fn salt(&self, record_id: &str, version: u32) -> Result<(Salt, u64), Error> {
		self.active_record(record_id)?;
		let size = self
			.versions(record_id)?
			.into_iter()
			.find(|(n, _)| *n == version)
			.map(|(_, v)| v.size)
			.ok_or_else(|| Error::UnknownRecord(format!("{record_id} version {version}")))?;
		Ok((*self.secrets(record_id, version)?.salt(), size))
	}

	fn secrets(&self, record_id: &str, version: u32) -> Result<VersionSecrets, Error> {
		let sealed = {
			let txn = self.db.begin_read()?;
			let table = txn.open_table(SECRETS)?;
			let value = table.get((record_id, version))?;
			value
				.map(|v| v.value().to_vec())
				.ok_or_else(|| Error::UnknownRecord(record_id.into()))?
		};
		VersionSecrets::open(&self.master, record_id, version, &sealed)
	}

	/// A version's document and salt (what an authorised recipient gets).
	pub fn document(&self, record_id: &str, version: u32) -> Result<(Vec<u8>, Salt), Error> {
		self.active_record(record_id)?;
		let sealed_secrets = {
			let txn = self.db.begin_read()?;
			let table = txn.open_table(SECRETS)?;
			let value = table.get((record_id, version))?;
			value
				.map(|v| v.value().to_vec())
				.ok_or_else(|| Error::UnknownRecord(record_id.into()))?
		};
		let secrets = VersionSecrets::open(&self.master, record_id, version, &sealed_secrets)?;
		let path = self.blob_path(record_id, version)?;
		let sealed = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
		Ok((secrets.open_document(record_id, version, &sealed)?, *secrets.salt()))
	}

	/// Marks a record entered in error (its documents are kept).
	pub fn retract(&self, record_id: &str) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			// Read and written in one transaction: a concurrent new version is not undone.
			let mut records = txn.open_table(RECORDS)?;
			let current: Option<RecordMeta> =
				records.get(record_id)?.map(|v| decode(v.value())).transpose()?;
			let mut meta = current.ok_or_else(|| Error::UnknownRecord(record_id.into()))?;
			match meta.status {
				RecordStatus::Erased => return Err(Error::Erased(record_id.into())),
				RecordStatus::Retracted => return Ok(()),
				RecordStatus::Active => {},
			}
			meta.status = RecordStatus::Retracted;
			records.insert(record_id, &meta.encode()[..])?;
			if !meta.archived {
				let operation = Operation::Retract { version: meta.current_version };
				outbox::enqueue(&txn, record_id, operation)?;
			}
		}
		txn.commit()?;
		Ok(())
	}

	/// Rule 3: crypto-shreds a record. Returns the content hashes that remain (on chain and
	/// here), which verify nothing any more.
	pub fn erase(&mut self, record_id: &str) -> Result<Vec<[u8; 32]>, Error> {
		let mut meta = self.active_record(record_id)?;
		let versions = self.versions(record_id)?;
		meta.status = RecordStatus::Erased;
		let txn = self.db.begin_write()?;
		{
			let mut secrets = txn.open_table(SECRETS)?;
			for (version, _) in &versions {
				secrets.remove((record_id, *version))?;
			}
			txn.open_table(RECORDS)?.insert(record_id, &meta.encode()[..])?;
			if !meta.archived {
				outbox::enqueue(&txn, record_id, Operation::Erase)?;
			}
		}
		txn.commit()?;
		for (_, version) in &versions {
			shred_file(&self.blob_file(&version.blob))?;
		}
		// Freed pages may still hold the sealed secrets until they are reused: compact.
		while self.db.compact()? {}
		Ok(versions.into_iter().map(|(_, v)| v.content_hash).collect())
	}
}

pub(crate) fn patient_key(patient: &[u8; 32], record_id: &str) -> String {
	let hex: String = patient.iter().map(|b| format!("{b:02x}")).collect();
	format!("{hex}/{record_id}")
}

fn check_record_id(record_id: &str) -> Result<(), Error> {
	if record_id.is_empty() || record_id.len() > MAX_RECORD_ID_LEN {
		return Err(Error::BadRecordId(record_id.len()));
	}
	Ok(())
}

pub(crate) fn decode<T: Decode>(mut bytes: &[u8]) -> Result<T, Error> {
	T::decode(&mut bytes).map_err(|e| Error::Store(format!("undecodable entry: {e}")))
}

/// Overwrites a file with zeros, syncs and deletes it (best effort against recovery from the
/// file system; the contents were sealed anyway, and their key is gone).
pub(crate) fn shred_file(path: &Path) -> Result<(), Error> {
	let len = match std::fs::metadata(path) {
		Ok(m) => m.len(),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
		Err(e) => return Err(Error::io(path, e)),
	};
	let mut file =
		std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))?;
	file.write_all(&vec![0u8; len as usize])
		.and_then(|_| file.sync_all())
		.map_err(|e| Error::io(path, e))?;
	std::fs::remove_file(path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
	use super::*;

	const DOC: &[u8] = br#"{"resourceType":"Observation","status":"final","code":{"text":"K"},"valueQuantity":{"value":4.1,"unit":"mmol/L"}}"#;

	fn all_bytes_under(dir: &Path) -> Vec<u8> {
		let mut out = Vec::new();
		for entry in std::fs::read_dir(dir).unwrap() {
			let path = entry.unwrap().path();
			if path.is_dir() {
				out.extend(all_bytes_under(&path));
			} else {
				out.extend(std::fs::read(&path).unwrap());
			}
		}
		out
	}

	#[test]
	fn versions_are_stored_sealed_and_read_back() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path()).unwrap();
		let (hash, salt) = store.put("lab-1", [1; 32], 1, 0, DOC).unwrap();
		assert_eq!(hash, content_hash(&salt, DOC));
		assert_eq!(store.document("lab-1", 1).unwrap(), (DOC.to_vec(), salt));
		// Nothing readable at rest.
		let disk = all_bytes_under(dir.path());
		assert!(!disk.windows(11).any(|w| w == b"Observation"));
		// Versions: the expected one only, a fresh salt each.
		assert!(matches!(
			store.supersede("lab-1", 2, b"v2"),
			Err(Error::WrongVersion { expected: 2, current: 1, .. })
		));
		let (hash2, salt2) = store.supersede("lab-1", 1, b"v2").unwrap();
		assert_ne!(salt2, salt);
		let versions = store.versions("lab-1").unwrap();
		assert_eq!(
			versions.iter().map(|(v, m)| (*v, m.content_hash)).collect::<Vec<_>>(),
			vec![(1, hash), (2, hash2)]
		);
		assert_eq!(store.document("lab-1", 1).unwrap().0, DOC, "old versions stay readable");
		assert!(versions.iter().all(|(_, m)| m.anchor == AnchorState::Pending));
		// Bad input.
		assert!(matches!(store.put("lab-1", [1; 32], 1, 0, DOC), Err(Error::WrongVersion { .. })));
		assert!(matches!(store.put("", [1; 32], 1, 0, DOC), Err(Error::BadRecordId(0))));
		assert!(matches!(
			store.put(&"x".repeat(65), [1; 32], 1, 0, DOC),
			Err(Error::BadRecordId(65))
		));
		assert!(matches!(store.put("e", [1; 32], 1, 0, b""), Err(Error::EmptyDocument)));
		assert!(matches!(store.document("nope", 1), Err(Error::UnknownRecord(_))));
		assert!(matches!(store.supersede("nope", 1, DOC), Err(Error::UnknownRecord(_))));
		// The patient's list.
		store.put("img-1", [1; 32], 2, 5, b"dicom").unwrap();
		store.put("lab-9", [2; 32], 1, 0, b"other patient").unwrap();
		assert_eq!(store.records_of(&[1; 32]).unwrap(), vec!["img-1", "lab-1"]);
		assert_eq!(store.records_of(&[2; 32]).unwrap(), vec!["lab-9"]);
		assert!(store.records_of(&[3; 32]).unwrap().is_empty());
	}

	#[test]
	fn concurrent_writers_share_the_store_and_only_one_wins_a_version() {
		let dir = tempfile::tempdir().unwrap();
		let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
		store.put("shared", [1; 32], 1, 0, b"v1").unwrap();
		let handles: Vec<_> = (0..8)
			.map(|i| {
				let store = store.clone();
				std::thread::spawn(move || {
					let own = store.put(&format!("own-{i}"), [1; 32], 1, 0, b"doc").is_ok();
					let won = store.supersede("shared", 1, format!("v2 by {i}").as_bytes());
					(own, won)
				})
			})
			.collect();
		let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
		assert!(results.iter().all(|(own, _)| *own), "every writer stores its own record");
		let winners = results.iter().filter(|(_, won)| won.is_ok()).count();
		assert_eq!(winners, 1, "one writer gets version 2");
		assert!(results.iter().all(|(_, won)| {
			won.is_ok() || matches!(won, Err(Error::WrongVersion { current: 2, .. }))
		}));
		// The losers' files are gone: one file per stored version (8 own + 2 shared).
		assert_eq!(std::fs::read_dir(dir.path().join("blobs")).unwrap().count(), 10);
		let (document, _) = store.document("shared", 2).unwrap();
		assert!(document.starts_with(b"v2 by "));
		assert_eq!(store.outbox_len().unwrap(), 10, "9 anchorings and 1 supersede queued");
	}

	#[test]
	fn the_store_survives_a_restart_and_cleans_an_interrupted_write() {
		let dir = tempfile::tempdir().unwrap();
		{
			let store = Store::open(dir.path()).unwrap();
			store.put("lab-1", [1; 32], 1, 0, DOC).unwrap();
		}
		// A crash after the sealed file was written, before its version was recorded.
		let orphan = dir.path().join("blobs").join("0".repeat(64));
		std::fs::write(&orphan, b"sealed bytes of a version never recorded").unwrap();
		let store = Store::open(dir.path()).unwrap();
		assert!(!orphan.exists(), "an unreferenced file is removed");
		assert_eq!(store.document("lab-1", 1).unwrap().0, DOC);
		// Another master key opens nothing.
		drop(store);
		std::fs::remove_file(dir.path().join("master.key")).unwrap();
		let other = Store::open(dir.path()).unwrap();
		assert!(matches!(other.document("lab-1", 1), Err(Error::Tampered("secrets"))));
	}

	#[test]
	fn erasure_leaves_nothing_that_recovers_the_document() {
		let dir = tempfile::tempdir().unwrap();
		let mut store = Store::open(dir.path()).unwrap();
		let (h1, salt1) = store.put("lab-1", [1; 32], 1, 0, DOC).unwrap();
		let (h2, salt2) = store.supersede("lab-1", 1, b"second version").unwrap();
		let sealed_before = std::fs::read(store.blob_path("lab-1", 1).unwrap()).unwrap();
		let sealed_secrets: Vec<Vec<u8>> = [1u32, 2]
			.iter()
			.map(|v| {
				let txn = store.db.begin_read().unwrap();
				let table = txn.open_table(SECRETS).unwrap();
				let value = table.get(("lab-1", *v)).unwrap().unwrap();
				value.value().to_vec()
			})
			.collect();
		store.put("lab-2", [2; 32], 1, 0, b"another patient's record").unwrap();
		store.retract("lab-1").unwrap();
		let disk = all_bytes_under(dir.path());
		for sealed in sealed_secrets.iter().chain([&sealed_before]) {
			assert!(disk.windows(sealed.len()).any(|w| w == &sealed[..]), "found before erasure");
		}

		assert_eq!(store.erase("lab-1").unwrap(), vec![h1, h2], "what remains: the hashes");
		assert_eq!(store.record("lab-1").unwrap().unwrap().status, RecordStatus::Erased);
		assert!(matches!(store.document("lab-1", 1), Err(Error::Erased(_))));
		assert!(matches!(store.supersede("lab-1", 2, DOC), Err(Error::Erased(_))));
		assert!(matches!(store.erase("lab-1"), Err(Error::Erased(_))));
		assert!(!store.blob_path("lab-1", 1).unwrap().exists());
		assert!(!store.blob_path("lab-1", 2).unwrap().exists());
		assert!(store.blob_path("lab-2", 1).unwrap().exists());
		// No file under the data directory holds the sealed document or the sealed data keys
		// and salts (which the master key, still there, would open); the other record is
		// intact.
		let disk = all_bytes_under(dir.path());
		for sealed in sealed_secrets.iter().chain([&sealed_before]) {
			assert!(
				!disk.windows(sealed.len()).any(|w| w == &sealed[..]),
				"a sealed secret remains"
			);
		}
		let _ = (salt1, salt2);
		assert!(!disk.windows(11).any(|w| w == b"Observation"));
		assert_eq!(store.document("lab-2", 1).unwrap().0, b"another patient's record");
		drop(store);
		let store = Store::open(dir.path()).unwrap();
		assert_eq!(store.versions("lab-1").unwrap().len(), 2, "the metadata stays");
	}
}
