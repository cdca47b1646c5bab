//! The relay's Prometheus metrics (`GET /metrics`, text format, no signature needed: counts,
//! bytes and block numbers only, never a request id).
//!
//! | metric | kind | what |
//! |---|---|---|
//! | `medchain_relay_uploads_total` | counter | packages whose upload completed |
//! | `medchain_relay_downloads_total` | counter | downloads served (each range) |
//! | `medchain_relay_bytes_in_total`, `medchain_relay_bytes_out_total` | counter | ciphertext bytes received, sent |
//! | `medchain_relay_refusals_total` | counter | requests answered 4xx/5xx |
//! | `medchain_relay_deleted_total` | counter | packages deleted |
//! | `medchain_relay_packages`, `medchain_relay_uploading`, `medchain_relay_held_bytes` | gauge | what the mailbox holds |
//! | `medchain_relay_audit_entries`, `medchain_relay_audit_anchored_entries` | gauge | audit log length, and how much of it is anchored |
//! | `medchain_relay_finalized_block` | gauge | the last finalized block the relay saw |

use crate::mailbox::Census;
use prometheus::{Encoder, IntCounter, IntGauge, Registry, TextEncoder};

/// The registry and its metrics.
pub struct Metrics {
	registry: Registry,
	/// Completed uploads.
	pub uploads: IntCounter,
	/// Downloads served.
	pub downloads: IntCounter,
	/// Bytes received.
	pub bytes_in: IntCounter,
	/// Bytes sent.
	pub bytes_out: IntCounter,
	/// Refused requests.
	pub refusals: IntCounter,
	/// Deleted packages.
	pub deleted: IntCounter,
	packages: IntGauge,
	uploading: IntGauge,
	held: IntGauge,
	/// Audit entries.
	pub audit_entries: IntGauge,
	/// Audit entries anchored.
	pub audit_anchored: IntGauge,
	/// The last finalized block seen.
	pub finalized: IntGauge,
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
	/// A registry with the relay's metrics.
	pub fn new() -> Result<Self, prometheus::Error> {
		let r = Registry::new();
		Ok(Metrics {
			uploads: counter(
				&r,
				"medchain_relay_uploads_total",
				"Packages whose upload completed",
			)?,
			downloads: counter(&r, "medchain_relay_downloads_total", "Downloads served")?,
			bytes_in: counter(&r, "medchain_relay_bytes_in_total", "Ciphertext bytes received")?,
			bytes_out: counter(&r, "medchain_relay_bytes_out_total", "Ciphertext bytes sent")?,
			refusals: counter(&r, "medchain_relay_refusals_total", "Requests refused")?,
			deleted: counter(&r, "medchain_relay_deleted_total", "Packages deleted")?,
			packages: gauge(&r, "medchain_relay_packages", "Complete packages held")?,
			uploading: gauge(&r, "medchain_relay_uploading", "Uploads in progress")?,
			held: gauge(&r, "medchain_relay_held_bytes", "Ciphertext bytes held")?,
			audit_entries: gauge(&r, "medchain_relay_audit_entries", "Audit log entries")?,
			audit_anchored: gauge(
				&r,
				"medchain_relay_audit_anchored_entries",
				"Audit entries covered by the last anchored head",
			)?,
			finalized: gauge(&r, "medchain_relay_finalized_block", "Last finalized block seen")?,
			registry: r,
		})
	}

	/// Sets the mailbox gauges.
	pub fn set_census(&self, census: &Census) {
		self.packages.set(census.packages as i64);
		self.uploading.set(census.uploading as i64);
		self.held.set(census.bytes as i64);
	}

	/// The text exposition.
	pub fn render(&self) -> String {
		let mut out = Vec::new();
		let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
		String::from_utf8(out).unwrap_or_default()
	}
}
