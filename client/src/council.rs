//! Motions of the hospital council on a running chain: propose, vote, close, each a signed
//! extrinsic, as a council member would submit them (`medchain-admin` and the network tests use
//! these functions).

use crate::{
	tx::{self, Included},
	Chain, Error,
};
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use medchain_runtime::{AccountId, Hash, Runtime, RuntimeCall, RuntimeEvent};
use sp_core::{sr25519, Pair};
use sp_runtime::{traits::Hash as _, DispatchResult};
use std::time::Duration;

pub use crate::error::describe;

type CouncilInstance = pallet_collective::Instance1;

/// How long a motion's step may wait for its block.
const STEP_TIMEOUT: Duration = Duration::from_secs(90);

/// A proposal of the council, as the chain knows it.
#[derive(Clone, Debug)]
pub struct Motion {
	/// The proposal's index (`Proposed` event).
	pub index: u32,
	/// The hash of the proposed call.
	pub hash: Hash,
	/// The encoded length of the call (the `length_bound` to pass to `close`).
	pub length: u32,
	/// The call's weight (the `proposal_weight_bound` to pass to `close`).
	pub weight: frame_support::weights::Weight,
	/// The ayes needed.
	pub threshold: u32,
}

/// The fewest ayes for "more than half" of `seats` (admission, suspension, validators).
pub fn majority(seats: u32) -> u32 {
	seats / 2 + 1
}

/// The fewest ayes for "at least two thirds" of `seats` (removal, runtime upgrades).
pub fn two_thirds(seats: u32) -> u32 {
	(2 * seats).div_ceil(3)
}

/// The council members at a block (`None`: best).
pub fn members<C: Chain>(chain: &C, at: Option<&str>) -> Result<Vec<AccountId>, C::Error> {
	let key = pallet_collective::Members::<Runtime, CouncilInstance>::hashed_key();
	Ok(chain.storage(&key, at)?.unwrap_or_default())
}

/// The number of hospitals the council's thresholds are counted over: the seats (active
/// hospitals) plus the suspended hospitals, which still count (docs/governance.md). Compute a
/// motion's threshold from this, not from the seats alone.
pub fn hospital_base<C: Chain>(chain: &C) -> Result<u32, C::Error> {
	let seats = members(chain, None)?.len() as u32;
	let key = pallet_consortium::SuspendedHospitals::<Runtime>::counter_storage_final_key();
	let suspended: u32 = chain.storage(&key, None)?.unwrap_or_default();
	Ok(seats.saturating_add(suspended))
}

/// The open proposals' hashes.
pub fn open_proposals<C: Chain>(chain: &C) -> Result<Vec<Hash>, C::Error> {
	let key = pallet_collective::Proposals::<Runtime, CouncilInstance>::hashed_key();
	Ok(chain.storage(&key, None)?.unwrap_or_default())
}

/// The votes on an open proposal, as pallet-collective keeps them (its `Votes` has private
/// fields; this mirrors its encoding).
#[derive(Clone, Debug, PartialEq, codec::Decode)]
pub struct Tally {
	/// The proposal's index.
	pub index: u32,
	/// The ayes needed.
	pub threshold: u32,
	/// Members who voted aye.
	pub ayes: Vec<AccountId>,
	/// Members who voted nay.
	pub nays: Vec<AccountId>,
	/// The block from which the motion may be closed whatever the votes.
	pub end: medchain_runtime::BlockNumber,
}

/// The votes on an open proposal.
pub fn votes<C: Chain>(chain: &C, hash: Hash) -> Result<Option<Tally>, C::Error> {
	let key = pallet_collective::Voting::<Runtime, CouncilInstance>::hashed_key_for(hash);
	chain.storage(&key, None)
}

/// The call proposed under `hash`, if the proposal is open.
pub fn proposal_of<C: Chain>(chain: &C, hash: Hash) -> Result<Option<RuntimeCall>, C::Error> {
	let key = pallet_collective::ProposalOf::<Runtime, CouncilInstance>::hashed_key_for(hash);
	chain.storage(&key, None)
}

/// The motion that proposing `call` with `threshold` creates (index read from the event).
fn motion_of(call: &RuntimeCall, threshold: u32, index: u32) -> Motion {
	Motion {
		index,
		hash: <Runtime as frame_system::Config>::Hashing::hash_of(call),
		length: call.encoded_size() as u32,
		weight: call.get_dispatch_info().call_weight,
		threshold,
	}
}

/// The motion of an open proposal, rebuilt from the chain (for members who vote later).
pub fn open_motion<C: Chain>(chain: &C, hash: Hash) -> Result<Motion, C::Error> {
	let call = proposal_of(chain, hash)?
		.ok_or_else(|| Error::Invalid(format!("no open proposal {hash:?}")))?;
	let tally = votes(chain, hash)?
		.ok_or_else(|| Error::Invalid(format!("no votes recorded for {hash:?}")))?;
	Ok(motion_of(&call, tally.threshold, tally.index))
}

/// `proposer` (a member) proposes `call`, needing `threshold` ayes. With a threshold below 2
/// the collective executes the call at once (no motion is opened); this returns an error then,
/// since a decision of the council is always a vote.
pub fn propose<C: Chain>(
	chain: &C,
	proposer: &sr25519::Pair,
	threshold: u32,
	call: RuntimeCall,
) -> Result<Motion, C::Error> {
	if threshold < 2 {
		return Err(
			Error::Invalid("a council motion needs a threshold of at least 2".into()).into()
		);
	}
	let length = call.encoded_size() as u32;
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(call.clone()),
		length_bound: length,
	});
	let included = tx::include(chain, propose, proposer)?.dispatched("propose")?;
	let index = included
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Council(pallet_collective::Event::Proposed {
				proposal_index, ..
			}) => Some(*proposal_index),
			_ => None,
		})
		.ok_or_else(|| Error::Decode("no Proposed event".into()))?;
	Ok(motion_of(&call, threshold, index))
}

/// Each of `voters` votes aye (`true`) or nay on `motion`; the votes go in together.
pub fn vote<C: Chain>(
	chain: &C,
	motion: &Motion,
	voters: &[&sr25519::Pair],
	aye: bool,
) -> Result<Vec<Included>, C::Error> {
	let call = RuntimeCall::Council(pallet_collective::Call::vote {
		proposal: motion.hash,
		index: motion.index,
		approve: aye,
	});
	let signed: Vec<_> = voters.iter().map(|v| (call.clone(), *v)).collect();
	tx::include_all(chain, &signed, STEP_TIMEOUT)?
		.into_iter()
		.map(|i| i.dispatched("vote").map_err(C::Error::from))
		.collect()
}

/// What closing a motion did.
#[derive(Debug, PartialEq)]
pub enum Closed {
	/// Approved and executed, with the call's result.
	Executed(DispatchResult),
	/// Not approved.
	Disapproved,
}

/// `who` closes `motion`; returns whether it was executed and how the call went.
pub fn close<C: Chain>(
	chain: &C,
	who: &sr25519::Pair,
	motion: &Motion,
) -> Result<Closed, C::Error> {
	let call = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: motion.hash,
		index: motion.index,
		proposal_weight_bound: motion.weight,
		length_bound: motion.length,
	});
	let included = tx::include(chain, call, who)?.dispatched("close")?;
	for event in &included.events {
		match event {
			RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => {
				return Ok(Closed::Executed(*result))
			},
			RuntimeEvent::Council(pallet_collective::Event::Disapproved { .. }) => {
				return Ok(Closed::Disapproved)
			},
			_ => {},
		}
	}
	Err(Error::Decode(format!(
		"closing motion #{} emitted neither Executed nor Disapproved",
		motion.index
	))
	.into())
}

/// The account of a key pair.
pub fn account(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}
