//! Documents received from other custodians, with their provenance: which custodian, which
//! exchange request, which record and version, the salt, and the finalized block at which the
//! chain confirmed the version's hash. Sealed at rest like the gateway's own records (a data
//! key per document, sealed under the master key), in `received/` beside `blobs/`.
//!
//! Rules:
//! 1. A request's documents are stored together, only once every one of them verified
//!    against the chain: an exchange is kept whole or not at all.
//! 2. Received records are not this hospital's records: they are never anchored by this
//!    gateway and never served as its own.

use crate::{hashing::Salt, store::Store, vault::VersionSecrets, Error};
use codec::{Decode, Encode};
use redb::{ReadableDatabase, TableDefinition};
use std::{
	io::Write,
	path::PathBuf,
	sync::{Arc, RwLock},
};

/// Received documents by (request, position in the package).
pub(crate) const RECEIVED: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("received");

/// A received document's provenance and where it is kept.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct Received {
	/// The custodian institution.
	pub custodian: u32,
	/// The patient's pseudonym at the custodian.
	pub patient: [u8; 32],
	/// The record id at the custodian.
	pub record_id: String,
	/// The version delivered.
	pub version: u32,
	/// The chain's category name.
	pub category: String,
	/// The chain's format name.
	pub format: String,
	/// Size in bytes.
	pub size: u64,
	/// SHA-256(salt || document), as anchored.
	pub content_hash: [u8; 32],
	/// The finalized block at which `records_verify` matched the version.
	pub verified_at: u32,
	/// The sealed file's random name.
	pub blob: [u8; 16],
	/// The document's data key and salt, sealed under the master key.
	pub secrets: Vec<u8>,
}

fn file_name(blob: &[u8; 16]) -> String {
	blob.iter().map(|b| format!("{b:02x}")).collect()
}

fn binding(request: u64, index: u32) -> String {
	format!("received/{request}/{index}")
}

/// A request's documents being stored (rule 1): each is sealed to its file as it is checked;
/// [`Batch::commit`] records them all in one transaction; a batch dropped without commit
/// removes its files.
pub struct Batch {
	store: Arc<RwLock<Store>>,
	request: u64,
	written: Vec<PathBuf>,
	entries: Vec<Received>,
	committed: bool,
}

impl Batch {
	/// Seals `document` (with `salt`) to a file; `provenance`'s `blob` and `secrets` are
	/// filled in.
	pub fn add(
		&mut self,
		mut provenance: Received,
		salt: Salt,
		document: &[u8],
	) -> Result<(), Error> {
		let store =
			self.store.read().map_err(|_| Error::Store("the store's lock is poisoned".into()))?;
		let dir = store.received_dir();
		let free = fs2::available_space(&dir).map_err(|e| Error::io(&dir, e))?;
		let needed = document.len() as u64 + store.reserve();
		if free < needed {
			return Err(Error::DiskFull { free, needed });
		}
		let index = self.entries.len() as u32;
		let secrets = VersionSecrets::with_salt(salt);
		let blob = crate::vault::random_bytes::<16>();
		let path = dir.join(file_name(&blob));
		let mut file = crate::vault::private_file(&path)?;
		self.written.push(path.clone());
		let binding = binding(self.request, index);
		file.write_all(&secrets.seal_document(&binding, 1, document))
			.and_then(|_| file.sync_all())
			.map_err(|e| Error::io(&path, e))?;
		provenance.blob = blob;
		provenance.secrets = secrets.seal(&store.master, &binding, 1);
		self.entries.push(provenance);
		Ok(())
	}

	/// Records every document added, in one transaction.
	pub fn commit(mut self) -> Result<usize, Error> {
		let store =
			self.store.read().map_err(|_| Error::Store("the store's lock is poisoned".into()))?;
		let txn = store.db.begin_write()?;
		{
			let mut table = txn.open_table(RECEIVED)?;
			for (index, entry) in self.entries.iter().enumerate() {
				table.insert((self.request, index as u32), entry.encode().as_slice())?;
			}
		}
		txn.commit()?;
		drop(store);
		self.committed = true;
		Ok(self.entries.len())
	}
}

impl Drop for Batch {
	fn drop(&mut self) {
		if !self.committed {
			for path in &self.written {
				let _ = std::fs::remove_file(path);
			}
		}
	}
}

impl Store {
	fn received_dir(&self) -> PathBuf {
		self.dir().join("received")
	}

	/// Starts storing request `request`'s documents in `store` (rule 1).
	pub fn receive(store: &Arc<RwLock<Store>>, request: u64) -> Result<Batch, Error> {
		let guard =
			store.read().map_err(|_| Error::Store("the store's lock is poisoned".into()))?;
		let dir = guard.received_dir();
		std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
		if !guard.received(request)?.is_empty() {
			return Err(Error::Store(format!("request {request}'s documents are stored already")));
		}
		drop(guard);
		Ok(Batch {
			store: store.clone(),
			request,
			written: Vec::new(),
			entries: Vec::new(),
			committed: false,
		})
	}

	/// Request `request`'s received documents' provenance, in package order.
	pub fn received(&self, request: u64) -> Result<Vec<Received>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(RECEIVED)?;
		let mut out = Vec::new();
		for item in table.range((request, 0)..=(request, u32::MAX))? {
			let (_, value) = item?;
			out.push(
				Received::decode(&mut value.value())
					.map_err(|e| Error::Store(format!("received entry: {e}")))?,
			);
		}
		Ok(out)
	}

	/// The document at `index` of request `request`, with its salt.
	pub fn received_document(
		&self,
		request: u64,
		index: u32,
	) -> Result<(Received, Vec<u8>, Salt), Error> {
		let entry = {
			let txn = self.db.begin_read()?;
			let table = txn.open_table(RECEIVED)?;
			let value = table.get((request, index))?;
			let value = value.ok_or_else(|| {
				Error::UnknownRecord(format!("received document {index} of request {request}"))
			})?;
			Received::decode(&mut value.value())
				.map_err(|e| Error::Store(format!("received entry: {e}")))?
		};
		let secrets =
			VersionSecrets::open(&self.master, &binding(request, index), 1, &entry.secrets)?;
		let path = self.received_dir().join(file_name(&entry.blob));
		let sealed = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
		let document = secrets.open_document(&binding(request, index), 1, &sealed)?;
		Ok((entry, document, *secrets.salt()))
	}
}
