//! The runtime APIs: what the node, the JSON-RPC layer and the tools call in the WASM blob.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	genesis_config_presets, AccountId, Aura, Balance, Block, BlockNumber, Certificates, Claims,
	Consent, Exchange, Executive, Grandpa, InherentDataExt, Institutions, Nonce, Prescriptions,
	Records, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment,
	VERSION,
};

// The system pallet's benchmarks need nothing from the runtime beyond the defaults.
#[cfg(feature = "runtime-benchmarks")]
impl frame_system_benchmarking::Config for Runtime {}

// Nor does the fee extension's benchmark (the caller is endowed by the fee adapter).
#[cfg(feature = "runtime-benchmarks")]
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

// Defines `list_benchmarks!` and `add_benchmarks!`, used by the `Benchmark` API below.
#[cfg(feature = "runtime-benchmarks")]
frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_institutions, Institutions]
	[pallet_records, Records]
	[pallet_certificates, Certificates]
	[pallet_prescriptions, Prescriptions]
	[pallet_claims, Claims]
	[pallet_consent, Consent]
	[pallet_exchange, Exchange]
	[pallet_consortium, Consortium]
);

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocation reports need key-ownership proofs (pallet-session-historical),
			// which this runtime does not keep (`KeyOwnerProof = Void`); reports are refused
			// and misbehaving validators are handled by council motion (docs/governance.md).
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_prescriptions_runtime_api::PrescriptionsApi<Block, AccountId, BlockNumber> for Runtime {
		fn prescription(
			hash: sp_core::H256,
		) -> Option<pallet_prescriptions::PrescriptionView<AccountId, BlockNumber>> {
			Prescriptions::prescription(hash)
		}

		fn queue(
			pharmacy: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_prescriptions::QueuePage<AccountId, BlockNumber> {
			Prescriptions::queue(pharmacy, page)
		}

		fn prescriptions_of(
			patient: AccountId,
			page: u32,
		) -> pallet_prescriptions::PatientPrescriptionsPage<BlockNumber> {
			Prescriptions::prescriptions_of(&patient, page)
		}
	}

	impl pallet_claims_runtime_api::ClaimsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn claim(
			hash: sp_core::H256,
		) -> Option<pallet_claims::ClaimView<AccountId, Balance, BlockNumber>> {
			Claims::claim(hash)
		}

		fn insurer_queue(
			insurer: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_claims::ClaimsPage<AccountId, Balance, BlockNumber> {
			Claims::insurer_queue(insurer, page)
		}

		fn hospital_claims(
			hospital: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_claims::ClaimsPage<AccountId, Balance, BlockNumber> {
			Claims::hospital_claims(hospital, page)
		}

		fn claims_of(
			patient: AccountId,
			page: u32,
		) -> pallet_claims::ClaimsPage<AccountId, Balance, BlockNumber> {
			Claims::claims_of(&patient, page)
		}
	}

	impl pallet_certificates_runtime_api::CertificatesApi<Block, AccountId, BlockNumber> for Runtime {
		fn verify(
			document_hash: sp_core::H256,
		) -> Option<pallet_certificates::CertificateVerification<AccountId, BlockNumber>> {
			Certificates::verify(document_hash)
		}

		fn status_list(
			institution: pallet_institutions::InstitutionId,
			purpose: pallet_certificates::StatusPurpose,
		) -> pallet_certificates::StatusListBits {
			Certificates::status_list(institution, purpose)
		}

		fn certificates_of(
			subject: AccountId,
			page: u32,
		) -> pallet_certificates::SubjectCertificatesPage<BlockNumber> {
			Certificates::certificates_of(&subject, page)
		}
	}

	impl pallet_records_runtime_api::RecordsApi<Block, AccountId, BlockNumber> for Runtime {
		fn verify(
			custodian: pallet_institutions::InstitutionId,
			record_id: Vec<u8>,
			content_hash: sp_core::H256,
		) -> Option<pallet_records::Verification<AccountId, BlockNumber>> {
			Records::verify(custodian, record_id, content_hash)
		}

		fn verify_inclusion(
			custodian: pallet_institutions::InstitutionId,
			root: sp_core::H256,
			leaf: sp_core::H256,
			proof: pallet_records::InclusionProof,
		) -> pallet_records::InclusionVerification<AccountId, BlockNumber> {
			Records::verify_inclusion(custodian, root, leaf, proof)
		}

		fn records_of_patient(patient: AccountId, page: u32) -> pallet_records::PatientRecordsPage {
			Records::records_of(&patient, page)
		}
	}

	impl pallet_consent_runtime_api::ConsentApi<Block, AccountId, BlockNumber> for Runtime {
		fn check(
			patient: AccountId,
			grantee: pallet_institutions::InstitutionId,
			target: pallet_consent::Target,
			purpose: pallet_consent::Purpose,
			at: Option<BlockNumber>,
		) -> pallet_consent::Decision {
			// By default the block the next transaction is checked in.
			let at = at.unwrap_or_else(|| System::block_number().saturating_add(1));
			Consent::check(&patient, grantee, &target, purpose, at)
		}

		fn disclosures(patient: AccountId, page: u32) -> pallet_consent::DisclosuresPage<BlockNumber> {
			Consent::disclosures(&patient, page)
		}
	}

	impl pallet_institutions_runtime_api::InstitutionsApi<Block, AccountId, BlockNumber> for Runtime {
		fn pending_registrations(
			institution: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_institutions::PendingRegistrationsPage<AccountId, BlockNumber> {
			Institutions::pending_registrations_page(institution, page)
		}
	}

	impl pallet_exchange_runtime_api::ExchangeApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn request(
			id: pallet_exchange::RequestId,
		) -> Option<pallet_exchange::RequestView<AccountId, Balance, BlockNumber>> {
			Exchange::request_view(id)
		}

		fn pending(
			custodian: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_exchange::PendingPage<AccountId, Balance, BlockNumber> {
			Exchange::pending_page(custodian, page)
		}

		fn quote(
			custodian: pallet_institutions::InstitutionId,
			patient: AccountId,
			records: Vec<Vec<u8>>,
			categories: Vec<pallet_exchange::Category>,
		) -> Result<Balance, pallet_exchange::QuoteRefusal> {
			Exchange::quote(custodian, &patient, records, categories)
		}

		fn of_institution(
			institution: pallet_institutions::InstitutionId,
			page: u32,
		) -> pallet_exchange::InstitutionPage<AccountId, Balance, BlockNumber> {
			Exchange::institution_page(institution, page)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use sp_storage::TrackedStorageKey;
			use super::*;

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime only (never in a production blob): a failed check must stop the tool
			// with the reason, which is what a panic does here.
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("try_runtime_upgrade failed: {e:?}"));
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try_execute_block failed: {e:?}"))
		}
	}
}
