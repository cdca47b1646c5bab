//! What the gateway asks of the chain, over the project's client (`medchain-client`, JSON-RPC
//! over WebSocket): whether its device may act, publishing its encryption key, the calls that
//! anchor records, and the chain's answer about a record (`records_verify`).

use crate::{
	outbox::Operation,
	store::{RecordMeta, Store},
	Error,
};
use codec::Decode;
use medchain_client::{
	tx::{self, ChainContext},
	ws::{Until, WsClient},
	Error as ClientError,
};
use medchain_runtime::{AccountId, Runtime, RuntimeCall};
use pallet_institutions::{InstitutionKind, InstitutionStatus};
use pallet_records::{Category, FormatCode, NewRecord};
use serde_json::{json, Value};
use sp_core::{sr25519, H256};
use std::time::Duration;

/// How long one call to the node may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// Why the gateway may not act on the chain.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Refusal {
	/// The key is no registered device.
	#[error("{0} is not a registered device: the institution's admin adds it first (institutions::add_device)")]
	NotADevice(String),
	/// Its institution is not active.
	#[error("the device's institution {0} is {1:?}, not active: it may not anchor")]
	InstitutionNotActive(u32, InstitutionStatus),
	/// Its institution does not hold records.
	#[error("the device's institution {0} is a {1:?}: only hospitals and clinics hold records")]
	NotARecordKeeper(u32, InstitutionKind),
}

/// The device's standing on chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
	/// The institution (custodian) the device acts for.
	pub institution: u32,
	/// The encryption key the chain holds for the device, if any.
	pub encryption_key: Option<[u8; 32]>,
}

/// Connects to the node at `url`.
pub async fn connect(url: &str) -> Result<WsClient, ClientError> {
	WsClient::connect(url, CALL_TIMEOUT).await
}

pub use medchain_client::council::account;

/// 32 bytes from hex (`0x` optional): a pseudonym, a salt, a block hash.
pub fn bytes32(text: &str) -> Option<[u8; 32]> {
	medchain_client::from_hex(text).ok()?.try_into().ok()
}

/// A block hash as the node gives it.
pub fn parse_block_hash(text: &str) -> Result<[u8; 32], ClientError> {
	bytes32(text).ok_or_else(|| ClientError::Decode(format!("not a block hash: {text}")))
}

/// The chain's code of a category or format given by name (`Laboratory`, `FhirJson`): the
/// value and its SCALE index, as the store keeps it.
pub fn chain_code<T: serde::de::DeserializeOwned + codec::Encode>(name: &str) -> Option<(T, u8)> {
	let value: T = serde_json::from_value(Value::String(name.into())).ok()?;
	let index = value.encode().first().copied()?;
	Some((value, index))
}

/// Signs `call` with the device's next nonce, submits it and waits until it is `until`
/// (at most `timeout`); a dispatch error is an error naming `what`. For tools that run alone
/// with the device key (serve's start-up, import); a running gateway signs with its
/// [`Signer`].
pub async fn submit(
	ws: &WsClient,
	device: &sr25519::Pair,
	call: RuntimeCall,
	until: Until,
	timeout: Duration,
	what: &str,
) -> Result<tx::Included, ClientError> {
	Signer::new(device.clone()).submit(ws, call, until, timeout, what).await
}

/// The device key, and the lock held from choosing a nonce until the node's pool holds the
/// transaction: the anchoring pipeline and the exchange sign with the same key, and two
/// signers reading the same next nonce would replace each other's transactions.
#[derive(Clone)]
pub struct Signer {
	/// The device key.
	pub device: sr25519::Pair,
	/// The lock.
	pub nonces: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Signer {
	/// A signer with a lock of its own.
	pub fn new(device: sr25519::Pair) -> Self {
		Signer { device, nonces: Default::default() }
	}

	/// The device account.
	pub fn account(&self) -> AccountId {
		account(&self.device)
	}

	/// Signs `call` with the next nonce, submits it and waits until it is `until` (at most
	/// `timeout`); a dispatch error is an error naming `what`.
	pub async fn submit(
		&self,
		ws: &WsClient,
		call: RuntimeCall,
		until: Until,
		timeout: Duration,
		what: &str,
	) -> Result<tx::Included, ClientError> {
		let (extrinsic, watch) = {
			let _signing = self.nonces.lock().await;
			let nonce = ws.next_nonce(&self.account()).await?;
			let ctx = ws.chain_context().await?;
			let extrinsic = sign(call, &self.device, nonce, ctx);
			let watch = ws.submit_and_watch(&extrinsic).await?;
			(extrinsic, watch)
		};
		let follow = ws.follow(&extrinsic, watch, until);
		tokio::time::timeout(timeout, follow)
			.await
			.map_err(|_| {
				ClientError::Timeout(format!("{what} was not {until:?} within {timeout:?}"))
			})??
			.dispatched(what)
	}
}

/// Whether `device` is a device of an active hospital or clinic (what `serve` requires).
pub async fn standing(
	ws: &WsClient,
	device: &AccountId,
) -> Result<Result<Standing, Refusal>, ClientError> {
	let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(device);
	let Some(entry) = ws.storage::<pallet_institutions::Device<u32>>(&key, None).await? else {
		return Ok(Err(Refusal::NotADevice(device.to_string())));
	};
	let key = pallet_institutions::Institutions::<Runtime>::hashed_key_for(entry.institution);
	let institution: Option<pallet_institutions::InstitutionOf<Runtime>> =
		ws.storage(&key, None).await?;
	let Some(institution) = institution else {
		return Ok(Err(Refusal::InstitutionNotActive(
			entry.institution,
			InstitutionStatus::Removed,
		)));
	};
	if institution.status != InstitutionStatus::Active {
		return Ok(Err(Refusal::InstitutionNotActive(entry.institution, institution.status)));
	}
	if !matches!(institution.kind, InstitutionKind::Hospital | InstitutionKind::Clinic) {
		return Ok(Err(Refusal::NotARecordKeeper(entry.institution, institution.kind)));
	}
	Ok(Ok(Standing { institution: entry.institution, encryption_key: entry.encryption_key }))
}

/// Whether `patient` is a pseudonym registered at `custodian` (`Some(false)`: registered
/// elsewhere or not at all).
pub async fn is_patient_of(
	ws: &WsClient,
	patient: &[u8; 32],
	custodian: u32,
) -> Result<bool, ClientError> {
	let key = pallet_institutions::Patients::<Runtime>::hashed_key_for(AccountId::new(*patient));
	let entry: Option<pallet_institutions::PatientOf<Runtime>> = ws.storage(&key, None).await?;
	Ok(entry.is_some_and(|p| p.custodian == custodian))
}

/// Publishes the device's encryption key unless the chain holds it already; waits until it is
/// in a block.
pub async fn publish_encryption_key(
	ws: &WsClient,
	device: &sr25519::Pair,
	key: [u8; 32],
) -> Result<(), ClientError> {
	let call = RuntimeCall::Institutions(pallet_institutions::Call::set_encryption_key {
		device: account(device),
		key,
	});
	submit(ws, device, call, Until::InBlock, Duration::from_secs(60), "set_encryption_key").await?;
	Ok(())
}

/// The chain's answer about a record (`records_verify`) at block `at` (`None`: best).
pub async fn verify(
	ws: &WsClient,
	custodian: u32,
	record_id: &str,
	content_hash: &[u8; 32],
	at: Option<&str>,
) -> Result<Value, ClientError> {
	ws.request(
		"records_verify",
		json!([
			custodian,
			medchain_client::to_hex(record_id.as_bytes()),
			medchain_client::to_hex(content_hash),
			at
		]),
	)
	.await
}

/// The nonce the chain has for `account` at its best block (not counting the pool).
pub async fn chain_nonce(ws: &WsClient, account: &AccountId) -> Result<u32, ClientError> {
	let key = frame_system::Account::<Runtime>::hashed_key_for(account);
	let info: Option<frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>> =
		ws.storage(&key, None).await?;
	Ok(info.map(|i| i.nonce).unwrap_or_default())
}

fn code<T: Decode>(index: u8) -> Result<T, Error> {
	T::decode(&mut &[index][..]).map_err(|_| Error::Store(format!("unknown chain code {index}")))
}

/// The chain call of an outbox operation on `record_id`, from what the store holds.
pub fn call_of(store: &Store, record_id: &str, operation: Operation) -> Result<CallPart, Error> {
	let meta: RecordMeta =
		store.record(record_id)?.ok_or_else(|| Error::UnknownRecord(record_id.into()))?;
	let versions = store.versions(record_id)?;
	let version_of = |v: u32| {
		versions
			.iter()
			.find(|(n, _)| *n == v)
			.map(|(_, m)| m.clone())
			.ok_or_else(|| Error::UnknownRecord(format!("{record_id} version {v}")))
	};
	let id = record_id.as_bytes().to_vec();
	Ok(match operation {
		Operation::Anchor => {
			let v = version_of(1)?;
			CallPart::Anchor(NewRecord {
				patient: AccountId::new(meta.patient),
				record_id: id,
				category: code::<Category>(meta.category)?,
				content_hash: H256(v.content_hash),
				size: v.size,
				format: code::<FormatCode>(meta.format)?,
			})
		},
		Operation::Supersede { version } => {
			let v = version_of(version)?;
			CallPart::Call(RuntimeCall::Records(pallet_records::Call::supersede {
				record_id: id,
				expected_version: version - 1,
				content_hash: H256(v.content_hash),
				size: v.size,
				format: code::<FormatCode>(meta.format)?,
			}))
		},
		Operation::Retract { version } => {
			CallPart::Call(RuntimeCall::Records(pallet_records::Call::retract {
				record_id: id,
				expected_version: version,
			}))
		},
		Operation::Erase => {
			CallPart::Call(RuntimeCall::Records(pallet_records::Call::erase { record_id: id }))
		},
	})
}

/// An operation as part of a transaction: a record for an `anchor_batch`, or a call of its
/// own.
pub enum CallPart {
	/// One record of an `anchor_batch`.
	Anchor(NewRecord<AccountId>),
	/// A call sent alone.
	Call(RuntimeCall),
}

/// The `anchor_batch` call of `records`.
pub fn anchor_batch(records: Vec<NewRecord<AccountId>>) -> RuntimeCall {
	RuntimeCall::Records(pallet_records::Call::anchor_batch { records })
}

/// A signed extrinsic of `call` by the device.
pub fn sign(call: RuntimeCall, device: &sr25519::Pair, nonce: u32, ctx: ChainContext) -> Vec<u8> {
	codec::Encode::encode(&tx::signed(call, device, nonce, ctx))
}
