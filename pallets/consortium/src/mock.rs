//! A minimal runtime: accounts are `u64`; account 900 stands for "two thirds of the council",
//! account 901 for "a majority". Institutions 0..=5 are hospitals (active unless a test marks
//! them inactive), 6 a clinic; accounts below 100 have session keys. Every test runs through
//! [`build_and_execute`], which checks the pallet's invariants at its end.

use crate as pallet_consortium;
use frame_support::{derive_impl, ord_parameter_types, parameter_types, traits::Get};
use sp_core::{
	offchain::{self, HttpError, HttpRequestId, HttpRequestStatus, OpaqueNetworkState, Timestamp},
	OpaquePeerId,
};
use sp_runtime::BuildStorage;
use std::{
	cell::RefCell,
	collections::BTreeSet,
	sync::{Arc, Mutex},
};

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

thread_local! {
	/// Hospitals the tests suspended or removed.
	static INACTIVE: RefCell<BTreeSet<u32>> = const { RefCell::new(BTreeSet::new()) };
	/// The council's seats (active hospitals) the runtime would report.
	static ACTIVE_HOSPITALS: RefCell<u32> = const { RefCell::new(6) };
	/// Accounts given keys by the benchmarks.
	static BENCHMARK_KEYS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	/// What the finality gadget was told: (delay, best finalized).
	pub static STALL_NOTED: RefCell<Option<(u64, u64)>> = const { RefCell::new(None) };
}

/// Marks a hospital as no longer active in the registry (after its suspension or removal).
pub fn set_inactive(hospital: u32) {
	INACTIVE.with(|i| i.borrow_mut().insert(hospital));
}

/// Sets how many hospitals are active (the council's seats).
pub fn set_active_hospitals(n: u32) {
	ACTIVE_HOSPITALS.with(|a| *a.borrow_mut() = n);
}

/// Institutions 0..=5 are hospitals, 6 is a clinic.
pub struct TestRegistry;

impl pallet_institutions::Registry<u64> for TestRegistry {
	fn active_institution_of_device(_: &u64) -> Option<u32> {
		None
	}
	fn active_kind(institution: u32) -> Option<pallet_institutions::InstitutionKind> {
		if INACTIVE.with(|i| i.borrow().contains(&institution)) {
			return None;
		}
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

/// The active hospitals as the tests set them.
pub struct TestActiveHospitals;

impl Get<u32> for TestActiveHospitals {
	fn get() -> u32 {
		ACTIVE_HOSPITALS.with(|a| *a.borrow())
	}
}

parameter_types! {
	pub const MaxValidators: u32 = 6;
	pub const MaxNodes: u32 = 8;
	pub const MaxOpenMotions: u32 = 2;
}

impl pallet_consortium::Config for Test {
	type UpgradeOrigin = frame_system::EnsureSignedBy<TwoThirds, u64>;
	type ValidatorOrigin = frame_system::EnsureSignedBy<Majority, u64>;
	type Registry = TestRegistry;
	type SessionKeys = TestKeys;
	type Finality = TestFinality;
	type ActiveHospitals = TestActiveHospitals;
	type MaxValidators = MaxValidators;
	type MaxNodes = MaxNodes;
	type MaxOpenMotions = MaxOpenMotions;
	type WeightInfo = ();
}

/// The peer id of an Ed25519 node key whose public key is 32 times `byte` (identity multihash).
pub fn peer(byte: u8) -> Vec<u8> {
	let mut id = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	id.extend([byte; 32]);
	id
}

/// Test externalities at block 1: validators 1..=4 (hospitals 0..=3), floor 4, nodes
/// `peer(1..=4)` of hospitals 0..=3, six active hospitals.
pub fn new_test_ext() -> sp_io::TestExternalities {
	INACTIVE.with(|i| i.borrow_mut().clear());
	set_active_hospitals(6);
	STALL_NOTED.with(|s| *s.borrow_mut() = None);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_consortium::GenesisConfig::<Test> {
		validators: (1..=4).map(|v| (v, Some(v as u32 - 1))).collect(),
		min_validators: 4,
		session_blocks: 10,
		nodes: (1..=4u8).map(|i| (peer(i), Some(i as u32 - 1))).collect(),
		min_active_hospitals: None,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in fresh externalities, then checks the pallet's invariants (`try_state`).
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Consortium::do_try_state().expect("the pallet's invariants hold after the test");
	});
}

/// What a node's networking layer was told by the offchain worker: (peers, reserved-only).
pub type NetworkCalls = Arc<Mutex<Vec<(Vec<OpaquePeerId>, bool)>>>;

/// An offchain worker environment that records `set_authorized_nodes`; the rest is unused.
pub struct RecordingNetwork(pub NetworkCalls);

impl offchain::Externalities for RecordingNetwork {
	fn is_validator(&self) -> bool {
		true
	}
	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		Err(())
	}
	fn timestamp(&mut self) -> Timestamp {
		Timestamp::from_unix_millis(0)
	}
	fn sleep_until(&mut self, _: Timestamp) {}
	fn random_seed(&mut self) -> [u8; 32] {
		[0; 32]
	}
	fn http_request_start(&mut self, _: &str, _: &str, _: &[u8]) -> Result<HttpRequestId, ()> {
		Err(())
	}
	fn http_request_add_header(&mut self, _: HttpRequestId, _: &str, _: &str) -> Result<(), ()> {
		Err(())
	}
	fn http_request_write_body(
		&mut self,
		_: HttpRequestId,
		_: &[u8],
		_: Option<Timestamp>,
	) -> Result<(), HttpError> {
		Err(HttpError::IoError)
	}
	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		_: Option<Timestamp>,
	) -> Vec<HttpRequestStatus> {
		ids.iter().map(|_| HttpRequestStatus::Invalid).collect()
	}
	fn http_response_headers(&mut self, _: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		Vec::new()
	}
	fn http_response_read_body(
		&mut self,
		_: HttpRequestId,
		_: &mut [u8],
		_: Option<Timestamp>,
	) -> Result<usize, HttpError> {
		Err(HttpError::IoError)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.0.lock().expect("not poisoned").push((nodes, authorized_only));
	}
}

/// Test externalities as [`new_test_ext`], with an offchain worker environment (persistent
/// offchain storage, a recording network); returns what the network was told.
pub fn offchain_test_ext() -> (sp_io::TestExternalities, NetworkCalls) {
	let mut ext = new_test_ext();
	let calls = NetworkCalls::default();
	let (db, _) = sp_core::offchain::testing::TestOffchainExt::new();
	ext.register_extension(sp_core::offchain::OffchainDbExt::new(db));
	ext.register_extension(sp_core::offchain::OffchainWorkerExt::new(RecordingNetwork(
		calls.clone(),
	)));
	(ext, calls)
}
