//! Runtime upgrades as the council does them: authorize the blob's hash by motion, then anyone
//! applies the blob.

use crate::{tx, Node};
use codec::Encode;
use medchain_runtime::{RuntimeCall, UncheckedExtrinsic};
use serde_json::json;
use sp_core::H256;

/// The hash the council authorizes: BLAKE2-256 of the WASM blob, as `:code` holds it.
pub fn code_hash(code: &[u8]) -> H256 {
	H256(sp_crypto_hashing::blake2_256(code))
}

/// The call a council motion carries to authorize `code` (threshold: two thirds).
pub fn authorize_call(code: &[u8]) -> RuntimeCall {
	RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade {
		code_hash: code_hash(code),
	})
}

/// The unsigned extrinsic that applies an authorized blob (anyone may submit it; no fee).
pub fn apply_extrinsic(code: Vec<u8>) -> Vec<u8> {
	let call = RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code });
	UncheckedExtrinsic::new_bare(call).encode()
}

/// Submits the unsigned apply extrinsic and waits for its block.
pub fn apply(node: &Node, code: Vec<u8>) -> Result<tx::Included, String> {
	tx::submit_and_wait(node, &apply_extrinsic(code), std::time::Duration::from_secs(120))
}

/// The `spec_version` the node runs at its best block.
pub fn spec_version(node: &Node) -> Result<u32, String> {
	let v = node.rpc("state_getRuntimeVersion", json!([])).map_err(|e| e.to_string())?;
	v["specVersion"].as_u64().map(|n| n as u32).ok_or_else(|| format!("no specVersion in {v}"))
}

/// The upgrade authorized and not yet applied, if any: (code hash, check version).
pub fn authorized(node: &Node) -> Result<Option<(H256, bool)>, String> {
	// frame-system's `AuthorizedUpgrade` is private to it: its key, read raw; the value
	// (`CodeUpgradeAuthorization`, private fields) is encoded as (hash, bool).
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend(sp_crypto_hashing::twox_128(b"AuthorizedUpgrade"));
	node.storage::<(H256, bool)>(&key, None)
}
