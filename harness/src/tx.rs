//! Signed extrinsics and account state, built with the runtime's own types so that a test
//! cannot drift from what the chain accepts.

use crate::{from_hex, Node};
use codec::Encode;
use medchain_runtime::{
	AccountId, Balance, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic,
};
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::generic::Era;

/// What a signature commits to besides the call: the chain and runtime it is valid for.
#[derive(Clone, Copy, Debug)]
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
	pub fn of(node: &Node) -> Result<Self, String> {
		let genesis = node.block_hash(0)?.ok_or("no genesis hash")?;
		let genesis = H256::from_slice(&from_hex(&genesis)?);
		let version = node.rpc("state_getRuntimeVersion", json!([])).map_err(|e| e.to_string())?;
		let field = |name: &str| {
			version[name]
				.as_u64()
				.map(|v| v as u32)
				.ok_or_else(|| format!("no {name} in {version}"))
		};
		Ok(Self {
			genesis,
			spec_version: field("specVersion")?,
			transaction_version: field("transactionVersion")?,
		})
	}
}

/// An immortal signed extrinsic of `call` by `signer` with `nonce`, tip 0.
pub fn signed(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	ctx: ChainContext,
) -> UncheckedExtrinsic {
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
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let implicit =
		((), ctx.spec_version, ctx.transaction_version, ctx.genesis, ctx.genesis, (), (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let account: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(call, account.into(), signature.into(), extension)
}

/// The next nonce of an account, counting transactions in the node's pool.
pub fn next_nonce(node: &Node, account: &AccountId) -> Result<Nonce, String> {
	let v = node
		.rpc("system_accountNextIndex", json!([account.to_string()]))
		.map_err(|e| e.to_string())?;
	v.as_u64().map(|n| n as Nonce).ok_or_else(|| format!("not a nonce: {v}"))
}

/// The free balance of an account at a block (`None`: best).
pub fn free_balance(node: &Node, account: &AccountId, at: Option<&str>) -> Result<Balance, String> {
	let key = frame_system::Account::<Runtime>::hashed_key_for(account);
	let info: Option<frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>> =
		node.storage(&key, at)?;
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
	pub events: Vec<medchain_runtime::RuntimeEvent>,
}

/// The events of a block.
pub fn events(
	node: &Node,
	at: &str,
) -> Result<Vec<frame_system::EventRecord<medchain_runtime::RuntimeEvent, H256>>, String> {
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend(sp_crypto_hashing::twox_128(b"Events"));
	Ok(node.storage(&key, Some(at))?.unwrap_or_default())
}

/// Submits `extrinsic` and waits (at most `timeout`) until it is in a block of the best chain;
/// returns where it is and how it was dispatched.
pub fn submit_and_wait(
	node: &Node,
	extrinsic: &[u8],
	timeout: std::time::Duration,
) -> Result<Included, String> {
	let mut found = submit_all_and_wait(node, &[extrinsic.to_vec()], timeout)?;
	found.pop().ok_or_else(|| "no outcome".to_string())
}

/// Submits `extrinsics` together and waits (at most `timeout`) until each is in a block of the
/// best chain; returns where each is and how it was dispatched, in the order given.
pub fn submit_all_and_wait(
	node: &Node,
	extrinsics: &[Vec<u8>],
	timeout: std::time::Duration,
) -> Result<Vec<Included>, String> {
	let from = node.best_number()?;
	for extrinsic in extrinsics {
		node.submit(extrinsic).map_err(|e| format!("submission refused: {e}"))?;
	}
	let deadline = std::time::Instant::now() + timeout;
	let mut found: Vec<Option<Included>> = extrinsics.iter().map(|_| None).collect();
	let mut next = from;
	loop {
		let best = node.best_number()?;
		while next <= best {
			let Some(hash) = node.block_hash(next)? else { break };
			let xts = node.block_extrinsics(&hash)?;
			for (wanted, slot) in extrinsics.iter().zip(found.iter_mut()) {
				if slot.is_none() {
					if let Some(index) = xts.iter().position(|x| x == wanted) {
						*slot = Some(outcome(node, next, hash.clone(), index as u32)?);
					}
				}
			}
			next += 1;
		}
		if found.iter().all(Option::is_some) {
			return Ok(found.into_iter().flatten().collect());
		}
		if std::time::Instant::now() >= deadline {
			let missing = found.iter().filter(|f| f.is_none()).count();
			return Err(format!("{missing} extrinsic(s) not in a block within {timeout:?}"));
		}
		std::thread::sleep(std::time::Duration::from_millis(500));
	}
}

fn outcome(
	node: &Node,
	block_number: u32,
	block_hash: String,
	index: u32,
) -> Result<Included, String> {
	use frame_system::Phase;
	use medchain_runtime::RuntimeEvent;
	let mut result = Err(sp_runtime::DispatchError::Other("no ExtrinsicSuccess/Failed event"));
	let mut emitted = Vec::new();
	for record in events(node, &block_hash)? {
		if record.phase != Phase::ApplyExtrinsic(index) {
			continue;
		}
		match &record.event {
			RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }) => result = Ok(()),
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error, ..
			}) => result = Err(*dispatch_error),
			_ => {},
		}
		emitted.push(record.event);
	}
	Ok(Included { block_number, block_hash, index, result, events: emitted })
}

/// Signs `call` by `signer` with its next nonce, submits it and waits for its block; returns
/// where it is and its dispatch outcome, success or not.
pub fn include(node: &Node, call: RuntimeCall, signer: &sr25519::Pair) -> Result<Included, String> {
	let ctx = ChainContext::of(node)?;
	let account: AccountId = signer.public().into();
	let nonce = next_nonce(node, &account)?;
	let xt = signed(call, signer, nonce, ctx).encode();
	submit_and_wait(node, &xt, std::time::Duration::from_secs(60))
}

/// Signs each call by its signer (consecutive nonces when a signer appears more than once),
/// submits them together and waits for their blocks; returns their outcomes in order.
pub fn include_all(
	node: &Node,
	calls: &[(RuntimeCall, &sr25519::Pair)],
	timeout: std::time::Duration,
) -> Result<Vec<Included>, String> {
	let ctx = ChainContext::of(node)?;
	let mut nonces = std::collections::BTreeMap::<AccountId, Nonce>::new();
	let mut extrinsics = Vec::with_capacity(calls.len());
	for (call, signer) in calls {
		let account: AccountId = signer.public().into();
		let nonce = match nonces.get(&account) {
			Some(n) => n + 1,
			None => next_nonce(node, &account)?,
		};
		nonces.insert(account, nonce);
		extrinsics.push(signed(call.clone(), signer, nonce, ctx).encode());
	}
	submit_all_and_wait(node, &extrinsics, timeout)
}

/// Like [`include`], but fails unless the call was dispatched successfully.
pub fn execute(node: &Node, call: RuntimeCall, signer: &sr25519::Pair) -> Result<Included, String> {
	let included = include(node, call, signer)?;
	match included.result {
		Ok(()) => Ok(included),
		Err(e) => Err(format!("dispatch failed in block #{}: {e:?}", included.block_number)),
	}
}
