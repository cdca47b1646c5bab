//! The node allow-list: only the nodes of admitted hospitals (and the genesis nodes) may take
//! part in the network. The council adds and removes libp2p peer ids; every node's offchain
//! worker hands the list to its networking layer (`set_authorized_nodes`, reserved-only mode),
//! which then refuses block sync and announcements with any other peer.
//!
//! Rules that keep the list from partitioning the network:
//!
//! - only well-formed peer ids are accepted ([`is_peer_id`]): a node silently drops an id it
//!   cannot parse, so a typo would otherwise cut the node it meant off the network;
//! - a non-empty list always holds a node of every validator's hospital
//!   ([`covers_validators`]): the first node put on an empty list, a validator added while the
//!   list is in force and a node taken off it are checked, so the council cannot leave a
//!   validator outside the list (the consortium chain lists the founders' nodes at genesis);
//! - a node of a hospital that runs a validator is taken off only with the validator (or when
//!   the hospital is suspended or removed: [`crate::hospitals`]).
//!
//! An empty list means "no restriction" (the single-node development chain). A node that had
//! applied a non-empty list and then sees an empty one leaves reserved-only mode.

use crate::pallet::{AuthorizedNodes, Config, NodeId, Pallet};
use alloc::vec::Vec;
use pallet_institutions::InstitutionId;
use sp_core::OpaquePeerId;
use sp_runtime::offchain::storage::StorageValueRef;

/// The longest digest of an identity multihash nodes accept as a peer id (libp2p inlines public
/// keys up to this length: an Ed25519 key, protobuf-encoded, is 36 bytes).
pub const MAX_INLINE_KEY_LENGTH: usize = 42;

/// Multicodec of the identity "hash" (the public key itself).
const IDENTITY: u8 = 0x00;
/// Multicodec of SHA-256, and its digest length.
const SHA2_256: u8 = 0x12;
const SHA2_256_LENGTH: u8 = 0x20;

/// Whether `bytes` are a libp2p peer id as nodes parse them (`PeerId::from_bytes`): a multihash
/// that is either the identity of 1 to 42 bytes (`00 <len> <key>`, an Ed25519 node key being
/// `00 24 08 01 12 20` and its 32 bytes) or a SHA-256 digest (`12 20` and 32 bytes). Nodes also
/// accept a few degenerate forms (an empty identity, SHA-256 codes with other lengths) that no
/// libp2p key produces; the chain refuses them.
pub fn is_peer_id(bytes: &[u8]) -> bool {
	match bytes {
		[IDENTITY, len, key @ ..] => {
			*len as usize == key.len() && !key.is_empty() && key.len() <= MAX_INLINE_KEY_LENGTH
		},
		[SHA2_256, SHA2_256_LENGTH, digest @ ..] => digest.len() == SHA2_256_LENGTH as usize,
		_ => false,
	}
}

/// Whether `nodes` is empty (no restriction) or holds a node of every validator's hospital
/// (validators without a hospital need a node without one).
pub fn covers_validators<A>(
	nodes: &[(NodeId, Option<InstitutionId>)],
	validators: &[(A, Option<InstitutionId>)],
) -> bool {
	nodes.is_empty() || validators.iter().all(|(_, h)| nodes.iter().any(|(_, g)| g == h))
}

/// Offchain (persistent, per node) flag: this node restricted its network to the list.
const RESTRICTED_KEY: &[u8] = b"medchain::consortium::allow-list-applied";

impl<T: Config> Pallet<T> {
	/// The peer ids the network layer should restrict itself to, or `None` for no restriction.
	pub fn network_allow_list() -> Option<Vec<OpaquePeerId>> {
		let nodes = AuthorizedNodes::<T>::get();
		if nodes.is_empty() {
			return None;
		}
		Some(nodes.into_iter().map(|(id, _)| OpaquePeerId(id.into_inner())).collect())
	}

	/// Run by the offchain worker of every block: applies the allow-list to this node's
	/// network, or, when the list became empty after this node applied one, leaves
	/// reserved-only mode. Needs offchain workers enabled (by default on validators;
	/// `--offchain-worker always` on other nodes).
	pub(crate) fn apply_allow_list() {
		let restricted = StorageValueRef::persistent(RESTRICTED_KEY);
		match Self::network_allow_list() {
			Some(nodes) => {
				sp_io::offchain::set_authorized_nodes(nodes, true);
				restricted.set(&true);
			},
			None => {
				if matches!(restricted.get::<bool>(), Ok(Some(true))) {
					sp_io::offchain::set_authorized_nodes(Vec::new(), false);
					restricted.set(&false);
				}
			},
		}
	}
}
