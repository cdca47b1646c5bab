//! The hospital council and what it decides (docs/governance.md).
//!
//! The council (pallet-collective) has one seat per active hospital, held by the hospital's
//! admin account; its membership (pallet-membership) follows the institutions registry through
//! [`HospitalCouncilSeats`], so nobody can add or drop a member except by admitting,
//! suspending, reinstating or removing a hospital — decisions the council itself votes on.
//! Root stays accepted next to the council so that the single-node development chain (whose
//! sudo key is Root) keeps working; the consortium chain has no sudo key, so there only the
//! council's origins can pass.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, EitherOfDiverse},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::StaticLookup, DispatchResult, Perbill};

use super::RuntimeBlockWeights;
use crate::{
	AccountId, BlockNumber, Council, CouncilMembership, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, DAYS,
};

/// The council's instance of pallet-collective (and of pallet-membership).
pub type CouncilInstance = pallet_collective::Instance1;

/// More than half of the council's seats voted aye.
pub type CouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilInstance, 1, 2>;
/// At least two thirds of the council's seats voted aye.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>;
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
	/// Members who do not vote follow the prime member if one is set, else count as nay.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Membership is managed through pallet-membership (which follows the registry).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = RootOrCouncilMajority;
	type KillOrigin = RootOrCouncilMajority;
	/// No deposit for proposing: members are admitted hospitals.
	type Consideration = ();
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

impl pallet_institutions::CouncilSeats<AccountId> for HospitalCouncilSeats {
	fn seat(admin: &AccountId) -> DispatchResult {
		CouncilMembership::add_member(RuntimeOrigin::root(), lookup(admin))
			.map(|_| ())
			.map_err(|e| e.error)
	}

	fn unseat(admin: &AccountId) -> DispatchResult {
		CouncilMembership::remove_member(RuntimeOrigin::root(), lookup(admin))
			.map(|_| ())
			.map_err(|e| e.error)
	}

	fn reseat(old: &AccountId, new: &AccountId) -> DispatchResult {
		CouncilMembership::swap_member(RuntimeOrigin::root(), lookup(old), lookup(new))
			.map(|_| ())
			.map_err(|e| e.error)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_fill_seats() {
		let others: alloc::vec::Vec<AccountId> = (1..CouncilMaxMembers::get())
			.map(|i| frame_benchmarking::account("council-member", i, 0))
			.collect();
		let _ = CouncilMembership::reset_members(RuntimeOrigin::root(), others);
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
	type MaxValidators = MaxValidators;
	type MaxNodes = MaxNodes;
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
