//! The gateway's Prometheus metrics (`GET /metrics`, text format, no token: counts and block
//! numbers only, nothing about any patient or record).
//!
//! | metric | kind | what |
//! |---|---|---|
//! | `medchain_gateway_versions_accepted_total` | counter | record versions stored through the API |
//! | `medchain_gateway_store_write_seconds` | histogram | time to store a version (seal, write, commit) |
//! | `medchain_gateway_outbox_queued` | gauge | chain operations not yet final |
//! | `medchain_gateway_attempts_unsettled` | gauge | signed transactions whose outcome is not known yet |
//! | `medchain_gateway_operations_in_block_total` | counter | operations put in a block |
//! | `medchain_gateway_operations_final_total` | counter | operations final |
//! | `medchain_gateway_operations_refused_total` | counter | operations the chain refused |
//! | `medchain_gateway_node_connected` | gauge | 1 when the pipeline is connected to the node |
//! | `medchain_gateway_best_block`, `medchain_gateway_finalized_block` | gauge | the node's blocks |

use crate::anchoring::Health;
use prometheus::{Encoder, Histogram, HistogramOpts, IntCounter, IntGauge, Registry, TextEncoder};
use std::sync::atomic::Ordering::Relaxed;

/// The registry and the metrics the API updates.
pub struct Metrics {
	registry: Registry,
	/// Versions stored through the API.
	pub accepted: IntCounter,
	/// Time to store a version.
	pub store_write: Histogram,
	queued: IntGauge,
	unsettled: IntGauge,
	in_block: IntCounter,
	final_ops: IntCounter,
	refused: IntCounter,
	connected: IntGauge,
	best: IntGauge,
	finalized: IntGauge,
}

fn counter(registry: &Registry, name: &str, help: &str) -> Result<IntCounter, prometheus::Error> {
	let metric = IntCounter::new(name, help)?;
	registry.register(Box::new(metric.clone()))?;
	Ok(metric)
}

fn gauge(registry: &Registry, name: &str, help: &str) -> Result<IntGauge, prometheus::Error> {
	let metric = IntGauge::new(name, help)?;
	registry.register(Box::new(metric.clone()))?;
	Ok(metric)
}

impl Metrics {
	/// A registry with the gateway's metrics.
	pub fn new() -> Result<Self, prometheus::Error> {
		let registry = Registry::new();
		let store_write = Histogram::with_opts(
			HistogramOpts::new(
				"medchain_gateway_store_write_seconds",
				"Time to store a record version (seal, write the file, commit)",
			)
			.buckets(vec![0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5]),
		)?;
		registry.register(Box::new(store_write.clone()))?;
		Ok(Metrics {
			accepted: counter(
				&registry,
				"medchain_gateway_versions_accepted_total",
				"Record versions stored through the API",
			)?,
			store_write,
			queued: gauge(
				&registry,
				"medchain_gateway_outbox_queued",
				"Chain operations not yet final",
			)?,
			unsettled: gauge(
				&registry,
				"medchain_gateway_attempts_unsettled",
				"Signed transactions whose outcome is not known yet",
			)?,
			in_block: counter(
				&registry,
				"medchain_gateway_operations_in_block_total",
				"Chain operations put in a block",
			)?,
			final_ops: counter(
				&registry,
				"medchain_gateway_operations_final_total",
				"Chain operations final",
			)?,
			refused: counter(
				&registry,
				"medchain_gateway_operations_refused_total",
				"Chain operations the chain refused",
			)?,
			connected: gauge(
				&registry,
				"medchain_gateway_node_connected",
				"1 when the anchoring pipeline is connected to the node",
			)?,
			best: gauge(&registry, "medchain_gateway_best_block", "The node's best block")?,
			finalized: gauge(
				&registry,
				"medchain_gateway_finalized_block",
				"The node's finalized block",
			)?,
			registry,
		})
	}

	/// The text exposition, after reading the pipeline's figures and the store's queue.
	pub fn render(&self, health: &Health, queued: Option<u64>, unsettled: Option<usize>) -> String {
		let catch_up = |c: &IntCounter, v: u64| c.inc_by(v.saturating_sub(c.get()));
		catch_up(&self.in_block, health.in_block.load(Relaxed));
		catch_up(&self.final_ops, health.final_ops.load(Relaxed));
		catch_up(&self.refused, health.refused.load(Relaxed));
		self.connected.set(i64::from(health.connected.load(Relaxed)));
		self.best.set(i64::from(health.best.load(Relaxed)));
		self.finalized.set(i64::from(health.finalized.load(Relaxed)));
		if let Some(q) = queued {
			self.queued.set(i64::try_from(q).unwrap_or(i64::MAX));
		}
		if let Some(u) = unsettled {
			self.unsettled.set(i64::try_from(u).unwrap_or(i64::MAX));
		}
		let mut out = Vec::new();
		if TextEncoder::new().encode(&self.registry.gather(), &mut out).is_err() {
			return String::new();
		}
		String::from_utf8(out).unwrap_or_default()
	}
}
