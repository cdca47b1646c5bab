//! `medchain-node`: the node each hospital of the MedChain consortium runs.

// `sc_cli::Error` and `sc_service::Error` are polkadot-sdk's own (large) error types; every
// node built on them returns them, boxing them here would only add noise.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
