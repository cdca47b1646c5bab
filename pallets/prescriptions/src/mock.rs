//! A test runtime with the real institutions, records and consent pallets, so tests exercise
//! physicians, pharmacists, suspended institutions, patients with guardians and the patients'
//! disclosure logs as the chain does.

use crate as pallet_prescriptions;
use crate::Parameters;
use frame_support::{assert_ok, derive_impl, parameter_types};
use pallet_institutions::{InstitutionKind, PractitionerRole};
use sp_core::H256;
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
	#[runtime::pallet_index(4)]
	pub type Consent = pallet_consent;
	#[runtime::pallet_index(5)]
	pub type Prescriptions = pallet_prescriptions;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// How long a disclosure entry is kept at least, in blocks (consent parameter).
pub const RETENTION: u64 = 20;
/// Disclosure entries kept per patient (small, so a test fills the log).
pub const MAX_DISCLOSURES: u32 = 6;

parameter_types! {
	/// Record ids up to 64 bytes, as on MedChain: a prescription's 32-byte hash fits.
	pub const MaxRecordIdLen: u32 = 64;
	pub const Max: u32 = 64;
	pub const MaxDisclosures: u32 = MAX_DISCLOSURES;
	pub const ConsentDefaults: pallet_consent::Parameters<u64> = pallet_consent::Parameters {
		max_consent_duration: 1000,
		emergency_window: 10,
		emergency_limit: 2,
		institution_emergency_limit: 10,
		emergency_period: 50,
		patient_allowance: 20,
		allowance_period: 20,
		disclosure_retention: RETENTION,
	};
	/// 30 blocks of use by default, at most 100; a claim locks for 5 blocks.
	pub const Defaults: Parameters<u64> =
		Parameters { default_validity: 30, max_validity: 100, claim_timeout: 5 };
	pub const MaxFills: u8 = 3;
	pub const PageSize: u32 = 2;
	/// Small, so the bound is reached in a test; a test may raise it (thread-local).
	pub static MaxPerPatient: u32 = 4;
	/// Small, so the bound is reached in a test; a test may raise it (thread-local).
	pub static MaxQueue: u32 = 3;
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
	type MaxConsentsPerPatient = Max;
	type MaxScopeCategories = Max;
	type MaxScopeRecords = Max;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxPurposes = Max;
	type MaxDenyCategories = Max;
	type MaxDisclosuresPerPatient = MaxDisclosures;
	type MaxKeptEmergencyEntries = Max;
	type DisclosurePageSize = Max;
	type CardSignature = sp_runtime::testing::TestSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CardKeys;
	type AllowanceCalls = frame_support::traits::Nothing;
	type WeightInfo = ();
}

impl pallet_prescriptions::Config for Test {
	type Registry = Institutions;
	type Consent = Consent;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type DefaultParameters = Defaults;
	type MaxFills = MaxFills;
	type MaxPrescriptionsPerPatient = MaxPerPatient;
	type MaxQueuePerPharmacy = MaxQueue;
	type PageSize = PageSize;
	type WeightInfo = ();
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

/// Hospital 0: admin 1, device 10, physicians 11 and 14, nurse 12, pharmacist 13 (a hospital
/// pharmacist).
/// Clinic 1: admin 2, device 20, physician 21.
/// Pharmacy 2: admin 3, pharmacists 31 and 32, physician 33 (a physician employed by a
/// pharmacy).
/// Pharmacy 3 (the second pharmacy): admin 4, pharmacist 41.
/// Patients 50 (with guardian 60) and 51 registered at the hospital, patient 52 at the
/// clinic.
/// Block 1. Periods: 30 blocks of use by default, at most 100, claims lock for 5 blocks. At
/// most 3 fills, 4 prescriptions per patient, 3 per queue (the last two raised by some
/// tests), 2 per page; disclosure logs of 6 entries kept at least 20 blocks.
pub const HOSPITAL: u32 = 0;
pub const CLINIC: u32 = 1;
pub const PHARMACY: u32 = 2;
pub const PHARMACY_B: u32 = 3;
pub const HOSPITAL_ADMIN: u64 = 1;
pub const CLINIC_ADMIN: u64 = 2;
pub const PHARMACY_ADMIN: u64 = 3;
pub const PHARMACY_B_ADMIN: u64 = 4;
pub const HOSPITAL_DEVICE: u64 = 10;
pub const PHYSICIAN: u64 = 11;
pub const NURSE: u64 = 12;
pub const HOSPITAL_PHARMACIST: u64 = 13;
pub const PHYSICIAN_2: u64 = 14;
pub const CLINIC_DEVICE: u64 = 20;
pub const CLINIC_PHYSICIAN: u64 = 21;
pub const PHARMACIST: u64 = 31;
pub const PHARMACIST_2: u64 = 32;
pub const PHARMACY_PHYSICIAN: u64 = 33;
pub const PHARMACIST_B: u64 = 41;
pub const PATIENT: u64 = 50;
pub const PATIENT_2: u64 = 51;
pub const CLINIC_PATIENT: u64 = 52;
pub const GUARDIAN: u64 = 60;
pub const STRANGER: u64 = 99;

/// Empty externalities at block 1 (for the benchmark test suite, which sets up its own data).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_767_225_600_000);
	});
	ext
}

/// Registers `patient` (with `guardian`) at the institution of `device`, confirmed by the
/// patient.
fn register(device: u64, patient: u64, guardian: Option<u64>) {
	assert_ok!(Institutions::register_patient(RuntimeOrigin::signed(device), patient, guardian));
	assert_ok!(Institutions::confirm_registration(
		RuntimeOrigin::signed(patient),
		patient,
		guardian
	));
}

/// Adds `practitioner` with `role` to the institution `admin` manages.
fn practitioner(admin: u64, practitioner: u64, role: PractitionerRole) {
	assert_ok!(Institutions::add_practitioner(
		RuntimeOrigin::signed(admin),
		practitioner,
		role,
		H256::repeat_byte(9)
	));
}

/// Externalities with the institutions, practitioners and patients described above.
pub fn with_institutions() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		for (admin, kind) in [
			(HOSPITAL_ADMIN, InstitutionKind::Hospital),
			(CLINIC_ADMIN, InstitutionKind::Clinic),
			(PHARMACY_ADMIN, InstitutionKind::Pharmacy),
			(PHARMACY_B_ADMIN, InstitutionKind::Pharmacy),
		] {
			assert_ok!(Institutions::admit(RuntimeOrigin::root(), admin, kind, b"x".to_vec()));
		}
		assert_ok!(Institutions::add_device(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			HOSPITAL_DEVICE
		));
		assert_ok!(Institutions::add_device(RuntimeOrigin::signed(CLINIC_ADMIN), CLINIC_DEVICE));
		use PractitionerRole::{Nurse, Pharmacist, Physician};
		practitioner(HOSPITAL_ADMIN, PHYSICIAN, Physician);
		practitioner(HOSPITAL_ADMIN, NURSE, Nurse);
		practitioner(HOSPITAL_ADMIN, HOSPITAL_PHARMACIST, Pharmacist);
		practitioner(HOSPITAL_ADMIN, PHYSICIAN_2, Physician);
		practitioner(CLINIC_ADMIN, CLINIC_PHYSICIAN, Physician);
		practitioner(PHARMACY_ADMIN, PHARMACIST, Pharmacist);
		practitioner(PHARMACY_ADMIN, PHARMACIST_2, Pharmacist);
		practitioner(PHARMACY_ADMIN, PHARMACY_PHYSICIAN, Physician);
		practitioner(PHARMACY_B_ADMIN, PHARMACIST_B, Pharmacist);
		register(HOSPITAL_DEVICE, PATIENT, Some(GUARDIAN));
		register(HOSPITAL_DEVICE, PATIENT_2, None);
		register(CLINIC_DEVICE, CLINIC_PATIENT, None);
		System::reset_events();
	});
	ext
}

/// Runs `test` with the institutions and patients of [`with_institutions`], then checks the
/// pallet's invariants (`do_try_state`) on the state the test left.
pub fn build_and_execute(test: impl FnOnce()) {
	with_institutions().execute_with(|| {
		test();
		Prescriptions::do_try_state()
			.expect("the prescriptions pallet's invariants hold after the test");
	});
}
