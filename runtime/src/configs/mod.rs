//! Configuration of every pallet in the runtime.

pub mod governance;

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	currency::EXISTENTIAL_DEPOSIT,
	weights::{BlockExecutionWeight, ExtrinsicBaseWeight, ParityDbWeight},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Consent, Hash, Institutions, Nonce,
	PalletInfo, Records, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, Timestamp, SLOT_DURATION, SS58_PREFIX,
	VERSION,
};

/// Share of a block's weight and length available to normal (non-operational) extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block, of which normal extrinsics may use
	/// `NORMAL_DISPATCH_RATIO`; an empty block and each extrinsic's base cost as measured on
	/// the project's machine (`weights`), not polkadot-sdk's reference figures.
	pub RuntimeBlockWeights: BlockWeights = block_weights(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
	);
	/// 5 MiB blocks, of which normal extrinsics may fill `NORMAL_DISPATCH_RATIO`.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// `BlockWeights::with_sensible_defaults` with MedChain's measured base weights.
fn block_weights(max_block: Weight) -> BlockWeights {
	let normal = NORMAL_DISPATCH_RATIO * max_block;
	BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = normal.into();
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = max_block.into();
			weights.reserved = (max_block - normal).into();
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build()
		.unwrap_or_else(|_| BlockWeights::with_sensible_defaults(max_block, NORMAL_DISPATCH_RATIO))
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	/// No direct changes to the council's members: the registry is the only source of seats.
	type BaseCallFilter = governance::SeatsFollowTheRegistry;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// Nodes store state in ParityDB (RocksDB is not compiled in); its read and write costs
	/// as measured on the project's machine.
	type DbWeight = ParityDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	/// Hospitals in the consortium that can run a validator at once.
	type MaxAuthorities = ConstU32<64>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<64>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = frame_support::traits::ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

parameter_types! {
	pub const MaxInstitutions: u32 = 1_024;
	pub const MaxInstitutionNameLen: u32 = 128;
	pub const MaxDevicesPerInstitution: u32 = 64;
	pub const MaxPractitionersPerInstitution: u32 = 10_000;
	/// A patient (or the named guardian) confirms a registration within 7 days.
	pub const RegistrationExpiry: BlockNumber = 7 * crate::DAYS;
	/// Pending registrations per institution: a week of a large hospital's new patients who
	/// confirm later rather than at the desk.
	pub const MaxPendingRegistrations: u32 = 5_000;
}

impl pallet_institutions::Config for Runtime {
	/// A majority of the hospital council (or Root: sudo on the development chain).
	type AdmissionOrigin = governance::RootOrCouncilMajority;
	/// Two thirds of the hospital council (or Root: sudo on the development chain).
	type RemovalOrigin = governance::RootOrCouncilTwoThirds;
	/// Active hospitals' admins hold the council's seats.
	type CouncilSeats = governance::HospitalCouncilSeats;
	/// A suspended or removed hospital's validators and nodes leave the network; refused below
	/// the floor of active hospitals.
	type OnHospitalExit = crate::Consortium;
	type MaxInstitutions = MaxInstitutions;
	type MaxNameLen = MaxInstitutionNameLen;
	type MaxDevicesPerInstitution = MaxDevicesPerInstitution;
	type MaxPractitionersPerInstitution = MaxPractitionersPerInstitution;
	type RegistrationExpiry = RegistrationExpiry;
	type MaxPendingRegistrations = MaxPendingRegistrations;
	type WeightInfo = pallet_institutions::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const MaxRecordIdLen: u32 = 64;
	pub const MaxRecordBatch: u32 = 512;
	pub const MaxRecordVersions: u32 = 1_000;
	/// Active records of one pseudonym (at its one custodian): the per-custodian quota of
	/// issue 12, which bounded what one institution could hold for a patient.
	pub const MaxRecordsPerPatient: u32 = 10_000;
	pub const RecordsPageSize: u32 = 100;
}

impl pallet_records::Config for Runtime {
	type Registry = Institutions;
	type Time = Timestamp;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxBatch = MaxRecordBatch;
	type MaxVersions = MaxRecordVersions;
	type MaxRecordsPerPatient = MaxRecordsPerPatient;
	type PageSize = RecordsPageSize;
	type WeightInfo = pallet_records::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A certificate with an end lasts at most ten years (a fitness or disability certificate
	/// is renewed well within that; a longer one is more likely a mistyped date).
	pub const MaxCertificateValidityMs: u64 = 10 * 366 * DAY_MS;
	/// A certificate may start up to 30 days before it is issued (a sick leave certified after
	/// the visit, a death certified days later).
	pub const MaxCertificateBackdatingMs: u64 = 30 * DAY_MS;
	/// An institution's status lists: one million certificates, 125 KiB per list.
	pub const MaxCertificatesPerInstitution: u32 = 1_000_000;
	/// A pseudonym's certificates, history included.
	pub const MaxCertificatesPerSubject: u32 = 1_000;
	pub const CertificatesPageSize: u32 = 100;
}

/// A day in milliseconds.
const DAY_MS: u64 = 24 * 60 * 60 * 1_000;

impl pallet_certificates::Config for Runtime {
	type Registry = Institutions;
	type Consent = Consent;
	type Time = Timestamp;
	type MaxValidityMs = MaxCertificateValidityMs;
	type MaxBackdatingMs = MaxCertificateBackdatingMs;
	type MaxCertificatesPerInstitution = MaxCertificatesPerInstitution;
	type MaxCertificatesPerSubject = MaxCertificatesPerSubject;
	type PageSize = CertificatesPageSize;
	type WeightInfo = pallet_certificates::weights::SubstrateWeight<Runtime>;
}

impl pallet_skip_feeless_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
}

parameter_types! {
	/// Until governance sets them: consents up to a year, 24 h emergency window, 5 emergency
	/// accesses per practitioner and 20 per institution per 24 h, 20 fee-free consent
	/// transactions per signer per 24 h, disclosure entries kept at least 30 days.
	pub const DefaultConsentParameters: pallet_consent::Parameters<BlockNumber> =
		pallet_consent::Parameters {
			max_consent_duration: 365 * crate::DAYS,
			emergency_window: crate::DAYS,
			emergency_limit: 5,
			institution_emergency_limit: 20,
			emergency_period: crate::DAYS,
			patient_allowance: 20,
			allowance_period: crate::DAYS,
			disclosure_retention: 30 * crate::DAYS,
		};
	pub const MaxConsentsPerPatient: u32 = 64;
	pub const MaxScopeCategories: u32 = 11;
	pub const MaxScopeRecords: u32 = 16;
	pub const MaxConsentPurposes: u32 = 7;
	pub const MaxDenyCategories: u32 = 11;
	pub const MaxDisclosuresPerPatient: u32 = 256;
	pub const MaxKeptEmergencyEntries: u32 = 64;
	pub const DisclosurePageSize: u32 = 20;
}

impl pallet_consent::Config for Runtime {
	type Registry = Institutions;
	type Records = Records;
	/// A majority of the hospital council (or Root: sudo on the development chain).
	type GovernanceOrigin = governance::RootOrCouncilMajority;
	type DefaultParameters = DefaultConsentParameters;
	type MaxConsentsPerPatient = MaxConsentsPerPatient;
	type MaxScopeCategories = MaxScopeCategories;
	type MaxScopeRecords = MaxScopeRecords;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxPurposes = MaxConsentPurposes;
	type MaxDenyCategories = MaxDenyCategories;
	type MaxDisclosuresPerPatient = MaxDisclosuresPerPatient;
	type MaxKeptEmergencyEntries = MaxKeptEmergencyEntries;
	type DisclosurePageSize = DisclosurePageSize;
	type AllowanceCalls = HolderCallsWithinAllowance;
	/// Emergency cards are signed like transactions (sr25519 from the patients' apps).
	type CardSignature = crate::Signature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CardKeysForBenchmarks;
	type WeightInfo = pallet_consent::weights::SubstrateWeight<Runtime>;
}

/// Patients' calls of other pallets that are fee-free within the patient allowance and spend
/// it: a certificate holder logging that they showed it (`certificates::log_verification`).
pub struct HolderCallsWithinAllowance;
impl frame_support::traits::Contains<RuntimeCall> for HolderCallsWithinAllowance {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Certificates(pallet_certificates::Call::log_verification { .. })
		)
	}
}

/// Benchmarks: sr25519 card keys made in the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct CardKeysForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_consent::card::BenchmarkHelper<AccountId, crate::Signature> for CardKeysForBenchmarks {
	fn card_key() -> AccountId {
		let public = sp_io::crypto::sr25519_generate(CARD_KEY_TYPE, None);
		AccountId::from(public.0)
	}
	fn sign(key: &AccountId, payload: &[u8]) -> crate::Signature {
		let bytes: [u8; 32] = key.clone().into();
		let public = sp_core::sr25519::Public::from_raw(bytes);
		let signature = sp_io::crypto::sr25519_sign(CARD_KEY_TYPE, &public, payload)
			.unwrap_or_else(|| panic!("benchmark card key is in the keystore"));
		sp_runtime::MultiSignature::Sr25519(signature)
	}
}

#[cfg(feature = "runtime-benchmarks")]
const CARD_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"card");

parameter_types! {
	/// Until governance sets them: the relay operator gets 5 % of each fee; an unpriced item
	/// costs 0.01 MED; custodians have 24 h to deliver, requesters 48 h to dispute; one
	/// requesting institution may have 64 requests waiting at a custodian (of 1,024); a new
	/// price list is in force 24 h after it is published.
	pub const DefaultExchangeParameters: pallet_exchange::Parameters<Balance, BlockNumber> =
		pallet_exchange::Parameters {
			relay_share_per_mille: 50,
			default_fee: 10 * crate::currency::MILLI_MED,
			delivery_window: crate::DAYS,
			dispute_window: 2 * crate::DAYS,
			max_pending_per_requester: 64,
			price_change_delay: crate::DAYS,
		};
	/// One price per category.
	pub const MaxExchangePrices: u32 = 11;
	pub const MaxRecordsPerExchange: u32 = 32;
	pub const MaxCategoriesPerExchange: u32 = 11;
	pub const MaxVersionsPerDelivery: u32 = 64;
	pub const MaxPendingPerCustodian: u32 = 1024;
	/// Timers processed at the start of one block (about 20 ms of the 2 s of computation).
	pub const MaxExchangeTimersPerBlock: u32 = 128;
	pub const PendingPageSize: u32 = 20;
}

impl pallet_exchange::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Institutions;
	type Records = Records;
	type Consent = Consent;
	/// A majority of the hospital council (or Root: sudo on the development chain).
	type GovernanceOrigin = governance::RootOrCouncilMajority;
	type DefaultParameters = DefaultExchangeParameters;
	type MaxPrices = MaxExchangePrices;
	type MaxRecordsPerRequest = MaxRecordsPerExchange;
	type MaxCategoriesPerRequest = MaxCategoriesPerExchange;
	type MaxRecordIdLen = MaxRecordIdLen;
	type MaxVersionsPerDelivery = MaxVersionsPerDelivery;
	type MaxPendingPerCustodian = MaxPendingPerCustodian;
	type MaxTimersPerBlock = MaxExchangeTimersPerBlock;
	type PendingPageSize = PendingPageSize;
	type WeightInfo = pallet_exchange::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Until governance sets them: a prescription may be filled for 3 days from its issue
	/// unless the physician sets another period (the default "period of use" of a Korean
	/// outpatient prescription, Enforcement Rule of the Medical Service Act, prescription form),
	/// at most 90 days (a repeat prescription's span); a pharmacy's claim holds for 2 hours.
	pub const DefaultPrescriptionParameters: pallet_prescriptions::Parameters<BlockNumber> =
		pallet_prescriptions::Parameters {
			default_validity: 3 * crate::DAYS,
			max_validity: 90 * crate::DAYS,
			claim_timeout: 2 * crate::HOURS,
		};
	/// A repeat prescription's fills (a year of monthly refills).
	pub const MaxPrescriptionFills: u8 = 12;
	pub const MaxPrescriptionsPerPatient: u32 = 5_000;
	pub const MaxQueuePerPharmacy: u32 = 10_000;
	pub const PrescriptionsPageSize: u32 = 100;
}

impl pallet_prescriptions::Config for Runtime {
	type Registry = Institutions;
	type Consent = Consent;
	/// A majority of the hospital council (or Root: sudo on the development chain).
	type GovernanceOrigin = governance::RootOrCouncilMajority;
	type DefaultParameters = DefaultPrescriptionParameters;
	type MaxFills = MaxPrescriptionFills;
	type MaxPrescriptionsPerPatient = MaxPrescriptionsPerPatient;
	type MaxQueuePerPharmacy = MaxQueuePerPharmacy;
	type PageSize = PrescriptionsPageSize;
	type WeightInfo = pallet_prescriptions::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Until governance sets them: an insurer has 30 days to adjudicate a claim before it
	/// escalates to the council, and a hospital 14 days to appeal a rejection or a partial
	/// payment.
	pub const DefaultClaimParameters: pallet_claims::Parameters<BlockNumber> =
		pallet_claims::Parameters {
			adjudication_period: 30 * crate::DAYS,
			appeal_window: 14 * crate::DAYS,
		};
	/// Timers processed at the start of one block (as the exchange's).
	pub const MaxClaimTimersPerBlock: u32 = 128;
	/// Claims waiting for one insurer; one hospital's open claims are fewer, so no hospital
	/// fills an insurer's queue alone.
	pub const MaxOpenClaimsPerInsurer: u32 = 4_096;
	pub const MaxOpenClaimsPerHospital: u32 = 1_024;
	/// History is kept and a full list blocks new claims, so it is large (one slot each).
	pub const MaxClaimsPerPatient: u32 = 10_000;
	pub const ClaimsPageSize: u32 = 20;
}

impl pallet_claims::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Institutions;
	type Consent = Consent;
	/// A majority of the hospital council (or Root: sudo on the development chain).
	type GovernanceOrigin = governance::RootOrCouncilMajority;
	type DefaultParameters = DefaultClaimParameters;
	type MaxTimersPerBlock = MaxClaimTimersPerBlock;
	type MaxOpenPerInsurer = MaxOpenClaimsPerInsurer;
	type MaxOpenPerHospital = MaxOpenClaimsPerHospital;
	type MaxClaimsPerPatient = MaxClaimsPerPatient;
	type PageSize = ClaimsPageSize;
	type WeightInfo = pallet_claims::weights::SubstrateWeight<Runtime>;
}
