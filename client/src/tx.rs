//! Signed extrinsics and account state, built with the runtime's own types so that a client
//! cannot drift from what the chain accepts.

use crate::{from_hex, Chain, Error};
use codec::Encode;
use medchain_runtime::{
	AccountId, Balance, Nonce, Runtime, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::generic::Era;
use std::time::{Duration, Instant};

/// How long [`include()`] and [`execute`] wait for the block.
pub const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);

/// A block's event records.
pub type EventRecords = Vec<frame_system::EventRecord<RuntimeEvent, H256>>;

/// What a signature commits to besides the call: the chain and runtime it is valid for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChainContext {
	/// Genesis hash of the chain.
	pub genesis: H256,
	/// The runtime's `spec_version`.
	pub spec_version: u32,
	/// The runtime's `transaction_version`.
	pub transaction_version: u32,
}

impl ChainContext {
	/// Reads the context from a running node.
	pub fn of<C: Chain>(chain: &C) -> Result<Self, C::Error> {
		let genesis =
			chain.block_hash(0)?.ok_or_else(|| Error::Decode("no genesis hash".into()))?;
		let version = chain.runtime_version()?;
		Ok(Self::from_rpc(&genesis, &version)?)
	}

	/// The context from the genesis hash (hex) and a `state_getRuntimeVersion` answer.
	pub fn from_rpc(genesis: &str, version: &Value) -> Result<Self, Error> {
		let bytes = from_hex(genesis)?;
		if bytes.len() != 32 {
			return Err(Error::Decode(format!("not a 32-byte genesis hash: {genesis}")));
		}
		let field = |name: &str| {
			version[name]
				.as_u64()
				.and_then(|v| u32::try_from(v).ok())
				.ok_or_else(|| Error::Decode(format!("no {name} in {version}")))
		};
		Ok(Self {
			genesis: H256::from_slice(&bytes),
			spec_version: field("specVersion")?,
			transaction_version: field("transactionVersion")?,
		})
	}
}

/// An immortal signed extrinsic of `call` by `signer` with `nonce`, tip 0.
///
/// `CheckMetadataHash` (RFC-0078) is sent in mode `Disabled`, signing `None` for the metadata
/// hash: the runtime accepts that without any hash, and our clients need none, because they
/// are compiled against the runtime's own types rather than reading metadata they would have
/// to trust. Signers that decode calls from metadata (hardware wallets, polkadot-api) send
/// mode `Enabled` and sign the hash; [`signed_with_metadata_hash`] does it the same way.
pub fn signed(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	ctx: ChainContext,
) -> UncheckedExtrinsic {
	sign(call, signer, nonce, ctx, None)
}

/// Like [`signed`], with `CheckMetadataHash` in mode `Enabled` and `metadata_hash` signed: the
/// runtime accepts it only if the hash is the one built into it (its signature check fails
/// otherwise), as a metadata-verifying wallet's transaction.
pub fn signed_with_metadata_hash(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	ctx: ChainContext,
	metadata_hash: [u8; 32],
) -> UncheckedExtrinsic {
	sign(call, signer, nonce, ctx, Some(metadata_hash))
}

fn sign(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	ctx: ChainContext,
	metadata_hash: Option<[u8; 32]>,
) -> UncheckedExtrinsic {
	// The explicit part of the metadata check is its mode; the implicit part (signed, never
	// sent) is the hash in mode `Enabled`, `None` in mode `Disabled`.
	let metadata_check = match metadata_hash {
		Some(hash) => frame_metadata_hash_extension::CheckMetadataHash::new_with_custom_hash(hash),
		None => frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
	};
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_skip_feeless_payment::SkipCheckIfFeeless::from(
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		),
		pallet_consent::PatientAllowance::<Runtime>::new(),
		metadata_check,
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let implicit = (
		(),
		ctx.spec_version,
		ctx.transaction_version,
		ctx.genesis,
		ctx.genesis,
		(),
		(),
		(),
		(),
		metadata_hash,
		(),
	);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let account: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(call, account.into(), signature.into(), extension)
}

/// The next nonce of an account, counting transactions in the node's pool.
pub fn next_nonce<C: Chain>(chain: &C, account: &AccountId) -> Result<Nonce, C::Error> {
	let v = chain.rpc("system_accountNextIndex", json!([account.to_string()]))?;
	Ok(parse_nonce(&v)?)
}

/// A `system_accountNextIndex` answer as a nonce.
pub fn parse_nonce(v: &Value) -> Result<Nonce, Error> {
	v.as_u64()
		.and_then(|n| Nonce::try_from(n).ok())
		.ok_or_else(|| Error::Decode(format!("not a nonce: {v}")))
}

/// The free balance of an account at a block (`None`: best).
pub fn free_balance<C: Chain>(
	chain: &C,
	account: &AccountId,
	at: Option<&str>,
) -> Result<Balance, C::Error> {
	let key = frame_system::Account::<Runtime>::hashed_key_for(account);
	let info: Option<frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>> =
		chain.storage(&key, at)?;
	Ok(info.map(|i| i.data.free).unwrap_or_default())
}

/// A `transfer_keep_alive` call.
pub fn transfer(to: &AccountId, amount: Balance) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.clone().into(),
		value: amount,
	})
}

/// An extrinsic found in a block, with its dispatch outcome.
#[derive(Debug)]
pub struct Included {
	/// Number of the block.
	pub block_number: u32,
	/// Hash of the block.
	pub block_hash: String,
	/// Index of the extrinsic in the block.
	pub index: u32,
	/// `Ok` if dispatched successfully, else the dispatch error.
	pub result: Result<(), sp_runtime::DispatchError>,
	/// The events the extrinsic emitted.
	pub events: Vec<RuntimeEvent>,
}

impl Included {
	/// The extrinsic's outcome from its block's events: its own events and whether it was
	/// dispatched successfully.
	pub fn from_events(
		records: EventRecords,
		block_number: u32,
		block_hash: String,
		index: u32,
	) -> Self {
		use frame_system::Phase;
		let mut result = Err(sp_runtime::DispatchError::Other("no ExtrinsicSuccess/Failed event"));
		let mut emitted = Vec::new();
		for record in records {
			if record.phase != Phase::ApplyExtrinsic(index) {
				continue;
			}
			match &record.event {
				RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }) => {
					result = Ok(())
				},
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error,
					..
				}) => result = Err(*dispatch_error),
				_ => {},
			}
			emitted.push(record.event);
		}
		Included { block_number, block_hash, index, result, events: emitted }
	}

	/// `Ok(self)` if the extrinsic was dispatched successfully, else [`Error::ChainRefused`]
	/// naming `what`.
	pub fn dispatched(self, what: &str) -> Result<Self, Error> {
		match self.result {
			Ok(()) => Ok(self),
			Err(e) => Err(Error::refused(what, Some(self.block_number), e)),
		}
	}
}

/// The storage key of `System::Events`.
pub fn events_key() -> Vec<u8> {
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend(sp_crypto_hashing::twox_128(b"Events"));
	key
}

/// The events of a block.
pub fn events<C: Chain>(chain: &C, at: &str) -> Result<EventRecords, C::Error> {
	Ok(chain.storage(&events_key(), Some(at))?.unwrap_or_default())
}

/// Submits `extrinsic` and waits (at most `timeout`) until it is in a block of the best chain;
/// returns where it is and how it was dispatched.
pub fn submit_and_wait<C: Chain>(
	chain: &C,
	extrinsic: &[u8],
	timeout: Duration,
) -> Result<Included, C::Error> {
	let mut found = submit_all_and_wait(chain, &[extrinsic.to_vec()], timeout)?;
	Ok(found.pop().ok_or_else(|| Error::Decode("no outcome".into()))?)
}

/// Submits `extrinsics` together and waits (at most `timeout`) until each is in a block of the
/// best chain; returns where each is and how it was dispatched, in the order given.
pub fn submit_all_and_wait<C: Chain>(
	chain: &C,
	extrinsics: &[Vec<u8>],
	timeout: Duration,
) -> Result<Vec<Included>, C::Error> {
	let from = chain.best_number()?;
	for extrinsic in extrinsics {
		chain.submit(extrinsic)?;
	}
	let deadline = Instant::now() + timeout;
	let mut found: Vec<Option<Included>> = extrinsics.iter().map(|_| None).collect();
	let mut next = from;
	loop {
		let best = chain.best_number()?;
		while next <= best {
			let Some(hash) = chain.block_hash(next)? else { break };
			let xts = chain.block_extrinsics(&hash)?;
			for (wanted, slot) in extrinsics.iter().zip(found.iter_mut()) {
				if slot.is_none() {
					if let Some(index) = xts.iter().position(|x| x == wanted) {
						let records = events(chain, &hash)?;
						*slot =
							Some(Included::from_events(records, next, hash.clone(), index as u32));
					}
				}
			}
			next += 1;
		}
		if found.iter().all(Option::is_some) {
			return Ok(found.into_iter().flatten().collect());
		}
		if Instant::now() >= deadline {
			let missing = found.iter().filter(|f| f.is_none()).count();
			return Err(Error::Timeout(format!(
				"{missing} extrinsic(s) not in a block within {timeout:?}"
			))
			.into());
		}
		std::thread::sleep(Duration::from_millis(500));
	}
}

/// Signs `call` by `signer` with its next nonce, submits it and waits for its block; returns
/// where it is and its dispatch outcome, success or not.
pub fn include<C: Chain>(
	chain: &C,
	call: RuntimeCall,
	signer: &sr25519::Pair,
) -> Result<Included, C::Error> {
	let ctx = ChainContext::of(chain)?;
	let account: AccountId = signer.public().into();
	let nonce = next_nonce(chain, &account)?;
	let xt = signed(call, signer, nonce, ctx).encode();
	submit_and_wait(chain, &xt, INCLUSION_TIMEOUT)
}

/// Signs each call by its signer (consecutive nonces when a signer appears more than once),
/// submits them together and waits for their blocks; returns their outcomes in order.
pub fn include_all<C: Chain>(
	chain: &C,
	calls: &[(RuntimeCall, &sr25519::Pair)],
	timeout: Duration,
) -> Result<Vec<Included>, C::Error> {
	let ctx = ChainContext::of(chain)?;
	let mut nonces = std::collections::BTreeMap::<AccountId, Nonce>::new();
	let mut extrinsics = Vec::with_capacity(calls.len());
	for (call, signer) in calls {
		let account: AccountId = signer.public().into();
		let nonce = match nonces.get(&account) {
			Some(n) => n + 1,
			None => next_nonce(chain, &account)?,
		};
		nonces.insert(account, nonce);
		extrinsics.push(signed(call.clone(), signer, nonce, ctx).encode());
	}
	submit_all_and_wait(chain, &extrinsics, timeout)
}

/// Like [`include()`], but fails with [`Error::ChainRefused`] unless the call was dispatched
/// successfully.
pub fn execute<C: Chain>(
	chain: &C,
	call: RuntimeCall,
	signer: &sr25519::Pair,
) -> Result<Included, C::Error> {
	Ok(include(chain, call, signer)?.dispatched("dispatch")?)
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_system::{EventRecord, Phase};
	use sp_runtime::DispatchError;

	#[test]
	fn the_context_is_read_from_rpc_answers() {
		let genesis = format!("0x{}", "11".repeat(32));
		let version = json!({"specVersion": 3, "transactionVersion": 1, "specName": "medchain"});
		let ctx = ChainContext::from_rpc(&genesis, &version).unwrap();
		assert_eq!(ctx.genesis, H256::repeat_byte(0x11));
		assert_eq!((ctx.spec_version, ctx.transaction_version), (3, 1));
		assert!(ChainContext::from_rpc("0x11", &version).is_err());
		assert!(ChainContext::from_rpc(&genesis, &json!({})).is_err());
		assert_eq!(parse_nonce(&json!(4)).unwrap(), 4);
		assert!(parse_nonce(&json!("4")).is_err());
	}

	#[test]
	fn outcomes_are_read_from_the_extrinsics_own_events() {
		let record = |index, event| EventRecord {
			phase: Phase::ApplyExtrinsic(index),
			event,
			topics: vec![],
		};
		let success = RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess {
			dispatch_info: Default::default(),
		});
		let failed = RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
			dispatch_error: DispatchError::BadOrigin,
			dispatch_info: Default::default(),
		});
		let records = vec![record(0, success.clone()), record(1, failed)];
		let ok = Included::from_events(records.clone(), 5, "0xab".into(), 0);
		assert_eq!(ok.result, Ok(()));
		assert_eq!(ok.events, vec![success]);
		let refused = Included::from_events(records, 5, "0xab".into(), 1);
		assert_eq!(refused.result, Err(DispatchError::BadOrigin));
		let err = refused.dispatched("vote").expect_err("refused");
		assert_eq!(err.to_string(), "vote failed in block #5: BadOrigin");
		let none = Included::from_events(vec![], 5, "0xab".into(), 2);
		assert!(none.result.is_err(), "no event: not a success");
	}
}
