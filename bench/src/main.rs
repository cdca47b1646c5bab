//! `medchain-bench`: runs workloads against a node, one after the other in the same run, and
//! prints a table (and JSON with `--json`): see the crate's documentation and
//! docs/performance.md.
//!
//! Exit codes: 0 measured, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::Parser;
use medchain_bench::{
	observe,
	procfs::Usage,
	report::{self, Figures},
	senders, setup,
	workload::{self, Env, Workload},
};
use medchain_client::ws::WsClient;
use medchain_runtime::{currency::MED, AccountId, Nonce};
use std::{path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

#[derive(Parser)]
#[command(
	name = "medchain-bench",
	about = "Throughput and latency of MedChain workloads beside balance transfers, measured from outside a node"
)]
struct Cli {
	/// The node (WebSocket URL or host:port).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Workloads, in order, comma-separated (put the baseline, transfer, first).
	#[arg(long, value_enum, value_delimiter = ',', default_values_t = [Workload::Transfer])]
	workloads: Vec<Workload>,
	/// Transactions per workload.
	#[arg(long, default_value_t = 2000)]
	count: usize,
	/// Sending accounts (derived, funded by --funder; at most 64 with record workloads: they
	/// are the benchmark hospital's devices).
	#[arg(long, default_value_t = 64)]
	senders: usize,
	/// Records per `anchor_batch` (at most the runtime's MaxRecordBatch).
	#[arg(long, default_value_t = 512)]
	batch: u32,
	/// The account that funds the senders (a secret URI; //Alice on a development chain).
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Calls to the node outstanding at once while submitting.
	#[arg(long, default_value_t = 32)]
	in_flight: usize,
	/// Seconds a workload may run before it is stopped.
	#[arg(long, default_value_t = 180)]
	timeout_secs: u64,
	/// The node's process id, for its memory and CPU (same machine only).
	#[arg(long)]
	node_pid: Option<u32>,
	/// Also write the figures as JSON to this file.
	#[arg(long)]
	json: Option<PathBuf>,
}

/// Each sender's funds: enough for the fees of thousands of transactions.
const FUNDS: u128 = 10 * MED;

async fn run(cli: Cli) -> Result<Vec<Figures>, String> {
	if cli.count == 0 || cli.senders == 0 {
		return Err("--count and --senders must be at least 1".into());
	}
	let ws = Arc::new(
		WsClient::connect(&cli.node, Duration::from_secs(30))
			.await
			.map_err(|e| format!("cannot reach the node {}: {e}", cli.node))?,
	);
	let ctx = ws.chain_context().await.map_err(|e| e.to_string())?;
	let funder = senders::pair(&cli.funder).map_err(|e| e.to_string())?;
	let pairs = senders::senders(cli.senders).map_err(|e| e.to_string())?;
	// The senders, and the account transfers go to (it must exist for transfers of one unit).
	let mut accounts = senders::accounts(&pairs);
	accounts.push(workload::sink());
	let funded = senders::fund(&ws, ctx, &funder, &accounts, FUNDS)
		.await
		.map_err(|e| format!("funding the senders: {e}"))?;
	eprintln!("medchain-bench: {} senders ({funded} accounts funded now)", pairs.len());
	let mut env = Env {
		sink: workload::sink(),
		patients: Vec::new(),
		run: std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or_default(),
		batch: cli.batch,
	};
	if cli.workloads.iter().any(Workload::needs_hospital) {
		if pairs.len() > 64 {
			return Err("record workloads take at most 64 senders (devices of one hospital)".into());
		}
		let hospital = setup::hospital(&ws, ctx, &funder, &pairs)
			.await
			.map_err(|e| format!("setting up the benchmark hospital: {e}"))?;
		eprintln!(
			"medchain-bench: hospital {} with {} devices and {} patients",
			hospital.id,
			pairs.len(),
			hospital.patients.len()
		);
		env.patients = hospital.patients;
	}
	let mut rows = Vec::new();
	for workload in &cli.workloads {
		let mut signers = Vec::with_capacity(pairs.len());
		for pair in &pairs {
			let account: AccountId = sp_core::Pair::public(pair).into();
			let nonce: Nonce = ws.next_nonce(&account).await.map_err(|e| e.to_string())?;
			signers.push((pair.clone(), nonce));
		}
		let signed = workload::sign(*workload, cli.count, &signers, &env, ctx);
		eprintln!(
			"medchain-bench: {}: {} transactions signed, submitting",
			workload.name(),
			signed.len()
		);
		let mut usage = cli.node_pid.and_then(Usage::start);
		let observation = observe::run(
			ws.clone(),
			signed,
			cli.in_flight,
			Duration::from_secs(cli.timeout_secs),
			|| {
				if let Some(u) = usage.as_mut() {
					u.sample();
				}
			},
		)
		.await
		.map_err(|e| format!("{}: {e}", workload.name()))?;
		let node = (
			usage.as_ref().map(|u| u.rss_max_kib as f64 / 1024.0),
			usage.as_ref().and_then(Usage::cpu_cores),
		);
		rows.push(Figures::of(workload.name(), workload.per_item(&env), &observation, node));
	}
	Ok(rows)
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let json = cli.json.clone();
	let outcome = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))
		.and_then(|rt| rt.block_on(run(cli)));
	let rows = match outcome {
		Ok(rows) => rows,
		Err(e) => {
			eprintln!("medchain-bench: {e}");
			return ExitCode::from(1);
		},
	};
	print!("{}", report::table(&rows));
	if let Some(path) = json {
		let text = match serde_json::to_string_pretty(&rows) {
			Ok(text) => text,
			Err(e) => {
				eprintln!("medchain-bench: {e}");
				return ExitCode::from(1);
			},
		};
		if let Err(e) = std::fs::write(&path, text) {
			eprintln!("medchain-bench: {}: {e}", path.display());
			return ExitCode::from(1);
		}
	}
	ExitCode::SUCCESS
}
