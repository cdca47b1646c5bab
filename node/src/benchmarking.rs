//! The `benchmark` subcommand (built with `--features runtime-benchmarks`):
//!
//! - `pallet`: runs the runtime's pallet benchmarks to generate `weights.rs` files;
//! - `overhead`: the weight of an empty block and of an extrinsic that does nothing
//!   (`System::remark` signed with every transaction extension of the runtime), written as
//!   `block_weights.rs` and `extrinsic_weights.rs`;
//! - `storage`: the time to read and to write a key of the state in this node's database
//!   (ParityDB), written as the runtime's database weights;
//! - `machine`: this machine against Substrate's reference hardware.
//!
//! `scripts/benchmark.sh` runs them and docs/performance.md records what they found.

use crate::{cli::Cli, service::HostFunctions};
use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicBuilder, SUBSTRATE_REFERENCE_HARDWARE};
use medchain_client::tx::ChainContext;
use medchain_runtime::{opaque::Block, RuntimeCall, VERSION};
use sc_cli::SubstrateCli;
use sp_blockchain::HeaderBackend;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::HashingFor, OpaqueExtrinsic};
use std::sync::Arc;

/// Builds `System::remark` extrinsics signed by Alice (funded in the development presets)
/// with every transaction extension, for `benchmark overhead`.
struct RemarkBuilder {
	context: ChainContext,
}

impl RemarkBuilder {
	fn new(client: &crate::service::FullClient) -> Self {
		let context = ChainContext {
			genesis: client.info().genesis_hash,
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		};
		RemarkBuilder { context }
	}
}

impl ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let call = RuntimeCall::System(frame_system::Call::remark { remark: Vec::new() });
		let xt =
			medchain_client::tx::signed(call, &Sr25519Keyring::Alice.pair(), nonce, self.context);
		OpaqueExtrinsic::try_from_encoded_extrinsic(&codec::Encode::encode(&xt))
			.map_err(|_| "the signed remark does not decode as an opaque extrinsic")
	}
}

/// The inherent data of a benchmark block: the timestamp of slot 0 (the genesis state's slot).
fn inherent_data() -> sc_cli::Result<sp_inherents::InherentData> {
	let mut data = sp_inherents::InherentData::new();
	futures::executor::block_on(sp_inherents::InherentDataProvider::provide_inherent_data(
		&sp_timestamp::InherentDataProvider::new(0.into()),
		&mut data,
	))
	.map_err(|e| format!("the timestamp inherent: {e:?}"))?;
	Ok(data)
}

/// Runs a benchmark subcommand.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	match cmd {
		BenchmarkCmd::Pallet(cmd) => runner.sync_run(|config| {
			cmd.run_with_spec::<HashingFor<Block>, HostFunctions>(Some(config.chain_spec))
		}),
		BenchmarkCmd::Overhead(cmd) => runner.sync_run(|config| {
			let parts = crate::service::new_partial(&config)?;
			let client: Arc<crate::service::FullClient> = parts.client;
			let builder = RemarkBuilder::new(&client);
			cmd.run(
				config.chain_spec.name().into(),
				client,
				inherent_data()?,
				Vec::new(),
				&builder,
				false,
			)
		}),
		BenchmarkCmd::Storage(cmd) => runner.sync_run(|config| {
			let parts = crate::service::new_partial(&config)?;
			let db = parts.backend.expose_db();
			let storage = parts.backend.expose_storage();
			let shared_cache = parts.backend.expose_shared_trie_cache();
			cmd.run(config, parts.client, db, storage, shared_cache)
		}),
		BenchmarkCmd::Machine(cmd) => {
			runner.sync_run(|config| cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()))
		},
		_ => {
			Err("medchain-node supports `benchmark pallet`, `overhead`, `storage` and `machine`"
				.into())
		},
	}
}
