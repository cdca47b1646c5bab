//! `medchain-gateway`: the hospital gateway's command line: `init` (keys and configuration),
//! `serve` (the REST API and the anchoring pipeline; docs/gateway.md).
//!
//! Exit codes: 0 done, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::{Parser, Subcommand};
use medchain_gateway::{config::Config, keys::DeviceKeys};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "medchain-gateway", about = "The MedChain hospital gateway")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

/// Where a gateway lives: its data directory, and the node and API address that replace (or,
/// for `init`, are written into) its configuration.
#[derive(clap::Args)]
struct Place {
	/// The gateway's data directory.
	#[arg(long)]
	data_dir: PathBuf,
	/// The chain node (WebSocket URL).
	#[arg(long)]
	node: Option<String>,
	/// The API address (host:port).
	#[arg(long)]
	listen: Option<String>,
	/// The relay for exchanges with other gateways (http://host:port).
	#[arg(long)]
	relay: Option<String>,
	/// The built web app (app/dist), served at /app/ without a token.
	#[arg(long)]
	app_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
	/// Create the device's keys and the configuration (with a fresh API token) in a new data
	/// directory, and print what the institution's admin registers on chain.
	Init(Place),
	/// Run the gateway: check the device on chain, publish its encryption key, serve the API
	/// and anchor every record version.
	Serve(Place),
	/// Import an archive (a directory with manifest.jsonl) into the store and anchor it with
	/// one Merkle root; each document keeps its inclusion proof. Run with `serve` stopped; run
	/// again to finish an interrupted import.
	Import {
		/// The gateway's data directory.
		#[arg(long)]
		data_dir: PathBuf,
		/// The chain node (overrides the configuration).
		#[arg(long)]
		node: Option<String>,
		/// The archive directory.
		archive: PathBuf,
	},
	/// Benchmark a running gateway: post documents through its API and follow them to
	/// finality on chain (scripts/bench-gateway.sh starts the node and the gateway).
	Bench(medchain_gateway::bench::Plan),
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
	tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))
}

fn init(place: Place) -> Result<(), String> {
	let Place { data_dir, node, listen, relay, app_dir } = place;
	let keys = DeviceKeys::create(&data_dir).map_err(|e| e.to_string())?;
	let mut config = Config::with_fresh_token();
	config.node = node.unwrap_or(config.node);
	config.listen = listen.unwrap_or(config.listen);
	config.relay = relay;
	config.app_dir = app_dir;
	config.create(&data_dir).map_err(|e| e.to_string())?;
	let key: String = keys.encryption_public().iter().map(|b| format!("{b:02x}")).collect();
	println!("device address:   {}", keys.address());
	println!("encryption key:   0x{key}");
	println!("data directory:   {}", data_dir.display());
	println!("API token:        {}", config.tokens[0]);
	println!();
	println!("Next: the institution's admin registers the device");
	println!("  (institutions::add_device {}),", keys.address());
	println!("the device account gets funds for its fees, and `medchain-gateway serve` publishes");
	println!("  the encryption key (institutions::set_encryption_key, signed by the device).");
	Ok(())
}

fn serve(place: Place) -> Result<(), String> {
	let Place { data_dir, node, listen, relay, app_dir } = place;
	let mut config = Config::load(&data_dir).map_err(|e| e.to_string())?;
	config.node = node.unwrap_or(config.node);
	config.listen = listen.unwrap_or(config.listen);
	config.relay = relay.or(config.relay);
	config.app_dir = app_dir.or(config.app_dir);
	let runtime = runtime()?;
	runtime.block_on(medchain_gateway::serve::serve(&data_dir, config))
}

fn import(data_dir: PathBuf, node: Option<String>, archive: PathBuf) -> Result<(), String> {
	let config = Config::load(&data_dir).map_err(|e| e.to_string())?;
	let node = node.unwrap_or(config.node);
	let runtime = runtime()?;
	let summary =
		runtime.block_on(medchain_gateway::import::import(&data_dir, &archive, &node, true))?;
	println!("documents:        {} ({} stored by this run)", summary.documents, summary.stored);
	println!("root:             {:?}", summary.root);
	println!("anchored in block {}", summary.block);
	Ok(())
}

fn bench(plan: medchain_gateway::bench::Plan) -> Result<(), String> {
	let runtime = runtime()?;
	let count = plan.count;
	let report = runtime.block_on(medchain_gateway::bench::run(plan))?;
	println!("{}", report.text());
	if report.finalized < count {
		return Err(format!("only {} of {count} documents final in time", report.finalized));
	}
	Ok(())
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
		Command::Init(p) => ("init", init(p)),
		Command::Serve(p) => ("serve", serve(p)),
		Command::Import { data_dir, node, archive } => ("import", import(data_dir, node, archive)),
		Command::Bench(plan) => ("bench", bench(plan)),
	};
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("medchain-gateway {name}: {e}");
			ExitCode::from(1)
		},
	}
}
