//! A test runtime with the real institutions pallet, so tests exercise suspension, devices and
//! patients as the chain does.

use crate as pallet_records;
use frame_support::{assert_ok, derive_impl, parameter_types};
use pallet_institutions::InstitutionKind;
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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Institutions = pallet_institutions;
	#[runtime::pallet_index(3)]
	pub type Records = pallet_records;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const MaxInstitutions: u32 = 16;
	pub const MaxNameLen: u32 = 32;
	pub const MaxDevices: u32 = 4;
	pub const MaxPractitioners: u32 = 4;
	pub const MaxRecordIdLen: u32 = 8;
	pub const MaxBatch: u32 = 4;
	pub const MaxVersions: u32 = 3;
	pub const MaxRecordsPerPatient: u32 = 6;
	pub const PageSize: u32 = 2;
}

impl pallet_institutions::Config for Test {
	type AdmissionOrigin = frame_system::EnsureRoot<u64>;
	type RemovalOrigin = frame_system::EnsureRoot<u64>;
	type CouncilSeats = ();
	type OnHospitalExit = ();
	type MaxInstitutions = MaxInstitutions;
	type MaxNameLen = MaxNameLen;
	type MaxDevicesPerInstitution = MaxDevices;
	type MaxPractitionersPerInstitution = MaxPractitioners;
	type RegistrationExpiry = frame_support::traits::ConstU64<100>;
	type MaxPendingRegistrations = frame_support::traits::ConstU32<16>;
	type WeightInfo = ();
}

impl pallet_records::Config for Test {
	type Registry = Institutions;
	type Time = Timestamp;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxBatch = MaxBatch;
	type MaxVersions = MaxVersions;
	type MaxRecordsPerPatient = MaxRecordsPerPatient;
	type PageSize = PageSize;
	type WeightInfo = ();
}

/// Hospital 0 (admin 1, device 10), clinic 1 (admin 2, device 20), pharmacy 2 (admin 3,
/// device 40); patients 30 and 31 registered by the hospital, patient 32 by the clinic.
/// Block 1, time 1,000,000 ms. At most 6 active records per patient, 4 at one custodian.
pub const HOSPITAL: u32 = 0;
pub const CLINIC: u32 = 1;
pub const PHARMACY: u32 = 2;
pub const HOSPITAL_ADMIN: u64 = 1;
pub const CLINIC_ADMIN: u64 = 2;
pub const PHARMACY_ADMIN: u64 = 3;
pub const HOSPITAL_DEVICE: u64 = 10;
pub const CLINIC_DEVICE: u64 = 20;
pub const PHARMACY_DEVICE: u64 = 40;
pub const PATIENT: u64 = 30;
pub const PATIENT_2: u64 = 31;
pub const CLINIC_PATIENT: u64 = 32;
pub const STRANGER: u64 = 99;
pub const NOW_MS: u64 = 1_000_000;

/// Empty externalities at block 1 (for the benchmark test suite, which sets up its own data).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(NOW_MS);
	});
	ext
}

/// Externalities with the hospital, the clinic, the pharmacy, their devices and the patients.
pub fn with_institutions() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let root = || RuntimeOrigin::root();
		assert_ok!(Institutions::admit(
			root(),
			HOSPITAL_ADMIN,
			InstitutionKind::Hospital,
			b"H".to_vec()
		));
		assert_ok!(Institutions::admit(
			root(),
			CLINIC_ADMIN,
			InstitutionKind::Clinic,
			b"C".to_vec()
		));
		assert_ok!(Institutions::add_device(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			HOSPITAL_DEVICE
		));
		assert_ok!(Institutions::admit(
			root(),
			PHARMACY_ADMIN,
			InstitutionKind::Pharmacy,
			b"P".to_vec()
		));
		assert_ok!(Institutions::add_device(RuntimeOrigin::signed(CLINIC_ADMIN), CLINIC_DEVICE));
		assert_ok!(Institutions::add_device(
			RuntimeOrigin::signed(PHARMACY_ADMIN),
			PHARMACY_DEVICE
		));
		assert_ok!(Institutions::register_patient(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			PATIENT,
			None
		));
		assert_ok!(Institutions::confirm_registration(
			RuntimeOrigin::signed(PATIENT),
			PATIENT,
			None
		));
		assert_ok!(Institutions::register_patient(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			PATIENT_2,
			None
		));
		assert_ok!(Institutions::confirm_registration(
			RuntimeOrigin::signed(PATIENT_2),
			PATIENT_2,
			None
		));
		assert_ok!(Institutions::register_patient(
			RuntimeOrigin::signed(CLINIC_DEVICE),
			CLINIC_PATIENT,
			None
		));
		assert_ok!(Institutions::confirm_registration(
			RuntimeOrigin::signed(CLINIC_PATIENT),
			CLINIC_PATIENT,
			None
		));
	});
	ext
}

/// Runs `test` with the institutions and patients of [`with_institutions`], then checks the
/// pallet's invariants (`do_try_state`) on the state the test left.
pub fn build_and_execute(test: impl FnOnce()) {
	with_institutions().execute_with(|| {
		test();
		Records::do_try_state().expect("the records pallet's invariants hold after the test");
	});
}
