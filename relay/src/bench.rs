//! `medchain-relay bench`: one package through a relay on loopback — the upload and the
//! download timed, the relay process's memory sampled throughout (docs/relay.md §Benchmark).
//!
//! The relay runs as a child process (`medchain-relay bench-relay`, hidden from the help) with
//! the default configuration over a chain of the bench's making ([`FixedChain`]): a custodian
//! device, a requester device and one exchange. The bench, as the custodian, uploads the
//! package with the gateways' client ([`RelayClient`], 8 MiB chunks, each signed and checked);
//! then it tells the child (one line on its stdin) that the chain recorded the delivery, and
//! downloads the package as the requester. The downloaded file must be byte-identical (same
//! SHA-256) and the relay's hash must equal the package's, or the bench fails.
//!
//! Memory: `VmRSS` of the child read from `/proc` every 50 ms, and its `VmHWM` (the kernel's
//! peak) at the end; the relay holds one chunk per transfer, so both stay flat whatever the
//! package size.

use crate::{
	api,
	chain::{ChainView, Exchange, FixedChain, Stage},
	client::{RelayClient, DEFAULT_CHUNK},
	config::Config,
	mailbox::Mailbox,
	state::Relay,
};
use pallet_institutions::InstitutionKind;
use sha2::{Digest, Sha256};
use sp_core::{sr25519, Pair};
use std::{
	io::{BufRead, BufReader, Read, Write},
	path::{Path, PathBuf},
	process::{Child, ChildStdin, ChildStdout, Command, Stdio},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// The custodian's device in the bench's chain.
const CUSTODIAN_SEED: &str = "//BenchCustodian";
/// The requester's device in the bench's chain.
const REQUESTER_SEED: &str = "//BenchRequester";
const CUSTODIAN: u32 = 1;
const REQUESTER: u32 = 2;
const RELAY: u32 = 9;
const REQUEST: u64 = 1;
/// How often the relay's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);

fn pair(seed: &str) -> Result<sr25519::Pair, String> {
	sr25519::Pair::from_string(seed, None).map_err(|e| format!("key {seed}: {e:?}"))
}

fn requested() -> Exchange {
	Exchange {
		requester: REQUESTER,
		custodian: CUSTODIAN,
		stage: Stage::Requested,
		deadline: u32::MAX,
		receipt: None,
		relay: None,
	}
}

/// The child: a relay over the bench's chain in `data_dir`. Prints `listening on http://…`,
/// then reads commands from stdin: `deliver <sha256 hex> <size>` records the delivery (the
/// child answers `delivered`); end of input stops it.
pub fn relay_child(data_dir: &Path) -> Result<(), String> {
	let chain = Arc::new(FixedChain::default());
	chain.add_device(pair(CUSTODIAN_SEED)?.public().into(), CUSTODIAN, InstitutionKind::Hospital);
	chain.add_device(pair(REQUESTER_SEED)?.public().into(), REQUESTER, InstitutionKind::Hospital);
	chain.set_exchange(REQUEST, Some(requested()));
	chain.finalize(1);
	let config = Config::default();
	let mailbox = Mailbox::open(data_dir, config.max_packages).map_err(|e| e.to_string())?;
	let relay = Arc::new(
		Relay::new(chain.clone(), Arc::new(mailbox), config, RELAY).map_err(|e| e.to_string())?,
	);
	let runtime = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))?;
	let listener = runtime
		.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
		.map_err(|e| format!("cannot listen: {e}"))?;
	let bound = listener.local_addr().map_err(|e| e.to_string())?;
	runtime.spawn(async move {
		let _ = axum::serve(listener, api::router(relay, Duration::from_secs(300))).await;
	});
	println!("listening on http://{bound}");
	let _ = std::io::stdout().flush();
	for line in std::io::stdin().lock().lines() {
		let line = line.map_err(|e| format!("stdin: {e}"))?;
		let words: Vec<&str> = line.split_whitespace().collect();
		match words.as_slice() {
			["deliver", hash, size] => {
				let hash = crate::auth::unhex(hash).ok_or("deliver: bad hash")?;
				let size: u64 = size.parse().map_err(|_| "deliver: bad size")?;
				chain.set_exchange(
					REQUEST,
					Some(Exchange {
						stage: Stage::Delivered,
						receipt: Some((hash, size)),
						relay: Some(RELAY),
						..requested()
					}),
				);
				chain.finalize(2);
				println!("delivered");
				let _ = std::io::stdout().flush();
			},
			_ => return Err(format!("unknown command: {line}")),
		}
	}
	Ok(())
}

/// What to measure.
#[derive(Clone, Debug)]
pub struct Plan {
	/// The package's size in bytes.
	pub size: u64,
	/// Bytes per uploaded chunk.
	pub chunk: usize,
	/// Where the package, the relay's data and the download go (a fresh folder inside,
	/// removed at the end).
	pub dir: PathBuf,
}

impl Default for Plan {
	fn default() -> Self {
		Plan { size: 1 << 30, chunk: DEFAULT_CHUNK, dir: std::env::temp_dir() }
	}
}

/// What was measured.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Figures {
	/// Package size in bytes.
	pub bytes: u64,
	/// Upload chunk size in bytes.
	pub chunk_bytes: usize,
	/// Seconds for the upload (first request to the relay's 201).
	pub upload_secs: f64,
	/// Seconds for the download (request to the file synced).
	pub download_secs: f64,
	/// The relay's resident memory when the upload starts (KiB).
	pub rss_start_kib: u64,
	/// The largest sampled resident memory during both transfers (KiB).
	pub rss_max_kib: u64,
	/// The kernel's peak resident memory of the relay process (VmHWM, KiB).
	pub rss_peak_kib: u64,
	/// Memory samples taken.
	pub samples: u64,
}

impl Figures {
	/// Megabytes (10⁶ bytes) per second of the upload.
	pub fn upload_mb_s(&self) -> f64 {
		self.bytes as f64 / 1e6 / self.upload_secs
	}

	/// Megabytes (10⁶ bytes) per second of the download.
	pub fn download_mb_s(&self) -> f64 {
		self.bytes as f64 / 1e6 / self.download_secs
	}
}

/// One `kB` field of `/proc/<pid>/status`.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
	let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	text.lines()
		.find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
		.split_whitespace()
		.next()?
		.parse()
		.ok()
}

/// Writes `size` pseudo-random bytes (incompressible, like ciphertext) to `path`; returns
/// their SHA-256.
fn write_package(path: &Path, size: u64) -> Result<[u8; 32], String> {
	let io = |e: std::io::Error| format!("{}: {e}", path.display());
	let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
	let mut hasher = Sha256::new();
	let mut state = 0x9e37_79b9_7f4a_7c15_u64;
	let mut block = vec![0u8; 1 << 20];
	let mut left = size;
	while left > 0 {
		for word in block.chunks_exact_mut(8) {
			// xorshift64*
			state ^= state >> 12;
			state ^= state << 25;
			state ^= state >> 27;
			word.copy_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
		}
		let n = left.min(block.len() as u64) as usize;
		file.write_all(&block[..n]).map_err(io)?;
		hasher.update(&block[..n]);
		left -= n as u64;
	}
	file.flush().map_err(io)?;
	file.get_ref().sync_all().map_err(io)?;
	Ok(hasher.finalize().into())
}

fn file_sha256(path: &Path) -> Result<[u8; 32], String> {
	let io = |e: std::io::Error| format!("{}: {e}", path.display());
	let mut file = std::fs::File::open(path).map_err(io)?;
	let mut hasher = Sha256::new();
	let mut block = vec![0u8; 1 << 20];
	loop {
		let n = file.read(&mut block).map_err(io)?;
		if n == 0 {
			return Ok(hasher.finalize().into());
		}
		hasher.update(&block[..n]);
	}
}

/// The child relay process, stopped (and waited for) when dropped.
struct ChildRelay {
	child: Child,
	stdin: Option<ChildStdin>,
	stdout: BufReader<ChildStdout>,
	url: String,
}

impl ChildRelay {
	fn start(data_dir: &Path) -> Result<Self, String> {
		let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
		let mut child = Command::new(exe)
			.arg("bench-relay")
			.arg("--data-dir")
			.arg(data_dir)
			.stdin(Stdio::piped())
			.stdout(Stdio::piped())
			.spawn()
			.map_err(|e| format!("cannot start the relay: {e}"))?;
		let stdin = child.stdin.take();
		let stdout = child.stdout.take().ok_or("the relay's stdout")?;
		let mut relay =
			ChildRelay { child, stdin, stdout: BufReader::new(stdout), url: String::new() };
		let line = relay.line()?;
		relay.url = line
			.strip_prefix("listening on ")
			.ok_or_else(|| format!("the relay said {line:?}"))?
			.to_string();
		Ok(relay)
	}

	fn line(&mut self) -> Result<String, String> {
		let mut line = String::new();
		self.stdout.read_line(&mut line).map_err(|e| format!("the relay's output: {e}"))?;
		if line.is_empty() {
			return Err("the relay stopped".into());
		}
		Ok(line.trim_end().to_string())
	}

	fn deliver(&mut self, hash: &[u8; 32], size: u64) -> Result<(), String> {
		let stdin = self.stdin.as_mut().ok_or("the relay's stdin is closed")?;
		writeln!(stdin, "deliver {} {size}", crate::auth::hex(hash))
			.and_then(|_| stdin.flush())
			.map_err(|e| format!("the relay's input: {e}"))?;
		match self.line()?.as_str() {
			"delivered" => Ok(()),
			other => Err(format!("the relay said {other:?}")),
		}
	}
}

impl Drop for ChildRelay {
	fn drop(&mut self) {
		// End of input stops the child; kill it if it does not.
		self.stdin = None;
		for _ in 0..50 {
			if matches!(self.child.try_wait(), Ok(Some(_))) {
				return;
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// Samples `pid`'s resident memory until stopped: (largest, samples).
fn sample(pid: u32, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(u64, u64)> {
	std::thread::spawn(move || {
		let (mut max, mut samples) = (0u64, 0u64);
		while !stop.load(Ordering::Relaxed) {
			if let Some(rss) = status_kib(pid, "VmRSS") {
				max = max.max(rss);
				samples += 1;
			}
			std::thread::sleep(SAMPLE_EVERY);
		}
		(max, samples)
	})
}

/// Runs the plan: package written, relay started, upload, delivery, download, checks.
pub fn run(plan: &Plan) -> Result<Figures, String> {
	let dir = plan.dir.join(format!("medchain-relay-bench-{}", std::process::id()));
	std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
	let outcome = measure(plan, &dir);
	let _ = std::fs::remove_dir_all(&dir);
	outcome
}

fn measure(plan: &Plan, dir: &Path) -> Result<Figures, String> {
	let source = dir.join("package.mcpk");
	let target = dir.join("received.mcpk");
	let relay_dir = dir.join("relay");
	std::fs::create_dir_all(&relay_dir).map_err(|e| format!("{}: {e}", relay_dir.display()))?;
	let expected = write_package(&source, plan.size)?;

	let mut relay = ChildRelay::start(&relay_dir)?;
	let pid = relay.child.id();
	let genesis = FixedChain::default().genesis();
	let mut custodian =
		RelayClient::new(&relay.url, genesis, pair(CUSTODIAN_SEED)?).map_err(|e| e.to_string())?;
	custodian.chunk = plan.chunk;
	let requester =
		RelayClient::new(&relay.url, genesis, pair(REQUESTER_SEED)?).map_err(|e| e.to_string())?;
	let runtime = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| format!("cannot start the runtime: {e}"))?;

	let rss_start_kib = status_kib(pid, "VmRSS").ok_or("the relay's memory")?;
	let stop = Arc::new(AtomicBool::new(false));
	let sampler = sample(pid, stop.clone());

	let started = Instant::now();
	let hash = runtime.block_on(custodian.upload(REQUEST, &source)).map_err(|e| e.to_string());
	let upload_secs = started.elapsed().as_secs_f64();
	let downloaded = hash.and_then(|hash| {
		if hash != expected {
			return Err("the relay's SHA-256 differs from the package's".to_string());
		}
		relay.deliver(&hash, plan.size)?;
		let started = Instant::now();
		runtime
			.block_on(requester.download(REQUEST, &target, plan.size))
			.map_err(|e| e.to_string())?;
		Ok(started.elapsed().as_secs_f64())
	});
	stop.store(true, Ordering::Relaxed);
	let (rss_max_kib, samples) = sampler.join().map_err(|_| "the memory sampler failed")?;
	let rss_peak_kib = status_kib(pid, "VmHWM").ok_or("the relay's peak memory")?;
	drop(relay);
	let download_secs = downloaded?;
	if file_sha256(&target)? != expected {
		return Err("the downloaded package differs from the uploaded one".into());
	}
	Ok(Figures {
		bytes: plan.size,
		chunk_bytes: plan.chunk,
		upload_secs,
		download_secs,
		rss_start_kib,
		rss_max_kib,
		rss_peak_kib,
		samples,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn status_fields_are_read_in_kib() {
		let pid = std::process::id();
		let rss = status_kib(pid, "VmRSS").unwrap();
		let peak = status_kib(pid, "VmHWM").unwrap();
		assert!(rss > 0 && peak >= rss, "rss {rss} peak {peak}");
		assert_eq!(status_kib(pid, "NoSuchField"), None);
	}

	#[test]
	fn the_package_is_what_its_hash_says() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("p");
		let hash = write_package(&path, (1 << 20) + 3).unwrap();
		assert_eq!(std::fs::metadata(&path).unwrap().len(), (1 << 20) + 3);
		assert_eq!(file_sha256(&path).unwrap(), hash);
		// Not a constant fill: ciphertext-like bytes.
		let bytes = std::fs::read(&path).unwrap();
		assert_ne!(bytes[..8], bytes[8..16]);
	}
}
