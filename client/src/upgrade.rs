//! Runtime upgrades as the council does them: authorize the blob's hash by motion, then anyone
//! applies the blob.

use crate::{tx, Chain, Error};
use codec::Encode;
use medchain_runtime::{RuntimeCall, UncheckedExtrinsic};
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
pub fn apply<C: Chain>(chain: &C, code: Vec<u8>) -> Result<tx::Included, C::Error> {
	tx::submit_and_wait(chain, &apply_extrinsic(code), std::time::Duration::from_secs(120))
}

/// The `spec_version` the node runs at its best block.
pub fn spec_version<C: Chain>(chain: &C) -> Result<u32, C::Error> {
	let v = chain.runtime_version()?;
	Ok(v["specVersion"]
		.as_u64()
		.and_then(|n| u32::try_from(n).ok())
		.ok_or_else(|| Error::Decode(format!("no specVersion in {v}")))?)
}

/// The upgrade authorized and not yet applied, if any: (code hash, check version).
pub fn authorized<C: Chain>(chain: &C) -> Result<Option<(H256, bool)>, C::Error> {
	// frame-system's `AuthorizedUpgrade` is private to it: its key, read raw; the value
	// (`CodeUpgradeAuthorization`, private fields) is encoded as (hash, bool).
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend(sp_crypto_hashing::twox_128(b"AuthorizedUpgrade"));
	chain.storage::<(H256, bool)>(&key, None)
}
