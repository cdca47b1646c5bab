//! A `medchain-node` process started by a test.

use crate::{from_hex, rpc, rpc::RpcError, to_hex, wait_until};
use codec::Decode;
use serde_json::{json, Value};
use std::{
	fs,
	net::{SocketAddr, TcpListener},
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::atomic::{AtomicUsize, Ordering},
	time::{Duration, Instant},
};

/// Signals for [`Node::signal`]: pause (as a frozen machine), resume.
pub use libc::{SIGCONT, SIGSTOP};

/// How long one JSON-RPC call may take.
const RPC_TIMEOUT: Duration = Duration::from_secs(20);

/// A free TCP port on 127.0.0.1 (bound and released; the OS does not hand it out again soon).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the OS gives out a free port on 127.0.0.1")
}

/// A fresh directory under the system temp folder for one node's data.
pub fn temp_base_path(label: &str) -> PathBuf {
	static COUNTER: AtomicUsize = AtomicUsize::new(0);
	let n = COUNTER.fetch_add(1, Ordering::SeqCst);
	let dir = std::env::temp_dir().join(format!("medchain-{label}-{}-{n}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).expect("temp dir can be created");
	dir
}

/// How to start a node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// Path to the `medchain-node` binary.
	pub binary: PathBuf,
	/// The node's data directory (kept across restarts of the same [`NodeConfig`]).
	pub base_path: PathBuf,
	/// Arguments besides the base path and the ports, e.g. `["--dev"]`.
	pub args: Vec<String>,
	/// JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// Peer-to-peer port on 127.0.0.1.
	pub p2p_port: u16,
	/// Prometheus port on 127.0.0.1.
	pub prometheus_port: u16,
}

impl NodeConfig {
	/// A development node (`--dev`) with a fresh base path and free ports.
	pub fn dev(binary: impl Into<PathBuf>) -> Self {
		Self::new(binary, "dev", vec!["--dev".into()])
	}

	/// A node with the given arguments, a fresh base path and free ports.
	pub fn new(binary: impl Into<PathBuf>, label: &str, args: Vec<String>) -> Self {
		Self {
			binary: binary.into(),
			base_path: temp_base_path(label),
			args,
			rpc_port: free_port(),
			p2p_port: free_port(),
			prometheus_port: free_port(),
		}
	}

	/// Where the node's output goes.
	pub fn log_path(&self) -> PathBuf {
		self.base_path.join("node.log")
	}

	/// Starts the node and waits until its JSON-RPC answers (at most `timeout`).
	pub fn start(&self, timeout: Duration) -> Result<Node, String> {
		let log = fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(self.log_path())
			.map_err(|e| format!("cannot open log {}: {e}", self.log_path().display()))?;
		let log2 = log.try_clone().map_err(|e| e.to_string())?;
		let child = Command::new(&self.binary)
			.args(&self.args)
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--prometheus-port", &self.prometheus_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			.args(["--no-mdns", "--no-telemetry"])
			.stdin(Stdio::null())
			.stdout(log)
			.stderr(log2)
			.spawn()
			.map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
		let mut node = Node {
			config: self.clone(),
			child: Some(child),
			started: Instant::now(),
			remote: None,
		};
		let ready = wait_until("the node's JSON-RPC", timeout, Duration::from_millis(250), || {
			if node.has_exited() {
				return Some(false);
			}
			node.rpc("system_health", json!([])).ok().map(|_| true)
		});
		match ready {
			Ok(true) => Ok(node),
			Ok(false) => {
				Err(format!("the node exited during start-up; log:\n{}", node.log_tail(40)))
			},
			Err(e) => Err(format!("{e}; log:\n{}", node.log_tail(40))),
		}
	}
}

/// A running node. Killed (SIGKILL) when dropped if it is still running.
pub struct Node {
	/// How it was started.
	pub config: NodeConfig,
	child: Option<Child>,
	started: Instant,
	/// The JSON-RPC address of a node this process did not start ([`Node::attach`]).
	remote: Option<SocketAddr>,
}

impl Node {
	/// A node that runs elsewhere (a hospital's own node, a network started by a script),
	/// reached over JSON-RPC at `rpc_addr`. It cannot be stopped or signalled from here.
	pub fn attach(rpc_addr: SocketAddr) -> Node {
		let config = NodeConfig {
			binary: PathBuf::new(),
			base_path: PathBuf::new(),
			args: Vec::new(),
			rpc_port: rpc_addr.port(),
			p2p_port: 0,
			prometheus_port: 0,
		};
		Node { config, child: None, started: Instant::now(), remote: Some(rpc_addr) }
	}

	/// The JSON-RPC address.
	pub fn rpc_addr(&self) -> SocketAddr {
		self.remote.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], self.config.rpc_port)))
	}

	/// The JSON-RPC URL for people and tools (HTTP and WebSocket on the same port).
	pub fn rpc_url(&self) -> String {
		format!("ws://{}", self.rpc_addr())
	}

	/// The operating system's process id.
	pub fn pid(&self) -> Option<u32> {
		self.child.as_ref().map(|c| c.id())
	}

	/// Time since the process was started.
	pub fn uptime(&self) -> Duration {
		self.started.elapsed()
	}

	/// Calls a JSON-RPC method.
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		rpc::call(self.rpc_addr(), method, params, RPC_TIMEOUT)
	}

	/// Whether the process has exited.
	pub fn has_exited(&mut self) -> bool {
		match self.child.as_mut() {
			None => true,
			Some(c) => matches!(c.try_wait(), Ok(Some(_))),
		}
	}

	/// Sends a signal (e.g. `libc::SIGSTOP`) to the process.
	pub fn signal(&self, signal: i32) -> Result<(), String> {
		let pid = self.pid().ok_or("the node is not running")?;
		// SAFETY: `kill` has no memory-safety preconditions; `pid` is our own child process.
		let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
		if rc == 0 {
			Ok(())
		} else {
			Err(format!("kill({pid}, {signal}) failed: {}", std::io::Error::last_os_error()))
		}
	}

	/// Stops the node with SIGTERM and waits for it to exit (at most `timeout`; after that it
	/// is killed and an error returned).
	pub fn stop(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
		self.signal(libc::SIGTERM)?;
		let mut child = self.child.take().ok_or("the node is not running")?;
		let start = Instant::now();
		loop {
			match child.try_wait() {
				Ok(Some(status)) => return Ok(status),
				Ok(None) if start.elapsed() < timeout => {
					std::thread::sleep(Duration::from_millis(100))
				},
				Ok(None) => {
					let _ = child.kill();
					let _ = child.wait();
					return Err(format!("the node did not exit within {timeout:?} of SIGTERM"));
				},
				Err(e) => return Err(e.to_string()),
			}
		}
	}

	/// Kills the node at once (SIGKILL, as a power cut would) and reaps the process. Its base
	/// path stays, so [`NodeConfig::start`] restarts it where it was.
	pub fn kill(&mut self) -> Result<ExitStatus, String> {
		let mut child = self.child.take().ok_or("the node is not running")?;
		child.kill().map_err(|e| e.to_string())?;
		child.wait().map_err(|e| e.to_string())
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let text = fs::read_to_string(self.config.log_path()).unwrap_or_default();
		let all: Vec<&str> = text.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// The resident memory of the process in KiB (Linux `/proc`).
	pub fn resident_memory_kib(&self) -> Option<u64> {
		let status = fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
		status
			.lines()
			.find(|l| l.starts_with("VmRSS:"))
			.and_then(|l| l.split_whitespace().nth(1))
			.and_then(|v| v.parse().ok())
	}

	// ---- chain queries -----------------------------------------------------------------------

	/// Number of the header with this hash (`None`: the best block).
	pub fn header_number(&self, hash: Option<&str>) -> Result<u32, String> {
		let header = self.rpc("chain_getHeader", json!([hash])).map_err(|e| e.to_string())?;
		parse_number(&header["number"])
	}

	/// The best block number.
	pub fn best_number(&self) -> Result<u32, String> {
		self.header_number(None)
	}

	/// The hash of the last finalized block.
	pub fn finalized_hash(&self) -> Result<String, String> {
		let v = self.rpc("chain_getFinalizedHead", json!([])).map_err(|e| e.to_string())?;
		v.as_str().map(str::to_string).ok_or_else(|| format!("not a hash: {v}"))
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> Result<u32, String> {
		let hash = self.finalized_hash()?;
		self.header_number(Some(&hash))
	}

	/// The hash of block `number` on the best chain.
	pub fn block_hash(&self, number: u32) -> Result<Option<String>, String> {
		let v = self.rpc("chain_getBlockHash", json!([number])).map_err(|e| e.to_string())?;
		Ok(v.as_str().map(str::to_string))
	}

	/// The encoded extrinsics of a block.
	pub fn block_extrinsics(&self, hash: &str) -> Result<Vec<Vec<u8>>, String> {
		let v = self.rpc("chain_getBlock", json!([hash])).map_err(|e| e.to_string())?;
		v["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| format!("no extrinsics in {v}"))?
			.iter()
			.map(|x| from_hex(x.as_str().unwrap_or_default()))
			.collect()
	}

	/// Waits until the finalized block number is at least `number`.
	pub fn wait_finalized(&self, number: u32, timeout: Duration) -> Result<u32, String> {
		wait_until(
			&format!("finalized block #{number}"),
			timeout,
			Duration::from_millis(500),
			|| self.finalized_number().ok().filter(|n| *n >= number),
		)
	}

	/// Waits until the best block number is at least `number`.
	pub fn wait_best(&self, number: u32, timeout: Duration) -> Result<u32, String> {
		wait_until(&format!("best block #{number}"), timeout, Duration::from_millis(500), || {
			self.best_number().ok().filter(|n| *n >= number)
		})
	}

	/// A storage value at a block (`None`: best), SCALE-decoded.
	pub fn storage<T: Decode>(&self, key: &[u8], at: Option<&str>) -> Result<Option<T>, String> {
		let v =
			self.rpc("state_getStorage", json!([to_hex(key), at])).map_err(|e| e.to_string())?;
		match v.as_str() {
			None => Ok(None),
			Some(hex) => {
				let bytes = from_hex(hex)?;
				T::decode(&mut &bytes[..])
					.map(Some)
					.map_err(|e| format!("cannot decode storage: {e}"))
			},
		}
	}

	/// Submits an encoded extrinsic; returns its hash as the node reports it.
	pub fn submit(&self, extrinsic: &[u8]) -> Result<String, RpcError> {
		let v = self.rpc("author_submitExtrinsic", json!([to_hex(extrinsic)]))?;
		v.as_str()
			.map(str::to_string)
			.ok_or_else(|| RpcError::Malformed(format!("not a hash: {v}")))
	}

	/// Looks for an extrinsic in the finalized blocks `from..=finalized`; returns the block
	/// number and hash it is in.
	pub fn find_finalized_extrinsic(
		&self,
		extrinsic: &[u8],
		from: u32,
	) -> Result<Option<(u32, String)>, String> {
		let finalized = self.finalized_number()?;
		for n in from..=finalized {
			let Some(hash) = self.block_hash(n)? else { continue };
			if self.block_extrinsics(&hash)?.iter().any(|x| x == extrinsic) {
				return Ok(Some((n, hash)));
			}
		}
		Ok(None)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// Parses a block number given as hex (`"0x1a"`) or as a JSON number.
pub fn parse_number(v: &Value) -> Result<u32, String> {
	if let Some(n) = v.as_u64() {
		return u32::try_from(n).map_err(|e| e.to_string());
	}
	let s = v.as_str().ok_or_else(|| format!("not a number: {v}"))?;
	u32::from_str_radix(s.trim_start_matches("0x"), 16).map_err(|e| format!("bad number {s}: {e}"))
}

/// Removes a node's data directory (call after the node has stopped).
pub fn remove_base_path(path: &Path) {
	let _ = fs::remove_dir_all(path);
}
