//! The figures of a run, a table of several workloads side by side, and JSON.

use crate::observe::Observation;
use frame_support::dispatch::DispatchClass;
use medchain_runtime::configs::{RuntimeBlockLength, RuntimeBlockWeights};
use std::collections::BTreeMap;

/// Percentiles of a latency, in milliseconds (nearest rank).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Percentiles {
	/// Samples.
	pub count: usize,
	/// Median.
	pub p50: f64,
	/// 95th percentile.
	pub p95: f64,
	/// 99th percentile.
	pub p99: f64,
	/// Largest.
	pub max: f64,
}

impl Percentiles {
	/// Of `samples` (any order).
	pub fn of(mut samples: Vec<f64>) -> Self {
		if samples.is_empty() {
			return Percentiles::default();
		}
		samples.sort_by(f64::total_cmp);
		let rank = |p: f64| {
			let n = samples.len();
			let i = ((p / 100.0) * n as f64).ceil() as usize;
			samples[i.clamp(1, n) - 1]
		};
		Percentiles {
			count: samples.len(),
			p50: rank(50.0),
			p95: rank(95.0),
			p99: rank(99.0),
			max: samples[samples.len() - 1],
		}
	}
}

/// What one workload did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Figures {
	/// The workload's name.
	pub workload: String,
	/// Transactions submitted.
	pub submitted: usize,
	/// Refused by the pool, by message.
	pub refused: BTreeMap<String, usize>,
	/// In a block.
	pub included: usize,
	/// In a finalized block.
	pub finalized: usize,
	/// In a block, but their dispatch failed (`ExtrinsicFailed`; counted in `included`), by
	/// the pallet's error.
	pub failed: BTreeMap<String, usize>,
	/// Included per second, between the timestamps of the first and the last block carrying
	/// the workload (the first block's own items are not counted: the interval measures the
	/// blocks after it). `None` with a single block.
	pub included_per_second: Option<f64>,
	/// Records (or transfers) per transaction.
	pub per_item: u32,
	/// `included_per_second` × `per_item`.
	pub records_per_second: Option<f64>,
	/// Blocks carrying the workload.
	pub blocks: usize,
	/// Items in the fullest block.
	pub per_block_max: usize,
	/// Items per block, on average.
	pub per_block_mean: f64,
	/// The fullest block's normal-class weight against its limit (0–1).
	pub weight_fullness_max: f64,
	/// The fullest block's length against the normal-class limit (0–1).
	pub length_fullness_max: f64,
	/// Submit → seen in a block (ms).
	pub in_block_ms: Percentiles,
	/// Submit → seen final (ms).
	pub finalized_ms: Percentiles,
	/// Best minus finalized block number at each new best head (blocks).
	pub finality_lag: Percentiles,
	/// The node's largest sampled resident memory (MiB).
	pub node_rss_max_mib: Option<f64>,
	/// The node's CPU over the run, in cores (1.0 = one core busy).
	pub node_cpu_cores: Option<f64>,
	/// Seconds from the first submission to the end of the run.
	pub elapsed_secs: f64,
	/// Whether the run stopped at its deadline with transactions not final.
	pub timed_out: bool,
	/// Best heads seen at or below a number already read.
	pub reorgs: usize,
	/// Records (items × `per_item`) this tool signed per second before submitting — for
	/// `anchor-root` including building each Merkle tree: the pace a custodian's software can
	/// prepare them at, on this machine.
	pub prepared_per_second: Option<f64>,
}

/// Everything a run measured: the transaction workloads and the JSON-RPC loads.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
	/// Transaction workloads, in the order they ran.
	pub transactions: Vec<Figures>,
	/// JSON-RPC loads (`consent-check`).
	pub checks: Vec<crate::checks::CheckFigures>,
	/// The `exchange` workload's cycle, from its first request to its last confirmation.
	pub exchange_cycle: Option<ExchangeCycle>,
}

/// Exchanges from request to confirmation.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ExchangeCycle {
	/// Requests made.
	pub requested: usize,
	/// Requests from the clinic waiting at the custodian, delivered (this run's, and any left
	/// waiting by an earlier run).
	pub delivered: usize,
	/// Confirmations final without error.
	pub completed: usize,
	/// From the first request submitted to the last confirmation final.
	pub seconds: f64,
	/// `completed / seconds`.
	pub per_second: f64,
}

/// The limits a block's fullness is measured against: normal-class ref time and length.
pub fn limits() -> (u64, u32) {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let ref_time = normal.max_total.unwrap_or(weights.max_block).ref_time();
	let length = *RuntimeBlockLength::get().max.get(DispatchClass::Normal);
	(ref_time, length)
}

/// Refusal messages cut to their first 80 characters, so that equal causes count together.
fn cause(message: &str) -> String {
	message.chars().take(80).collect()
}

impl Figures {
	/// The figures of `observation` for `workload`; `usage`: the node's (RSS MiB, CPU cores).
	pub fn of(
		workload: &str,
		per_item: u32,
		observation: &Observation,
		usage: (Option<f64>, Option<f64>),
	) -> Self {
		let items = &observation.items;
		let mut refused = BTreeMap::new();
		for why in items.iter().filter_map(|i| i.refused.as_deref()) {
			*refused.entry(cause(why)).or_insert(0) += 1;
		}
		let carrying: Vec<_> = observation.blocks.iter().filter(|b| b.ours > 0).collect();
		let included: usize = carrying.iter().map(|b| b.ours).sum();
		let included_per_second = match (carrying.first(), carrying.last()) {
			(Some(first), Some(last)) if last.timestamp_ms > first.timestamp_ms => Some(
				(included - first.ours) as f64 * 1000.0
					/ (last.timestamp_ms - first.timestamp_ms) as f64,
			),
			_ => None,
		};
		let (max_ref_time, max_length) = limits();
		let ms = |from: std::time::Instant, to: std::time::Instant| {
			to.saturating_duration_since(from).as_secs_f64() * 1000.0
		};
		Figures {
			workload: workload.to_string(),
			submitted: items.iter().filter(|i| i.submitted.is_some()).count(),
			refused,
			included,
			finalized: items.iter().filter(|i| i.finalized.is_some()).count(),
			failed: {
				let mut failed = BTreeMap::new();
				for why in carrying.iter().flat_map(|b| b.failures.iter()) {
					*failed.entry(cause(why)).or_insert(0) += 1;
				}
				failed
			},
			included_per_second,
			per_item,
			records_per_second: included_per_second.map(|r| r * f64::from(per_item)),
			blocks: carrying.len(),
			per_block_max: carrying.iter().map(|b| b.ours).max().unwrap_or(0),
			per_block_mean: if carrying.is_empty() {
				0.0
			} else {
				included as f64 / carrying.len() as f64
			},
			weight_fullness_max: carrying
				.iter()
				.map(|b| b.normal_ref_time as f64 / max_ref_time.max(1) as f64)
				.fold(0.0, f64::max),
			length_fullness_max: carrying
				.iter()
				.map(|b| b.length as f64 / f64::from(max_length.max(1)))
				.fold(0.0, f64::max),
			in_block_ms: Percentiles::of(
				items.iter().filter_map(|i| Some(ms(i.submitted?, i.in_block?.1))).collect(),
			),
			finalized_ms: Percentiles::of(
				items.iter().filter_map(|i| Some(ms(i.submitted?, i.finalized?))).collect(),
			),
			finality_lag: Percentiles::of(observation.lags.iter().map(|l| f64::from(*l)).collect()),
			node_rss_max_mib: usage.0,
			node_cpu_cores: usage.1,
			elapsed_secs: observation.elapsed.as_secs_f64(),
			timed_out: observation.timed_out,
			reorgs: observation.reorgs,
			prepared_per_second: None,
		}
	}
}

/// `v` with `digits` decimals, or `-`.
pub fn opt(v: Option<f64>, digits: usize) -> String {
	v.map(|v| format!("{v:.digits$}")).unwrap_or_else(|| "-".into())
}

/// The table of several workloads, one row each.
pub fn table(rows: &[Figures]) -> String {
	let mut out = String::new();
	out.push_str(&format!(
		"{:<14} {:>7} {:>7} {:>7} {:>9} {:>9} {:>7} {:>7} {:>6} {:>6} {:>17} {:>17} {:>7} {:>8} {:>5}\n",
		"workload",
		"sent",
		"refused",
		"final",
		"tx/s",
		"rec/s",
		"/block",
		"max/blk",
		"weight",
		"length",
		"in block p50/95/99",
		"final p50/95/99",
		"lag p95",
		"node MiB",
		"CPU"
	));
	for f in rows {
		let refused: usize = f.refused.values().sum();
		let s =
			|p: &Percentiles| format!("{:.1}/{:.1}/{:.1}", p.p50 / 1e3, p.p95 / 1e3, p.p99 / 1e3);
		out.push_str(&format!(
			"{:<14} {:>7} {:>7} {:>7} {:>9} {:>9} {:>7.1} {:>7} {:>5.0}% {:>5.0}% {:>15} s {:>15} s {:>7} {:>8} {:>5}\n",
			f.workload,
			f.submitted,
			refused,
			f.finalized,
			opt(f.included_per_second, 1),
			opt(f.records_per_second, 1),
			f.per_block_mean,
			f.per_block_max,
			f.weight_fullness_max * 100.0,
			f.length_fullness_max * 100.0,
			s(&f.in_block_ms),
			s(&f.finalized_ms),
			f.finality_lag.p95,
			opt(f.node_rss_max_mib, 0),
			opt(f.node_cpu_cores, 2),
		));
		if let (Some(prepared), true) = (f.prepared_per_second, f.per_item > 1) {
			out.push_str(&format!(
				"  prepared by the tool (signed{}): {prepared:.0} records/s\n",
				if f.workload == "anchor-root" { ", Merkle trees built" } else { "" }
			));
		}
		for (why, n) in &f.failed {
			out.push_str(&format!("  included but failed {n}×: {why}\n"));
		}
		for (why, n) in &f.refused {
			out.push_str(&format!("  refused {n}×: {why}\n"));
		}
		if f.timed_out {
			out.push_str(&format!(
				"  stopped at the deadline: {} of {} not final\n",
				f.submitted - refused - f.finalized,
				f.submitted - refused
			));
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::observe::{Block, Item};
	use std::time::{Duration, Instant};

	#[test]
	fn percentiles_are_nearest_rank() {
		let p = Percentiles::of((1..=100).map(f64::from).rev().collect());
		assert_eq!((p.count, p.p50, p.p95, p.p99, p.max), (100, 50.0, 95.0, 99.0, 100.0));
		let one = Percentiles::of(vec![7.0]);
		assert_eq!((one.p50, one.p99), (7.0, 7.0));
		assert_eq!(Percentiles::of(vec![]), Percentiles::default());
	}

	fn block(number: u32, timestamp_ms: u64, ours: usize) -> Block {
		Block {
			number,
			timestamp_ms,
			ours,
			failures: Vec::new(),
			extrinsics: ours + 2,
			length: 1000,
			normal_ref_time: 0,
		}
	}

	#[test]
	fn rates_count_the_blocks_after_the_first() {
		let t = Instant::now();
		let at = |ms: u64| t + Duration::from_millis(ms);
		let mut items = vec![Item::default(); 5];
		for (i, item) in items.iter_mut().enumerate() {
			item.submitted = Some(t);
			item.in_block = Some((10 + (i as u32 % 2), at(1000 * (i as u64 + 1))));
			item.finalized = Some(at(2000 * (i as u64 + 1)));
		}
		items[4].refused = Some("1010: Invalid Transaction: stale".into());
		items[4].in_block = None;
		items[4].finalized = None;
		let observation = Observation {
			items,
			blocks: vec![block(9, 0, 0), block(10, 6_000, 2), block(11, 12_000, 2)],
			started: t,
			elapsed: Duration::from_secs(12),
			timed_out: false,
			reorgs: 0,
			lags: vec![1, 2, 1, 1],
		};
		let f = Figures::of("anchor-batch", 3, &observation, (Some(100.0), None));
		assert_eq!((f.submitted, f.included, f.finalized, f.blocks), (5, 4, 4, 2));
		// Two items in block 11, six seconds after block 10.
		assert_eq!(f.included_per_second, Some(2.0 / 6.0));
		assert_eq!(f.records_per_second, Some(1.0));
		assert_eq!((f.per_block_max, f.per_block_mean), (2, 2.0));
		assert_eq!(f.refused.values().sum::<usize>(), 1);
		assert_eq!(f.in_block_ms.max, 4000.0);
		assert_eq!(f.finalized_ms.p50, 4000.0);
		assert_eq!((f.finality_lag.p50, f.finality_lag.max), (1.0, 2.0));
		assert!(table(&[f]).contains("refused 1×: 1010: Invalid Transaction: stale"));
	}
}
