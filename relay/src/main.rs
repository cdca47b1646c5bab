//! `medchain-relay`: the relay's command line: `init` (device key and configuration), `serve`
//! (the mailbox API and the sweeper; docs/relay.md).
//!
//! Exit codes: 0 done, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::{Parser, Subcommand};
use medchain_relay::config::{self, Config};
use sp_core::{crypto::Ss58Codec, Pair};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(
	name = "medchain-relay",
	about = "The MedChain relay: a blind mailbox for encrypted packages"
)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

/// Where a relay lives, and what replaces (or, for `init`, is written into) its configuration.
#[derive(clap::Args)]
struct Place {
	/// The relay's data directory.
	#[arg(long)]
	data_dir: PathBuf,
	/// The chain node (WebSocket URL).
	#[arg(long)]
	node: Option<String>,
	/// The API address (host:port).
	#[arg(long)]
	listen: Option<String>,
	/// Seconds between anchors of the audit head.
	#[arg(long)]
	anchor_every_secs: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
	/// Create the device key and the configuration in a new data directory, and print what
	/// the relay operator's admin registers on chain.
	Init(Place),
	/// Run the relay: check the device on chain, serve the mailbox and follow the chain.
	Serve(Place),
}

fn apply(config: &mut Config, place: &Place) {
	if let Some(node) = &place.node {
		config.node = node.clone();
	}
	if let Some(listen) = &place.listen {
		config.listen = listen.clone();
	}
	if let Some(secs) = place.anchor_every_secs {
		config.anchor_every_secs = secs;
	}
}

fn init(place: Place) -> Result<(), String> {
	let mut config = Config::default();
	apply(&mut config, &place);
	config.check()?;
	let device = config::create_device_key(&place.data_dir).map_err(|e| e.to_string())?;
	config.create(&place.data_dir).map_err(|e| e.to_string())?;
	println!("device address:   {}", device.public().to_ss58check());
	println!("data directory:   {}", place.data_dir.display());
	println!();
	println!("Next: the relay operator's admin registers the device");
	println!("  (institutions::add_device {}),", device.public().to_ss58check());
	println!("the device account gets funds for the fees of its audit anchors, then");
	println!("  `medchain-relay serve --data-dir {}`.", place.data_dir.display());
	Ok(())
}

fn serve(place: Place) -> Result<(), String> {
	let mut config = Config::load(&place.data_dir).map_err(|e| e.to_string())?;
	apply(&mut config, &place);
	config.check()?;
	let runtime = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))?;
	runtime.block_on(medchain_relay::serve::serve(&place.data_dir, config))
}

fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	let (name, outcome) = match Cli::parse().command {
		Command::Init(place) => ("init", init(place)),
		Command::Serve(place) => ("serve", serve(place)),
	};
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("medchain-relay {name}: {e}");
			ExitCode::from(1)
		},
	}
}
