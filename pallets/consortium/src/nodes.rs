//! The node allow-list: only the nodes of admitted hospitals (and the genesis nodes) may take
//! part in the network. The council adds and removes libp2p peer ids; every node's offchain
//! worker hands the list to its networking layer (`set_authorized_nodes`, reserved-only mode),
//! which then refuses block sync and announcements with any other peer.
//!
//! An empty list means "no restriction" (the single-node development chain).

use crate::pallet::{AuthorizedNodes, Config, Pallet};
use alloc::vec::Vec;
use sp_core::OpaquePeerId;

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
	/// network. Needs offchain workers enabled (by default on validators; `--offchain-worker
	/// always` on other nodes).
	pub(crate) fn apply_allow_list() {
		if let Some(nodes) = Self::network_allow_list() {
			sp_io::offchain::set_authorized_nodes(nodes, true);
		}
	}
}
