//! The custodian's side: serving a request that waits for delivery (docs/relay.md §1–2).
//!
//! Rules:
//! 1. Only at the finalized block, only while the chain says `Requested`: a request already
//!    refunded (the revocation race) gets nothing built.
//! 2. The consent is checked again before anything is built; a denial declines the request
//!    (the fee goes back at once) and nothing is uploaded.
//! 3. A request this gateway cannot serve is declined with the reason: the requesting device
//!    has no encryption key, no relay is configured, a requested record is unknown here,
//!    erased or retracted, or nothing anchored and final matches.
//! 4. Each record is delivered at its newest version anchored in a finalized block.
//! 5. The package is made into `exchanges/outgoing/<id>.mcpk` (with a sidecar of its hash,
//!    size and versions) before the upload, so an interrupted upload resumes with the same
//!    bytes; it is removed once the receipt is on chain.

use super::{onchain, Context, Progress};
use crate::{
	package::{self, Item, Manifest, Sealer},
	store::{AnchorState, RecordStatus},
	Error,
};
use codec::Decode;
use medchain_client::{ws::WsClient, Error as ClientError};
use medchain_runtime::{Runtime, RuntimeEvent};
use pallet_exchange::{RequestOf, Status};
use pallet_records::{Category, FormatCode};
use serde::{Deserialize, Serialize};
use sp_core::H256;
use std::{io::BufWriter, path::PathBuf, sync::Arc};

/// Why serving a request stopped short; retried on the next pass.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
	/// The node failed.
	#[error("chain: {0}")]
	Chain(#[from] ClientError),
	/// The store failed.
	#[error("store: {0}")]
	Store(#[from] Error),
	/// The relay failed.
	#[error("relay: {0}")]
	Relay(#[from] medchain_relay::Error),
	/// Making the package failed.
	#[error("package: {0}")]
	Package(#[from] package::PackageError),
}

/// A record to deliver.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Chosen {
	/// The record id.
	pub record_id: String,
	/// The version.
	pub version: u32,
	/// Category name.
	pub category: String,
	/// Format name.
	pub format: String,
}

/// A package ready to upload: what `deliver` will say of it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Made {
	/// SHA-256 (hex).
	pub sha256: String,
	/// Size in bytes.
	pub size: u64,
	/// The records and versions in it.
	pub records: Vec<Chosen>,
}

fn name_of<T: Decode + std::fmt::Debug>(code: u8) -> String {
	T::decode(&mut &[code][..]).map(|v| format!("{v:?}")).unwrap_or_else(|_| code.to_string())
}

/// The records of `request` this gateway delivers (rules 3 and 4), or why it cannot.
pub fn choose(
	store: &crate::store::Store,
	request: &RequestOf<Runtime>,
) -> Result<Result<Vec<Chosen>, String>, Error> {
	let patient: [u8; 32] = request.patient.clone().into();
	let mut chosen: Vec<Chosen> = Vec::new();
	let newest_final = |record_id: &str| -> Result<Option<u32>, Error> {
		Ok(store
			.versions(record_id)?
			.into_iter()
			.rev()
			.find(|(_, v)| matches!(v.anchor, AnchorState::Finalized { .. }))
			.map(|(n, _)| n))
	};
	let mut push = |record_id: &str, meta: &crate::store::RecordMeta, version: u32| {
		if !chosen.iter().any(|c| c.record_id == record_id) {
			chosen.push(Chosen {
				record_id: record_id.to_string(),
				version,
				category: name_of::<Category>(meta.category),
				format: name_of::<FormatCode>(meta.format),
			});
		}
	};
	for id in &request.items.records {
		let record_id = String::from_utf8_lossy(id).into_owned();
		let Some(meta) = store.record(&record_id)? else {
			return Ok(Err(format!("record {record_id} is unknown here")));
		};
		if meta.patient != patient || meta.status != RecordStatus::Active || meta.archived {
			return Ok(Err(format!(
				"record {record_id} cannot be released (retracted, erased or another patient's)"
			)));
		}
		let Some(version) = newest_final(&record_id)? else {
			return Ok(Err(format!("record {record_id} has no version anchored in a final block")));
		};
		push(&record_id, &meta, version);
	}
	for category in &request.items.categories {
		let code = codec::Encode::encode(category).first().copied().unwrap_or_default();
		for record_id in store.records_of(&patient)? {
			let Some(meta) = store.record(&record_id)? else { continue };
			if meta.category != code || meta.status != RecordStatus::Active || meta.archived {
				continue;
			}
			if let Some(version) = newest_final(&record_id)? {
				push(&record_id, &meta, version);
			}
		}
	}
	if chosen.is_empty() {
		return Ok(Err("no active record anchored in a final block matches the request".into()));
	}
	Ok(Ok(chosen))
}

/// Makes the package of `records` of request `id` (custodian, patient) sealed to
/// `recipient` (rule 5).
pub fn make(
	store: &crate::store::Store,
	work: &std::path::Path,
	id: u64,
	(custodian, patient): (u32, [u8; 32]),
	records: Vec<Chosen>,
	recipient: &[u8; 32],
	genesis: &[u8; 32],
) -> Result<(PathBuf, Made), ServeError> {
	let dir = work.join("outgoing");
	std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
	let path = dir.join(format!("{id}.mcpk"));
	let partial = path.with_extension("partial");
	let file = std::fs::File::create(&partial).map_err(|e| Error::io(&partial, e))?;
	let mut sealer = Sealer::new(recipient, genesis, id, BufWriter::new(file))?;
	let mut items = Vec::new();
	for chosen in &records {
		let (salt, size) = store.salt(&chosen.record_id, chosen.version)?;
		items.push(Item {
			record_id: chosen.record_id.clone(),
			version: chosen.version,
			salt: medchain_client::to_hex(&salt),
			size,
			format: chosen.format.clone(),
			category: chosen.category.clone(),
		});
	}
	let manifest = Manifest {
		request: id,
		custodian,
		patient: medchain_client::to_hex(&patient),
		records: items,
	};
	package::push_manifest(&mut sealer, &manifest)?;
	// One document in memory at a time.
	for chosen in &records {
		let (document, _) = store.document(&chosen.record_id, chosen.version)?;
		sealer.push(&document)?;
	}
	let (out, sha256, size) = sealer.finish()?;
	let file = out.into_inner().map_err(|e| Error::io(&partial, e.into_error()))?;
	file.sync_all().map_err(|e| Error::io(&partial, e))?;
	let made = Made { sha256: medchain_client::to_hex(&sha256), size, records };
	let sidecar = path.with_extension("json");
	let text = serde_json::to_vec(&made).map_err(|e| Error::Store(e.to_string()))?;
	std::fs::write(&sidecar, text).map_err(|e| Error::io(&sidecar, e))?;
	std::fs::rename(&partial, &path).map_err(|e| Error::io(&path, e))?;
	Ok((path, made))
}

/// A package made before (an upload or delivery was interrupted).
fn made_before(work: &std::path::Path, id: u64) -> Option<(PathBuf, Made)> {
	let path = work.join("outgoing").join(format!("{id}.mcpk"));
	let text = std::fs::read(path.with_extension("json")).ok()?;
	let made: Made = serde_json::from_slice(&text).ok()?;
	(std::fs::metadata(&path).ok()?.len() == made.size).then_some((path, made))
}

/// Removes request `id`'s outgoing package.
pub fn remove_package(work: &std::path::Path, id: u64) {
	let path = work.join("outgoing").join(format!("{id}.mcpk"));
	let _ = std::fs::remove_file(path.with_extension("json"));
	let _ = std::fs::remove_file(path);
}

async fn decline(ctx: &Context, ws: &WsClient, id: u64, reason: String) -> Result<(), ServeError> {
	tracing::info!(request = id, %reason, "declining");
	onchain::call(ws, &ctx.signer, pallet_exchange::Call::decline { request: id }, "decline")
		.await?;
	ctx.update(id, |t| {
		t.progress = Progress::Declined { reason };
		t.problem = None;
	})?;
	Ok(())
}

/// Serves request `id` as the chain holds it at the finalized block `at` (rules 1–5).
pub async fn serve(ctx: &Arc<Context>, ws: &WsClient, id: u64, at: &str) -> Result<(), ServeError> {
	let Some((request, _)) = onchain::request(ws, id, at).await? else { return Ok(()) };
	if request.status != Status::Requested {
		return Ok(());
	}
	// Rule 3: what makes the request impossible to serve here.
	let Some(recipient) = onchain::encryption_key(ws, &request.payer, at).await? else {
		return decline(ctx, ws, id, "the requesting device has no encryption key".into()).await;
	};
	let Some(relay) = ctx.relay.as_ref() else {
		return decline(ctx, ws, id, "this gateway has no relay configured".into()).await;
	};
	let (path, made) = match made_before(&ctx.work, id) {
		Some(before) => before,
		None => {
			let chosen = {
				let store = ctx.store()?;
				choose(&store, &request)?
			};
			let records = match chosen {
				Ok(records) => records,
				Err(reason) => return decline(ctx, ws, id, reason).await,
			};
			// Rule 2.
			let patient: [u8; 32] = request.patient.clone().into();
			for record in &records {
				let permitted = onchain::consent_permits(
					ws,
					&patient,
					request.requester,
					request.custodian,
					&record.record_id,
					request.purpose,
				)
				.await?;
				if let Err(denial) = permitted {
					let reason =
						format!("consent no longer permits {}: {denial}", record.record_id);
					return decline(ctx, ws, id, reason).await;
				}
			}
			let (store, work, genesis) = (ctx.store.clone(), ctx.work.clone(), ctx.genesis);
			let (custodian, patient) = (request.custodian, request.patient.clone());
			tokio::task::spawn_blocking(move || {
				let store = store.read().map_err(|_| Error::Store("poisoned".into()))?;
				let parties = (custodian, patient.into());
				make(&store, &work, id, parties, records, &recipient, &genesis)
			})
			.await
			.map_err(|e| Error::Store(format!("packing stopped: {e}")))??
		},
	};
	let relay_institution = relay.institution().await?;
	let sha256 = relay.upload(id, &path).await?;
	if medchain_client::to_hex(&sha256) != made.sha256 {
		remove_package(&ctx.work, id);
		return Err(ServeError::Relay(medchain_relay::Error::Mismatch(
			"the relay computed another hash than the package's".into(),
		)));
	}
	let versions =
		made.records.iter().map(|r| (r.record_id.as_bytes().to_vec(), r.version)).collect();
	let call = pallet_exchange::Call::deliver {
		request: id,
		package_hash: H256(sha256),
		package_size: made.size,
		relay: relay_institution,
		versions,
	};
	let included = onchain::call(ws, &ctx.signer, call, "deliver").await?;
	let mut progress = Progress::Delivered {
		block: included.block_number,
		package: made.sha256.clone(),
		size: made.size,
	};
	for event in &included.events {
		if let RuntimeEvent::Exchange(pallet_exchange::Event::ExchangeRefunded { cause, .. }) =
			event
		{
			progress = Progress::Refunded { cause: format!("{cause:?}") };
		}
	}
	tracing::info!(request = id, ?progress, "delivered");
	ctx.update(id, |t| {
		t.progress = progress;
		t.problem = None;
	})?;
	remove_package(&ctx.work, id);
	Ok(())
}
