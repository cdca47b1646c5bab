//! A test runtime with the real institutions and records pallets.

use crate as pallet_consent;
use crate::Parameters;
use frame_support::{assert_ok, derive_impl, parameter_types};
use pallet_institutions::{InstitutionKind, PractitionerRole};
use pallet_records::{Category, FormatCode};
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
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const MaxRecordIdLen: u32 = 16;
	pub const Max: u32 = 64;
	pub const Defaults: Parameters<u64> = Parameters {
		max_consent_duration: 100,
		emergency_window: 10,
		emergency_limit: 2,
		institution_emergency_limit: 3,
		emergency_period: 50,
		patient_allowance: 3,
		allowance_period: 20,
		disclosure_retention: 10,
	};
	pub const MaxConsents: u32 = 3;
	pub const MaxScopeCategories: u32 = 4;
	pub const MaxScopeRecords: u32 = 2;
	pub const MaxPurposes: u32 = 3;
	pub const MaxDeny: u32 = 3;
	pub const MaxDisclosures: u32 = 4;
	pub const MaxKeptEmergency: u32 = 2;
	pub const PageSize: u32 = 3;
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
	type DefaultParameters = Defaults;
	type MaxConsentsPerPatient = MaxConsents;
	type MaxScopeCategories = MaxScopeCategories;
	type MaxScopeRecords = MaxScopeRecords;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxPurposes = MaxPurposes;
	type MaxDenyCategories = MaxDeny;
	type MaxDisclosuresPerPatient = MaxDisclosures;
	type MaxKeptEmergencyEntries = MaxKeptEmergency;
	type DisclosurePageSize = PageSize;
	type CardSignature = sp_runtime::testing::TestSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CardKeys;
	type AllowanceCalls = frame_support::traits::Nothing;
	type WeightInfo = ();
}

/// Card keys of the benchmarks: key 77 signs with [`TestSignature`].
///
/// [`TestSignature`]: sp_runtime::testing::TestSignature
#[cfg(feature = "runtime-benchmarks")]
pub struct CardKeys;
#[cfg(feature = "runtime-benchmarks")]
impl crate::card::BenchmarkHelper<u64, sp_runtime::testing::TestSignature> for CardKeys {
	fn card_key() -> u64 {
		77
	}
	fn sign(key: &u64, payload: &[u8]) -> sp_runtime::testing::TestSignature {
		sp_runtime::testing::TestSignature(*key, payload.to_vec())
	}
}

/// The card key of a pseudonym in the mock: the pseudonym's id plus 1000.
pub fn card_key(pseudonym: u64) -> u64 {
	pseudonym + 1000
}

/// `pseudonym`'s emergency card (key [`card_key`], set in [`with_registry`] for the
/// patients) used by `practitioner`.
pub fn card_for(pseudonym: u64, practitioner: u64) -> sp_runtime::testing::TestSignature {
	let statement =
		Consent::card_statement(&pseudonym, &practitioner).expect("a registered pseudonym");
	sp_runtime::testing::TestSignature(card_key(pseudonym), statement.signing_payload())
}

/// A commitment to `reason` with a fixed salt.
pub fn committed(reason: crate::EmergencyReason) -> H256 {
	reason.commitment(&[9; 32])
}

/// Hospital A (0): admin 1, device 10, physician 11, nurse 12, pharmacist 13.
/// Hospital B (1): admin 2, device 20, physician 21.
/// Clinic C (2): admin 3, device 30, physician 31.
/// Patient 40 (pseudonym at hospital A) with guardian 41; patient 42 (at A) without; 43 is
/// patient 40's pseudonym at clinic C, with guardian key 44. Records "lab" (Laboratory),
/// "allergy" (Allergy) and "mental" (MentalHealth) of 40 at hospital A; "img" (Imaging) of 43
/// at clinic C.
pub const HOSPITAL_A: u32 = 0;
pub const HOSPITAL_B: u32 = 1;
pub const CLINIC_C: u32 = 2;
pub const DEVICE_A: u64 = 10;
pub const PHYSICIAN_A: u64 = 11;
pub const NURSE_A: u64 = 12;
pub const PHARMACIST_A: u64 = 13;
pub const DEVICE_B: u64 = 20;
pub const PHYSICIAN_B: u64 = 21;
pub const DEVICE_C: u64 = 30;
pub const PHYSICIAN_C: u64 = 31;
pub const PATIENT: u64 = 40;
pub const GUARDIAN: u64 = 41;
pub const OTHER_PATIENT: u64 = 42;
pub const PATIENT_AT_C: u64 = 43;
pub const GUARDIAN_AT_C: u64 = 44;
pub const STRANGER: u64 = 99;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn anchor(device: u64, patient: u64, id: &[u8], category: Category, hash: u8) {
	assert_ok!(Records::anchor(
		RuntimeOrigin::signed(device),
		patient,
		id.to_vec(),
		category,
		H256::repeat_byte(hash),
		100,
		FormatCode::FhirJson
	));
}

/// Test externalities that check the pallet's invariants (`do_try_state`) after every test
/// closure (as KILT's `build_and_execute_with_sanity_tests`).
pub struct CheckedExt(sp_io::TestExternalities);

impl From<sp_io::TestExternalities> for CheckedExt {
	fn from(ext: sp_io::TestExternalities) -> Self {
		Self(ext)
	}
}

impl CheckedExt {
	/// Runs `test`, then the invariant checks.
	pub fn execute_with<R>(&mut self, test: impl FnOnce() -> R) -> R {
		self.0.execute_with(|| {
			let result = test();
			if let Err(e) = Consent::do_try_state() {
				panic!("invariants broken after the test: {e:?}");
			}
			result
		})
	}
}

/// The institutions, practitioners, patients and records described above.
pub fn with_registry() -> CheckedExt {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let root = || RuntimeOrigin::root();
		let signed = RuntimeOrigin::signed;
		for (admin, kind) in [
			(1, InstitutionKind::Hospital),
			(2, InstitutionKind::Hospital),
			(3, InstitutionKind::Clinic),
		] {
			assert_ok!(Institutions::admit(root(), admin, kind, b"x".to_vec()));
		}
		assert_ok!(Institutions::add_device(signed(1), DEVICE_A));
		assert_ok!(Institutions::add_device(signed(2), DEVICE_B));
		assert_ok!(Institutions::add_device(signed(3), DEVICE_C));
		let licence = H256::repeat_byte(9);
		assert_ok!(Institutions::add_practitioner(
			signed(1),
			PHYSICIAN_A,
			PractitionerRole::Physician,
			licence
		));
		assert_ok!(Institutions::add_practitioner(
			signed(1),
			NURSE_A,
			PractitionerRole::Nurse,
			licence
		));
		assert_ok!(Institutions::add_practitioner(
			signed(1),
			PHARMACIST_A,
			PractitionerRole::Pharmacist,
			licence
		));
		assert_ok!(Institutions::add_practitioner(
			signed(2),
			PHYSICIAN_B,
			PractitionerRole::Physician,
			licence
		));
		assert_ok!(Institutions::add_practitioner(
			signed(3),
			PHYSICIAN_C,
			PractitionerRole::Physician,
			licence
		));
		assert_ok!(Institutions::register_patient(signed(DEVICE_A), PATIENT, Some(GUARDIAN)));
		assert_ok!(Institutions::confirm_registration(signed(PATIENT), PATIENT, Some(GUARDIAN)));
		assert_ok!(Institutions::register_patient(signed(DEVICE_A), OTHER_PATIENT, None));
		assert_ok!(Institutions::confirm_registration(signed(OTHER_PATIENT), OTHER_PATIENT, None));
		// The clinic keeps the patient's imaging under the patient's pseudonym there.
		assert_ok!(Institutions::register_patient(
			signed(DEVICE_C),
			PATIENT_AT_C,
			Some(GUARDIAN_AT_C)
		));
		assert_ok!(Institutions::confirm_registration(
			signed(PATIENT_AT_C),
			PATIENT_AT_C,
			Some(GUARDIAN_AT_C)
		));
		anchor(DEVICE_A, PATIENT, b"lab", Category::Laboratory, 1);
		anchor(DEVICE_A, PATIENT, b"allergy", Category::Allergy, 2);
		anchor(DEVICE_A, PATIENT, b"mental", Category::MentalHealth, 3);
		anchor(DEVICE_C, PATIENT_AT_C, b"img", Category::Imaging, 4);
		// Every patient carries an emergency card.
		for p in [PATIENT, OTHER_PATIENT, PATIENT_AT_C] {
			assert_ok!(Consent::set_emergency_card(signed(p), p, Some(card_key(p))));
		}
		anchor(DEVICE_A, OTHER_PATIENT, b"other", Category::Laboratory, 5);
	});
	CheckedExt(ext)
}
