//! Network identities: the client's peer-id and allow-list helpers, plus what only tests need
//! (node keys known before a node starts, a started node's bootnode address).

pub use medchain_client::network::*;

/// A node key (32 bytes, hex) derived from `seed`, so that a test knows a node's peer id
/// before starting it.
pub fn node_key(seed: u64) -> String {
	format!("{:064x}", 0x4d45_4443_0000_0000u64 + seed)
}

/// The node key (hex) of a founding node of the `consortium` and `local_testnet` chains, by its
/// name ("alice", "bob", "charlie", "dave"): the SHA-256 of the name, as zombienet derives node
/// keys. Those nodes' peer ids are on the chains' genesis allow-list
/// (`medchain_runtime::genesis_config_presets::FOUNDER_NODE_KEYS`): a founding node started
/// with another key is refused by the others.
pub fn founder_node_key(name: &str) -> String {
	crate::hashing::sha2_256(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The multiaddress other nodes use to reach `node` on 127.0.0.1.
pub fn bootnode_of(node: &crate::Node) -> Result<String, String> {
	let peer = local_peer_id(node)?;
	Ok(format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer}", node.config.p2p_port))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn node_keys_give_distinct_peer_ids() {
		let (_, a) = peer_id_of_node_key(&node_key(1)).expect("a valid node key");
		let (_, b) = peer_id_of_node_key(&node_key(2)).expect("a valid node key");
		assert_ne!(a, b);
		assert!(a.starts_with("12D3KooW"), "{a}");
	}

	#[test]
	fn founder_node_keys_are_zombienets() {
		// zombienet's well-known peer id of a node named "alice".
		let (_, alice) = peer_id_of_node_key(&founder_node_key("alice")).expect("a node key");
		assert_eq!(alice, "12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm");
	}
}
