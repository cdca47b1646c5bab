//! The hospital council and what it decides (docs/governance.md).
//!
//! The council (pallet-collective) has one seat per active hospital, held by the hospital's
//! admin account; its membership (pallet-membership) follows the institutions registry through
//! [`HospitalCouncilSeats`], so nobody can add or drop a member except by admitting,
//! suspending, reinstating or removing a hospital — decisions the council itself votes on.
//! Root stays accepted next to the council so that the single-node development chain (whose
//! sudo key is Root) keeps working; the consortium chain has no sudo key, so there only the
//! council's origins can pass.
//!
//! Hardening (issue 12, docs/governance.md "Security review (issue 12)"): the membership calls
//! that could make seats drift from the registry are filtered ([`SeatsFollowTheRegistry`]);
//! thresholds are counted over the active and suspended hospitals, not the seats left
//! ([`EnsureCouncilShareOfHospitals`]); silence never counts as aye ([`AbstentionsCountAsNay`]);
//! each member has at most [`MaxOpenMotionsPerMember`] open motions ([`OpenMotionSlot`]).

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{
		Consideration, ConstU128, ConstU32, Contains, EitherOfDiverse, EnsureOrigin, Get,
		MaybeConsideration, OriginTrait,
	},
	weights::Weight,
};
use frame_system::EnsureRoot;
use scale_info::TypeInfo;
use sp_runtime::{traits::StaticLookup, DispatchError, DispatchResult, Perbill};

use super::RuntimeBlockWeights;
use crate::{
	AccountId, BlockNumber, Consortium, Council, CouncilMembership, OriginCaller, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, DAYS,
};

/// The council's instance of pallet-collective (and of pallet-membership).
pub type CouncilInstance = pallet_collective::Instance1;

/// A council motion approved by `N / D` of the hospitals: at least that share if not
/// `MORE_THAN`, more than it if `MORE_THAN`. The share is of the active and suspended hospitals
/// ([`pallet_consortium::Pallet::hospital_seat_base`]), not of the seats left when the motion
/// closed: suspending hospitals cannot lower the bar for the others. Replaces
/// pallet-collective's `EnsureProportionAtLeast` / `EnsureProportionMoreThan`, which count the
/// seats.
pub struct EnsureCouncilShareOfHospitals<const N: u32, const D: u32, const MORE_THAN: bool>;

impl<const N: u32, const D: u32, const MORE_THAN: bool> EnsureOrigin<RuntimeOrigin>
	for EnsureCouncilShareOfHospitals<N, D, MORE_THAN>
{
	type Success = ();

	fn try_origin(o: RuntimeOrigin) -> Result<Self::Success, RuntimeOrigin> {
		let reached = matches!(
			o.caller(),
			OriginCaller::Council(pallet_collective::RawOrigin::Members(ayes, seats))
				if Consortium::council_share_reached(*ayes, *seats, N, D, MORE_THAN)
		);
		if reached {
			Ok(())
		} else {
			Err(o)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		// More ayes than there can be hospitals.
		Ok(pallet_collective::RawOrigin::<AccountId, CouncilInstance>::Members(u32::MAX, 0).into())
	}
}

/// More than half of the hospitals (active and suspended) voted aye.
pub type CouncilMajority = EnsureCouncilShareOfHospitals<1, 2, true>;
/// At least two thirds of the hospitals (active and suspended) voted aye.
pub type CouncilTwoThirds = EnsureCouncilShareOfHospitals<2, 3, false>;
/// Root (the development chain's sudo) or a council majority.
pub type RootOrCouncilMajority = EitherOfDiverse<EnsureRoot<AccountId>, CouncilMajority>;
/// Root (the development chain's sudo) or two thirds of the council.
pub type RootOrCouncilTwoThirds = EitherOfDiverse<EnsureRoot<AccountId>, CouncilTwoThirds>;

parameter_types! {
	/// A motion that does not gather its threshold within three days fails.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	/// Hospitals of the consortium (seats).
	pub const CouncilMaxMembers: u32 = 100;
	/// Open motions per member. Filling the 100 open motions takes 50 members, half of the
	/// largest council: a group that can already block any majority motion by voting nay, so
	/// the cap gives no group a veto it does not have (docs/governance.md).
	pub const MaxOpenMotionsPerMember: u32 = 2;
	/// A motion may dispatch at most half a block's weight.
	pub MaxCouncilProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	/// Members who do not vote count as nay, whatever the prime member voted: silence never
	/// passes a motion (with the prime's vote as default, a prime and one other member could
	/// pass a two-thirds motion of four by waiting out the others).
	type DefaultVote = AbstentionsCountAsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Membership is managed through pallet-membership (which follows the registry).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = RootOrCouncilMajority;
	type KillOrigin = RootOrCouncilMajority;
	/// No deposit for proposing (members are admitted hospitals), but at most
	/// `MaxOpenMotionsPerMember` open motions per member.
	type Consideration = OpenMotionSlot;
}

/// Members who do not vote count as nay, whatever the prime member voted (pallet-collective's
/// `PrimeDefaultVote` and `MoreThanMajorityThenPrimeDefaultVote` both let silence count as aye).
pub struct AbstentionsCountAsNay;

impl pallet_collective::DefaultVote for AbstentionsCountAsNay {
	fn default_vote(_prime: Option<bool>, _ayes: u32, _nays: u32, _seats: u32) -> bool {
		false
	}
}

/// A member's place among the open motions (pallet-collective's `Consideration` of a proposal).
/// It costs nothing; creating it is refused (`Consortium::TooManyOpenMotions`) when the proposer
/// has `MaxOpenMotionsPerMember` open motions already (closed ones no longer count).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct OpenMotionSlot;

impl Consideration<AccountId, u32> for OpenMotionSlot {
	/// `index` is the number of other open motions: pallet-collective has just appended the
	/// new motion's hash to its open motions, at that index.
	fn new(who: &AccountId, index: u32) -> Result<Self, DispatchError> {
		let open = pallet_collective::Proposals::<Runtime, CouncilInstance>::get();
		let motion = *open
			.get(index as usize)
			.ok_or(DispatchError::Other("the new motion is not among the open ones"))?;
		Consortium::note_open_motion(who, motion, &open)?;
		Ok(Self)
	}

	fn update(self, _: &AccountId, _: u32) -> Result<Self, DispatchError> {
		Ok(self)
	}

	fn drop(self, _: &AccountId) -> Result<(), DispatchError> {
		Ok(())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, _: u32) {
		pallet_consortium::OpenMotions::<Runtime>::remove(who);
	}
}

impl MaybeConsideration<AccountId, u32> for OpenMotionSlot {
	/// Nothing to keep or release: pallet-collective stores no cost for the motion.
	fn is_none(&self) -> bool {
		true
	}
}

/// The runtime's base call filter: no signed origin (nor a council motion) may change the
/// council's members directly, since the registry is the only source of seats. Refused:
/// pallet-membership's `add_member`, `remove_member`, `swap_member`, `reset_members` and
/// `change_key` (any member could otherwise move its seat to a key the registry does not know,
/// and neither suspension nor removal would find it), and pallet-collective's `set_members`.
/// The registry's own path (`HospitalCouncilSeats`) calls pallet-membership directly, not
/// through a dispatch, and Root (sudo, development chain only) is never filtered.
/// `set_prime` / `clear_prime` stay (majority): the prime has no effect on votes
/// ([`AbstentionsCountAsNay`]).
pub struct SeatsFollowTheRegistry;

impl Contains<RuntimeCall> for SeatsFollowTheRegistry {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_membership::Call as Membership;
		!matches!(
			call,
			RuntimeCall::CouncilMembership(
				Membership::add_member { .. }
					| Membership::remove_member { .. }
					| Membership::swap_member { .. }
					| Membership::reset_members { .. }
					| Membership::change_key { .. }
			) | RuntimeCall::Council(pallet_collective::Call::set_members { .. })
		)
	}
}

/// The number of active hospitals: the council's seats (one per active hospital).
pub struct CouncilSeatCount;

impl Get<u32> for CouncilSeatCount {
	fn get() -> u32 {
		pallet_collective::Members::<Runtime, CouncilInstance>::decode_len().unwrap_or(0) as u32
	}
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Only the registry (through [`HospitalCouncilSeats`], with a Root origin made in the
	/// runtime, not reachable by any key on the consortium chain) changes the members.
	type AddOrigin = EnsureRoot<AccountId>;
	type RemoveOrigin = EnsureRoot<AccountId>;
	type SwapOrigin = EnsureRoot<AccountId>;
	type ResetOrigin = EnsureRoot<AccountId>;
	/// The prime member (whose vote non-voters follow) is chosen by a majority.
	type PrimeOrigin = RootOrCouncilMajority;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// Keeps the council's membership equal to the admins of the active hospitals: the
/// institutions pallet calls it when a hospital is admitted, suspended, reinstated or removed,
/// or changes its admin key.
pub struct HospitalCouncilSeats;

fn lookup(
	account: &AccountId,
) -> <<Runtime as frame_system::Config>::Lookup as StaticLookup>::Source {
	<Runtime as frame_system::Config>::Lookup::unlookup(account.clone())
}

/// Whether `who` holds a council seat.
fn seated(who: &AccountId) -> bool {
	pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get()
		.binary_search(who)
		.is_ok()
}

impl pallet_institutions::CouncilSeats<AccountId> for HospitalCouncilSeats {
	/// Also tells the consortium pallet that a reinstated hospital (one whose admin the
	/// registry knows already; an admitted one's is recorded after this call) is no longer
	/// suspended.
	fn seat(admin: &AccountId) -> DispatchResult {
		CouncilMembership::add_member(RuntimeOrigin::root(), lookup(admin)).map_err(|e| e.error)?;
		if let Some(hospital) = pallet_institutions::AdminOf::<Runtime>::get(admin) {
			Consortium::hospital_reinstated(hospital);
		}
		Ok(())
	}

	/// A seat that is already gone is not an error: suspension and removal always succeed in
	/// taking it away.
	fn unseat(admin: &AccountId) -> DispatchResult {
		if !seated(admin) {
			return Ok(());
		}
		CouncilMembership::remove_member(RuntimeOrigin::root(), lookup(admin))
			.map(|_| ())
			.map_err(|e| e.error)
	}

	/// If the old key holds no seat, the new one takes one.
	fn reseat(old: &AccountId, new: &AccountId) -> DispatchResult {
		let result = if seated(old) {
			CouncilMembership::swap_member(RuntimeOrigin::root(), lookup(old), lookup(new))
		} else {
			CouncilMembership::add_member(RuntimeOrigin::root(), lookup(new))
		};
		result.map(|_| ()).map_err(|e| e.error)
	}

	/// The worst case of a seat change: the council one seat short of full (so the change
	/// can still add one), and `CouncilMaxProposals` open motions, each voted on by every
	/// member (half aye, half nay), since every change of members goes over every open motion
	/// to drop the outgoing members' votes (pallet-collective's `change_members_sorted`).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_worst_case() {
		use codec::Encode;
		use sp_runtime::traits::Hash;
		let members: alloc::vec::Vec<AccountId> = (1..CouncilMaxMembers::get())
			.map(|i| frame_benchmarking::account("council-member", i, 0))
			.collect();
		CouncilMembership::reset_members(RuntimeOrigin::root(), members.clone())
			.unwrap_or_else(|e| panic!("benchmark council members: {e:?}"));
		if members.is_empty() {
			return;
		}
		let open = pallet_collective::Proposals::<Runtime, CouncilInstance>::get().len() as u32;
		for n in open..CouncilMaxProposals::get() {
			// Each member may have `MaxOpenMotionsPerMember` open motions: proposers take turns.
			let proposer = &members[(n / MaxOpenMotionsPerMember::get()) as usize % members.len()];
			let index = pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get();
			let motion = alloc::boxed::Box::new(RuntimeCall::System(frame_system::Call::remark {
				remark: index.encode(),
			}));
			let length = motion.encoded_size() as u32;
			let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&motion);
			Council::do_propose_proposed(
				proposer.clone(),
				CouncilMaxMembers::get(),
				motion,
				length,
			)
			.unwrap_or_else(|e| panic!("benchmark council motion: {e:?}"));
			for (n, member) in members.iter().enumerate() {
				Council::do_vote(member.clone(), hash, index, n % 2 == 0)
					.unwrap_or_else(|e| panic!("benchmark council vote: {e:?}"));
			}
		}
	}
}

parameter_types! {
	/// Most validator nodes.
	pub const MaxValidators: u32 = 100;
	/// Most nodes on the network allow-list (validators and the hospitals' other nodes).
	pub const MaxNodes: u32 = 200;
}

impl pallet_consortium::Config for Runtime {
	/// Two thirds of the hospitals (or Root on the development chain).
	type UpgradeOrigin = RootOrCouncilTwoThirds;
	/// A majority of the hospitals (or Root on the development chain).
	type ValidatorOrigin = RootOrCouncilMajority;
	type Registry = crate::Institutions;
	type SessionKeys = RegisteredSessionKeys;
	type Finality = GrandpaStallRecovery;
	type ActiveHospitals = CouncilSeatCount;
	type MaxValidators = MaxValidators;
	type MaxNodes = MaxNodes;
	type MaxOpenMotions = MaxOpenMotionsPerMember;
	type WeightInfo = pallet_consortium::weights::SubstrateWeight<Runtime>;
}

/// Whether an account registered session keys with `Session::set_keys`.
pub struct RegisteredSessionKeys;

impl pallet_consortium::SessionKeysOf<AccountId> for RegisteredSessionKeys {
	fn has_keys(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_set_keys(who: &AccountId) {
		use codec::Decode;
		if let Ok(keys) =
			crate::SessionKeys::decode(&mut sp_runtime::traits::TrailingZeroInput::zeroes())
		{
			pallet_session::NextKeys::<Runtime>::insert(who, keys);
		}
	}
}

/// GRANDPA's stall handling for the council's `note_stalled_finality`: GRANDPA's own call
/// accepts Root only, which no key holds on the consortium chain; the council's two-thirds
/// decision (checked by the consortium pallet) stands in for it.
pub struct GrandpaStallRecovery;

impl pallet_consortium::FinalityRecovery<BlockNumber> for GrandpaStallRecovery {
	fn note_stalled(delay: BlockNumber, best_finalized: BlockNumber) -> DispatchResult {
		pallet_grandpa::Pallet::<Runtime>::note_stalled(
			RuntimeOrigin::root(),
			delay,
			best_finalized,
		)
	}
}

/// Sessions end every `SessionLength` blocks (set in the chain spec; one hour by default).
pub type ConsortiumSessions =
	pallet_session::PeriodicSessions<pallet_consortium::SessionLength<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is identified by its session account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = ConsortiumSessions;
	type NextSessionRotation = ConsortiumSessions;
	/// The council's validator set.
	type SessionManager = crate::Consortium;
	type SessionHandler =
		<crate::SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = crate::SessionKeys;
	/// Misbehaving validators are dealt with by the council, not disabled automatically.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = crate::Balances;
	/// No deposit for registering keys: only admitted hospitals' nodes become validators.
	type KeyDeposit = ConstU128<0>;
}
