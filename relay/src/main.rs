//! `medchain-relay`: the relay's command line: `init` (device key and configuration), `serve`
//! (the mailbox API and the sweeper), `bench` (throughput and memory on loopback; docs/relay.md).
//!
//! Exit codes: 0 done, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::{Parser, Subcommand};
use medchain_relay::{
	bench,
	config::{self, Config},
};
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
	/// Measure one package through a relay on loopback (a child process over a chain of the
	/// bench's making): upload and download MB/s, the relay's memory sampled throughout.
	Bench(BenchArgs),
	/// The bench's relay (started by `bench`).
	#[command(hide = true)]
	BenchRelay {
		/// The relay's data directory.
		#[arg(long)]
		data_dir: PathBuf,
	},
}

/// What `bench` measures.
#[derive(clap::Args)]
struct BenchArgs {
	/// The package's size in MiB.
	#[arg(long, default_value_t = 1024)]
	size_mib: u64,
	/// Bytes per uploaded chunk, in MiB (the gateways use 8).
	#[arg(long, default_value_t = 8)]
	chunk_mib: usize,
	/// Where the package, the relay's data and the download are written (removed after).
	#[arg(long)]
	dir: Option<PathBuf>,
	/// Print the figures as one JSON object instead of a table.
	#[arg(long)]
	json: bool,
}

fn bench(args: BenchArgs) -> Result<(), String> {
	if args.size_mib == 0 || args.chunk_mib == 0 || args.chunk_mib > 16 {
		return Err("--size-mib must be at least 1 and --chunk-mib between 1 and 16".into());
	}
	let mut plan = bench::Plan {
		size: args.size_mib << 20,
		chunk: args.chunk_mib << 20,
		..Default::default()
	};
	if let Some(dir) = args.dir {
		plan.dir = dir;
	}
	let f = bench::run(&plan)?;
	if args.json {
		println!("{}", serde_json::to_string(&f).map_err(|e| e.to_string())?);
		return Ok(());
	}
	let mib = |kib: u64| kib as f64 / 1024.0;
	println!(
		"package {} MiB in chunks of {} MiB, relay with the default configuration",
		args.size_mib, args.chunk_mib
	);
	println!(
		"upload    {:>7.2} s  {:>7.1} MB/s  (signed chunks, SHA-256 checked while streaming)",
		f.upload_secs,
		f.upload_mb_s()
	);
	println!(
		"download  {:>7.2} s  {:>7.1} MB/s  (byte-identical: SHA-256 equal)",
		f.download_secs,
		f.download_mb_s()
	);
	println!(
		"relay RSS {:.1} MiB at start, {:.1} MiB max over {} samples, {:.1} MiB peak (VmHWM)",
		mib(f.rss_start_kib),
		mib(f.rss_max_kib),
		f.samples,
		mib(f.rss_peak_kib)
	);
	Ok(())
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
		Command::Bench(args) => ("bench", bench(args)),
		Command::BenchRelay { data_dir } => ("bench-relay", bench::relay_child(&data_dir)),
	};
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("medchain-relay {name}: {e}");
			ExitCode::from(1)
		},
	}
}
