//! The council decisions the tool proposes, as runtime calls with the threshold each needs.

use crate::{cli::Proposal, commands::read_wasm, Failure};
use medchain_client::{council, upgrade};
use medchain_runtime::RuntimeCall;

/// How many of the seats a decision needs (the runtime's council origins).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Needed {
	/// More than half: admission, validators, the node allow-list.
	Majority,
	/// At least two thirds: runtime upgrades.
	TwoThirds,
}

impl Needed {
	/// The ayes needed out of `seats`.
	pub fn ayes(self, seats: u32) -> u32 {
		match self {
			Needed::Majority => council::majority(seats),
			Needed::TwoThirds => council::two_thirds(seats),
		}
	}
}

/// The call of a proposal and the threshold it needs.
pub fn to_call(proposal: &Proposal) -> Result<(RuntimeCall, Needed), Failure> {
	use pallet_consortium::Call as Consortium;
	Ok(match proposal {
		Proposal::AdmitHospital { admin, name } => (
			RuntimeCall::Institutions(pallet_institutions::Call::admit {
				admin: admin.clone(),
				kind: pallet_institutions::InstitutionKind::Hospital,
				name: name.as_bytes().to_vec(),
			}),
			Needed::Majority,
		),
		Proposal::AddValidator { account, hospital } => (
			RuntimeCall::Consortium(Consortium::add_validator {
				validator: account.clone(),
				hospital: *hospital,
			}),
			Needed::Majority,
		),
		Proposal::RemoveValidator { account } => (
			RuntimeCall::Consortium(Consortium::remove_validator { validator: account.clone() }),
			Needed::Majority,
		),
		Proposal::AuthorizeNode { peer_id, hospital } => (
			RuntimeCall::Consortium(Consortium::authorize_node {
				node: peer_id.0.clone(),
				hospital: *hospital,
			}),
			Needed::Majority,
		),
		Proposal::DeauthorizeNode { peer_id } => (
			RuntimeCall::Consortium(Consortium::deauthorize_node { node: peer_id.0.clone() }),
			Needed::Majority,
		),
		Proposal::AuthorizeUpgrade { wasm } => {
			(upgrade::authorize_call(&read_wasm(wasm)?), Needed::TwoThirds)
		},
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn thresholds_follow_the_council_origins() {
		// 4 seats: 3 for a majority, 3 for two thirds; 5 seats: 3 and 4; 6 seats: 4 and 4.
		assert_eq!(Needed::Majority.ayes(4), 3);
		assert_eq!(Needed::TwoThirds.ayes(4), 3);
		assert_eq!(Needed::Majority.ayes(5), 3);
		assert_eq!(Needed::TwoThirds.ayes(5), 4);
		assert_eq!(Needed::Majority.ayes(6), 4);
		assert_eq!(Needed::TwoThirds.ayes(6), 4);
	}
}
