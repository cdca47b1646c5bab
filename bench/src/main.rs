//! `medchain-bench`: runs workloads against a node, one after the other in the same run, and
//! prints a table (and JSON with `--json`): see the crate's documentation and
//! docs/performance.md.
//!
//! Exit codes: 0 measured, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::Parser;
use medchain_bench::{
	checks, exchange, observe,
	procfs::Usage,
	report::{self, ExchangeCycle, Figures, Report},
	senders, setup,
	workload::{self, Env, Workload},
};
use medchain_client::ws::WsClient;
use medchain_runtime::{currency::MED, AccountId, Nonce};
use std::{
	path::PathBuf,
	process::ExitCode,
	sync::Arc,
	time::{Duration, Instant},
};

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
	/// Records per `anchor_batch` (at most the runtime's MaxRecordBatch) and leaves per
	/// `anchor_root`.
	#[arg(long, default_value_t = 512)]
	batch: u32,
	/// The benchmark hospital's patients (default: one per sender). `consent-grant` signs
	/// with them, 20 fee-free grants each per day at most.
	#[arg(long)]
	patients: Option<usize>,
	/// Concurrent JSON-RPC clients of `consent-check` (its `--count` is the checks in all).
	#[arg(long, default_value_t = 8)]
	clients: usize,
	/// The account that funds the senders (a secret URI; //Alice on a development chain).
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Calls to the node outstanding at once while submitting.
	#[arg(long, default_value_t = 32)]
	in_flight: usize,
	/// Transactions handed to the node but not yet seen in a block, at most (a node's pool
	/// holds 8,192 ready ones).
	#[arg(long, default_value_t = 6000)]
	window: usize,
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

async fn run(cli: Cli) -> Result<Report, String> {
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
		hospital: 0,
		valid_until: 0,
	};
	let mut hospital = None;
	if cli.workloads.iter().any(Workload::needs_hospital) {
		if pairs.len() > 64 {
			return Err("record workloads take at most 64 senders (devices of one hospital)".into());
		}
		let patients = cli.patients.unwrap_or(pairs.len());
		if patients == 0 {
			return Err("--patients must be at least 1".into());
		}
		if cli.workloads.contains(&Workload::ConsentGrant) && cli.count > patients * 20 {
			return Err(format!(
				"consent-grant: {} grants need at least {} patients (20 fee-free each per day): \
				 pass --patients",
				cli.count,
				cli.count.div_ceil(20)
			));
		}
		let found = setup::hospital(&ws, ctx, &funder, &pairs, patients)
			.await
			.map_err(|e| format!("setting up the benchmark hospital: {e}"))?;
		eprintln!(
			"medchain-bench: hospital {} with {} devices and {} patients",
			found.id,
			pairs.len(),
			found.patients.len()
		);
		env.patients = found.patient_accounts();
		env.hospital = found.id;
		// Consents for about a week of 6 s blocks from now.
		env.valid_until = ws.header(None).await.map_err(|e| e.to_string())?.number + 100_000;
		hospital = Some(found);
	}
	let mut report = Report::default();
	for workload in &cli.workloads {
		match workload {
			Workload::ConsentCheck => {
				eprintln!(
					"medchain-bench: {}: {} checks by {} clients",
					workload.name(),
					cli.count,
					cli.clients
				);
				let url = medchain_client::ws::ws_url(&cli.node);
				let figures = checks::run(
					&url,
					cli.clients,
					cli.count,
					Arc::new(env.patients.clone()),
					env.hospital,
					cli.node_pid,
				)
				.await?;
				report.checks.push(figures);
			},
			Workload::Exchange => {
				let hospital = hospital.as_ref().ok_or("exchange: no benchmark hospital")?;
				let parties = exchange::setup(&ws, ctx, &funder, hospital, &pairs)
					.await
					.map_err(|e| format!("exchange: setting up the clinic and the relay: {e}"))?;
				let started = Instant::now();
				let requests = timed(|| (0..cli.count).map(|i| parties.request(i)).collect());
				let row =
					measure(&ws, &cli, "exchange-request", 1, requests, &parties.clinic_devices)
						.await?;
				report.transactions.push(row);
				let waiting = parties.waiting(&ws).await.map_err(|e| {
					format!("exchange: reading the hospital's waiting requests: {e}")
				})?;
				let delivers = timed(|| {
					waiting
						.iter()
						.filter_map(|(id, patient)| parties.deliver(*id, patient))
						.collect()
				});
				let row = measure(&ws, &cli, "exchange-deliver", 1, delivers, &pairs).await?;
				report.transactions.push(row);
				let confirms = timed(|| {
					waiting.iter().map(|(id, _)| exchange::Parties::confirm(*id)).collect()
				});
				let row =
					measure(&ws, &cli, "exchange-confirm", 1, confirms, &parties.clinic_devices)
						.await?;
				let completed = row.finalized - row.failed.values().sum::<usize>();
				report.transactions.push(row);
				let seconds = started.elapsed().as_secs_f64();
				report.exchange_cycle = Some(ExchangeCycle {
					requested: cli.count,
					delivered: waiting.len(),
					completed,
					seconds,
					per_second: completed as f64 / seconds.max(1e-9),
				});
			},
			_ => {
				let keys = match (&hospital, workload.signed_by_patients()) {
					(Some(h), true) => &h.patients,
					_ => &pairs,
				};
				let started = Instant::now();
				let calls = (0..cli.count)
					.map(|i| {
						let signer: AccountId = sp_core::Pair::public(&keys[i % keys.len()]).into();
						workload.call(i, &signer, &env).ok_or("not a transaction workload")
					})
					.collect::<Result<Vec<_>, _>>()?;
				let calls = (calls, started.elapsed());
				let row = measure(&ws, &cli, workload.name(), workload.per_item(&env), calls, keys)
					.await?;
				report.transactions.push(row);
			},
		}
	}
	Ok(report)
}

/// Makes calls, timed.
fn timed(
	make: impl FnOnce() -> Vec<medchain_runtime::RuntimeCall>,
) -> (Vec<medchain_runtime::RuntimeCall>, Duration) {
	let started = Instant::now();
	let calls = make();
	(calls, started.elapsed())
}

/// Signs `calls` (rotating over `keys` at their next nonces), submits them and follows them to
/// finality: one row of the table. `built` is the time it took to make the calls (for
/// `anchor-root` that includes building each Merkle tree); with the signing time it gives the
/// pace this tool prepares records at.
async fn measure(
	ws: &Arc<WsClient>,
	cli: &Cli,
	name: &str,
	per_item: u32,
	(calls, built): (Vec<medchain_runtime::RuntimeCall>, Duration),
	keys: &[sp_core::sr25519::Pair],
) -> Result<Figures, String> {
	if calls.is_empty() || keys.is_empty() {
		return Err(format!("{name}: nothing to submit"));
	}
	let ctx = ws.chain_context().await.map_err(|e| e.to_string())?;
	let mut signers = Vec::with_capacity(keys.len());
	for pair in keys {
		let account: AccountId = sp_core::Pair::public(pair).into();
		let nonce: Nonce = ws.next_nonce(&account).await.map_err(|e| e.to_string())?;
		signers.push((pair.clone(), nonce));
	}
	let count = calls.len();
	let signing = Instant::now();
	let signed = workload::sign_calls(calls, &signers, ctx);
	let signing = signing.elapsed() + built;
	eprintln!(
		"medchain-bench: {name}: {count} transactions made and signed in {:.1} s, submitting",
		signing.as_secs_f64()
	);
	let mut usage = cli.node_pid.and_then(Usage::start);
	let observation = observe::run(
		ws.clone(),
		signed,
		(cli.in_flight, cli.window),
		Duration::from_secs(cli.timeout_secs),
		|| {
			if let Some(u) = usage.as_mut() {
				u.sample();
			}
		},
	)
	.await
	.map_err(|e| format!("{name}: {e}"))?;
	let node = (
		usage.as_ref().map(|u| u.rss_max_kib as f64 / 1024.0),
		usage.as_ref().and_then(Usage::cpu_cores),
	);
	let mut figures = Figures::of(name, per_item, &observation, node);
	figures.prepared_per_second =
		Some((count * per_item as usize) as f64 / signing.as_secs_f64().max(1e-9));
	Ok(figures)
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	// Accounts in the node's JSON answers are written with MedChain's address prefix.
	sp_core::crypto::set_default_ss58_version(sp_core::crypto::Ss58AddressFormat::custom(
		medchain_runtime::SS58_PREFIX,
	));
	let json = cli.json.clone();
	let outcome = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))
		.and_then(|rt| rt.block_on(run(cli)));
	let report = match outcome {
		Ok(report) => report,
		Err(e) => {
			eprintln!("medchain-bench: {e}");
			return ExitCode::from(1);
		},
	};
	if !report.transactions.is_empty() {
		print!("{}", report::table(&report.transactions));
	}
	if !report.checks.is_empty() {
		print!("{}", checks::table(&report.checks));
	}
	if let Some(c) = &report.exchange_cycle {
		println!(
			"exchange cycle: {} requested, {} waiting delivered, {} confirmed and final in {:.1} s: \
			 {:.1} exchanges/s",
			c.requested, c.delivered, c.completed, c.seconds, c.per_second
		);
	}
	if let Some(path) = json {
		let text = match serde_json::to_string_pretty(&report) {
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
