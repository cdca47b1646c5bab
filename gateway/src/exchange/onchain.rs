//! What the exchange reads from the chain (at the finalized block) and the calls it makes.

use crate::chain::{self, Signer};
use codec::Encode;
use medchain_client::{tx::Included, ws::Until, ws::WsClient, Error as ClientError};
use medchain_runtime::{AccountId, Runtime, RuntimeCall};
use pallet_exchange::{DeliveryOf, DisputeReason, RequestOf, Status};
use serde_json::{json, Value};
use std::time::Duration;

/// How long a call may take to get into a block.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
	/// Its number.
	pub number: u32,
	/// Its hash (0x-hex).
	pub hash: String,
}

/// The finalized block.
pub async fn finalized(ws: &WsClient) -> Result<At, ClientError> {
	let hash = ws.request("chain_getFinalizedHead", json!([])).await?;
	let hash = hash
		.as_str()
		.ok_or_else(|| ClientError::Decode("finalized head is not a string".into()))?
		.to_string();
	let number = ws.header(Some(&hash)).await?.number;
	Ok(At { number, hash })
}

/// The chain's genesis hash.
pub async fn genesis(ws: &WsClient) -> Result<[u8; 32], ClientError> {
	let hash = ws.block_hash(0).await?.ok_or_else(|| ClientError::Decode("no genesis".into()))?;
	chain::parse_block_hash(&hash)
}

/// Request `id` and its delivery receipt at block `at`.
pub async fn request(
	ws: &WsClient,
	id: u64,
	at: &str,
) -> Result<Option<(RequestOf<Runtime>, Option<DeliveryOf<Runtime>>)>, ClientError> {
	let key = pallet_exchange::Requests::<Runtime>::hashed_key_for(id);
	let Some(request) = ws.storage::<RequestOf<Runtime>>(&key, Some(at)).await? else {
		return Ok(None);
	};
	let key = pallet_exchange::Deliveries::<Runtime>::hashed_key_for(id);
	let delivery = ws.storage::<DeliveryOf<Runtime>>(&key, Some(at)).await?;
	Ok(Some((request, delivery)))
}

/// The ids of `custodian`'s requests waiting for delivery at block `at` (the `Pending` map;
/// at most `MaxPendingPerCustodian`, read in pages).
pub async fn pending(ws: &WsClient, custodian: u32, at: &str) -> Result<Vec<u64>, ClientError> {
	let full = pallet_exchange::Pending::<Runtime>::hashed_key_for(custodian, 0u64);
	// Twox64Concat of the request id: 8 bytes of hash, then the id's 8 bytes.
	let prefix = medchain_client::to_hex(&full[..full.len() - 16]);
	let mut ids = Vec::new();
	let mut start: Option<String> = None;
	loop {
		let page = ws.request("state_getKeysPaged", json!([prefix, 256, start, at])).await?;
		let keys: Vec<String> = serde_json::from_value(page)
			.map_err(|e| ClientError::Decode(format!("pending keys: {e}")))?;
		for key in &keys {
			let bytes = medchain_client::from_hex(key)?;
			let tail: [u8; 8] = bytes[bytes.len().saturating_sub(8)..]
				.try_into()
				.map_err(|_| ClientError::Decode(format!("short pending key {key}")))?;
			ids.push(u64::from_le_bytes(tail));
		}
		if keys.len() < 256 {
			return Ok(ids);
		}
		start = keys.last().cloned();
	}
}

/// The encryption key of `device` at block `at`, if the device exists and has one.
pub async fn encryption_key(
	ws: &WsClient,
	device: &AccountId,
	at: &str,
) -> Result<Option<[u8; 32]>, ClientError> {
	let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(device);
	let entry: Option<pallet_institutions::Device<u32>> = ws.storage(&key, Some(at)).await?;
	Ok(entry.and_then(|d| d.encryption_key))
}

/// Whether the consent permits `grantee` to receive `record_id` of `patient` at `custodian`
/// for `purpose` now (`consent_check`); `Err` carries the denial.
pub async fn consent_permits(
	ws: &WsClient,
	patient: &[u8; 32],
	grantee: u32,
	custodian: u32,
	record_id: &str,
	purpose: pallet_consent::Purpose,
) -> Result<Result<(), String>, ClientError> {
	let decision = ws
		.request(
			"consent_check",
			json!([
				AccountId::new(*patient).to_string(),
				grantee,
				{"record": {"custodian": custodian, "recordId": medchain_client::to_hex(record_id.as_bytes())}},
				purpose,
				Value::Null,
			]),
		)
		.await?;
	Ok(if decision.get("permit").is_some() { Ok(()) } else { Err(decision.to_string()) })
}

/// `records_verify` at block `at`: the version `content_hash` matches, if any.
pub async fn verified_version(
	ws: &WsClient,
	custodian: u32,
	record_id: &str,
	content_hash: &[u8; 32],
	at: &str,
) -> Result<Option<u32>, ClientError> {
	let answer = chain::verify(ws, custodian, record_id, content_hash, Some(at)).await?;
	Ok(answer["matchedVersion"].as_u64().and_then(|v| u32::try_from(v).ok()))
}

/// Where a request stands, in words for the gateway's API.
pub fn status_name(status: &Status<u32>) -> String {
	match status {
		Status::Requested => "requested".into(),
		Status::Delivered { .. } => "delivered".into(),
		Status::Disputed { reason, .. } => format!("disputed ({reason:?})"),
		Status::Completed { .. } => "completed".into(),
		Status::Refunded { cause, .. } => format!("refunded ({cause:?})"),
	}
}

/// Calls `call` as the device and waits until it is in a block.
pub async fn call(
	ws: &WsClient,
	signer: &Signer,
	call: pallet_exchange::Call<Runtime>,
	what: &str,
) -> Result<Included, ClientError> {
	signer.submit(ws, RuntimeCall::Exchange(call), Until::InBlock, CALL_TIMEOUT, what).await
}

/// The `dispute` call for `reason`.
pub fn dispute(request: u64, reason: DisputeReason) -> pallet_exchange::Call<Runtime> {
	pallet_exchange::Call::dispute { request, reason }
}

/// Hex of a SCALE value (for logs and the API).
pub fn scale_hex<T: Encode>(value: &T) -> String {
	medchain_client::to_hex(&value.encode())
}
