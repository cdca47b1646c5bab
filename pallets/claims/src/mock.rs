//! A test runtime with the real balances, institutions, records and consent pallets, so tests
//! exercise holds, devices, patients, consents, deny provisions and the disclosure log as the
//! chain does.

use crate as pallet_claims;
use crate::Parameters;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU64, Hooks},
};
use pallet_consent::Purpose;
use pallet_institutions::InstitutionKind;
use pallet_records::Category;
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Institutions = pallet_institutions;
	#[runtime::pallet_index(4)]
	pub type Records = pallet_records;
	#[runtime::pallet_index(5)]
	pub type Consent = pallet_consent;
	#[runtime::pallet_index(6)]
	pub type Claims = pallet_claims;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type Balance = u64;
	type ExistentialDeposit = ConstU64<{ EXISTENTIAL_DEPOSIT }>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: u64 = 5;

parameter_types! {
	/// Long enough for a claim hash (32 bytes), as the runtime's 64.
	pub const MaxRecordIdLen: u32 = 64;
	pub const Max: u32 = 64;
	pub const ConsentDefaults: pallet_consent::Parameters<u64> = pallet_consent::Parameters {
		max_consent_duration: 1000,
		emergency_window: 10,
		emergency_limit: 2,
		institution_emergency_limit: 10,
		emergency_period: 50,
		patient_allowance: 20,
		allowance_period: 20,
		disclosure_retention: 30,
	};
	/// 20 blocks to adjudicate, 10 to appeal.
	pub const ClaimsDefaults: Parameters<u64> =
		Parameters { adjudication_period: 20, appeal_window: 10 };
	pub const MaxConsents: u32 = 8;
	/// Small, so the bounds are reached in tests.
	pub const MaxTimers: u32 = 2;
	pub const MaxOpenPerInsurer: u32 = 4;
	pub const MaxOpenPerHospital: u32 = 5;
	pub const MaxClaimsPerPatient: u32 = 6;
	pub const PageSize: u32 = 2;
}

impl pallet_institutions::Config for Test {
	type AdmissionOrigin = frame_system::EnsureRoot<u64>;
	type RemovalOrigin = frame_system::EnsureRoot<u64>;
	type CouncilSeats = ();
	type OnHospitalExit = ();
	type MaxInstitutions = Max;
	type MaxNameLen = Max;
	type MaxDevicesPerInstitution = Max;
	type MaxPractitionersPerInstitution = Max;
	type RegistrationExpiry = frame_support::traits::ConstU64<100>;
	type MaxPendingRegistrations = frame_support::traits::ConstU32<16>;
	type WeightInfo = ();
}

impl pallet_records::Config for Test {
	type Registry = Institutions;
	type Time = Timestamp;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxBatch = Max;
	type MaxVersions = Max;
	type MaxRecordsPerPatient = Max;
	type PageSize = Max;
	type WeightInfo = ();
}

impl pallet_consent::Config for Test {
	type Registry = Institutions;
	type Records = Records;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type DefaultParameters = ConsentDefaults;
	type MaxConsentsPerPatient = MaxConsents;
	type MaxScopeCategories = Max;
	type MaxScopeRecords = Max;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxPurposes = Max;
	type MaxDenyCategories = Max;
	type MaxDisclosuresPerPatient = Max;
	type MaxKeptEmergencyEntries = Max;
	type DisclosurePageSize = Max;
	type CardSignature = sp_runtime::testing::TestSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CardKeys;
	type AllowanceCalls = frame_support::traits::Nothing;
	type WeightInfo = ();
}

impl pallet_claims::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Institutions;
	type Consent = Consent;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type DefaultParameters = ClaimsDefaults;
	type MaxTimersPerBlock = MaxTimers;
	type MaxOpenPerInsurer = MaxOpenPerInsurer;
	type MaxOpenPerHospital = MaxOpenPerHospital;
	type MaxClaimsPerPatient = MaxClaimsPerPatient;
	type PageSize = PageSize;
	type WeightInfo = ();
}

/// Hospital (0): admin 1, devices 10 and 11.
/// Clinic (1): admin 2 (no funds: cannot receive less than the existential deposit), device 20.
/// Insurer (2): admin 3, device 30 (funded), device 31 (almost no funds).
/// Other insurer (3): admin 4, device 40.
/// Pharmacy (4): admin 5, device 50.
/// Patients 60 and 61 registered at the hospital, patient 62 at the clinic.
/// Each patient consents to the insurer receiving laboratory, imaging, discharge and mental
/// health information for payment (consents 0, 1, 2); nobody consents to the other insurer.
pub const HOSPITAL: u32 = 0;
pub const CLINIC: u32 = 1;
pub const INSURER: u32 = 2;
pub const OTHER_INSURER: u32 = 3;
pub const PHARMACY: u32 = 4;
pub const HOSPITAL_ADMIN: u64 = 1;
pub const CLINIC_ADMIN: u64 = 2;
pub const INSURER_ADMIN: u64 = 3;
pub const OTHER_INSURER_ADMIN: u64 = 4;
pub const PHARMACY_ADMIN: u64 = 5;
pub const HOSPITAL_DEVICE: u64 = 10;
pub const HOSPITAL_DEVICE_2: u64 = 11;
pub const CLINIC_DEVICE: u64 = 20;
pub const INSURER_DEVICE: u64 = 30;
pub const POOR_INSURER_DEVICE: u64 = 31;
pub const OTHER_INSURER_DEVICE: u64 = 40;
pub const PHARMACY_DEVICE: u64 = 50;
pub const PATIENT: u64 = 60;
pub const PATIENT_2: u64 = 61;
pub const CLINIC_PATIENT: u64 = 62;
pub const STRANGER: u64 = 99;

/// Starting balances.
pub const ADMIN_FUNDS: u64 = 1_000;
pub const INSURER_FUNDS: u64 = 100_000;
pub const POOR_FUNDS: u64 = 100;

/// The categories each patient's consent for the insurer covers.
pub const CONSENTED: [Category; 4] =
	[Category::Laboratory, Category::Imaging, Category::Discharge, Category::MentalHealth];

/// Empty externalities with balances at block 1 (for the benchmark test suite, which sets up
/// its own data).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(HOSPITAL_ADMIN, ADMIN_FUNDS),
			(INSURER_ADMIN, ADMIN_FUNDS),
			(OTHER_INSURER_ADMIN, ADMIN_FUNDS),
			(INSURER_DEVICE, INSURER_FUNDS),
			(POOR_INSURER_DEVICE, POOR_FUNDS),
			(OTHER_INSURER_DEVICE, INSURER_FUNDS),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Registers `patient` at the institution of `device`, confirmed by the patient.
fn register(device: u64, patient: u64) {
	assert_ok!(Institutions::register_patient(RuntimeOrigin::signed(device), patient, None));
	assert_ok!(Institutions::confirm_registration(RuntimeOrigin::signed(patient), patient, None));
}

/// `patient` consents to `grantee` receiving `categories` for `purposes` until block 500.
pub fn consent(patient: u64, grantee: u32, categories: &[Category], purposes: &[Purpose]) {
	assert_ok!(Consent::grant(
		RuntimeOrigin::signed(patient),
		patient,
		grantee,
		frame_support::BoundedVec::truncate_from(categories.to_vec()),
		Default::default(),
		frame_support::BoundedVec::truncate_from(purposes.to_vec()),
		None,
		500,
		None
	));
}

/// Externalities with the institutions, patients and consents described above.
pub fn with_parties() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let signed = RuntimeOrigin::signed;
		for (admin, kind) in [
			(HOSPITAL_ADMIN, InstitutionKind::Hospital),
			(CLINIC_ADMIN, InstitutionKind::Clinic),
			(INSURER_ADMIN, InstitutionKind::Insurer),
			(OTHER_INSURER_ADMIN, InstitutionKind::Insurer),
			(PHARMACY_ADMIN, InstitutionKind::Pharmacy),
		] {
			assert_ok!(Institutions::admit(RuntimeOrigin::root(), admin, kind, b"x".to_vec()));
		}
		for (admin, device) in [
			(HOSPITAL_ADMIN, HOSPITAL_DEVICE),
			(HOSPITAL_ADMIN, HOSPITAL_DEVICE_2),
			(CLINIC_ADMIN, CLINIC_DEVICE),
			(INSURER_ADMIN, INSURER_DEVICE),
			(INSURER_ADMIN, POOR_INSURER_DEVICE),
			(OTHER_INSURER_ADMIN, OTHER_INSURER_DEVICE),
			(PHARMACY_ADMIN, PHARMACY_DEVICE),
		] {
			assert_ok!(Institutions::add_device(signed(admin), device));
		}
		register(HOSPITAL_DEVICE, PATIENT);
		register(HOSPITAL_DEVICE, PATIENT_2);
		register(CLINIC_DEVICE, CLINIC_PATIENT);
		for patient in [PATIENT, PATIENT_2, CLINIC_PATIENT] {
			consent(patient, INSURER, &CONSENTED, &[Purpose::Payment]);
		}
		System::reset_events();
	});
	ext
}

/// Runs `test` with the parties above, then checks the pallet's invariants (`try_state`):
/// every test ends in a state the invariants accept.
pub fn build_and_execute(test: impl FnOnce()) {
	with_parties().execute_with(|| {
		test();
		Claims::do_try_state().expect("the claims pallet's invariants hold after the test");
	});
}

/// Moves to block `n`, running the pallet's block-start work on each block on the way.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Claims::on_initialize(next);
	}
}

/// Card keys of the consent benchmarks (not run here): key 77 signs with `TestSignature`.
#[cfg(feature = "runtime-benchmarks")]
pub struct CardKeys;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_consent::card::BenchmarkHelper<u64, sp_runtime::testing::TestSignature> for CardKeys {
	fn card_key() -> u64 {
		77
	}
	fn sign(key: &u64, payload: &[u8]) -> sp_runtime::testing::TestSignature {
		sp_runtime::testing::TestSignature(*key, payload.to_vec())
	}
}
