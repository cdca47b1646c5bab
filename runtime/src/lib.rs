//! # MedChain runtime
//!
//! The state transition function of the MedChain consortium chain, compiled to WASM and executed
//! by every hospital's node. It holds only hashes, pseudonymous accounts, coarse codes and amounts:
//! no personal health information ever goes on chain.
//!
//! Layout: [`configs`] configures each pallet, [`apis`] implements the runtime APIs the node and
//! clients call, [`genesis_config_presets`] defines the `development` and `local_testnet` chains.

#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` expands to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// The WASM blob of this runtime, when it was built (the `std` build embeds it).
#[cfg(feature = "std")]
pub fn wasm_binary() -> Option<&'static [u8]> {
	WASM_BINARY
}

/// Opaque types: the node uses them without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The keys a hospital's validator node signs with: Aura for blocks, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. `spec_version` goes up with every runtime upgrade.
#[cfg(not(feature = "upgrade-fixture"))]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain-node"),
	authoring_version: 1,
	spec_version: 126,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// The same runtime one `spec_version` later: the blob that the runtime-upgrade test of the
/// consortium network votes in and applies (`scripts/build-upgrade-fixture.sh`). Never a
/// chain's genesis runtime. (`#[runtime_version]` takes literals only, hence the second item.)
#[cfg(feature = "upgrade-fixture")]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain-node"),
	authoring_version: 1,
	spec_version: 127,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// Block time target: one Aura slot.
pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration. It cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Blocks per minute, hour and day, for periods expressed in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// The token: MED, with 12 decimals. It pays transaction fees and inter-hospital exchanges.
pub mod currency {
	use super::Balance;
	include!("token.rs");
	/// One MED in the smallest unit.
	pub const MED: Balance = 1_000_000_000_000;
	/// One thousandth of a MED.
	pub const MILLI_MED: Balance = MED / 1_000;
	/// One millionth of a MED.
	pub const MICRO_MED: Balance = MED / 1_000_000;
	/// The smallest balance an account may hold; below it the account is reaped.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_MED;
}

/// The SS58 address prefix of MedChain accounts (not in the public registry's list of used
/// prefixes when it was chosen).
pub const SS58_PREFIX: u16 = 6336;

/// A block number.
pub type BlockNumber = u32;
/// Signature of a transaction.
pub type Signature = MultiSignature;
/// An account: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance of MED in its smallest unit.
pub type Balance = u128;
/// The transaction counter of an account.
pub type Nonce = u32;
/// A hash.
pub type Hash = sp_core::H256;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions: checks every signed transaction goes through.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_skip_feeless_payment::SkipCheckIfFeeless<
		Runtime,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	>,
	// After the fee-free check: spends the patient allowance of every fee-free consent
	// transaction before dispatch, so a failing one is not free (docs/consent.md).
	pallet_consent::PatientAllowance<Runtime>,
	// RFC-0078: a signer that verified the metadata (a hardware wallet, polkadot-api) sends
	// mode `Enabled` and signs the metadata hash built into the blob (build.rs), so a
	// transaction shown with other metadata than the chain's fails its signature check. Mode
	// `Disabled` signs `None`. Where polkadot-sdk's templates put it: after the fee check,
	// before `WeightReclaim`, which stays last.
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations run on the next runtime upgrade, besides the pallets' own.
type Migrations = (
	// Issue 16: a record's version 1 and list slot kept with it, a patient's counters in one
	// item (records' storage version 2 → 3).
	pallet_records::migrations::v3::MigrateV2ToV3<Runtime>,
	// Issue 12: exchange parameters (per-requester queue limit, price change delay),
	// per-requester queue counts.
	pallet_exchange::migrations::v2::MigrateV1ToV2<Runtime>,
	// Issue 18: the index of each institution's pending registrations (institutions' storage
	// version 1 → 2) and of each institution's requests (exchange's storage version 2 → 3).
	pallet_institutions::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_exchange::migrations::v3::MigrateV2ToV3<Runtime>,
);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

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
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Sessions: the validator set (from the consortium pallet) and its keys, handed to Aura
	/// and GRANDPA at each session change. Declared before them so its block-start work runs
	/// first.
	#[runtime::pallet_index(8)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Only the single-node development chain has a sudo key; the consortium chain is governed
	/// by the hospitals (see docs/architecture.md).
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// Lets calls marked `feeless_if` (patients' consent calls) skip the fee.
	#[runtime::pallet_index(7)]
	pub type SkipFeelessPayment = pallet_skip_feeless_payment;

	/// Hospitals and other institutions, their devices, practitioners and patients.
	#[runtime::pallet_index(10)]
	pub type Institutions = pallet_institutions;

	/// Anchored hashes of medical records (tamper evidence).
	#[runtime::pallet_index(11)]
	pub type Records = pallet_records;

	/// Medical certificates: practitioners' attestations with validity, suspension and
	/// revocation (W3C Bitstring Status List).
	#[runtime::pallet_index(14)]
	pub type Certificates = pallet_certificates;

	/// E-prescriptions: physicians issue, pharmacists claim and dispense fill by fill.
	#[runtime::pallet_index(15)]
	pub type Prescriptions = pallet_prescriptions;

	/// Insurance claims: submitted with the patient's consent, funds held, adjudicated, paid.
	#[runtime::pallet_index(16)]
	pub type Claims = pallet_claims;

	/// Patient consent, emergency access and the disclosure log.
	#[runtime::pallet_index(12)]
	pub type Consent = pallet_consent;

	/// Inter-hospital record exchange with escrowed fees.
	#[runtime::pallet_index(13)]
	pub type Exchange = pallet_exchange;

	/// The hospital council: one seat per active hospital, held by its admin account.
	#[runtime::pallet_index(20)]
	pub type Council = pallet_collective<Instance1>;

	/// The council's members, kept equal to the active hospitals' admins by the registry.
	#[runtime::pallet_index(21)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	/// Decisions of the consortium that need the council: runtime upgrades.
	#[runtime::pallet_index(22)]
	pub type Consortium = pallet_consortium;
}
