//! Submission and the block-by-block follow.
//!
//! Rules:
//! 1. Both subscriptions (new best heads, finalized heads) are open before the first
//!    transaction is submitted, so no block carrying one is missed.
//! 2. Transactions are submitted in their signing order (`author_submitExtrinsic`, not
//!    watched: a node follows a bounded number of watched transactions), at most `in_flight`
//!    calls outstanding and at most `window` transactions handed over but not yet seen in a
//!    block (as a hospital's system would pace itself: a node's pool holds 8,192 ready
//!    transactions, and the fork-aware pool was seen dropping accepted ones, without a word,
//!    when thousands more waited than blocks could take); a refusal by the pool is recorded
//!    with its message.
//! 3. Every new best block, and every number skipped before it, is read once: which of our
//!    transactions it carries (by hash), its timestamp (`Timestamp::Now`), the weight of its
//!    normal class (`System::BlockWeight`), its length, and which of ours failed to dispatch. A block at or below a number read
//!    already (a re-organisation) is counted, not read: the networks measured fork rarely, and
//!    a transaction that never becomes final shows in the report.
//! 4. A finalized head finalizes every transaction read in a block at or below its number; a
//!    block read after its number was finalized finalizes its transactions at once.
//! 5. The run ends when every accepted transaction is final, or at the deadline.

use frame_support::dispatch::DispatchClass;
use medchain_client::{hashing::blake2_256, ws::WsClient, Error};
use medchain_runtime::{Header, Runtime};
use serde_json::json;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};
use tokio::sync::mpsc;

/// How often the run checks its deadline and calls the sampler.
const TICK: Duration = Duration::from_millis(200);

/// What became of one transaction.
#[derive(Clone, Debug, Default)]
pub struct Item {
	/// When it was handed to the node.
	pub submitted: Option<Instant>,
	/// Why the pool refused it.
	pub refused: Option<String>,
	/// The block that carries it, and when that block was seen.
	pub in_block: Option<(u32, Instant)>,
	/// When it was seen final.
	pub finalized: Option<Instant>,
}

/// A block that was read.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Block {
	/// Its number.
	pub number: u32,
	/// Its timestamp (unix ms).
	pub timestamp_ms: u64,
	/// Our transactions in it.
	pub ours: usize,
	/// Why ours failed to dispatch (`System::ExtrinsicFailed`), one entry each.
	pub failures: Vec<String>,
	/// All its extrinsics (inherents included).
	pub extrinsics: usize,
	/// Its extrinsics' encoded length in bytes.
	pub length: usize,
	/// The normal class's weight (ref time, picoseconds).
	pub normal_ref_time: u64,
}

/// Everything a run saw.
#[derive(Debug)]
pub struct Observation {
	/// One entry per transaction, in signing order.
	pub items: Vec<Item>,
	/// The blocks read, in order.
	pub blocks: Vec<Block>,
	/// When the first transaction was submitted.
	pub started: Instant,
	/// How long the run took.
	pub elapsed: Duration,
	/// Whether it stopped at the deadline.
	pub timed_out: bool,
	/// Best heads at or below a number already read (re-organisations).
	pub reorgs: usize,
	/// At each new best head: its number minus the last finalized number seen (blocks).
	pub lags: Vec<u32>,
}

struct Follow {
	ws: Arc<WsClient>,
	/// Our transactions seen in blocks so far (read by the submitter, rule 2).
	seen: Arc<AtomicUsize>,
	index: HashMap<[u8; 32], usize>,
	items: Vec<Item>,
	blocks: Vec<Block>,
	last_read: Option<u32>,
	finalized: u32,
	reorgs: usize,
}

impl Follow {
	/// Rule 3 for block `number` of the best chain (`hash` if known).
	async fn read(&mut self, number: u32, hash: Option<String>) -> Result<(), Error> {
		let hash = match hash {
			Some(h) => h,
			None => self
				.ws
				.block_hash(number)
				.await?
				.ok_or_else(|| Error::Decode(format!("no block {number}")))?,
		};
		let block = self.ws.request("chain_getBlock", json!([hash])).await?;
		let extrinsics = medchain_client::chain::parse_extrinsics(&block)?;
		let now = Instant::now();
		let mut ours = 0;
		let mut positions = Vec::new();
		for (position, xt) in extrinsics.iter().enumerate() {
			if let Some(&i) = self.index.get(&blake2_256(xt)) {
				positions.push(position as u32);
				let item = &mut self.items[i];
				if item.in_block.is_none() {
					item.in_block = Some((number, now));
					if number <= self.finalized {
						item.finalized = Some(now);
					}
				}
				ours += 1;
				self.seen.fetch_add(1, Ordering::Relaxed);
			}
		}
		let timestamp_ms: u64 = self
			.ws
			.storage(&pallet_timestamp::Now::<Runtime>::hashed_key(), Some(&hash))
			.await?
			.unwrap_or_default();
		let weight: frame_system::ConsumedWeight = self
			.ws
			.storage(&frame_system::BlockWeight::<Runtime>::hashed_key(), Some(&hash))
			.await?
			.unwrap_or_default();
		let mut failures = Vec::new();
		if !positions.is_empty() {
			for record in self.ws.events(&hash).await? {
				if let (
					frame_system::Phase::ApplyExtrinsic(p),
					medchain_runtime::RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
						dispatch_error,
						..
					}),
				) = (&record.phase, &record.event)
				{
					if positions.contains(p) {
						failures
							.push(Error::refused("dispatch", None, *dispatch_error).to_string());
					}
				}
			}
		}
		self.blocks.push(Block {
			number,
			timestamp_ms,
			ours,
			failures,
			extrinsics: extrinsics.len(),
			length: extrinsics.iter().map(Vec::len).sum(),
			normal_ref_time: weight.get(DispatchClass::Normal).ref_time(),
		});
		self.last_read = Some(number);
		Ok(())
	}

	/// Reads every block after the last one read up to `number` (rule 3).
	async fn read_up_to(&mut self, number: u32, hash: Option<String>) -> Result<(), Error> {
		match self.last_read {
			Some(last) if number <= last => {
				self.reorgs += 1;
				Ok(())
			},
			Some(last) => {
				for n in last + 1..number {
					self.read(n, None).await?;
				}
				self.read(number, hash).await
			},
			None => self.read(number, hash).await,
		}
	}

	/// Rule 4.
	fn finalize(&mut self, number: u32) {
		self.finalized = self.finalized.max(number);
		let now = Instant::now();
		for item in &mut self.items {
			if let (Some((n, _)), None) = (item.in_block, item.finalized) {
				if n <= self.finalized {
					item.finalized = Some(now);
				}
			}
		}
	}

	fn all_final(&self) -> bool {
		self.items.iter().all(|i| i.refused.is_some() || i.finalized.is_some())
	}
}

fn header_hash(header: &Header) -> String {
	medchain_client::to_hex(header.hash().as_ref())
}

/// Submits `extrinsics` and follows them (rules 1–5); `sample` is called every 200 ms.
pub async fn run(
	ws: Arc<WsClient>,
	extrinsics: Vec<Vec<u8>>,
	(in_flight, window): (usize, usize),
	deadline: Duration,
	mut sample: impl FnMut(),
) -> Result<Observation, Error> {
	let index = extrinsics.iter().enumerate().map(|(i, xt)| (blake2_256(xt), i)).collect();
	let seen = Arc::new(AtomicUsize::new(0));
	let mut follow = Follow {
		ws: ws.clone(),
		seen: seen.clone(),
		index,
		items: vec![Item::default(); extrinsics.len()],
		blocks: Vec::new(),
		last_read: None,
		finalized: 0,
		reorgs: 0,
	};
	// Rule 1.
	let mut best = ws.subscribe_new_heads().await?;
	let mut finalized = ws.subscribe_finalized_heads().await?;
	// The finality lag is measured from the finalized head at the start.
	let head = ws.request("chain_getFinalizedHead", json!([])).await?;
	follow.finalized = ws.header(head.as_str()).await?.number;
	let started = Instant::now();
	// Rule 2: a task submits; outcomes come back on a channel.
	let (sent, mut outcomes) = mpsc::unbounded_channel();
	let submitter = ws.clone();
	let submitting_task = tokio::spawn(async move {
		use futures::StreamExt;
		let window = window.max(1);
		let calls = futures::stream::iter(extrinsics.into_iter().enumerate().map(|(i, xt)| {
			let ws = submitter.clone();
			let seen = seen.clone();
			async move {
				// Rule 2: wait while `window` transactions are waiting for a block.
				while i >= seen.load(Ordering::Relaxed) + window {
					tokio::time::sleep(Duration::from_millis(50)).await;
				}
				let at = Instant::now();
				let hex = medchain_client::to_hex(&xt);
				let outcome = ws.request("author_submitExtrinsic", json!([hex])).await;
				(i, at, outcome.map(|_| ()).map_err(|e| e.to_string()))
			}
		}))
		.buffered(in_flight.max(1));
		futures::pin_mut!(calls);
		while let Some(outcome) = calls.next().await {
			if sent.send(outcome).is_err() {
				return;
			}
		}
	});
	let mut submitting = true;
	let mut lags = Vec::new();
	let mut tick = tokio::time::interval(TICK);
	let timed_out = loop {
		tokio::select! {
			outcome = outcomes.recv(), if submitting => match outcome {
				Some((i, at, result)) => {
					follow.items[i].submitted = Some(at);
					if let Err(why) = result {
						follow.items[i].refused = Some(why);
					}
				},
				None => submitting = false,
			},
			head = best.next() => {
				let header = head.ok_or_else(|| Error::Transport("new heads ended".into()))??;
				lags.push(header.number.saturating_sub(follow.finalized));
				follow.read_up_to(header.number, Some(header_hash(&header))).await?;
			},
			head = finalized.next() => {
				let header =
					head.ok_or_else(|| Error::Transport("finalized heads ended".into()))??;
				// Blocks final before the best-head notification arrived are read now.
				if follow.last_read.is_some_and(|last| header.number > last) {
					follow.read_up_to(header.number, None).await?;
				}
				follow.finalize(header.number);
			},
			_ = tick.tick() => {
				sample();
				if started.elapsed() > deadline {
					break true;
				}
			},
		}
		if !submitting && follow.all_final() {
			break false;
		}
	};
	// At the deadline, transactions not yet handed over are not sent.
	submitting_task.abort();
	Ok(Observation {
		items: follow.items,
		blocks: follow.blocks,
		started,
		elapsed: started.elapsed(),
		timed_out,
		reorgs: follow.reorgs,
		lags,
	})
}
