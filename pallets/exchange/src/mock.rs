//! A test runtime with the real balances, institutions, records and consent pallets.

use crate as pallet_exchange;
use crate::Parameters;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU64, Hooks},
};
use pallet_consent::Purpose;
use pallet_institutions::InstitutionKind;
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Institutions = pallet_institutions;
	#[runtime::pallet_index(4)]
	pub type Records = pallet_records;
	#[runtime::pallet_index(5)]
	pub type Consent = pallet_consent;
	#[runtime::pallet_index(6)]
	pub type Exchange = pallet_exchange;
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
	pub const MaxRecordIdLen: u32 = 16;
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
	/// Relay share 10 %, 50 per unpriced item, 10 blocks to deliver, 5 to dispute, 2 requests
	/// of one requester waiting per custodian (of 3 in all), prices in force at once (the
	/// delay is tested with `set_parameters`).
	pub const ExchangeDefaults: Parameters<u64, u64> = Parameters {
		relay_share_per_mille: 100,
		default_fee: 50,
		delivery_window: 10,
		dispute_window: 5,
		max_pending_per_requester: 2,
		price_change_delay: 0,
	};
	pub const MaxConsents: u32 = 8;
	pub const MaxPrices: u32 = 4;
	pub const MaxRecordsPerRequest: u32 = 3;
	pub const MaxCategoriesPerRequest: u32 = 3;
	pub const MaxVersionsPerDelivery: u32 = 4;
	pub const MaxPending: u32 = 3;
	pub const MaxTimers: u32 = 2;
	pub const PendingPageSize: u32 = 2;
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

impl pallet_exchange::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Institutions;
	type Records = Records;
	type Consent = Consent;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type DefaultParameters = ExchangeDefaults;
	type MaxPrices = MaxPrices;
	type MaxRecordsPerRequest = MaxRecordsPerRequest;
	type MaxCategoriesPerRequest = MaxCategoriesPerRequest;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxVersionsPerDelivery = MaxVersionsPerDelivery;
	type MaxPendingPerCustodian = MaxPending;
	type MaxTimersPerBlock = MaxTimers;
	type PendingPageSize = PendingPageSize;
	type WeightInfo = ();
}

/// Hospital A (0), the requester: admin 1, device 10, physician 11.
/// Hospital B (1), the custodian: admin 2, device 20.
/// Relay operator R (2): admin 3.
/// Clinic C (3): admin 4, device 30.
/// Patient 50 (registered at B) with records at B: "lab" (Laboratory, versions 1 and 2),
/// "allergy" (Allergy), "mental" (MentalHealth); patient 51 with "other" (Laboratory) at B.
/// Patient 50 consents to A receiving Laboratory and Allergy for treatment (consent 0).
pub const HOSPITAL_A: u32 = 0;
pub const HOSPITAL_B: u32 = 1;
pub const RELAY: u32 = 2;
pub const CLINIC_C: u32 = 3;
pub const ADMIN_A: u64 = 1;
pub const ADMIN_B: u64 = 2;
pub const ADMIN_RELAY: u64 = 3;
pub const ADMIN_C: u64 = 4;
pub const DEVICE_A: u64 = 10;
pub const PHYSICIAN_A: u64 = 11;
pub const DEVICE_B: u64 = 20;
pub const DEVICE_C: u64 = 30;
pub const PATIENT: u64 = 50;
pub const OTHER_PATIENT: u64 = 51;
pub const STRANGER: u64 = 99;

/// Starting balances.
pub const ADMIN_FUNDS: u64 = 1_000;
pub const DEVICE_A_FUNDS: u64 = 10_000;
pub const DEVICE_C_FUNDS: u64 = 60;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ADMIN_A, ADMIN_FUNDS),
			(ADMIN_B, ADMIN_FUNDS),
			(ADMIN_RELAY, ADMIN_FUNDS),
			(ADMIN_C, ADMIN_FUNDS),
			(DEVICE_A, DEVICE_A_FUNDS),
			(DEVICE_B, ADMIN_FUNDS),
			(DEVICE_C, DEVICE_C_FUNDS),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn anchor(patient: u64, id: &[u8], category: Category, hash: u8) {
	assert_ok!(Records::anchor(
		RuntimeOrigin::signed(DEVICE_B),
		patient,
		id.to_vec(),
		category,
		H256::repeat_byte(hash),
		100,
		FormatCode::FhirJson
	));
}

/// The institutions, patients, records and consent described above.
pub fn with_parties() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let root = || RuntimeOrigin::root();
		let signed = RuntimeOrigin::signed;
		for (admin, kind) in [
			(ADMIN_A, InstitutionKind::Hospital),
			(ADMIN_B, InstitutionKind::Hospital),
			(ADMIN_RELAY, InstitutionKind::RelayOperator),
			(ADMIN_C, InstitutionKind::Clinic),
		] {
			assert_ok!(Institutions::admit(root(), admin, kind, b"x".to_vec()));
		}
		assert_ok!(Institutions::add_device(signed(ADMIN_A), DEVICE_A));
		assert_ok!(Institutions::add_device(signed(ADMIN_B), DEVICE_B));
		assert_ok!(Institutions::add_device(signed(ADMIN_C), DEVICE_C));
		assert_ok!(Institutions::add_practitioner(
			signed(ADMIN_A),
			PHYSICIAN_A,
			pallet_institutions::PractitionerRole::Physician,
			H256::repeat_byte(9)
		));
		assert_ok!(Institutions::register_patient(signed(DEVICE_B), PATIENT, None));
		assert_ok!(Institutions::confirm_registration(signed(PATIENT), PATIENT, None));
		assert_ok!(Institutions::register_patient(signed(DEVICE_B), OTHER_PATIENT, None));
		assert_ok!(Institutions::confirm_registration(signed(OTHER_PATIENT), OTHER_PATIENT, None));
		anchor(PATIENT, b"lab", Category::Laboratory, 1);
		assert_ok!(Records::supersede(
			signed(DEVICE_B),
			b"lab".to_vec(),
			1,
			H256::repeat_byte(11),
			120,
			FormatCode::FhirJson
		));
		anchor(PATIENT, b"allergy", Category::Allergy, 2);
		anchor(PATIENT, b"mental", Category::MentalHealth, 3);
		anchor(OTHER_PATIENT, b"other", Category::Laboratory, 4);
		assert_ok!(Consent::grant(
			signed(PATIENT),
			PATIENT,
			HOSPITAL_A,
			frame_support::BoundedVec::truncate_from(vec![Category::Laboratory, Category::Allergy]),
			Default::default(),
			frame_support::BoundedVec::truncate_from(vec![Purpose::Treatment]),
			None,
			500,
			None
		));
		System::reset_events();
	});
	ext
}

/// Runs `test` with the parties above, then checks the exchange's invariants (`try_state`):
/// every test ends in a state the invariants accept.
pub fn build_and_execute(test: impl FnOnce()) {
	with_parties().execute_with(|| {
		test();
		Exchange::do_try_state().expect("exchange invariants hold at the end of the test");
	});
}

/// Runs `test` on a chain with balances only (no parties), then checks the invariants.
pub fn build_empty_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Exchange::do_try_state().expect("exchange invariants hold at the end of the test");
	});
}

/// Moves to block `n`, running the exchange's block-start work on each block on the way.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Exchange::on_initialize(next);
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
