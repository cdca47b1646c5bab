//! The requester's side: asking the chain for a patient's records (`POST /exchanges`), and
//! receiving the delivery (docs/relay.md §1–2).
//!
//! Receiving rules:
//! 1. Only once the finalized state says `Delivered`, from the relay the receipt names.
//! 2. The downloaded package must have the receipt's size and SHA-256, else `dispute`
//!    (`PackageMismatch`).
//! 3. It must open with this device's key for this request and chain, whole, else `dispute`
//!    (`Undecryptable`).
//! 4. Its manifest must list exactly the receipt's records and versions, for this request and
//!    custodian, with documents of the declared sizes, else `dispute` (`MissingRecords`).
//! 5. Every document must hash (with its salt) to the version the chain anchored
//!    (`records_verify` at the finalized block), else `dispute` (`RecordMismatch`).
//! 6. Only then are the documents stored, all together, with their provenance
//!    (`received.rs`), and `confirm` is called. A disputed package is kept as evidence in
//!    `exchanges/evidence/`.

use super::{onchain, received::Received, Context, Progress, Role, Tracked};
use crate::{
	hashing::content_hash,
	package::{self, Opener, PackageError},
	Error,
};
use medchain_client::{ws::WsClient, Error as ClientError};
use medchain_runtime::{AccountId, Runtime, RuntimeEvent};
use pallet_consent::Purpose;
use pallet_exchange::{DeliveryOf, DisputeReason, RequestOf};
use pallet_records::Category;
use sha2::{Digest, Sha256};
use std::{collections::BTreeSet, io::Read, path::PathBuf, sync::Arc};

/// What the EHR asks for (`POST /exchanges`).
#[derive(serde::Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ask {
	/// The custodian institution.
	pub custodian: u32,
	/// The patient's pseudonym at the custodian (0x-hex, 32 bytes).
	pub patient: String,
	/// Record ids at the custodian.
	#[serde(default)]
	pub records: Vec<String>,
	/// Categories (chain names: `Laboratory`, `Imaging`...).
	#[serde(default)]
	pub categories: Vec<Category>,
	/// Purpose of use (`Treatment`...).
	pub purpose: Purpose,
	/// The most the requester pays, in the chain's smallest unit (a decimal string).
	pub max_fee: String,
}

/// Why an ask failed.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
	/// The ask is malformed.
	#[error("{0}")]
	Invalid(String),
	/// The chain refused the request (the pallet's error by name: `NoConsent`...).
	#[error("the chain refused the request: {0}")]
	Refused(String),
	/// The node failed or cannot be reached.
	#[error("chain: {0}")]
	Chain(ClientError),
	/// The store failed.
	#[error("store: {0}")]
	Store(#[from] Error),
}

/// What the chain answered to an ask.
#[derive(serde::Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Asked {
	/// The request id.
	pub request: u64,
	/// The block it is in.
	pub block: u32,
	/// The fee held (decimal string).
	pub fee: String,
	/// The delivery deadline.
	pub deadline: u32,
}

/// Sends `request` for `ask`, signed by this gateway's device (so that the package is sealed
/// to it), and tracks the exchange.
pub async fn ask(ctx: &Context, ws: &WsClient, ask: Ask) -> Result<Asked, AskError> {
	let patient = crate::chain::bytes32(&ask.patient)
		.ok_or_else(|| AskError::Invalid("patient must be 32 bytes of hex".into()))?;
	let max_fee: u128 = ask
		.max_fee
		.parse()
		.map_err(|_| AskError::Invalid("maxFee must be a decimal string".into()))?;
	if ask.records.is_empty() && ask.categories.is_empty() {
		return Err(AskError::Invalid("ask for records or categories".into()));
	}
	let call = pallet_exchange::Call::<Runtime>::request {
		custodian: ask.custodian,
		patient: AccountId::new(patient),
		record_ids: ask.records.iter().map(|r| r.as_bytes().to_vec()).collect(),
		categories: ask.categories.clone(),
		purpose: ask.purpose,
		max_fee,
	};
	let included = match onchain::call(ws, &ctx.signer, call, "request").await {
		Ok(included) => included,
		Err(ClientError::ChainRefused { pallet, error, .. }) => {
			let named = pallet.map(|p| format!("{p}::{error}")).unwrap_or(error);
			return Err(AskError::Refused(named));
		},
		Err(e) => return Err(AskError::Chain(e)),
	};
	for event in &included.events {
		if let RuntimeEvent::Exchange(pallet_exchange::Event::ExchangeRequested {
			request,
			requester,
			custodian,
			fee,
			deadline,
			..
		}) = event
		{
			let tracked = Tracked {
				role: Role::Requester,
				progress: Progress::Requested { block: included.block_number },
				custodian: *custodian,
				requester: *requester,
				patient,
				fee: *fee,
				deadline: *deadline,
				problem: None,
			};
			ctx.store()?.set_exchange(*request, &tracked)?;
			return Ok(Asked {
				request: *request,
				block: included.block_number,
				fee: fee.to_string(),
				deadline: *deadline,
			});
		}
	}
	Err(AskError::Chain(ClientError::Decode("no ExchangeRequested event".into())))
}

/// Why receiving stopped short; retried on the next pass.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
	/// The node failed.
	#[error("chain: {0}")]
	Chain(#[from] ClientError),
	/// The store failed.
	#[error("store: {0}")]
	Store(#[from] Error),
	/// The relay failed or is not the receipt's.
	#[error("relay: {0}")]
	Relay(String),
}

/// A finding that disputes the delivery (rules 2–5).
struct Finding(DisputeReason, String);

fn file(ctx: &Context, dir: &str, id: u64) -> Result<PathBuf, Error> {
	let dir = ctx.work.join(dir);
	std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
	Ok(dir.join(format!("{id}.mcpk")))
}

fn sha256_of(path: &std::path::Path) -> Result<([u8; 32], u64), Error> {
	let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
	let mut hasher = Sha256::new();
	let size = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
	Ok((hasher.finalize().into(), size))
}

/// Receives the delivery of request `id` (rules 1–6) as the chain holds it at `at`.
pub async fn receive(
	ctx: &Arc<Context>,
	ws: &WsClient,
	id: u64,
	request: &RequestOf<Runtime>,
	delivery: &DeliveryOf<Runtime>,
	at: &onchain::At,
) -> Result<(), ReceiveError> {
	let relay = ctx.relay.as_ref().ok_or_else(|| {
		ReceiveError::Relay("no relay configured: the delivery cannot be fetched".into())
	})?;
	let named = relay.institution().await.map_err(|e| ReceiveError::Relay(e.to_string()))?;
	if named != delivery.relay {
		return Err(ReceiveError::Relay(format!(
			"the receipt names relay {}, this gateway uses relay {named}",
			delivery.relay
		)));
	}
	let path = file(ctx, "incoming", id)?;
	relay
		.download(id, &path, delivery.package_size)
		.await
		.map_err(|e| ReceiveError::Relay(e.to_string()))?;
	// Rules 2–5 read the file on a blocking thread, then verify with the node.
	let (hash, size) = sha256_of(&path)?;
	let finding = if (hash, size) != (delivery.package_hash.0, delivery.package_size) {
		Some(Finding(
			DisputeReason::PackageMismatch,
			format!(
				"the package has {size} bytes and SHA-256 {}; the receipt says {} bytes and {}",
				medchain_client::to_hex(&hash),
				delivery.package_size,
				medchain_client::to_hex(&delivery.package_hash.0)
			),
		))
	} else {
		check_and_store(ctx, ws, id, request, delivery, &path, at).await?
	};
	match finding {
		None => {
			let _ = std::fs::remove_file(&path);
			let call = pallet_exchange::Call::confirm { request: id };
			let included = onchain::call(ws, &ctx.signer, call, "confirm").await?;
			tracing::info!(request = id, block = included.block_number, "confirmed");
			ctx.update(id, |t| {
				t.progress = Progress::Confirmed { block: included.block_number };
				t.problem = None;
			})?;
		},
		Some(Finding(reason, detail)) => {
			tracing::warn!(request = id, ?reason, %detail, "disputing the delivery");
			let evidence = file(ctx, "evidence", id)?;
			std::fs::rename(&path, &evidence).map_err(|e| Error::io(&evidence, e))?;
			onchain::call(ws, &ctx.signer, onchain::dispute(id, reason), "dispute").await?;
			ctx.update(id, |t| {
				t.progress = Progress::Disputed { reason: format!("{reason:?}"), detail };
				t.problem = None;
			})?;
		},
	}
	Ok(())
}

/// Rules 3–6: opens the package, checks the manifest and every document, and stores them.
async fn check_and_store(
	ctx: &Arc<Context>,
	ws: &WsClient,
	id: u64,
	request: &RequestOf<Runtime>,
	delivery: &DeliveryOf<Runtime>,
	path: &std::path::Path,
	at: &onchain::At,
) -> Result<Option<Finding>, ReceiveError> {
	let source = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
	let undecryptable = |e: PackageError| Finding(DisputeReason::Undecryptable, e.to_string());
	let mut opener = match Opener::new(&ctx.encryption, &ctx.genesis, id, source) {
		Ok(opener) => opener,
		Err(e) => return Ok(Some(undecryptable(e))),
	};
	let manifest = match package::read_manifest(&mut opener) {
		Ok(manifest) => manifest,
		Err(e @ PackageError::Manifest(_)) => {
			return Ok(Some(Finding(DisputeReason::MissingRecords, e.to_string())))
		},
		Err(e) => return Ok(Some(undecryptable(e))),
	};
	// Rule 4.
	let listed: BTreeSet<(Vec<u8>, u32)> =
		manifest.records.iter().map(|r| (r.record_id.as_bytes().to_vec(), r.version)).collect();
	let receipt: BTreeSet<(Vec<u8>, u32)> =
		delivery.versions.iter().map(|(r, v)| (r.to_vec(), *v)).collect();
	let patient = medchain_client::to_hex(request.patient.as_ref());
	if manifest.request != id
		|| manifest.custodian != request.custodian
		|| manifest.patient != patient
		|| listed != receipt
		|| listed.len() != manifest.records.len()
	{
		return Ok(Some(Finding(
			DisputeReason::MissingRecords,
			"the manifest does not list the receipt's records for this request".into(),
		)));
	}
	let mut batch = crate::store::Store::receive(&ctx.store, id)?;
	for item in &manifest.records {
		if item.size > ctx.max_document {
			return Ok(Some(Finding(
				DisputeReason::MissingRecords,
				format!(
					"{} declares {} bytes, beyond this gateway's limit",
					item.record_id, item.size
				),
			)));
		}
		let document = match package::read_document(&mut opener, item.size) {
			Ok(document) => document,
			Err(e @ PackageError::Manifest(_)) => {
				return Ok(Some(Finding(DisputeReason::MissingRecords, e.to_string())))
			},
			Err(e) => return Ok(Some(undecryptable(e))),
		};
		let Some(salt) = crate::chain::bytes32(&item.salt) else {
			return Ok(Some(Finding(
				DisputeReason::RecordMismatch,
				format!("{}: bad salt", item.record_id),
			)));
		};
		let hash = content_hash(&salt, &document);
		// Rule 5.
		let matched =
			onchain::verified_version(ws, request.custodian, &item.record_id, &hash, &at.hash)
				.await?;
		if matched != Some(item.version) {
			return Ok(Some(Finding(
				DisputeReason::RecordMismatch,
				format!(
					"{} version {} does not match its anchored hash (the chain matched {matched:?})",
					item.record_id, item.version
				),
			)));
		}
		let provenance = Received {
			custodian: request.custodian,
			patient: request.patient.clone().into(),
			record_id: item.record_id.clone(),
			version: item.version,
			category: item.category.clone(),
			format: item.format.clone(),
			size: item.size,
			content_hash: hash,
			verified_at: at.number,
			blob: [0; 16],
			secrets: Vec::new(),
		};
		batch.add(provenance, salt, &document)?;
	}
	// Nothing may follow the last document, and the last chunk must be there (rule 3).
	let mut rest = [0u8; 1];
	match opener.read(&mut rest) {
		Ok(0) if opener.is_finished() => {},
		Ok(_) => {
			return Ok(Some(Finding(
				DisputeReason::MissingRecords,
				"the package holds more than its manifest lists".into(),
			)))
		},
		Err(e) => return Ok(Some(Finding(DisputeReason::Undecryptable, e.to_string()))),
	}
	let records = batch.commit()? as u32;
	ctx.update(id, |t| t.progress = Progress::Received { records })?;
	Ok(None)
}
