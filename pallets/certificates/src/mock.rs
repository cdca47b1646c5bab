//! A test runtime with the real institutions, records and consent pallets and
//! pallet-timestamp, so tests exercise practitioners, suspended institutions, patients,
//! calendar dates and the holder's disclosure log as the chain does.

use crate as pallet_certificates;
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
	pub type Certificates = pallet_certificates;
	#[runtime::pallet_index(4)]
	pub type Records = pallet_records;
	#[runtime::pallet_index(5)]
	pub type Consent = pallet_consent;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// One day in milliseconds.
pub const DAY_MS: u64 = 86_400_000;

parameter_types! {
	pub const MaxInstitutions: u32 = 16;
	pub const MaxNameLen: u32 = 32;
	pub const MaxDevices: u32 = 4;
	pub const MaxPractitioners: u32 = 8;
	pub const MaxValidityMs: u64 = 365 * DAY_MS;
	pub const MaxBackdatingMs: u64 = 7 * DAY_MS;
	pub const PageSize: u32 = 2;
	/// Small, so the bound is reached in a test; a test may raise it (thread-local).
	pub static MaxPerInstitution: u32 = 10;
	/// Small, so the bound is reached in a test; a test may raise it (thread-local).
	pub static MaxPerSubject: u32 = 4;
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

parameter_types! {
	pub const MaxRecordIdLen: u32 = 32;
	pub const Many: u32 = 16;
	/// Small, so a test fills a holder's disclosure log.
	pub const MaxDisclosures: u32 = 3;
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
}

impl pallet_records::Config for Test {
	type Registry = Institutions;
	type Time = Timestamp;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxBatch = Many;
	type MaxVersions = Many;
	type MaxRecordsPerPatient = Many;
	type PageSize = Many;
	type WeightInfo = ();
}

/// As in the runtime: a holder's `log_verification` spends the patient allowance.
pub struct HolderLogs;
impl frame_support::traits::Contains<RuntimeCall> for HolderLogs {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Certificates(crate::Call::log_verification { .. }))
	}
}

impl pallet_consent::Config for Test {
	type Registry = Institutions;
	type Records = Records;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type DefaultParameters = ConsentDefaults;
	type MaxConsentsPerPatient = Many;
	type MaxScopeCategories = Many;
	type MaxScopeRecords = Many;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxPurposes = Many;
	type MaxDenyCategories = Many;
	type MaxDisclosuresPerPatient = MaxDisclosures;
	type MaxKeptEmergencyEntries = Many;
	type DisclosurePageSize = Many;
	type CardSignature = sp_runtime::testing::TestSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CardKeys;
	type AllowanceCalls = HolderLogs;
	type WeightInfo = ();
}

/// Emergency-card keys for the consent pallet's benchmark helper (unused by these tests).
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

impl pallet_certificates::Config for Test {
	type Registry = Institutions;
	type Consent = Consent;
	type Time = Timestamp;
	type MaxValidityMs = MaxValidityMs;
	type MaxBackdatingMs = MaxBackdatingMs;
	type MaxCertificatesPerInstitution = MaxPerInstitution;
	type MaxCertificatesPerSubject = MaxPerSubject;
	type PageSize = PageSize;
	type WeightInfo = ();
}

/// Hospital 0: admin 1, device 10, physicians 11 and 14, nurse 12, pharmacist 13.
/// Clinic 1: admin 2, device 20, physician 21.
/// Pharmacy 2: admin 3, physician 31 (a physician employed by a pharmacy).
/// Patients 40 and 41 registered at the hospital, patient 42 at the clinic.
/// Block 1, time 2026-01-01T00:00:00Z. At most 10 certificates per institution, 4 per
/// subject (both raised by some tests), 2 per page; validity at most 365 days, backdating at
/// most 7 days.
pub const HOSPITAL: u32 = 0;
pub const CLINIC: u32 = 1;
pub const PHARMACY: u32 = 2;
pub const HOSPITAL_ADMIN: u64 = 1;
pub const CLINIC_ADMIN: u64 = 2;
pub const PHARMACY_ADMIN: u64 = 3;
pub const HOSPITAL_DEVICE: u64 = 10;
pub const PHYSICIAN: u64 = 11;
pub const NURSE: u64 = 12;
pub const PHARMACIST: u64 = 13;
pub const PHYSICIAN_2: u64 = 14;
pub const CLINIC_DEVICE: u64 = 20;
pub const CLINIC_PHYSICIAN: u64 = 21;
pub const PHARMACY_PHYSICIAN: u64 = 31;
pub const PATIENT: u64 = 40;
pub const PATIENT_2: u64 = 41;
pub const CLINIC_PATIENT: u64 = 42;
pub const STRANGER: u64 = 99;
/// 2026-01-01T00:00:00Z, milliseconds since the Unix epoch.
pub const NOW_MS: u64 = 1_767_225_600_000;

/// Empty externalities at block 1 and [`NOW_MS`] (for the benchmark test suite, which sets up
/// its own data).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(NOW_MS);
	});
	ext
}

/// Registers `patient` at the institution of `device`, confirmed by the patient.
fn register(device: u64, patient: u64) {
	assert_ok!(Institutions::register_patient(RuntimeOrigin::signed(device), patient, None));
	assert_ok!(Institutions::confirm_registration(RuntimeOrigin::signed(patient), patient, None));
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
		] {
			assert_ok!(Institutions::admit(RuntimeOrigin::root(), admin, kind, b"x".to_vec()));
		}
		assert_ok!(Institutions::add_device(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			HOSPITAL_DEVICE
		));
		assert_ok!(Institutions::add_device(RuntimeOrigin::signed(CLINIC_ADMIN), CLINIC_DEVICE));
		practitioner(HOSPITAL_ADMIN, PHYSICIAN, PractitionerRole::Physician);
		practitioner(HOSPITAL_ADMIN, NURSE, PractitionerRole::Nurse);
		practitioner(HOSPITAL_ADMIN, PHARMACIST, PractitionerRole::Pharmacist);
		practitioner(HOSPITAL_ADMIN, PHYSICIAN_2, PractitionerRole::Physician);
		practitioner(CLINIC_ADMIN, CLINIC_PHYSICIAN, PractitionerRole::Physician);
		practitioner(PHARMACY_ADMIN, PHARMACY_PHYSICIAN, PractitionerRole::Physician);
		register(HOSPITAL_DEVICE, PATIENT);
		register(HOSPITAL_DEVICE, PATIENT_2);
		register(CLINIC_DEVICE, CLINIC_PATIENT);
	});
	ext
}

/// Runs `test` with the institutions and patients of [`with_institutions`], then checks the
/// pallet's invariants (`do_try_state`) on the state the test left.
pub fn build_and_execute(test: impl FnOnce()) {
	with_institutions().execute_with(|| {
		test();
		Certificates::do_try_state()
			.expect("the certificates pallet's invariants hold after the test");
	});
}
