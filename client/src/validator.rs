//! A hospital's validator node as the chain sees it: session keys generated in the node's
//! keystore and registered on chain, the validator set, and who authored a block.

use crate::{from_hex, poll_until, to_hex, Chain, Error};
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

/// Asks the node to generate fresh session keys in its keystore for `owner`
/// (`author_rotateKeysWithOwner`; the node must allow unsafe RPC methods, which it does on
/// 127.0.0.1 by default).
pub fn rotate_keys<C: Chain>(chain: &C, owner: &AccountId) -> Result<GeneratedKeys, C::Error> {
	let generated = chain.rpc("author_rotateKeysWithOwner", json!([to_hex(&owner.encode())]))?;
	Ok(parse_generated(&generated)?)
}

/// An `author_rotateKeysWithOwner` answer as session keys and proof.
pub fn parse_generated(generated: &serde_json::Value) -> Result<GeneratedKeys, Error> {
	let keys = generated["keys"]
		.as_str()
		.ok_or_else(|| Error::Decode(format!("no keys in the answer {generated}")))?;
	let keys = from_hex(keys)?;
	let keys = SessionKeys::decode(&mut &keys[..]).map_err(|e| {
		Error::Decode(format!("the node's keys are not MedChain session keys: {e}"))
	})?;
	let proof = generated["proof"].as_str().ok_or_else(|| {
		Error::Decode(
			"the runtime gave no proof of possession (SessionKeys API below version 2)".into(),
		)
	})?;
	Ok(GeneratedKeys { keys, proof: from_hex(proof)? })
}

/// The call that registers generated keys for the signer (`Session::set_keys`).
pub fn set_keys_call(generated: &GeneratedKeys) -> RuntimeCall {
	RuntimeCall::Session(pallet_session::Call::set_keys {
		keys: generated.keys.clone(),
		proof: generated.proof.clone(),
	})
}

/// The session keys registered for `account` (they take effect at the next session).
pub fn registered_keys<C: Chain>(
	chain: &C,
	account: &AccountId,
) -> Result<Option<SessionKeys>, C::Error> {
	chain.storage(&pallet_session::NextKeys::<Runtime>::hashed_key_for(account), None)
}

/// The accounts validating in the current session at a block (`None`: best).
pub fn session_validators<C: Chain>(
	chain: &C,
	at: Option<&str>,
) -> Result<Vec<AccountId>, C::Error> {
	Ok(chain.storage(&pallet_session::Validators::<Runtime>::hashed_key(), at)?.unwrap_or_default())
}

/// The validator set the council decided: accounts and their hospitals (it becomes the
/// session's set at the session after next).
pub fn consortium_validators<C: Chain>(
	chain: &C,
) -> Result<Vec<(AccountId, Option<pallet_institutions::InstitutionId>)>, C::Error> {
	Ok(chain
		.storage(&pallet_consortium::Validators::<Runtime>::hashed_key(), None)?
		.unwrap_or_default())
}

/// The current session index.
pub fn session_index<C: Chain>(chain: &C, at: Option<&str>) -> Result<u32, C::Error> {
	Ok(chain
		.storage(&pallet_session::CurrentIndex::<Runtime>::hashed_key(), at)?
		.unwrap_or_default())
}

const AURA_ENGINE_ID: ConsensusEngineId = *b"aura";

/// The Aura key that authored block `hash`: the slot in the block's pre-runtime digest, taken
/// modulo the authorities of its parent state.
pub fn block_author<C: Chain>(chain: &C, hash: &str) -> Result<AuraId, C::Error> {
	let header = chain.rpc("chain_getHeader", json!([hash]))?;
	let logs = header["digest"]["logs"]
		.as_array()
		.ok_or_else(|| Error::Decode(format!("no digest in {header}")))?;
	let mut slot = None;
	for log in logs {
		let bytes = from_hex(log.as_str().unwrap_or_default())?;
		if let Ok(DigestItem::PreRuntime(engine, data)) = DigestItem::decode(&mut &bytes[..]) {
			if engine == AURA_ENGINE_ID {
				slot = Some(u64::decode(&mut &data[..]).map_err(|e| Error::Decode(e.to_string()))?);
			}
		}
	}
	let slot = slot.ok_or_else(|| Error::Decode(format!("block {hash} has no Aura slot")))?;
	let parent = header["parentHash"]
		.as_str()
		.ok_or_else(|| Error::Decode(format!("no parent hash in {header}")))?;
	let authorities: Vec<AuraId> = chain
		.storage(&pallet_aura::Authorities::<Runtime>::hashed_key(), Some(parent))?
		.unwrap_or_default();
	if authorities.is_empty() {
		return Err(Error::Decode(format!("no Aura authorities at {parent}")).into());
	}
	Ok(authorities[(slot % authorities.len() as u64) as usize].clone())
}

/// Waits (at most `timeout`) for a block on the node's best chain, numbered `from` or later,
/// that `key` authored; returns its number.
pub fn wait_authored<C: Chain>(
	chain: &C,
	key: &AuraId,
	from: u32,
	timeout: std::time::Duration,
) -> Result<u32, C::Error> {
	let mut next = from;
	Ok(poll_until(
		&format!("a block from #{from} on authored by {key:?}"),
		timeout,
		std::time::Duration::from_secs(1),
		|| {
			let top = chain.best_number().ok()?;
			while next <= top {
				let hash = chain.block_hash(next).ok()??;
				if &block_author(chain, &hash).ok()? == key {
					return Some(next);
				}
				next += 1;
			}
			None
		},
	)?)
}
