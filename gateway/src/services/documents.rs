//! The documents of the smart-hospital services (a claim's FHIR `Claim`, a prescription's
//! `MedicationRequest`, a certificate's document), kept in the private store as records are:
//! each sealed under a data key of its own in a file of `documents/`, its data key and salt
//! sealed under the master key in the table `service_documents`, keyed by its content hash
//! `SHA-256(salt || document)` (the hash the chain holds).
//!
//! Rules:
//! 1. **Whole or absent**, as a record version (store rule 1): the sealed file is written,
//!    synced and renamed into place before the transaction that records it commits; a file no
//!    entry refers to is deleted when the store opens.
//! 2. **A full disk refuses the write** (store rule 4): the file system keeps the store's
//!    reserve free after it.
//! 3. **Nothing goes to the outbox**: these documents are not records; the service's own call
//!    puts their hash on chain (the gateway's for a claim, the practitioner's for a
//!    prescription or certificate).
//! 4. **A claim the chain refused is forgotten** ([`Store::forget_document`]): its entry and
//!    sealed secrets are deleted and its file overwritten and deleted; nothing of it remains
//!    readable (freed pages of the store hold only sealed bytes whose key went with them).

use crate::{
	hashing::{content_hash, Salt},
	store::Store,
	vault::VersionSecrets,
	Error,
};
use codec::{Decode, Encode};
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::{io::Write, path::PathBuf};

/// Service documents by content hash (32 bytes).
pub(crate) const SERVICE_DOCUMENTS: TableDefinition<&[u8], &[u8]> =
	TableDefinition::new("service_documents");

/// Which service a document belongs to.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
	/// An insurance claim (FHIR `Claim`), submitted by the gateway's device.
	Claim,
	/// An e-prescription (FHIR `MedicationRequest`), issued by the physician.
	Prescription,
	/// A medical certificate (FHIR `DocumentReference`, `Immunization`), issued by the
	/// practitioner.
	Certificate,
}

impl Service {
	/// Its name in the API's paths and answers.
	pub fn name(self) -> &'static str {
		match self {
			Service::Claim => "claim",
			Service::Prescription => "prescription",
			Service::Certificate => "certificate",
		}
	}
}

/// A service document as the store keeps it.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct ServiceDocument {
	/// Its service.
	pub service: Service,
	/// The patient's pseudonym at this hospital.
	pub patient: [u8; 32],
	/// Its size in bytes.
	pub size: u64,
	/// When it was stored (ms since the Unix epoch).
	pub stored_at_ms: u64,
	/// The random name of its sealed file in `documents/`.
	pub blob: [u8; 16],
	/// Its data key and salt, sealed under the master key.
	pub secrets: Vec<u8>,
}

fn file_name(blob: &[u8; 16]) -> String {
	blob.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a seal is bound to: the service and the hash, so that a sealed file or secret moved
/// to another entry does not open.
fn binding(service: Service, hash: &[u8; 32]) -> String {
	format!("service/{}/{}", service.name(), medchain_client::to_hex(hash))
}

fn decode(bytes: &[u8]) -> Result<ServiceDocument, Error> {
	ServiceDocument::decode(&mut &bytes[..])
		.map_err(|e| Error::Store(format!("service document entry: {e}")))
}

fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default()
}

impl Store {
	fn documents_dir(&self) -> PathBuf {
		self.dir().join("documents")
	}

	/// Stores `document` of `service` for `patient` with a fresh salt (rules 1, 2); returns
	/// its content hash and salt.
	pub fn put_document(
		&self,
		service: Service,
		patient: [u8; 32],
		document: &[u8],
	) -> Result<([u8; 32], Salt), Error> {
		if document.is_empty() {
			return Err(Error::EmptyDocument);
		}
		let dir = self.documents_dir();
		std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
		let free = fs2::available_space(&dir).map_err(|e| Error::io(&dir, e))?;
		let needed = document.len() as u64 + self.reserve();
		if free < needed {
			return Err(Error::DiskFull { free, needed });
		}
		let secrets = VersionSecrets::generate();
		let hash = content_hash(secrets.salt(), document);
		let bound = binding(service, &hash);
		let blob = crate::vault::random_bytes::<16>();
		let path = dir.join(file_name(&blob));
		let partial = path.with_extension("partial");
		let mut file = crate::vault::private_file(&partial)?;
		let written = file
			.write_all(&secrets.seal_document(&bound, 1, document))
			.and_then(|_| file.sync_all());
		if let Err(e) = written {
			let _ = std::fs::remove_file(&partial);
			return Err(Error::io(&partial, e));
		}
		std::fs::rename(&partial, &path).map_err(|e| Error::io(&path, e))?;
		let entry = ServiceDocument {
			service,
			patient,
			size: document.len() as u64,
			stored_at_ms: now_ms(),
			blob,
			secrets: secrets.seal(&self.master, &bound, 1),
		};
		let committed = (|| -> Result<(), Error> {
			let txn = self.db.begin_write()?;
			txn.open_table(SERVICE_DOCUMENTS)?.insert(&hash[..], entry.encode().as_slice())?;
			txn.commit()?;
			Ok(())
		})();
		if let Err(e) = committed {
			let _ = std::fs::remove_file(&path);
			return Err(e);
		}
		Ok((hash, *secrets.salt()))
	}

	/// The entry of the service document with content hash `hash`, if the store holds it.
	pub fn service_document(&self, hash: &[u8; 32]) -> Result<Option<ServiceDocument>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(SERVICE_DOCUMENTS)?;
		let value = table.get(&hash[..])?;
		value.map(|v| decode(v.value())).transpose()
	}

	/// The content hashes of every service document held, with their service.
	pub fn service_documents(&self) -> Result<Vec<([u8; 32], Service)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(SERVICE_DOCUMENTS)?;
		let mut out = Vec::new();
		for item in table.iter()? {
			let (key, value) = item?;
			let hash: [u8; 32] = key
				.value()
				.try_into()
				.map_err(|_| Error::Store("a service document key is not 32 bytes".into()))?;
			out.push((hash, decode(value.value())?.service));
		}
		Ok(out)
	}

	/// The service document with content hash `hash`: its entry, bytes and salt.
	pub fn open_document(
		&self,
		hash: &[u8; 32],
	) -> Result<Option<(ServiceDocument, Vec<u8>, Salt)>, Error> {
		let Some(entry) = self.service_document(hash)? else { return Ok(None) };
		let bound = binding(entry.service, hash);
		let secrets = VersionSecrets::open(&self.master, &bound, 1, &entry.secrets)?;
		let path = self.documents_dir().join(file_name(&entry.blob));
		let sealed = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
		let document = secrets.open_document(&bound, 1, &sealed)?;
		Ok(Some((entry, document, *secrets.salt())))
	}

	/// Rule 4: deletes the service document `hash` (entry, sealed secrets, file).
	pub fn forget_document(&self, hash: &[u8; 32]) -> Result<(), Error> {
		let Some(entry) = self.service_document(hash)? else { return Ok(()) };
		let txn = self.db.begin_write()?;
		txn.open_table(SERVICE_DOCUMENTS)?.remove(&hash[..])?;
		txn.commit()?;
		crate::store::shred_file(&self.documents_dir().join(file_name(&entry.blob)))
	}

	/// Rule 1: deletes the files of `documents/` no entry refers to (a write interrupted by a
	/// crash). Called when the store opens.
	pub(crate) fn remove_unreferenced_documents(&self) -> Result<(), Error> {
		let dir = self.documents_dir();
		if !dir.exists() {
			return Ok(());
		}
		let referenced: std::collections::BTreeSet<String> = {
			let txn = self.db.begin_read()?;
			let table = txn.open_table(SERVICE_DOCUMENTS)?;
			let mut names = std::collections::BTreeSet::new();
			for item in table.iter()? {
				names.insert(file_name(&decode(item?.1.value())?.blob));
			}
			names
		};
		for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
			let path = entry.map_err(|e| Error::io(&dir, e))?.path();
			let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
			if !referenced.contains(name) {
				crate::store::shred_file(&path)?;
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const CLAIM: &[u8] = br#"{"resourceType":"Claim","status":"active"}"#;

	#[test]
	fn documents_are_sealed_read_back_forgotten_and_cleaned() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path()).unwrap();
		let (hash, salt) = store.put_document(Service::Claim, [3; 32], CLAIM).unwrap();
		assert_eq!(hash, content_hash(&salt, CLAIM));
		let (entry, document, read_salt) = store.open_document(&hash).unwrap().unwrap();
		assert_eq!(
			(entry.service, entry.patient, entry.size),
			(Service::Claim, [3; 32], CLAIM.len() as u64)
		);
		assert_eq!((document.as_slice(), read_salt), (CLAIM, salt));
		// Sealed at rest; nothing in the records' outbox.
		let sealed = std::fs::read(dir.path().join("documents").join(file_name(&entry.blob)));
		assert!(!sealed.unwrap().windows(5).any(|w| w == b"Claim"));
		assert_eq!(store.outbox_len().unwrap(), 0);
		assert!(matches!(
			store.put_document(Service::Claim, [3; 32], b""),
			Err(Error::EmptyDocument)
		));
		let (other, _) = store.put_document(Service::Certificate, [4; 32], b"{}").unwrap();
		assert_eq!(store.service_documents().unwrap().len(), 2);
		// Forgotten: the entry and the file are gone, the other stays.
		store.forget_document(&hash).unwrap();
		assert!(store.open_document(&hash).unwrap().is_none());
		assert!(!dir.path().join("documents").join(file_name(&entry.blob)).exists());
		assert_eq!(store.service_documents().unwrap(), vec![(other, Service::Certificate)]);
		// A file of an interrupted write is removed when the store opens.
		drop(store);
		let orphan = dir.path().join("documents").join("0".repeat(32));
		std::fs::write(&orphan, b"sealed bytes never recorded").unwrap();
		let store = Store::open(dir.path()).unwrap();
		assert!(!orphan.exists());
		assert_eq!(store.open_document(&other).unwrap().unwrap().1, b"{}");
	}
}
