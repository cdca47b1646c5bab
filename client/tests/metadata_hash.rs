//! `CheckMetadataHash` (RFC-0078) in the runtime the node executes: the WASM blob, run over the
//! development genesis state, validates transactions as the node's pool does.
//!
//! - mode `Disabled` (our clients, [`tx::signed`]) is accepted;
//! - mode `Enabled` with the RFC-0078 hash of the blob's metadata, computed as a wallet
//!   computes it from the chain spec's `tokenSymbol` and `tokenDecimals` (`MED`, 12), is
//!   accepted: the hash is built into the blob, with the chain spec's token;
//! - mode `Enabled` with any other hash (a wrong one, or the right metadata with another token)
//!   fails the signature check (`BadProof`).

use codec::{Decode, Encode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use medchain_client::tx::{self, ChainContext};
use medchain_runtime::{
	genesis_config_presets, BuildStorage, RuntimeCall, UncheckedExtrinsic, SS58_PREFIX, VERSION,
	WASM_BINARY,
};
use sc_executor::WasmExecutor;
use sc_executor_common::runtime_blob::RuntimeBlob;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidity, TransactionValidityError,
};

/// The WASM blob and an executor for it, as the node has them.
struct Wasm {
	blob: RuntimeBlob,
	executor: WasmExecutor<sp_io::SubstrateHostFunctions>,
}

impl Wasm {
	fn new() -> Self {
		let wasm = WASM_BINARY.expect("the WASM blob is built (do not set SKIP_WASM_BUILD)");
		let blob = RuntimeBlob::uncompress_if_needed(wasm).expect("the blob decompresses");
		Wasm { blob, executor: WasmExecutor::builder().build() }
	}

	fn call(&self, state: &mut sp_io::TestExternalities, method: &str, data: &[u8]) -> Vec<u8> {
		let mut ext = state.ext();
		self.executor
			.uncached_call(self.blob.clone(), &mut ext, false, method, data)
			.unwrap_or_else(|e| panic!("{method} executes: {e}"))
	}

	/// The RFC-0078 hash of the blob's metadata (V15) with `token_symbol` and `decimals`.
	fn metadata_hash(&self, token_symbol: &str, decimals: u8) -> [u8; 32] {
		let mut empty = sp_io::TestExternalities::default();
		let answer = self.call(&mut empty, "Metadata_metadata_at_version", &15u32.encode());
		let bytes = Option::<Vec<u8>>::decode(&mut &answer[..])
			.expect("decodes")
			.expect("the runtime offers metadata V15");
		let metadata = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("decodes").1;
		assert!(matches!(metadata, RuntimeMetadata::V15(_)));
		let extra = merkleized_metadata::ExtraInfo {
			spec_version: VERSION.spec_version,
			spec_name: VERSION.spec_name.to_string(),
			base58_prefix: SS58_PREFIX,
			decimals,
			token_symbol: token_symbol.into(),
		};
		merkleized_metadata::generate_metadata_digest(&metadata, extra)
			.expect("the metadata digests")
			.hash()
	}

	/// What the pool would answer for `xt` on the development chain's genesis state.
	fn validate(&self, xt: &UncheckedExtrinsic) -> TransactionValidity {
		let storage = genesis_config_presets::preset_genesis_config("development")
			.expect("the development preset")
			.build_storage()
			.expect("the genesis state builds");
		let mut state = sp_io::TestExternalities::new(storage);
		let data = (TransactionSource::External, xt, genesis()).encode();
		let answer = self.call(&mut state, "TaggedTransactionQueue_validate_transaction", &data);
		TransactionValidity::decode(&mut &answer[..]).expect("decodes")
	}
}

/// The genesis block hash of a genesis state built outside a node (frame-system's `hash69`).
fn genesis() -> H256 {
	H256::repeat_byte(69)
}

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: b"metadata hash".to_vec() })
}

#[test]
fn the_runtime_checks_the_metadata_hash_of_transactions_that_ask_for_it() {
	let wasm = Wasm::new();
	let ctx = ChainContext {
		genesis: genesis(),
		spec_version: VERSION.spec_version,
		transaction_version: VERSION.transaction_version,
	};
	let alice = Sr25519Keyring::Alice.pair();

	// Our clients: mode Disabled, no hash.
	let disabled = tx::signed(remark(), &alice, 0, ctx);
	assert!(wasm.validate(&disabled).is_ok(), "{:?}", wasm.validate(&disabled));

	// A metadata-verifying signer: the hash of the metadata with the chain spec's token
	// (node/src/chain_spec.rs: tokenSymbol MED, tokenDecimals 12).
	let hash = wasm.metadata_hash("MED", 12);
	let enabled = tx::signed_with_metadata_hash(remark(), &alice, 0, ctx, hash);
	assert!(wasm.validate(&enabled).is_ok(), "{:?}", wasm.validate(&enabled));
	assert_ne!(enabled.encode(), disabled.encode(), "the mode is sent");

	// Any other hash: the signature does not verify.
	let bad_proof = Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof));
	let mut wrong = hash;
	wrong[0] ^= 1;
	for other in [wrong, wasm.metadata_hash("UNIT", 12), wasm.metadata_hash("MED", 10)] {
		assert_ne!(other, hash);
		let xt = tx::signed_with_metadata_hash(remark(), &alice, 0, ctx, other);
		assert_eq!(wasm.validate(&xt), bad_proof);
	}
}
