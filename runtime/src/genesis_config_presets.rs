//! Genesis presets: the initial state of the chains this runtime ships with.
//!
//! - `development`: one validator (Alice's well-known test key), a sudo key, funded test
//!   accounts. For a developer's single node (`medchain-node --dev`).
//! - `local_testnet`: four hospital validators (the well-known test keys Alice, Bob, Charlie and
//!   Dave stand in for four hospitals' nodes), their nodes on the allow-list, and no sudo key.
//! - `consortium`: the same four validators and nodes, and the four hospitals admitted at
//!   genesis with Alice, Bob, Charlie and Dave as their admins, who hold the council's four
//!   seats; no sudo key: every decision is a council motion (docs/governance.md).
//!
//! The founders' nodes are listed at genesis ([`FOUNDER_NODE_KEYS`]) so that the allow-list is
//! in force from the first block: the council's first `authorize_node` then adds a node to
//! the founders' instead of making a one-node list that would cut every other node off.
//!
//! The well-known keys are public: these presets are for development and testing only. A real
//! consortium chain spec carries each hospital's own keys.

use crate::{currency::MED, AccountId, Balance, RuntimeGenesisConfig, SessionKeys};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to each funded account at genesis.
pub const ENDOWMENT: Balance = 1_000_000 * MED;

/// A validator: its session account, its Aura key for authoring, its GRANDPA key for finality.
pub type ValidatorKeys = (AccountId, AuraId, GrandpaId);

/// A hospital admitted at genesis: admin account and display name.
pub type FoundingHospital = (AccountId, &'static str);

/// The founding nodes' names; each node's key (`--node-key`, an Ed25519 secret) is the SHA-256
/// of its name, as zombienet derives it for nodes of these names and as
/// `medchain_harness::network::founder_node_key`, `scripts/network.sh` and the network tests
/// pass it. Public: for local and test networks only.
pub const FOUNDER_NODE_KEYS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// The Ed25519 public keys of [`FOUNDER_NODE_KEYS`]' node keys (checked by the runtime tests).
pub const FOUNDER_NODE_PUBLIC_KEYS: [[u8; 32]; 4] = [
	sp_core::hex2array!("d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4"),
	sp_core::hex2array!("ecc1b58727f3f12b3194881a9ecb9de0b28ce7b207230d8e930fe1bce75e256c"),
	sp_core::hex2array!("c8bf2959a96bd99ffde4e7277b41e57331dba7f7918186c359cf7dce149bb567"),
	sp_core::hex2array!("8d9293c327662be3c0faeb579b2aedd3b2cec33d74dadedceea76b7a94dc90c0"),
];

/// The libp2p peer id (identity multihash of the protobuf-encoded Ed25519 key) of the node
/// whose Ed25519 public key is `public`.
pub fn peer_id_of(public: &[u8; 32]) -> Vec<u8> {
	let mut id = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	id.extend_from_slice(public);
	id
}

/// The founding nodes' peer ids, in the order of [`FOUNDER_NODE_KEYS`].
pub fn founder_peer_ids() -> Vec<Vec<u8>> {
	FOUNDER_NODE_PUBLIC_KEYS.iter().map(peer_id_of).collect()
}

/// Builds the genesis JSON patch from its parts.
///
/// The validators' keys go to pallet-session, which hands them to Aura and GRANDPA; the
/// consortium pallet's set names the same accounts, with the founding hospital running each
/// (the i-th validator is run by the i-th hospital when there are hospitals), and the
/// allow-list names the `nodes` (the i-th run by the i-th hospital likewise). Chains with
/// founding hospitals keep at least three active (the default floor); chains without any
/// (development, local test) have no floor.
fn genesis(
	validators: Vec<ValidatorKeys>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	hospitals: Vec<FoundingHospital>,
	nodes: Vec<Vec<u8>>,
) -> Value {
	let admins: Vec<AccountId> = hospitals.iter().map(|(admin, _)| admin.clone()).collect();
	let run_by_hospitals = !hospitals.is_empty();
	let min_validators = validators.len() as u32;
	let min_active_hospitals = if run_by_hospitals {
		pallet_consortium::hospitals::DEFAULT_MIN_ACTIVE_HOSPITALS
	} else {
		0
	};
	build_struct_json_patch!(RuntimeGenesisConfig {
		institutions: pallet_institutions::GenesisConfig {
			institutions: hospitals
				.into_iter()
				.map(|(admin, name)| {
					(
						admin,
						pallet_institutions::InstitutionKind::Hospital,
						name.as_bytes().to_vec(),
					)
				})
				.collect::<Vec<_>>(),
		},
		council_membership: pallet_membership::GenesisConfig {
			members: frame_support::BoundedVec::truncate_from(admins),
		},
		balances: pallet_balances::GenesisConfig {
			balances: endowed.into_iter().map(|account| (account, ENDOWMENT)).collect::<Vec<_>>(),
		},
		session: pallet_session::GenesisConfig {
			keys: validators
				.iter()
				.map(|(account, aura, grandpa)| {
					(
						account.clone(),
						account.clone(),
						SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() },
					)
				})
				.collect::<Vec<_>>(),
		},
		consortium: pallet_consortium::GenesisConfig {
			validators: validators
				.iter()
				.enumerate()
				.map(|(i, (account, _, _))| (account.clone(), run_by_hospitals.then_some(i as u32)))
				.collect::<Vec<_>>(),
			min_validators,
			nodes: nodes
				.into_iter()
				.enumerate()
				.map(|(i, node)| (node, run_by_hospitals.then_some(i as u32)))
				.collect::<Vec<_>>(),
			min_active_hospitals: Some(min_active_hospitals),
		},
		sudo: pallet_sudo::GenesisConfig { key: sudo },
	})
}

/// The validator keys of a well-known test identity.
fn test_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> ValidatorKeys {
	(sr.to_account_id(), sr.public().into(), ed.public().into())
}

/// The well-known test accounts, all funded.
fn test_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: one validator, sudo key Alice.
pub fn development() -> Value {
	genesis(
		vec![test_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		test_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		vec![],
		vec![],
	)
}

/// The `local_testnet` preset: four hospital validators and their nodes, no sudo key.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			test_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			test_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			test_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			test_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		test_accounts(),
		None,
		vec![],
		founder_peer_ids(),
	)
}

/// The preset id of the consortium chain.
pub const CONSORTIUM_PRESET: &str = "consortium";

/// The `consortium` preset: four hospital validators and their nodes, the four hospitals
/// admitted with their admins on the council, no sudo key.
pub fn consortium() -> Value {
	genesis(
		vec![
			test_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			test_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			test_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			test_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		test_accounts(),
		None,
		vec![
			(Sr25519Keyring::Alice.to_account_id(), "Hôpital Nord"),
			(Sr25519Keyring::Bob.to_account_id(), "Hôpital Sud"),
			(Sr25519Keyring::Charlie.to_account_id(), "Hôpital Est"),
			(Sr25519Keyring::Dave.to_account_id(), "Hôpital Ouest"),
		],
		founder_peer_ids(),
	)
}

/// The JSON of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		CONSORTIUM_PRESET => consortium(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).ok()?.into_bytes())
}

/// The full genesis config of the preset named `id` (the preset is a patch over the default
/// config, merged as the chain-spec builder does). For tests and tools.
#[cfg(feature = "std")]
pub fn preset_genesis_config(id: &str) -> Option<RuntimeGenesisConfig> {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (k, v) in patch {
					merge(base.entry(k).or_insert(Value::Null), v);
				}
			},
			(base, patch) => *base = patch,
		}
	}
	let patch: Value = serde_json::from_slice(&get_preset(&id.into())?).ok()?;
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).ok()?;
	merge(&mut config, patch);
	serde_json::from_value(config).ok()
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_PRESET),
	]
}
