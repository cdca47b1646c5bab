//! Runtime-level tests: the genesis presets build a working state, every pallet's
//! `integrity_test` passes on it, and the WASM blob the node executes is this runtime.

use codec::Decode;
use frame_support::traits::IntegrityTest;
use medchain_runtime::{
	genesis_config_presets, AllPalletsWithSystem, BuildStorage, Runtime, RuntimeGenesisConfig,
	VERSION, WASM_BINARY,
};
use sp_keyring::Sr25519Keyring;

/// The full genesis config of a named preset.
fn preset_config(name: &str) -> RuntimeGenesisConfig {
	genesis_config_presets::preset_genesis_config(name)
		.unwrap_or_else(|| panic!("preset {name} exists and fits the runtime"))
}

fn externalities(name: &str) -> sp_io::TestExternalities {
	let storage = preset_config(name).build_storage().expect("the preset builds a genesis state");
	sp_io::TestExternalities::new(storage)
}

#[test]
fn presets_are_listed() {
	let names: Vec<String> =
		genesis_config_presets::preset_names().into_iter().map(|p| p.to_string()).collect();
	assert_eq!(names, vec!["development", "local_testnet", "consortium"]);
	assert!(genesis_config_presets::get_preset(&"no_such_chain".into()).is_none());
}

#[test]
fn development_preset_builds_one_validator_with_sudo() {
	externalities("development").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		let alice = frame_system::Account::<Runtime>::get(Sr25519Keyring::Alice.to_account_id());
		assert_eq!(alice.data.free, genesis_config_presets::ENDOWMENT);
		assert!(
			pallet_balances::TotalIssuance::<Runtime>::get()
				>= 12 * genesis_config_presets::ENDOWMENT
		);
	});
}

#[test]
fn local_testnet_preset_builds_four_hospital_validators_without_sudo() {
	externalities("local_testnet").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "no sudo outside the dev chain");
	});
}

#[test]
fn consortium_preset_builds_four_validators_four_hospitals_on_the_council_and_no_sudo() {
	externalities("consortium").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "the consortium has no sudo");
		assert_eq!(pallet_institutions::NextInstitutionId::<Runtime>::get(), 4);
		let council = pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
		assert_eq!(council.len(), 4);
		for id in 0..4 {
			let hospital = pallet_institutions::Institutions::<Runtime>::get(id).unwrap();
			assert!(council.contains(&hospital.admin), "each hospital's admin holds a seat");
		}
	});
}

#[test]
fn integrity_test_of_every_pallet_passes_on_every_preset() {
	for name in ["development", "local_testnet", "consortium"] {
		externalities(name).execute_with(|| {
			<AllPalletsWithSystem as IntegrityTest>::integrity_test();
		});
	}
}

#[test]
fn wasm_blob_is_this_runtime() {
	let wasm = WASM_BINARY.expect("the WASM blob is built (do not set SKIP_WASM_BUILD for tests)");
	assert!(wasm.len() > 100_000, "a real runtime blob, got {} bytes", wasm.len());
	let blob = sc_executor_common::runtime_blob::RuntimeBlob::uncompress_if_needed(wasm)
		.expect("the blob decompresses");

	// The version embedded in the blob's custom section (what the node reads on upgrade).
	let embedded = sc_executor::read_embedded_version(&blob)
		.expect("readable")
		.expect("the blob embeds its version");
	assert_eq!(embedded.spec_name, VERSION.spec_name);
	assert_eq!(embedded.spec_version, VERSION.spec_version);
	assert_eq!(embedded.transaction_version, VERSION.transaction_version);

	// The version the blob reports when executed.
	let executor = sc_executor::WasmExecutor::<sp_io::SubstrateHostFunctions>::builder().build();
	let mut ext = sp_io::TestExternalities::default();
	let mut ext = ext.ext();
	let encoded = executor
		.uncached_call(blob, &mut ext, false, "Core_version", &[])
		.expect("Core_version executes");
	let reported = sp_version::RuntimeVersion::decode(&mut &encoded[..]).expect("decodes");
	assert_eq!(reported, VERSION, "the WASM blob reports the runtime crate's version");
	assert_eq!(reported.spec_name, "medchain");
}

#[test]
fn block_weights_are_the_ones_measured_on_the_project_machine() {
	use frame_support::dispatch::DispatchClass;
	use medchain_runtime::{
		configs::RuntimeBlockWeights,
		weights::{BlockExecutionWeight, ExtrinsicBaseWeight, ParityDbWeight},
	};
	let weights = RuntimeBlockWeights::get();
	// The builder accepted the measured figures (it falls back to polkadot-sdk's otherwise).
	assert_eq!(weights.base_block, BlockExecutionWeight::get());
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		assert_eq!(weights.get(class).base_extrinsic, ExtrinsicBaseWeight::get());
	}
	// Two seconds per block, three quarters for normal transactions.
	assert_eq!(
		weights.max_block.ref_time(),
		2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND
	);
	assert_eq!(
		weights.get(DispatchClass::Normal).max_total.map(|w| w.ref_time()),
		Some(weights.max_block.ref_time() / 4 * 3)
	);
	assert_eq!(
		<medchain_runtime::Runtime as frame_system::Config>::DbWeight::get(),
		ParityDbWeight::get()
	);
}
