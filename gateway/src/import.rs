//! `medchain-gateway import DIR`: a hospital's archive into the store, anchored on chain with
//! one `anchor_root` (the Merkle root of every document's content hash), each document keeping
//! its inclusion proof.
//!
//! The archive is a directory with `manifest.jsonl`, one JSON object per document:
//! `{"file": "lab/0001.json", "patient": "0x<pseudonym>", "category": "Laboratory",
//! "format": "FhirJson", "recordId": "…"}` (`recordId` optional: else derived from the file's
//! path, so that a second run finds the documents it stored before).
//!
//! Rules:
//! 1. **Resumable.** Documents already in the store are skipped; the tree is computed from the
//!    stored hashes in manifest order, so a second run computes the same root; the root is
//!    anchored unless the chain holds it already for this custodian. An interrupted import is
//!    finished by running it again.
//! 2. **Nothing half-imported.** A manifest line that is malformed, names a missing file, or
//!    a FHIR document that fails the checks stops the import before anything is stored, with
//!    the line number.
//! 3. Import runs with `serve` stopped (the store is opened exclusively); the chain is asked
//!    only for the custodian and to anchor the root.

use crate::{chain, fhir, keys::DeviceKeys, store::Store, Error};
use codec::{Decode, Encode};
use medchain_client::ws::Until;
use pallet_records::{Category, FormatCode};
use redb::{ReadableDatabase, TableDefinition};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sp_core::H256;
use std::{path::Path, time::Duration};

/// Record id → its [`Inclusion`].
pub(crate) const INCLUSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("inclusions");

/// Where an imported document sits in the tree its archive was anchored with.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Inclusion {
	/// The root anchored on chain.
	pub root: [u8; 32],
	/// The document's leaf index.
	pub leaf_index: u64,
	/// The number of leaves.
	pub leaf_count: u64,
	/// The sibling hashes from the leaf level up (RFC 9162 §2.1.3.1).
	pub siblings: Vec<[u8; 32]>,
}

/// One line of `manifest.jsonl`.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Line {
	file: String,
	patient: String,
	category: String,
	format: String,
	record_id: Option<String>,
}

/// A checked manifest line.
struct Document {
	file: std::path::PathBuf,
	record_id: String,
	patient: [u8; 32],
	category: u8,
	format: u8,
	fhir_json: bool,
}

/// What an import did.
#[derive(Debug)]
pub struct Summary {
	/// Documents in the archive.
	pub documents: usize,
	/// Stored by this run (the others were stored by an earlier one).
	pub stored: usize,
	/// The root.
	pub root: H256,
	/// The block the root is in (anchored by this run or an earlier one).
	pub block: u32,
}

fn read_manifest(dir: &Path) -> Result<Vec<Document>, String> {
	let path = dir.join("manifest.jsonl");
	let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
	let mut out = Vec::new();
	let mut ids = std::collections::HashSet::new();
	for (n, raw) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
		let at = |what: String| format!("manifest.jsonl line {}: {what}", n + 1);
		let line: Line = serde_json::from_str(raw).map_err(|e| at(e.to_string()))?;
		let patient = chain::bytes32(&line.patient)
			.ok_or_else(|| at("patient: a pseudonym is 32 bytes in hex".into()))?;
		let (_, category) = chain::chain_code::<Category>(&line.category)
			.ok_or_else(|| at(format!("category: unknown {}", line.category)))?;
		let (_, format) = chain::chain_code::<FormatCode>(&line.format)
			.ok_or_else(|| at(format!("format: unknown {}", line.format)))?;
		let record_id = line.record_id.unwrap_or_else(|| {
			let digest = Sha256::digest(line.file.as_bytes());
			let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
			format!("import-{hex}")
		});
		if record_id.is_empty() || record_id.len() > crate::store::MAX_RECORD_ID_LEN {
			return Err(at("recordId: 1 to 64 bytes".into()));
		}
		if !ids.insert(record_id.clone()) {
			return Err(at(format!("recordId {record_id} appears twice")));
		}
		let file = dir.join(&line.file);
		if !file.is_file() {
			return Err(at(format!("file {} not found", line.file)));
		}
		out.push(Document {
			file,
			record_id,
			patient,
			category,
			format,
			fhir_json: line.format == "FhirJson",
		});
	}
	if out.is_empty() {
		return Err(format!("{}: no documents", path.display()));
	}
	Ok(out)
}

/// Every leaf's inclusion proof and the root, in one pass (O(n log n)); the same tree as
/// `pallet_records::merkle`.
pub fn tree(leaves: &[H256]) -> (H256, Vec<Vec<H256>>) {
	fn build(leaves: &[H256], proofs: &mut [Vec<H256>]) -> H256 {
		use pallet_records::merkle::{leaf_hash, node_hash};
		if leaves.len() == 1 {
			return leaf_hash(&leaves[0]);
		}
		let k = leaves.len().next_power_of_two() / 2;
		let (left_proofs, right_proofs) = proofs.split_at_mut(k);
		let left = build(&leaves[..k], left_proofs);
		let right = build(&leaves[k..], right_proofs);
		left_proofs.iter_mut().for_each(|p| p.push(right));
		right_proofs.iter_mut().for_each(|p| p.push(left));
		node_hash(&left, &right)
	}
	let mut proofs = vec![Vec::new(); leaves.len()];
	if leaves.is_empty() {
		return (H256::zero(), proofs);
	}
	let root = build(leaves, &mut proofs);
	(root, proofs)
}

impl Store {
	/// The inclusion proof of an imported record.
	pub fn inclusion(&self, record_id: &str) -> Result<Option<Inclusion>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(INCLUSIONS)?;
		let value = redb::ReadableTable::get(&table, record_id)?;
		value.map(|v| crate::store::decode(v.value())).transpose()
	}

	/// Marks the imported records `ids` anchored (their root final in block `number`).
	fn set_archive_anchor(&self, ids: &[String], number: u32, hash: [u8; 32]) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut versions = txn.open_table(crate::store::VERSIONS)?;
			for id in ids {
				let mut meta: crate::store::VersionMeta = {
					let value = redb::ReadableTable::get(&versions, (id.as_str(), 1))?;
					crate::store::decode(
						value.ok_or_else(|| Error::UnknownRecord(id.clone()))?.value(),
					)?
				};
				meta.anchor = crate::store::AnchorState::Finalized { number, hash };
				versions.insert((id.as_str(), 1), &meta.encode()[..])?;
			}
		}
		txn.commit()?;
		Ok(())
	}

	fn write_inclusions(&self, ids: &[String], inclusions: Vec<Inclusion>) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		{
			let mut table = txn.open_table(INCLUSIONS)?;
			for (id, inclusion) in ids.iter().zip(inclusions) {
				table.insert(id.as_str(), &inclusion.encode()[..])?;
			}
		}
		txn.commit()?;
		Ok(())
	}
}

/// Imports the archive in `archive` into the gateway in `data_dir`, anchoring its root through
/// the node at `node`; `progress` shows a progress bar on stderr.
pub async fn import(
	data_dir: &Path,
	archive: &Path,
	node: &str,
	progress: bool,
) -> Result<Summary, String> {
	let documents = read_manifest(archive)?;
	let keys = DeviceKeys::load(data_dir).map_err(|e| e.to_string())?;
	let store = Store::open(data_dir).map_err(|e| match e {
		Error::Store(m) if m.contains("already open") || m.contains("lock") => {
			format!("the store is in use ({m}): stop `medchain-gateway serve` first")
		},
		e => e.to_string(),
	})?;
	// Rule 2: every FHIR document checked before anything is stored.
	for (n, doc) in documents.iter().enumerate() {
		if doc.fhir_json && store.record(&doc.record_id).map_err(|e| e.to_string())?.is_none() {
			let bytes =
				std::fs::read(&doc.file).map_err(|e| format!("{}: {e}", doc.file.display()))?;
			fhir::check(&bytes).map_err(|e| {
				format!(
					"{}: document {} ({}): {} {}",
					"manifest.jsonl",
					n + 1,
					doc.file.display(),
					e.field,
					e.problem
				)
			})?;
		}
	}
	let bar = if progress {
		indicatif::ProgressBar::new(documents.len() as u64)
	} else {
		indicatif::ProgressBar::hidden()
	};
	bar.set_style(
		indicatif::ProgressStyle::with_template(
			"{msg} [{bar:40}] {pos}/{len} documents, {per_sec}, ETA {eta}",
		)
		.map_err(|e| e.to_string())?
		.progress_chars("=> "),
	);
	bar.set_message("storing");
	let mut stored = 0;
	let mut leaves = Vec::with_capacity(documents.len());
	for doc in &documents {
		let hash = match store.record(&doc.record_id).map_err(|e| e.to_string())? {
			Some(meta) if meta.archived => {
				let versions = store.versions(&doc.record_id).map_err(|e| e.to_string())?;
				versions
					.first()
					.map(|(_, v)| v.content_hash)
					.ok_or("a stored record without a version")?
			},
			Some(_) => {
				return Err(format!(
					"record {} exists and was not imported: give the archive's documents other ids",
					doc.record_id
				))
			},
			None => {
				let bytes =
					std::fs::read(&doc.file).map_err(|e| format!("{}: {e}", doc.file.display()))?;
				stored += 1;
				store
					.put_archived(&doc.record_id, doc.patient, doc.category, doc.format, &bytes)
					.map_err(|e| e.to_string())?
			},
		};
		leaves.push(H256(hash));
		bar.inc(1);
	}
	bar.finish_with_message("stored");
	let (root, proofs) = tree(&leaves);
	let count = leaves.len() as u64;
	let ids: Vec<String> = documents.iter().map(|d| d.record_id.clone()).collect();
	let inclusions = proofs
		.into_iter()
		.enumerate()
		.map(|(i, siblings)| Inclusion {
			root: root.0,
			leaf_index: i as u64,
			leaf_count: count,
			siblings: siblings.into_iter().map(|h| h.0).collect(),
		})
		.collect();
	store.write_inclusions(&ids, inclusions).map_err(|e| e.to_string())?;

	// Rule 1: anchored once.
	let fail = |e: String| {
		format!("{} documents stored, root {root:?} computed; anchoring failed: {e}; run the import again to finish", documents.len())
	};
	let ws = chain::connect(node).await.map_err(|e| fail(e.to_string()))?;
	let device = chain::account(&keys.signing);
	let custodian = chain::standing(&ws, &device)
		.await
		.map_err(|e| fail(e.to_string()))?
		.map_err(|e| fail(e.to_string()))?
		.institution;
	let key = pallet_records::Roots::<medchain_runtime::Runtime>::hashed_key_for(custodian, root);
	let existing: Option<pallet_records::RootEntry<medchain_runtime::AccountId, u32>> =
		ws.storage(&key, None).await.map_err(|e| fail(e.to_string()))?;
	let block = if let Some(entry) = existing {
		entry.anchored_at
	} else {
		let call = medchain_runtime::RuntimeCall::Records(pallet_records::Call::anchor_root {
			root,
			leaf_count: count,
		});
		let timeout = Duration::from_secs(120);
		chain::submit(&ws, &keys.signing, call, Until::Finalized, timeout, "anchor_root")
			.await
			.map_err(|e| fail(e.to_string()))?
			.block_number
	};
	let hash = ws
		.block_hash(block)
		.await
		.map_err(|e| fail(e.to_string()))?
		.ok_or_else(|| fail(format!("no block {block}")))?;
	let hash = chain::parse_block_hash(&hash).map_err(|e| fail(e.to_string()))?;
	store.set_archive_anchor(&ids, block, hash).map_err(|e| e.to_string())?;
	Ok(Summary { documents: documents.len(), stored, root, block })
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_records::merkle;

	#[test]
	fn one_pass_proofs_are_the_pallets_proofs() {
		for n in [1usize, 2, 3, 5, 8, 13, 100] {
			let leaves: Vec<H256> = (0..n as u64).map(|i| H256::from_low_u64_be(i + 1)).collect();
			let (root, proofs) = tree(&leaves);
			assert_eq!(Some(root), merkle::root(&leaves), "{n} leaves");
			for (i, proof) in proofs.iter().enumerate() {
				assert_eq!(Some(proof.clone()), merkle::proof(&leaves, i), "leaf {i} of {n}");
				assert!(merkle::verify(&root, &leaves[i], i as u64, n as u64, proof));
			}
		}
	}

	#[test]
	fn a_bad_manifest_is_refused_with_its_line_before_anything_is_stored() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("a.json"), b"{}").unwrap();
		let p = format!("0x{}", "11".repeat(32));
		let cases = [
			("", "no documents"),
			("{\"file\":\"a.json\"}\n", "line 1: missing field"),
			(
				&format!("{{\"file\":\"b.json\",\"patient\":\"{p}\",\"category\":\"Laboratory\",\"format\":\"Pdf\"}}\n"),
				"line 1: file b.json not found",
			),
			(
				"{\"file\":\"a.json\",\"patient\":\"0x12\",\"category\":\"Laboratory\",\"format\":\"Pdf\"}\n",
				"line 1: patient",
			),
			(
				&format!("\n{{\"file\":\"a.json\",\"patient\":\"{p}\",\"category\":\"Lab\",\"format\":\"Pdf\"}}\n"),
				"line 2: category: unknown Lab",
			),
		];
		for (manifest, expected) in cases {
			std::fs::write(dir.path().join("manifest.jsonl"), manifest).unwrap();
			let err = read_manifest(dir.path()).err().unwrap();
			assert!(err.contains(expected), "{err} should say {expected}");
		}
	}
}
