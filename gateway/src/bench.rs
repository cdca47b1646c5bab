//! `medchain-gateway bench`: posts N FHIR JSON documents through a running gateway's REST API
//! and follows them to finality on chain (`scripts/bench-gateway.sh` starts the dev node and
//! the gateway). It reports documents/s accepted, documents/s finalized, p50/p95 from the 202
//! to the finalized block that holds the anchor, the chain's anchors per block, and the
//! gateway's resident memory.
//!
//! A document counts as final when a finalized block holds its `RecordAnchored` event; the
//! benchmark walks every finalized block (the subscription may skip some) and reads its
//! events, so it measures what the chain holds, not what the gateway says.

use medchain_client::ws::WsClient;
use medchain_runtime::RuntimeEvent;
use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufStream};

/// What to run (the `bench` command's arguments).
#[derive(Clone, Debug, clap::Args)]
pub struct Plan {
	/// The gateway's API address (host:port).
	#[arg(long)]
	pub gateway: String,
	/// An API token of the gateway.
	#[arg(long)]
	pub token: String,
	/// The patient pseudonym (0x hex) the documents are for.
	#[arg(long)]
	pub patient: String,
	/// The chain node the gateway anchors through (WebSocket).
	#[arg(long)]
	pub node: String,
	/// Documents to post.
	#[arg(long, default_value_t = 10_000)]
	pub count: usize,
	/// Connections posting at once.
	#[arg(long, default_value_t = 16)]
	pub concurrency: usize,
	/// Bytes per document.
	#[arg(long, default_value_t = 4096)]
	pub size: usize,
	/// The gateway's process id (for its peak memory).
	#[arg(long)]
	pub gateway_pid: Option<u32>,
	/// Seconds to wait for the last document to be final.
	#[arg(long = "timeout", default_value = "600", value_parser = parse_seconds)]
	pub timeout: Duration,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
	text.parse().map(Duration::from_secs).map_err(|e| format!("seconds: {e}"))
}

/// The figures.
#[derive(Debug)]
pub struct Report {
	/// Documents posted and accepted (202).
	pub accepted: usize,
	/// Seconds from the first post to the last 202.
	pub accept_seconds: f64,
	/// Documents final on chain.
	pub finalized: usize,
	/// Seconds from the first post to the last document final.
	pub final_seconds: f64,
	/// Percentiles of 202 → final, milliseconds.
	pub p50_ms: f64,
	/// 95th percentile.
	pub p95_ms: f64,
	/// Anchors per block holding any of the documents (block number → count).
	pub per_block: BTreeMap<u32, usize>,
	/// The gateway's peak resident memory (VmHWM), KiB.
	pub gateway_peak_kib: Option<u64>,
}

/// A FHIR Observation of about `size` bytes, different for each `index`.
pub fn document(index: usize, size: usize) -> Vec<u8> {
	let head = format!(
		r#"{{"resourceType":"Observation","status":"final","code":{{"text":"benchmark"}},"valueQuantity":{{"value":{index}}},"note":[{{"text":""#
	);
	let tail = r#""}]}"#;
	let pad = size.saturating_sub(head.len() + tail.len());
	let mut out = head.into_bytes();
	out.extend(std::iter::repeat_n(b'x', pad));
	out.extend_from_slice(tail.as_bytes());
	out
}

/// One keep-alive HTTP/1.1 connection to a gateway's API (the benchmark's and the demo's
/// client).
pub struct Connection {
	stream: BufStream<tokio::net::TcpStream>,
	host: String,
}

impl Connection {
	/// Connects to `host` (`host:port`).
	pub async fn open(host: &str) -> std::io::Result<Self> {
		let stream = tokio::net::TcpStream::connect(host).await?;
		stream.set_nodelay(true)?;
		Ok(Connection { stream: BufStream::new(stream), host: host.to_string() })
	}

	async fn post(
		&mut self,
		path: &str,
		token: &str,
		body: &[u8],
	) -> std::io::Result<(u16, Vec<u8>)> {
		self.send("POST", path, token, body).await
	}

	/// Sends one request with the API token; the status and body of the answer.
	pub async fn send(
		&mut self,
		method: &str,
		path: &str,
		token: &str,
		body: &[u8],
	) -> std::io::Result<(u16, Vec<u8>)> {
		let head = format!(
			"{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/fhir+json\r\nContent-Length: {}\r\n\r\n",
			self.host,
			body.len()
		);
		self.stream.write_all(head.as_bytes()).await?;
		self.stream.write_all(body).await?;
		self.stream.flush().await?;
		let mut line = String::new();
		self.stream.read_line(&mut line).await?;
		let status = line
			.split(' ')
			.nth(1)
			.and_then(|s| s.parse().ok())
			.ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
		let mut length = None;
		loop {
			line.clear();
			self.stream.read_line(&mut line).await?;
			let header = line.trim_end();
			if header.is_empty() {
				break;
			}
			if let Some((name, value)) = header.split_once(':') {
				if name.eq_ignore_ascii_case("content-length") {
					length = value.trim().parse::<usize>().ok();
				}
			}
		}
		let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
		let mut answer = vec![0; length];
		self.stream.read_exact(&mut answer).await?;
		Ok((status, answer))
	}
}

/// When each document was accepted and became final.
#[derive(Default)]
struct Times {
	accepted: HashMap<Vec<u8>, Instant>,
	finalized: HashMap<Vec<u8>, Instant>,
	per_block: BTreeMap<u32, usize>,
}

/// Follows finalized blocks, recording when each of the run's records is final.
async fn follow(
	ws: Arc<WsClient>,
	prefix: Vec<u8>,
	times: Arc<Mutex<Times>>,
	start_after: u32,
) -> Result<(), String> {
	let mut heads = ws.subscribe_finalized_heads().await.map_err(|e| e.to_string())?;
	let mut next = start_after + 1;
	while let Some(head) = heads.next().await {
		let head = head.map_err(|e| e.to_string())?;
		let seen = Instant::now();
		while next <= head.number {
			let hash = ws
				.block_hash(next)
				.await
				.map_err(|e| e.to_string())?
				.ok_or_else(|| format!("no block {next}"))?;
			let events = ws.events(&hash).await.map_err(|e| e.to_string())?;
			let mut times = times.lock().map_err(|_| "poisoned")?;
			for record in events {
				if let RuntimeEvent::Records(pallet_records::Event::RecordAnchored {
					record_id,
					..
				}) = record.event
				{
					if record_id.starts_with(&prefix) {
						times.finalized.insert(record_id.to_vec(), seen);
						*times.per_block.entry(next).or_default() += 1;
					}
				}
			}
			next += 1;
		}
	}
	Err("the node ended the finalized-heads subscription".into())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
	if sorted.is_empty() {
		return f64::NAN;
	}
	let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
	sorted[rank.min(sorted.len() - 1)]
}

/// The peak resident memory of a process (VmHWM), KiB.
pub fn peak_memory_kib(pid: u32) -> Option<u64> {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	status
		.lines()
		.find(|l| l.starts_with("VmHWM:"))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
}

/// Runs the benchmark.
pub async fn run(plan: Plan) -> Result<Report, String> {
	let ws = Arc::new(
		WsClient::connect(&plan.node, Duration::from_secs(30)).await.map_err(|e| e.to_string())?,
	);
	let run: String =
		crate::vault::random_bytes::<4>().iter().map(|b| format!("{b:02x}")).collect();
	let prefix = format!("bench-{run}-");
	let times = Arc::new(Mutex::new(Times::default()));
	let finalized_now = ws
		.request("chain_getFinalizedHead", serde_json::json!([]))
		.await
		.map_err(|e| e.to_string())?;
	let finalized_now = ws.header(finalized_now.as_str()).await.map_err(|e| e.to_string())?.number;
	let follower =
		tokio::spawn(follow(ws.clone(), prefix.clone().into_bytes(), times.clone(), finalized_now));

	let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
	let start = Instant::now();
	let mut workers = Vec::new();
	for _ in 0..plan.concurrency.max(1) {
		let (plan, prefix, times, next) =
			(plan.clone(), prefix.clone(), times.clone(), next.clone());
		workers.push(tokio::spawn(async move {
			let mut connection =
				Connection::open(&plan.gateway).await.map_err(|e| e.to_string())?;
			loop {
				let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				if i >= plan.count {
					return Ok::<(), String>(());
				}
				let id = format!("{prefix}{i:07}");
				let path = format!(
					"/records?patient={}&category=Laboratory&format=FhirJson&recordId={id}",
					plan.patient
				);
				let (status, body) = connection
					.post(&path, &plan.token, &document(i, plan.size))
					.await
					.map_err(|e| format!("posting {id}: {e}"))?;
				if status != 202 {
					return Err(format!("{id}: {status} {}", String::from_utf8_lossy(&body)));
				}
				times
					.lock()
					.map_err(|_| "poisoned")?
					.accepted
					.insert(id.into_bytes(), Instant::now());
			}
		}));
	}
	for worker in workers {
		worker.await.map_err(|e| e.to_string())??;
	}
	let accept_seconds = start.elapsed().as_secs_f64();

	let deadline = Instant::now() + plan.timeout;
	loop {
		if follower.is_finished() {
			return Err("the finality follower stopped".into());
		}
		let done = times.lock().map_err(|_| "poisoned")?.finalized.len();
		if done >= plan.count || Instant::now() > deadline {
			break;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	follower.abort();
	let times = times.lock().map_err(|_| "poisoned")?;
	let mut latencies: Vec<f64> = times
		.finalized
		.iter()
		.filter_map(|(id, at)| {
			times.accepted.get(id).map(|a| at.duration_since(*a).as_secs_f64() * 1e3)
		})
		.collect();
	latencies.sort_by(|a, b| a.total_cmp(b));
	let last_final = times.finalized.values().max().copied().unwrap_or(start);
	Ok(Report {
		accepted: times.accepted.len(),
		accept_seconds,
		finalized: times.finalized.len(),
		final_seconds: last_final.duration_since(start).as_secs_f64(),
		p50_ms: percentile(&latencies, 50.0),
		p95_ms: percentile(&latencies, 95.0),
		per_block: times.per_block.clone(),
		gateway_peak_kib: plan.gateway_pid.and_then(peak_memory_kib),
	})
}

impl Report {
	/// The report as text for people.
	pub fn text(&self) -> String {
		let per_block: Vec<String> = self.per_block.values().map(|n| n.to_string()).collect();
		let max = self.per_block.values().max().copied().unwrap_or(0);
		format!(
			"accepted:  {} documents in {:.2} s = {:.0} documents/s\n\
			 finalized: {} documents, the last {:.2} s after the first post = {:.0} documents/s\n\
			 202 -> finalized: p50 {:.0} ms, p95 {:.0} ms\n\
			 anchors per block: {} (max {max}, {} blocks)\n\
			 gateway peak RSS: {}",
			self.accepted,
			self.accept_seconds,
			self.accepted as f64 / self.accept_seconds,
			self.finalized,
			self.final_seconds,
			self.finalized as f64 / self.final_seconds,
			self.p50_ms,
			self.p95_ms,
			per_block.join(" "),
			self.per_block.len(),
			self.gateway_peak_kib
				.map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
				.unwrap_or_else(|| "unknown (no --gateway-pid)".into()),
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn documents_have_the_size_asked_and_pass_the_fhir_checks() {
		for (i, size) in [(0, 4096), (12345, 4096), (7, 300)] {
			let doc = document(i, size);
			assert_eq!(doc.len(), size);
			assert_eq!(crate::fhir::check(&doc).unwrap(), "Observation");
		}
		assert_ne!(document(1, 4096), document(2, 4096));
	}

	#[test]
	fn percentiles_pick_the_ranked_value() {
		let v: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(percentile(&v, 50.0), 51.0);
		assert_eq!(percentile(&v, 95.0), 95.0);
		assert!(percentile(&[], 50.0).is_nan());
	}
}
