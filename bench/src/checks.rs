//! The `consent-check` load: how many consent checks a node answers over JSON-RPC, and how fast.
//!
//! Rules:
//! 1. `clients` clients, each on its own WebSocket connection (as the systems of several
//!    hospitals would be), ask one check after the other: a client sends its next check when
//!    the previous answer came back, so the latency of each is measured alone.
//! 2. Check `j` of client `c` is about patient `(c + j × clients) mod P`: every patient is
//!    asked about in turn, the same patient never twice in a row by the same client.
//! 3. The question is the one a custodian asks before releasing: may the benchmark hospital
//!    receive the patient's laboratory records for treatment, at the next block (`at`
//!    omitted). Patients who granted it (`consent-grant` before) are permitted; others denied
//!    with `NoConsent`. Both are answers; an RPC error is counted with its message.
//! 4. Checks per second = answers / time from the first request to the last answer; latency
//!    percentiles over every answer; the node's and this process's CPU over the same time.

use crate::{
	procfs::Usage,
	report::{opt, Percentiles},
};
use medchain_client::ws::WsClient;
use medchain_runtime::AccountId;
use serde_json::{json, Value};
use std::{
	collections::BTreeMap,
	sync::Arc,
	time::{Duration, Instant},
};

/// What one check load measured.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CheckFigures {
	/// The load's name.
	pub workload: String,
	/// Concurrent clients.
	pub clients: usize,
	/// Checks asked.
	pub asked: usize,
	/// Answered `permit`.
	pub permits: usize,
	/// Answered `deny`, by reason.
	pub denies: BTreeMap<String, usize>,
	/// RPC errors, by message.
	pub errors: BTreeMap<String, usize>,
	/// Answers per second (rule 4).
	pub per_second: f64,
	/// Request → answer (ms).
	pub latency_ms: Percentiles,
	/// The node's largest sampled resident memory (MiB).
	pub node_rss_max_mib: Option<f64>,
	/// The node's CPU over the load, in cores.
	pub node_cpu_cores: Option<f64>,
	/// This tool's CPU over the load, in cores (it runs on the same machine).
	pub bench_cpu_cores: Option<f64>,
	/// Seconds from the first request to the last answer.
	pub elapsed_secs: f64,
}

/// One client's outcome: latencies (ms) and answers.
#[derive(Default)]
struct Tally {
	latencies: Vec<f64>,
	permits: usize,
	denies: BTreeMap<String, usize>,
	errors: BTreeMap<String, usize>,
}

/// The parameters of check `j` of client `c` (rules 2 and 3).
pub fn question(patients: &[AccountId], grantee: u32, clients: usize, c: usize, j: usize) -> Value {
	let patient = &patients[(c + j * clients) % patients.len()];
	json!([
		patient.to_string(),
		grantee,
		{"category": {"category": "Laboratory", "custodian": null}},
		"Treatment",
		null
	])
}

/// Classifies an answer: `Ok(None)` permit, `Ok(Some(reason))` deny.
pub fn outcome(answer: &Value) -> Result<Option<String>, String> {
	if answer.get("permit").is_some() {
		return Ok(None);
	}
	match answer.get("deny").and_then(|d| d.get("reason")).and_then(Value::as_str) {
		Some(reason) => Ok(Some(reason.to_string())),
		None => Err(format!("not a decision: {answer}")),
	}
}

/// Runs `count` checks spread over `clients` clients of the node at `url` (rule 1), sampling
/// the node `node_pid`.
pub async fn run(
	url: &str,
	clients: usize,
	count: usize,
	patients: Arc<Vec<AccountId>>,
	grantee: u32,
	node_pid: Option<u32>,
) -> Result<CheckFigures, String> {
	if clients == 0 || patients.is_empty() {
		return Err("consent-check needs at least one client and one patient".into());
	}
	let mut connections = Vec::with_capacity(clients);
	for _ in 0..clients {
		connections.push(
			WsClient::connect(url, Duration::from_secs(30))
				.await
				.map_err(|e| format!("consent-check: cannot reach the node {url}: {e}"))?,
		);
	}
	let mut node = node_pid.and_then(Usage::start);
	let mut own = Usage::start(std::process::id());
	let started = Instant::now();
	let mut tasks = Vec::with_capacity(clients);
	for (c, ws) in connections.into_iter().enumerate() {
		let patients = patients.clone();
		// Client c asks checks c, c + clients, … of the `count`.
		let mine = (count + clients - 1 - c) / clients;
		tasks.push(tokio::spawn(async move {
			let mut tally = Tally::default();
			for j in 0..mine {
				let params = question(&patients, grantee, clients, c, j);
				let at = Instant::now();
				let answer = ws.request("consent_check", params).await;
				tally.latencies.push(at.elapsed().as_secs_f64() * 1000.0);
				match answer.map_err(|e| e.to_string()).and_then(|a| outcome(&a)) {
					Ok(None) => tally.permits += 1,
					Ok(Some(reason)) => *tally.denies.entry(reason).or_insert(0) += 1,
					Err(e) => *tally.errors.entry(e.chars().take(80).collect()).or_insert(0) += 1,
				}
			}
			tally
		}));
	}
	let sampler = async {
		loop {
			tokio::time::sleep(Duration::from_millis(200)).await;
			if let Some(u) = node.as_mut() {
				u.sample();
			}
		}
	};
	let joined = tokio::select! {
		joined = futures::future::join_all(tasks) => joined,
		_ = sampler => unreachable!("the sampler never ends"),
	};
	let elapsed = started.elapsed();
	let mut all = Tally::default();
	for tally in joined {
		let tally = tally.map_err(|e| format!("consent-check: a client stopped: {e}"))?;
		all.latencies.extend(tally.latencies);
		all.permits += tally.permits;
		for (k, v) in tally.denies {
			*all.denies.entry(k).or_insert(0) += v;
		}
		for (k, v) in tally.errors {
			*all.errors.entry(k).or_insert(0) += v;
		}
	}
	if let Some(u) = own.as_mut() {
		u.sample();
	}
	let answered = all.latencies.len() - all.errors.values().sum::<usize>();
	Ok(CheckFigures {
		workload: "consent-check".into(),
		clients,
		asked: all.latencies.len(),
		permits: all.permits,
		denies: all.denies,
		errors: all.errors,
		per_second: answered as f64 / elapsed.as_secs_f64().max(1e-9),
		latency_ms: Percentiles::of(all.latencies),
		node_rss_max_mib: node.as_ref().map(|u| u.rss_max_kib as f64 / 1024.0),
		node_cpu_cores: node.as_ref().and_then(Usage::cpu_cores),
		bench_cpu_cores: own.as_ref().and_then(Usage::cpu_cores),
		elapsed_secs: elapsed.as_secs_f64(),
	})
}

/// The table of check loads.
pub fn table(rows: &[CheckFigures]) -> String {
	let mut out = format!(
		"{:<14} {:>7} {:>7} {:>7} {:>7} {:>9} {:>20} {:>8} {:>9} {:>9}\n",
		"load",
		"clients",
		"asked",
		"permit",
		"deny",
		"checks/s",
		"ms p50/95/99/max",
		"node MiB",
		"node CPU",
		"bench CPU"
	);
	for f in rows {
		let p = &f.latency_ms;
		out.push_str(&format!(
			"{:<14} {:>7} {:>7} {:>7} {:>7} {:>9.0} {:>20} {:>8} {:>9} {:>9}\n",
			f.workload,
			f.clients,
			f.asked,
			f.permits,
			f.denies.values().sum::<usize>(),
			f.per_second,
			format!("{:.2}/{:.2}/{:.2}/{:.1}", p.p50, p.p95, p.p99, p.max),
			opt(f.node_rss_max_mib, 0),
			opt(f.node_cpu_cores, 2),
			opt(f.bench_cpu_cores, 2),
		));
		for (why, n) in &f.errors {
			out.push_str(&format!("  error {n}×: {why}\n"));
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_patient_is_asked_in_turn() {
		let patients: Vec<AccountId> = (0u8..5).map(|i| AccountId::new([i; 32])).collect();
		let asked: Vec<String> = (0..3)
			.flat_map(|c| (0..4).map(move |j| (c, j)))
			.map(|(c, j)| question(&patients, 9, 3, c, j)[0].as_str().unwrap().to_string())
			.collect();
		for p in &patients {
			assert!(asked.contains(&p.to_string()), "{p} asked");
		}
		let q = question(&patients, 9, 3, 1, 2);
		assert_eq!(q[0], json!(patients[(1 + 2 * 3) % 5].to_string()));
		assert_eq!(q[1], json!(9));
		assert_eq!(q[3], json!("Treatment"));
	}

	#[test]
	fn answers_are_classified() {
		assert_eq!(outcome(&json!({"permit": {"consent": 3}})), Ok(None));
		assert_eq!(
			outcome(&json!({"deny": {"reason": "NoConsent", "closest": null}})),
			Ok(Some("NoConsent".into()))
		);
		assert!(outcome(&json!({"other": 1})).is_err());
		let row = CheckFigures {
			workload: "consent-check".into(),
			clients: 8,
			asked: 10,
			permits: 6,
			denies: [("NoConsent".to_string(), 3)].into(),
			errors: [("boom".to_string(), 1)].into(),
			per_second: 5000.0,
			latency_ms: Percentiles::of(vec![1.0, 2.0]),
			node_rss_max_mib: None,
			node_cpu_cores: Some(1.2),
			bench_cpu_cores: None,
			elapsed_secs: 0.002,
		};
		let t = table(&[row]);
		assert!(t.contains("5000") && t.contains("error 1×: boom"), "{t}");
	}
}
