//! Network identities: the libp2p peer id of a node key, as the consortium's allow-list stores
//! it (raw multihash bytes) and as `system_localPeerId` shows it (base58); the allow-list on
//! chain.

use crate::{Chain, Error};
use serde_json::json;
use sp_core::{ed25519, Pair};

/// The peer id of the node whose `--node-key` is `secret` (32-byte Ed25519 secret, hex), as
/// (bytes, base58). A libp2p Ed25519 peer id is the identity multihash of the protobuf-encoded
/// public key.
pub fn peer_id_of_node_key(secret: &str) -> Result<(Vec<u8>, String), Error> {
	let seed: [u8; 32] = crate::from_hex(secret)?
		.try_into()
		.map_err(|_| Error::Invalid("a node key is 32 bytes (64 hex digits)".into()))?;
	let public = ed25519::Pair::from_seed(&seed).public();
	// multihash: identity (0x00), 36 bytes; protobuf: key type Ed25519 (0x08 0x01), data (0x12
	// 0x20) then the 32-byte key.
	let mut bytes = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	bytes.extend_from_slice(&public.0);
	let text = bs58::encode(&bytes).into_string();
	Ok((bytes, text))
}

/// The bytes of a base58 peer id (`12D3KooW…`), checked to be a multihash of a public key.
pub fn peer_id_bytes(base58: &str) -> Result<Vec<u8>, Error> {
	let bytes = bs58::decode(base58.trim())
		.into_vec()
		.map_err(|e| Error::Invalid(format!("`{base58}` is not a base58 peer id: {e}")))?;
	// identity multihash (inline public key) or sha2-256 multihash (hashed public key)
	let well_formed = match bytes.as_slice() {
		[0x00, len, rest @ ..] => *len as usize == rest.len(),
		[0x12, 0x20, rest @ ..] => rest.len() == 32,
		_ => false,
	};
	if !well_formed || bytes.len() > 128 {
		return Err(Error::Invalid(format!("`{base58}` is not a libp2p peer id")));
	}
	Ok(bytes)
}

/// The base58 text of peer id bytes.
pub fn peer_id_text(bytes: &[u8]) -> String {
	bs58::encode(bytes).into_string()
}

/// The peer id (base58) of the node answering on this connection (`system_localPeerId`).
pub fn local_peer_id<C: Chain>(chain: &C) -> Result<String, C::Error> {
	let peer = chain.rpc("system_localPeerId", json!([]))?;
	Ok(peer
		.as_str()
		.map(str::to_string)
		.ok_or_else(|| Error::Decode(format!("not a peer id: {peer}")))?)
}

/// The network allow-list: (peer id bytes, hospital running the node).
pub type AllowList = Vec<(Vec<u8>, Option<pallet_institutions::InstitutionId>)>;

/// The allow-list on chain.
pub fn authorized_nodes<C: Chain>(chain: &C) -> Result<AllowList, C::Error> {
	let key = pallet_consortium::AuthorizedNodes::<medchain_runtime::Runtime>::hashed_key();
	Ok(chain.storage(&key, None)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_node_key_gives_its_peer_id_and_back() {
		let (bytes, text) = peer_id_of_node_key(&format!("{:064x}", 1)).expect("a valid node key");
		assert!(text.starts_with("12D3KooW"), "an Ed25519 peer id: {text}");
		assert_eq!(peer_id_bytes(&text).unwrap(), bytes);
		assert_eq!(peer_id_text(&bytes), text);
		assert_eq!(bytes.len(), 38);
	}

	#[test]
	fn malformed_peer_ids_and_keys_are_refused() {
		assert!(peer_id_bytes("not base58 0OIl").is_err());
		assert!(peer_id_bytes("3yZe7d").is_err(), "valid base58, not a multihash");
		assert!(peer_id_of_node_key("abcd").is_err());
	}
}
