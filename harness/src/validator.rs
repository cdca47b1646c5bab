//! A hospital's validator node as the chain sees it: session keys generated in the node's
//! keystore and registered on chain, the validator set, and who authored a block.

use crate::{from_hex, to_hex, wait_until, Node};
use codec::{Decode, Encode};
use medchain_runtime::{AccountId, Runtime, RuntimeCall, SessionKeys};
use serde_json::json;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{generic::DigestItem, ConsensusEngineId};

/// Session keys that a node generated in its keystore for an owner account.
#[derive(Clone, Debug)]
pub struct GeneratedKeys {
	/// The public keys (Aura, GRANDPA).
	pub keys: SessionKeys,
	/// The proof that the owner holds them, for `Session::set_keys`.
	pub proof: Vec<u8>,
}

/// Asks `node` to generate fresh session keys in its keystore for `owner`
/// (`author_rotateKeysWithOwner`; the node must allow unsafe RPC methods, which it does on
/// 127.0.0.1 by default).
pub fn rotate_keys(node: &Node, owner: &AccountId) -> Result<GeneratedKeys, String> {
	let generated = node
		.rpc("author_rotateKeysWithOwner", json!([to_hex(&owner.encode())]))
		.map_err(|e| format!("author_rotateKeysWithOwner: {e}"))?;
	let keys = from_hex(generated["keys"].as_str().ok_or("no keys in the answer")?)?;
	let keys = SessionKeys::decode(&mut &keys[..])
		.map_err(|e| format!("the node's keys are not MedChain session keys: {e}"))?;
	let proof = from_hex(
		generated["proof"]
			.as_str()
			.ok_or("the runtime gave no proof of possession (SessionKeys API below version 2)")?,
	)?;
	Ok(GeneratedKeys { keys, proof })
}

/// The call that registers generated keys for the signer (`Session::set_keys`).
pub fn set_keys_call(generated: &GeneratedKeys) -> RuntimeCall {
	RuntimeCall::Session(pallet_session::Call::set_keys {
		keys: generated.keys.clone(),
		proof: generated.proof.clone(),
	})
}

/// The session keys registered for `account` (they take effect at the next session).
pub fn registered_keys(node: &Node, account: &AccountId) -> Result<Option<SessionKeys>, String> {
	node.storage(&pallet_session::NextKeys::<Runtime>::hashed_key_for(account), None)
}

/// The accounts validating in the current session at a block (`None`: best).
pub fn session_validators(node: &Node, at: Option<&str>) -> Result<Vec<AccountId>, String> {
	Ok(node.storage(&pallet_session::Validators::<Runtime>::hashed_key(), at)?.unwrap_or_default())
}

/// The validator set the council decided: accounts and their hospitals (it becomes the
/// session's set at the session after next).
pub fn consortium_validators(
	node: &Node,
) -> Result<Vec<(AccountId, Option<pallet_institutions::InstitutionId>)>, String> {
	Ok(node
		.storage(&pallet_consortium::Validators::<Runtime>::hashed_key(), None)?
		.unwrap_or_default())
}

/// The current session index.
pub fn session_index(node: &Node, at: Option<&str>) -> Result<u32, String> {
	Ok(node
		.storage(&pallet_session::CurrentIndex::<Runtime>::hashed_key(), at)?
		.unwrap_or_default())
}

const AURA_ENGINE_ID: ConsensusEngineId = *b"aura";

/// The Aura key that authored block `hash`: the slot in the block's pre-runtime digest, taken
/// modulo the authorities of its parent state.
pub fn block_author(node: &Node, hash: &str) -> Result<AuraId, String> {
	let header = node.rpc("chain_getHeader", json!([hash])).map_err(|e| e.to_string())?;
	let logs =
		header["digest"]["logs"].as_array().ok_or_else(|| format!("no digest in {header}"))?;
	let mut slot = None;
	for log in logs {
		let bytes = from_hex(log.as_str().unwrap_or_default())?;
		if let Ok(DigestItem::PreRuntime(engine, data)) = DigestItem::decode(&mut &bytes[..]) {
			if engine == AURA_ENGINE_ID {
				slot = Some(u64::decode(&mut &data[..]).map_err(|e| e.to_string())?);
			}
		}
	}
	let slot = slot.ok_or_else(|| format!("block {hash} has no Aura slot"))?;
	let parent = header["parentHash"].as_str().ok_or("no parent hash")?;
	let authorities: Vec<AuraId> = node
		.storage(&pallet_aura::Authorities::<Runtime>::hashed_key(), Some(parent))?
		.unwrap_or_default();
	if authorities.is_empty() {
		return Err(format!("no Aura authorities at {parent}"));
	}
	Ok(authorities[(slot % authorities.len() as u64) as usize].clone())
}

/// Waits (at most `timeout`) for a block on `node`'s best chain, numbered `from` or later,
/// that `key` authored; returns its number.
pub fn wait_authored(
	node: &Node,
	key: &AuraId,
	from: u32,
	timeout: std::time::Duration,
) -> Result<u32, String> {
	let mut next = from;
	wait_until(
		&format!("a block from #{from} on authored by {key:?}"),
		timeout,
		std::time::Duration::from_secs(1),
		|| {
			let top = node.best_number().ok()?;
			while next <= top {
				let hash = node.block_hash(next).ok()??;
				if &block_author(node, &hash).ok()? == key {
					return Some(next);
				}
				next += 1;
			}
			None
		},
	)
}
