//! The anchoring pipeline: sends the outbox ([`crate::outbox`]) to the chain and follows each
//! operation until its block is final.
//!
//! Rules (each tested in `gateway/tests/chain.rs` against a dev node):
//! 1. **Batches as soon as a block has room.** New records go out in `anchor_batch` calls of
//!    at most [`Limits::batch`] records, several per round with consecutive nonces; supersede,
//!    retract and erase go out one call each. A record's next operation waits until its
//!    previous one is final, so a fork can never leave a later operation without its
//!    predecessor.
//! 2. **Never twice.** While any attempt is unsettled (a lost connection, a restart), no new
//!    one is signed: the pipeline asks the chain (`records_verify` at the finalized block)
//!    whether the attempt's operations are there; if not and the device's nonce has moved past
//!    the attempt's, the attempt is lost and its operations are signed anew; otherwise the same
//!    bytes are sent again (one nonce: the chain includes them at most once).
//! 3. **Refusals are the record's or the gateway's.** A refused batch is split: each record is
//!    tried alone, and one the chain refuses alone (after checking it is not there already)
//!    is marked refused with the pallet's error. A refusal that concerns the device itself
//!    (not an active device, an institution that holds no records, fees it cannot pay) keeps
//!    everything queued and makes `/health` say degraded.
//! 4. **Final means final.** An operation in block `n` becomes final when the finalized
//!    chain's block `n` is that block; otherwise it goes back to be sent again.

use crate::{
	chain::{self, CallPart},
	outbox::{Attempt, Entry, Operation, Settlement},
	store::Store,
	Error,
};
use medchain_client::{
	ws::{Until, WsClient},
	Error as ClientError,
};
use serde_json::Value;
use sp_core::sr25519;
use std::{
	collections::{BTreeMap, HashSet},
	sync::{
		atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
		Arc, Mutex, RwLock,
	},
	time::Duration,
};
use tokio::sync::watch;

/// How much one round sends.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Records per `anchor_batch` (the chain's `MaxBatch` is 512).
	pub batch: usize,
	/// `anchor_batch` calls per round.
	pub batches: usize,
	/// Calls of their own per round.
	pub singles: usize,
	/// How long a transaction may take to reach a block.
	pub inclusion: Duration,
}

impl Default for Limits {
	fn default() -> Self {
		Limits { batch: 512, batches: 6, singles: 64, inclusion: Duration::from_secs(60) }
	}
}

/// What the pipeline knows of the chain, for `/health` and the metrics.
#[derive(Default, Debug)]
pub struct Health {
	/// Connected to the node.
	pub connected: AtomicBool,
	/// The node's best block.
	pub best: AtomicU32,
	/// The node's finalized block.
	pub finalized: AtomicU32,
	/// Operations put in a block since start.
	pub in_block: AtomicU64,
	/// Operations refused by the chain since start.
	pub refused: AtomicU64,
	/// Operations final since start.
	pub final_ops: AtomicU64,
	/// Why the gateway cannot anchor now, if it cannot.
	pub problem: Mutex<Option<String>>,
}

impl Health {
	fn set_problem(&self, problem: Option<String>) {
		if let Ok(mut p) = self.problem.lock() {
			if let Some(text) = &problem {
				if p.as_deref() != Some(text) {
					tracing::warn!(problem = %text, "anchoring degraded");
				}
			}
			*p = problem;
		}
	}

	/// The current problem, if any.
	pub fn problem(&self) -> Option<String> {
		self.problem.lock().ok().and_then(|p| p.clone())
	}
}

/// The pipeline of one gateway.
pub struct Pipeline {
	/// The store (shared with the API).
	pub store: Arc<RwLock<Store>>,
	/// The device key that signs.
	pub device: sr25519::Pair,
	/// The custodian (the device's institution).
	pub custodian: u32,
	/// The node's WebSocket URL.
	pub url: String,
	/// What it reports.
	pub health: Arc<Health>,
	/// How much a round sends.
	pub limits: Limits,
	/// The signing lock ([`chain::Signer`]), shared with everything else that signs with
	/// the device key.
	pub nonces: Arc<tokio::sync::Mutex<()>>,
}

/// Why a round stopped.
#[derive(Debug, thiserror::Error)]
enum RoundError {
	#[error("node unreachable or failing: {0}")]
	Chain(#[from] ClientError),
	#[error("store: {0}")]
	Store(#[from] Error),
	#[error("the store's lock is poisoned")]
	Poisoned,
}

impl Pipeline {
	fn store(&self) -> Result<std::sync::RwLockReadGuard<'_, Store>, RoundError> {
		self.store.read().map_err(|_| RoundError::Poisoned)
	}

	/// Runs until `shutdown` turns true: connects (and reconnects) to the node, and sends and
	/// follows the outbox.
	pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
		let mut ws: Option<WsClient> = None;
		loop {
			if *shutdown.borrow() {
				return;
			}
			let pause = match ws.as_ref().filter(|w| w.is_connected()) {
				None => match chain::connect(&self.url).await {
					Ok(w) => {
						tracing::info!(url = %self.url, "connected to the node");
						ws = Some(w);
						Duration::ZERO
					},
					Err(e) => {
						self.health.connected.store(false, Ordering::Relaxed);
						self.health.set_problem(Some(format!("node unreachable: {e}")));
						Duration::from_secs(2)
					},
				},
				Some(w) => {
					self.health.connected.store(true, Ordering::Relaxed);
					match self.round(w).await {
						Ok(true) => Duration::ZERO,
						Ok(false) => Duration::from_millis(500),
						Err(e) => {
							self.health.set_problem(Some(e.to_string()));
							Duration::from_secs(2)
						},
					}
				},
			};
			if !pause.is_zero() {
				tokio::select! {
					_ = tokio::time::sleep(pause) => {},
					_ = shutdown.changed() => {},
				}
			}
		}
	}

	/// One round; `true` if it sent something.
	async fn round(&self, ws: &WsClient) -> Result<bool, RoundError> {
		self.finalize(ws).await?;
		if !self.store()?.attempts()?.is_empty() {
			self.recover(ws).await?;
			if !self.store()?.attempts()?.is_empty() {
				return Ok(false);
			}
		}
		// The device's nonces are chosen and the transactions handed to the pool under the
		// signing lock, shared with the exchange's calls (same device key).
		let nonces = self.nonces.clone();
		let guard = nonces.lock().await;
		let attempts = self.prepare(ws).await?;
		if attempts.is_empty() {
			self.health.set_problem(None);
			return Ok(false);
		}
		let mut watches = Vec::with_capacity(attempts.len());
		for (_, attempt) in &attempts {
			watches.push(ws.submit_and_watch(&attempt.extrinsic).await);
		}
		drop(guard);
		let inclusion = self.limits.inclusion;
		let outcomes = futures::future::join_all(attempts.iter().zip(watches).map(
			|((_, attempt), watch)| async move {
				let follow = ws.follow(&attempt.extrinsic, watch?, Until::InBlock);
				tokio::time::timeout(inclusion, follow).await.map_err(|_| {
					ClientError::Timeout(format!(
						"the transaction was not InBlock within {inclusion:?}"
					))
				})?
			},
		))
		.await;
		let mut problem = None;
		for ((nonce, attempt), outcome) in attempts.into_iter().zip(outcomes) {
			match outcome {
				Ok(included) => match included.result {
					Ok(()) => {
						let hash = chain::parse_block_hash(&included.block_hash)?;
						let number = included.block_number;
						self.store()?.settle(nonce, &Settlement::InBlock { number, hash })?;
						self.health
							.in_block
							.fetch_add(attempt.entries.len() as u64, Ordering::Relaxed);
					},
					Err(error) => {
						let (pallet, name) = medchain_client::error::split_dispatch_error(error);
						let text = medchain_client::error::describe(error);
						if device_level(pallet.as_deref(), &name) {
							problem = Some(format!("the chain refuses this device: {text}"));
							self.store()?.settle(nonce, &Settlement::Lost)?;
						} else {
							self.refused(ws, nonce, &attempt, text).await?;
						}
					},
				},
				// Not known to be in a block: rule 2 finds out in the next round.
				Err(e) => problem = Some(format!("a transaction's outcome is unknown (node: {e})")),
			}
		}
		self.health.set_problem(problem);
		Ok(true)
	}

	/// A dispatched attempt was refused (rule 3).
	async fn refused(
		&self,
		ws: &WsClient,
		nonce: u32,
		attempt: &Attempt,
		error: String,
	) -> Result<(), RoundError> {
		if let [seq] = attempt.entries[..] {
			// Alone: it may be there already (anchored by an attempt this gateway lost track
			// of); then it is in the block that holds it.
			let entry = self.entry(seq)?;
			if let Some(entry) = entry {
				if let Some(number) = self.done_at(ws, &entry, None).await? {
					if number > 0 {
						if let Some(hash) = ws.block_hash(number).await? {
							let hash = chain::parse_block_hash(&hash)?;
							self.store()?.settle(nonce, &Settlement::InBlock { number, hash })?;
							return Ok(());
						}
					}
				}
			}
			tracing::warn!(nonce, %error, "the chain refused an operation");
			self.health.refused.fetch_add(1, Ordering::Relaxed);
		}
		self.store()?.settle(nonce, &Settlement::Refused(error))?;
		Ok(())
	}

	fn entry(&self, seq: u64) -> Result<Option<Entry>, RoundError> {
		Ok(self.store()?.outbox_entry(seq)?)
	}

	/// Rule 2: what became of the attempts written but not settled.
	async fn recover(&self, ws: &WsClient) -> Result<(), RoundError> {
		let finalized = ws.request("chain_getFinalizedHead", serde_json::json!([])).await?;
		let finalized = finalized.as_str().map(str::to_string);
		let attempts = self.store()?.attempts()?;
		let device = chain::account(&self.device);
		let chain_nonce = chain::chain_nonce(ws, &device).await?;
		for (nonce, attempt) in attempts {
			let entries: Vec<Entry> = attempt
				.entries
				.iter()
				.filter_map(|seq| self.entry(*seq).transpose())
				.collect::<Result<_, _>>()?;
			let mut done_final = Vec::new();
			for entry in &entries {
				match self.done_at(ws, entry, finalized.as_deref()).await? {
					Some(n) => done_final.push(n),
					None => break,
				}
			}
			if done_final.len() == entries.len() {
				// There, and final: in the block that holds it (the finalized block for a
				// retraction or erasure, whose block `records_verify` does not name).
				let number = match done_final.iter().copied().find(|n| *n > 0) {
					Some(n) => n,
					None => self.health.finalized.load(Ordering::Relaxed),
				};
				if let Some(hash) = ws.block_hash(number).await? {
					let hash = chain::parse_block_hash(&hash)?;
					tracing::info!(nonce, number, "a lost attempt was found on chain");
					self.store()?.settle(nonce, &Settlement::InBlock { number, hash })?;
				}
				continue;
			}
			if chain_nonce > nonce {
				// Its nonce is used: either it is in a block not final yet (wait), or another
				// transaction used the nonce (sign anew).
				let mut there = !entries.is_empty();
				for entry in &entries {
					if self.done_at(ws, entry, None).await?.is_none() {
						there = false;
						break;
					}
				}
				if !there {
					tracing::info!(nonce, "an attempt was lost; its operations are signed anew");
					self.store()?.settle(nonce, &Settlement::Lost)?;
				}
				continue;
			}
			// Not used yet: the same bytes again (the pool may still hold them).
			if let Err(e) = ws
				.request(
					"author_submitExtrinsic",
					serde_json::json!([medchain_client::to_hex(&attempt.extrinsic)]),
				)
				.await
			{
				tracing::debug!(nonce, error = %e, "resending an attempt");
			}
		}
		Ok(())
	}

	/// The block number in which the chain (at `at`, `None`: best) shows `entry` done (0
	/// when it does not name the block), or `None` if it does not.
	async fn done_at(
		&self,
		ws: &WsClient,
		entry: &Entry,
		at: Option<&str>,
	) -> Result<Option<u32>, RoundError> {
		let version = entry.operation.anchors_version().unwrap_or(1);
		let hash = {
			let store = self.store()?;
			match store.versions(&entry.record_id)?.into_iter().find(|(v, _)| *v == version) {
				Some((_, m)) => m.content_hash,
				None => return Ok(None),
			}
		};
		let answer = chain::verify(ws, self.custodian, &entry.record_id, &hash, at).await?;
		let status = answer["status"].as_str().unwrap_or_default();
		Ok(match entry.operation {
			Operation::Anchor | Operation::Supersede { .. } => {
				if answer["matchedVersion"].as_u64() == Some(u64::from(version)) {
					Some(block_of(&answer["matched"]))
				} else {
					None
				}
			},
			Operation::Retract { .. } => matches!(status, "Retracted" | "Erased").then_some(0),
			Operation::Erase => (status == "Erased").then_some(0),
		})
	}

	/// Signs and writes this round's attempts (rule 1); returns them by nonce.
	async fn prepare(&self, ws: &WsClient) -> Result<Vec<(u32, Attempt)>, RoundError> {
		let limits = self.limits;
		let (anchors, singles) = {
			let store = self.store()?;
			let mut seen = HashSet::new();
			let mut anchors = Vec::new();
			let mut singles = Vec::new();
			for (seq, entry) in store.outbox(usize::MAX)? {
				if anchors.len() >= limits.batch * limits.batches && singles.len() >= limits.singles
				{
					break;
				}
				// Only a record's first operation in the outbox may go (rule 1).
				if !seen.insert(entry.record_id.clone()) {
					continue;
				}
				if entry.in_block.is_some() || entry.attempt.is_some() {
					continue;
				}
				let room_for_anchor = anchors.len() < limits.batch * limits.batches;
				let room_for_single = singles.len() < limits.singles;
				match chain::call_of(&store, &entry.record_id, entry.operation)? {
					CallPart::Anchor(record) if !entry.alone && room_for_anchor => {
						anchors.push((seq, record));
					},
					CallPart::Anchor(record) if entry.alone && room_for_single => {
						singles.push((vec![seq], chain::anchor_batch(vec![record])));
					},
					CallPart::Call(call) if room_for_single => {
						singles.push((vec![seq], call));
					},
					_ => {},
				}
			}
			(anchors, singles)
		};
		if anchors.is_empty() && singles.is_empty() {
			return Ok(Vec::new());
		}
		let mut calls = Vec::new();
		let mut anchors = anchors.into_iter().peekable();
		while anchors.peek().is_some() {
			let chunk: Vec<_> = anchors.by_ref().take(limits.batch).collect();
			let seqs = chunk.iter().map(|(s, _)| *s).collect();
			calls.push((seqs, chain::anchor_batch(chunk.into_iter().map(|(_, r)| r).collect())));
		}
		calls.extend(singles);
		let ctx = ws.chain_context().await?;
		let mut nonce = ws.next_nonce(&chain::account(&self.device)).await?;
		let mut out = Vec::new();
		let store = self.store()?;
		for (entries, call) in calls {
			let attempt =
				Attempt { entries, extrinsic: chain::sign(call, &self.device, nonce, ctx) };
			store.begin_attempt(nonce, &attempt)?;
			out.push((nonce, attempt));
			nonce += 1;
		}
		Ok(out)
	}

	/// Rule 4: operations in blocks now final.
	async fn finalize(&self, ws: &WsClient) -> Result<(), RoundError> {
		let best = ws.header(None).await?.number;
		let finalized = ws.request("chain_getFinalizedHead", serde_json::json!([])).await?;
		let finalized = ws.header(finalized.as_str()).await?.number;
		self.health.best.store(best, Ordering::Relaxed);
		self.health.finalized.store(finalized, Ordering::Relaxed);
		let waiting: Vec<(u64, u32)> = self
			.store()?
			.outbox(usize::MAX)?
			.into_iter()
			.filter_map(|(seq, e)| {
				e.in_block.filter(|(n, _)| *n <= finalized).map(|(n, _)| (seq, n))
			})
			.collect();
		let mut canonical = BTreeMap::new();
		for (seq, number) in waiting {
			if let std::collections::btree_map::Entry::Vacant(slot) = canonical.entry(number) {
				match ws.block_hash(number).await? {
					Some(hash) => slot.insert(chain::parse_block_hash(&hash)?),
					None => continue,
				};
			}
			if let Some(hash) = canonical.get(&number) {
				self.store()?.finalize(seq, *hash)?;
				self.health.final_ops.fetch_add(1, Ordering::Relaxed);
			}
		}
		Ok(())
	}
}

/// Whether a refusal concerns the device rather than the record (rule 3).
fn device_level(pallet: Option<&str>, error: &str) -> bool {
	pallet == Some("Records")
		&& matches!(error, "NotActiveDevice" | "CustodianKindCannotHoldRecords")
}

fn block_of(version: &Value) -> u32 {
	version["anchoredAt"].as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}
