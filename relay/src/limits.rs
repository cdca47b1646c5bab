//! A rate limit per institution (a token bucket: `rate` requests per second, bursts of four
//! seconds' worth). Institutions are bounded by the chain (`MaxInstitutions`), so is the map.

use std::{collections::HashMap, sync::Mutex, time::Instant};

/// The buckets.
pub struct RateLimit {
	rate: f64,
	burst: f64,
	buckets: Mutex<HashMap<u32, (f64, Instant)>>,
}

impl RateLimit {
	/// `rate` requests per second per institution.
	pub fn new(rate: u32) -> Self {
		let rate = f64::from(rate.max(1));
		RateLimit { rate, burst: rate * 4.0, buckets: Mutex::new(HashMap::new()) }
	}

	/// Takes one token of `institution`'s bucket at `now`; false if it is empty.
	pub fn admit(&self, institution: u32, now: Instant) -> bool {
		let Ok(mut buckets) = self.buckets.lock() else { return false };
		let (tokens, since) = buckets.entry(institution).or_insert((self.burst, now));
		let elapsed = now.saturating_duration_since(*since).as_secs_f64();
		*tokens = (*tokens + elapsed * self.rate).min(self.burst);
		*since = now;
		if *tokens >= 1.0 {
			*tokens -= 1.0;
			true
		} else {
			false
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::time::Duration;

	#[test]
	fn a_burst_is_allowed_then_the_rate() {
		let limit = RateLimit::new(2);
		let t0 = Instant::now();
		assert_eq!((0..10).filter(|_| limit.admit(1, t0)).count(), 8);
		// Another institution has its own bucket.
		assert!(limit.admit(2, t0));
		assert!(!limit.admit(1, t0));
		assert!(limit.admit(1, t0 + Duration::from_millis(500)));
		assert!(!limit.admit(1, t0 + Duration::from_millis(500)));
	}
}
