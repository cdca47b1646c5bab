//! A minimal runtime: accounts are `u64`; account 900 stands for "two thirds of the council",
//! account 901 for "a majority". Institutions 0..=5 are active hospitals, 6 a clinic; accounts
//! below 100 have session keys.

use crate as pallet_consortium;
use frame_support::{derive_impl, ord_parameter_types, parameter_types};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Consortium = pallet_consortium;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

ord_parameter_types! {
	pub const TwoThirds: u64 = 900;
	pub const Majority: u64 = 901;
}

/// Institutions 0..=5 are active hospitals, 6 is a clinic.
pub struct TestRegistry;

impl pallet_institutions::Registry<u64> for TestRegistry {
	fn active_institution_of_device(_: &u64) -> Option<u32> {
		None
	}
	fn active_kind(institution: u32) -> Option<pallet_institutions::InstitutionKind> {
		match institution {
			0..=5 => Some(pallet_institutions::InstitutionKind::Hospital),
			6 => Some(pallet_institutions::InstitutionKind::Clinic),
			_ => None,
		}
	}
	fn admin_of(_: u32) -> Option<u64> {
		None
	}
	fn active_practitioner(_: &u64) -> Option<(u32, pallet_institutions::PractitionerRole)> {
		None
	}
	fn is_patient(_: &u64) -> bool {
		false
	}
	fn guardian_of(_: &u64) -> Option<u64> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_institution(_: pallet_institutions::InstitutionKind, _: &u64) -> u32 {
		5
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_hospital_with_device(_: &u64) -> u32 {
		5
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_patient(_: &u64, _: u32) {}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_practitioner(_: &u64, _: u32, _: pallet_institutions::PractitionerRole) {}
}

thread_local! {
	/// Accounts given keys by the benchmarks.
	static BENCHMARK_KEYS: core::cell::RefCell<Vec<u64>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Accounts below 100 have session keys, and those the benchmarks registered.
pub struct TestKeys;

impl crate::SessionKeysOf<u64> for TestKeys {
	fn has_keys(who: &u64) -> bool {
		*who < 100 || BENCHMARK_KEYS.with(|k| k.borrow().contains(who))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_set_keys(who: &u64) {
		BENCHMARK_KEYS.with(|k| k.borrow_mut().push(*who));
	}
}

thread_local! {
	/// What the finality gadget was told: (delay, best finalized).
	pub static STALL_NOTED: core::cell::RefCell<Option<(u64, u64)>> = const { core::cell::RefCell::new(None) };
}

/// Records the forced-change request as GRANDPA's `Stalled` would hold it.
pub struct TestFinality;

impl crate::FinalityRecovery<u64> for TestFinality {
	fn note_stalled(delay: u64, best_finalized: u64) -> sp_runtime::DispatchResult {
		STALL_NOTED.with(|s| *s.borrow_mut() = Some((delay, best_finalized)));
		Ok(())
	}
}

/// The request the finality gadget got, if any.
pub fn stall_noted() -> Option<(u64, u64)> {
	STALL_NOTED.with(|s| *s.borrow())
}

parameter_types! {
	pub const MaxValidators: u32 = 6;
	pub const MaxNodes: u32 = 6;
}

impl pallet_consortium::Config for Test {
	type UpgradeOrigin = frame_system::EnsureSignedBy<TwoThirds, u64>;
	type ValidatorOrigin = frame_system::EnsureSignedBy<Majority, u64>;
	type Registry = TestRegistry;
	type SessionKeys = TestKeys;
	type Finality = TestFinality;
	type MaxValidators = MaxValidators;
	type MaxNodes = MaxNodes;
	type WeightInfo = ();
}

/// Test externalities at block 1: validators 1..=4 (hospitals 0..=3), floor 4.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_consortium::GenesisConfig::<Test> {
		validators: (1..=4).map(|v| (v, Some(v as u32 - 1))).collect(),
		min_validators: 4,
		session_blocks: 10,
		nodes: vec![(b"node-1".to_vec(), Some(0))],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
