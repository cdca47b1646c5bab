//! Chain specifications: the runtime's genesis presets, or a chain spec JSON file.

use medchain_runtime::{currency, WASM_BINARY};
use sc_service::ChainType;

/// A chain specification of MedChain (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// MedChain's libp2p protocol id: its nodes never try to peer with other Substrate chains
/// (whose default id is "sup").
pub const PROTOCOL_ID: &str = "medchain";

/// Token symbol, decimals and address prefix, for wallets and Polkadot.js Apps.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), medchain_runtime::SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the WASM runtime is not in this binary: it was built with SKIP_WASM_BUILD; rebuild \
		 without it"
			.to_string()
	})
}

/// The single-node development chain (`--dev`): one validator, sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("MedChain Development")
		.with_id("medchain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.with_protocol_id(PROTOCOL_ID)
		.build())
}

/// The local four-hospital test network: four validators, no sudo.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("MedChain Local Testnet")
		.with_id("medchain_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.with_protocol_id(PROTOCOL_ID)
		.build())
}

/// The four-hospital consortium chain: four validators, the four hospitals admitted with their
/// admins on the council, no sudo (every decision is a council motion).
pub fn consortium_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("MedChain Consortium")
		.with_id("medchain_consortium")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(
			medchain_runtime::genesis_config_presets::CONSORTIUM_PRESET,
		)
		.with_properties(properties())
		.with_protocol_id(PROTOCOL_ID)
		.build())
}

/// Resolves `--chain`: `dev`, `local`, `consortium`, or a path to a chain spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" | "development" => Box::new(development_chain_spec()?),
		"" | "local" | "local_testnet" => Box::new(local_testnet_chain_spec()?),
		"consortium" => Box::new(consortium_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path)).map_err(
			|e| format!("cannot load chain spec `{path}`: {e} (expected dev, local, consortium or a path to a chain spec JSON file)"),
		)?),
	})
}
