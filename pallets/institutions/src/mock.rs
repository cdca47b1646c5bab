//! A minimal runtime for the pallet's tests: accounts are `u64`, Root admits institutions,
//! account 900 stands for "two thirds of the council" and removes them; council seats are
//! recorded so the tests can check them. A registration must be confirmed within 10 blocks;
//! an institution may have 2 pending at once.

use crate as pallet_institutions;
use frame_support::{derive_impl, ord_parameter_types, parameter_types};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::cell::RefCell;

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
	pub type Institutions = pallet_institutions;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const MaxInstitutions: u32 = 8;
	pub const MaxNameLen: u32 = 16;
	pub const MaxDevices: u32 = 2;
	pub const MaxPractitioners: u32 = 2;
	pub const RegistrationExpiry: u64 = 10;
	pub const MaxPendingRegistrations: u32 = 2;
}

ord_parameter_types! {
	pub const Remover: u64 = 900;
}

thread_local! {
	/// The council's members as the seat notifications left them.
	pub static SEATS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	/// When set, the next seat change fails (a full council).
	pub static SEATS_FULL: RefCell<bool> = const { RefCell::new(false) };
}

/// Records council seats in [`SEATS`].
pub struct TestSeats;

impl TestSeats {
	fn change(f: impl FnOnce(&mut Vec<u64>)) -> DispatchResult {
		if SEATS_FULL.with(|full| *full.borrow()) {
			return Err(DispatchError::Other("council full"));
		}
		SEATS.with(|seats| f(&mut seats.borrow_mut()));
		Ok(())
	}
}

impl crate::CouncilSeats<u64> for TestSeats {
	fn seat(admin: &u64) -> DispatchResult {
		Self::change(|s| s.push(*admin))
	}

	fn unseat(admin: &u64) -> DispatchResult {
		Self::change(|s| s.retain(|a| a != admin))
	}

	fn reseat(old: &u64, new: &u64) -> DispatchResult {
		Self::change(|s| s.iter_mut().filter(|a| *a == old).for_each(|a| *a = *new))
	}
}

/// The council seats now.
pub fn seats() -> Vec<u64> {
	SEATS.with(|s| s.borrow().clone())
}

impl pallet_institutions::Config for Test {
	type AdmissionOrigin = frame_system::EnsureRoot<u64>;
	type RemovalOrigin = frame_system::EnsureSignedBy<Remover, u64>;
	type CouncilSeats = TestSeats;
	type OnHospitalExit = ();
	type MaxInstitutions = MaxInstitutions;
	type MaxNameLen = MaxNameLen;
	type MaxDevicesPerInstitution = MaxDevices;
	type MaxPractitionersPerInstitution = MaxPractitioners;
	type RegistrationExpiry = RegistrationExpiry;
	type MaxPendingRegistrations = MaxPendingRegistrations;
	type WeightInfo = ();
}

/// Test externalities at block 1 (events are recorded from block 1 on).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	SEATS.with(|s| s.borrow_mut().clear());
	SEATS_FULL.with(|f| *f.borrow_mut() = false);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` at block 1, then checks the pallet's invariants (`do_try_state`) on the state
/// it left. Every test uses it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Institutions::do_try_state().expect("the pallet's invariants hold after the test");
	});
}
