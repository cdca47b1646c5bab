//! A `medchain-node` process started by a test: its process, ports and base path. Chain queries
//! are the client's ([`Chain`]); a [`Node`] answers them over HTTP JSON-RPC, with `String`
//! errors as the tests' helpers expect.

use crate::{wait_until, RpcError};
use codec::Decode;
use medchain_client::{blocking, Chain, HttpClient};
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

	/// Calls a JSON-RPC method (over HTTP, through the client).
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		self.client().rpc(method, params)
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

	// ---- chain queries (the client's, over HTTP) ----------------------------------------------

	/// The node's HTTP JSON-RPC client (a fresh connection per call).
	pub fn client(&self) -> HttpClient {
		HttpClient::new(self.rpc_addr()).with_timeout(RPC_TIMEOUT)
	}

	/// A WebSocket connection to the node, with subscriptions (each call waits at most
	/// `timeout`).
	pub fn ws(&self, timeout: Duration) -> Result<blocking::WsClient, RpcError> {
		blocking::WsClient::connect(&self.rpc_url(), timeout)
	}

	/// Number of the header with this hash (`None`: the best block).
	pub fn header_number(&self, hash: Option<&str>) -> Result<u32, String> {
		Chain::header_number(self, hash)
	}

	/// The best block number.
	pub fn best_number(&self) -> Result<u32, String> {
		Chain::best_number(self)
	}

	/// The hash of the last finalized block.
	pub fn finalized_hash(&self) -> Result<String, String> {
		Chain::finalized_hash(self)
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> Result<u32, String> {
		Chain::finalized_number(self)
	}

	/// The hash of block `number` on the best chain.
	pub fn block_hash(&self, number: u32) -> Result<Option<String>, String> {
		Chain::block_hash(self, number)
	}

	/// The encoded extrinsics of a block.
	pub fn block_extrinsics(&self, hash: &str) -> Result<Vec<Vec<u8>>, String> {
		Chain::block_extrinsics(self, hash)
	}

	/// Waits until the finalized block number is at least `number`.
	pub fn wait_finalized(&self, number: u32, timeout: Duration) -> Result<u32, String> {
		Chain::wait_finalized(self, number, timeout)
	}

	/// Waits until the best block number is at least `number`.
	pub fn wait_best(&self, number: u32, timeout: Duration) -> Result<u32, String> {
		Chain::wait_best(self, number, timeout)
	}

	/// A storage value at a block (`None`: best), SCALE-decoded.
	pub fn storage<T: Decode>(&self, key: &[u8], at: Option<&str>) -> Result<Option<T>, String> {
		Chain::storage(self, key, at)
	}

	/// Submits an encoded extrinsic; returns its hash as the node reports it.
	pub fn submit(&self, extrinsic: &[u8]) -> Result<String, RpcError> {
		self.client().submit(extrinsic)
	}

	/// Looks for an extrinsic in the finalized blocks `from..=finalized`; returns the block
	/// number and hash it is in.
	pub fn find_finalized_extrinsic(
		&self,
		extrinsic: &[u8],
		from: u32,
	) -> Result<Option<(u32, String)>, String> {
		Chain::find_finalized_extrinsic(self, extrinsic, from)
	}
}

/// A started (or attached) node is a chain the client's step functions accept, with `String`
/// errors.
impl Chain for Node {
	type Error = String;

	fn rpc(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		self.client().rpc(method, params)
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

pub use medchain_client::chain::parse_number;

/// Removes a node's data directory (call after the node has stopped).
pub fn remove_base_path(path: &Path) {
	let _ = fs::remove_dir_all(path);
}
