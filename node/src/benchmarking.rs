//! The `benchmark` subcommand (built with `--features runtime-benchmarks`): runs the runtime's
//! pallet benchmarks to generate `weights.rs` files, and measures this machine.

use crate::{cli::Cli, service::HostFunctions};
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use medchain_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sp_runtime::traits::HashingFor;

/// Runs a benchmark subcommand. `pallet` and `machine` are supported.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	match cmd {
		BenchmarkCmd::Pallet(cmd) => runner.sync_run(|config| {
			cmd.run_with_spec::<HashingFor<Block>, HostFunctions>(Some(config.chain_spec))
		}),
		BenchmarkCmd::Machine(cmd) => {
			runner.sync_run(|config| cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()))
		},
		_ => {
			Err("only `benchmark pallet` and `benchmark machine` are supported by medchain-node"
				.into())
		},
	}
}
