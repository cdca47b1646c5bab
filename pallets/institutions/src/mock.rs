//! A minimal runtime for the pallet's tests: accounts are `u64`, Root admits institutions.

use crate as pallet_institutions;
use frame_support::{derive_impl, parameter_types};
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
}

impl pallet_institutions::Config for Test {
	type AdmissionOrigin = frame_system::EnsureRoot<u64>;
	type MaxInstitutions = MaxInstitutions;
	type MaxNameLen = MaxNameLen;
	type MaxDevicesPerInstitution = MaxDevices;
	type MaxPractitionersPerInstitution = MaxPractitioners;
	type WeightInfo = ();
}

/// Test externalities at block 1 (events are recorded from block 1 on).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
