//! A process's memory and CPU from `/proc` (Linux): `VmRSS` sampled while the workload runs,
//! and the CPU time (`utime + stime` of `/proc/<pid>/stat`) over the run.

use std::time::Instant;

/// Resident memory of `pid` in KiB (`VmRSS`).
pub fn rss_kib(pid: u32) -> Option<u64> {
	let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	field_kib(&text, "VmRSS")
}

/// A `Name:   123 kB` line of a `/proc/<pid>/status` text.
pub fn field_kib(status: &str, name: &str) -> Option<u64> {
	status
		.lines()
		.find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))?
		.split_whitespace()
		.next()?
		.parse()
		.ok()
}

/// CPU seconds (user + system) `pid` has used.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
	let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	let ticks = stat_ticks(&text)?;
	Some(ticks as f64 / clock_ticks())
}

/// `utime + stime` (fields 14 and 15) of a `/proc/<pid>/stat` line; the command name (field 2)
/// may hold spaces and parentheses, so fields are counted after its last `)`.
pub fn stat_ticks(stat: &str) -> Option<u64> {
	let rest = &stat[stat.rfind(')')? + 1..];
	let fields: Vec<&str> = rest.split_whitespace().collect();
	// `rest` starts at field 3 (state): utime is field 14, stime field 15.
	let utime: u64 = fields.get(11)?.parse().ok()?;
	let stime: u64 = fields.get(12)?.parse().ok()?;
	Some(utime + stime)
}

/// Clock ticks per second (`_SC_CLK_TCK`): 100 on Linux for every architecture we build.
fn clock_ticks() -> f64 {
	100.0
}

/// The largest `VmRSS` seen and the CPU used since [`Usage::start`].
pub struct Usage {
	pid: u32,
	started: Instant,
	cpu_at_start: f64,
	/// The largest resident memory sampled (KiB).
	pub rss_max_kib: u64,
}

impl Usage {
	/// Starts measuring `pid`; `None` if it cannot be read.
	pub fn start(pid: u32) -> Option<Self> {
		Some(Usage {
			pid,
			started: Instant::now(),
			cpu_at_start: cpu_seconds(pid)?,
			rss_max_kib: rss_kib(pid)?,
		})
	}

	/// Takes one memory sample.
	pub fn sample(&mut self) {
		if let Some(rss) = rss_kib(self.pid) {
			self.rss_max_kib = self.rss_max_kib.max(rss);
		}
	}

	/// The CPU used since the start, as a share of one core (1.0 = one core busy).
	pub fn cpu_cores(&self) -> Option<f64> {
		let used = cpu_seconds(self.pid)? - self.cpu_at_start;
		Some(used / self.started.elapsed().as_secs_f64())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn stat_fields_are_counted_after_the_command_name() {
		let stat =
			"4242 (node (a) b) S 1 4242 4242 0 -1 4194560 500 0 0 0 731 269 0 0 20 0 9 0 100";
		assert_eq!(stat_ticks(stat), Some(1000));
		assert_eq!(stat_ticks("garbage"), None);
	}

	#[test]
	fn this_process_can_be_measured() {
		let pid = std::process::id();
		assert!(rss_kib(pid).unwrap() > 0);
		let mut usage = Usage::start(pid).unwrap();
		let mut x = 0u64;
		for i in 0..5_000_000u64 {
			x = x.wrapping_mul(31).wrapping_add(i);
		}
		std::hint::black_box(x);
		usage.sample();
		assert!(usage.rss_max_kib > 0);
		assert!(usage.cpu_cores().unwrap() >= 0.0);
		assert_eq!(field_kib("VmRSS:\t  1234 kB\n", "VmRSS"), Some(1234));
	}
}
