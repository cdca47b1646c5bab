//! The relay's shared state and the checks every call starts with: the device's signature
//! (`auth.rs`), its institution on chain at the finalized block, the rate limit, and which
//! side of the exchange it is on.

use crate::{
	auth::{now_ms, Claim, ReplayGuard},
	chain::{ChainView, Exchange, Finalized, Member},
	config::Config,
	limits::RateLimit,
	mailbox::Mailbox,
	metrics::Metrics,
	Error,
};
use axum::http::HeaderMap;
use sha2::Sha256;
use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicBool, Ordering::Relaxed},
		Arc, Mutex,
	},
	time::Instant,
};

/// How many nonces the replay guard remembers at most.
pub const REPLAY_CAPACITY: usize = 100_000;

/// Which party of an exchange a call must come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
	/// The custodian (uploads).
	Custodian,
	/// The requester (downloads).
	Requester,
	/// Either (status).
	Either,
}

/// The relay, as every handler and the sweeper see it.
pub struct Relay<C> {
	/// The chain.
	pub chain: Arc<C>,
	/// The mailbox.
	pub mailbox: Arc<Mailbox>,
	/// The configuration.
	pub config: Config,
	/// The relay operator institution this relay serves as (receipts must name it).
	pub institution: u32,
	/// The metrics.
	pub metrics: Metrics,
	/// False when the last sweep could not ask the chain.
	pub chain_ok: AtomicBool,
	/// The last anchoring failure, if the last attempt failed.
	pub anchor_problem: Mutex<Option<String>>,
	guard: Mutex<ReplayGuard>,
	limit: RateLimit,
	/// The running SHA-256 of uploads in progress (rebuilt from the file when missing).
	pub(crate) hashers: Mutex<HashMap<u64, Sha256>>,
	busy: Mutex<HashSet<u64>>,
}

/// Marks an upload in progress; dropped when the call ends.
pub struct Busy<'a> {
	set: &'a Mutex<HashSet<u64>>,
	id: u64,
}

impl Drop for Busy<'_> {
	fn drop(&mut self) {
		if let Ok(mut set) = self.set.lock() {
			set.remove(&self.id);
		}
	}
}

impl<C: ChainView> Relay<C> {
	/// The relay of `institution` over `chain` and `mailbox`.
	pub fn new(
		chain: Arc<C>,
		mailbox: Arc<Mailbox>,
		config: Config,
		institution: u32,
	) -> Result<Self, Error> {
		let metrics = Metrics::new().map_err(|e| Error::Config(e.to_string()))?;
		let limit = RateLimit::new(config.requests_per_second);
		Ok(Relay {
			chain,
			mailbox,
			config,
			institution,
			metrics,
			chain_ok: AtomicBool::new(true),
			anchor_problem: Mutex::new(None),
			guard: Mutex::new(ReplayGuard::new(REPLAY_CAPACITY, now_ms())),
			limit,
			hashers: Mutex::new(HashMap::new()),
			busy: Mutex::new(HashSet::new()),
		})
	}

	/// Checks the signature, timestamp and nonce of a call on request `id`, the device's
	/// institution at the finalized block, and the institution's rate.
	pub async fn authenticate(
		&self,
		method: &str,
		path: &str,
		id: u64,
		headers: &HeaderMap,
	) -> Result<(Claim, Member, Finalized), Error> {
		let claim = Claim::from_headers(headers)?;
		claim.verify(self.chain.genesis(), method, path, id)?;
		self.guard
			.lock()
			.map_err(|_| Error::Store("replay guard poisoned".into()))?
			.admit(&claim, now_ms())?;
		let at = self.chain.finalized().await?;
		self.metrics.finalized.set(i64::from(at.number));
		let member = self.chain.member(&claim.device, &at).await?.ok_or(Error::Forbidden)?;
		if !self.limit.admit(member.institution, Instant::now()) {
			return Err(Error::RateLimited(format!(
				"more than {} requests per second from institution {}",
				self.config.requests_per_second, member.institution
			)));
		}
		Ok((claim, member, at))
	}

	/// Exchange `id` if `member` is on `side` of it; otherwise 403, whether the request
	/// exists or not.
	pub async fn exchange_for(
		&self,
		id: u64,
		member: &Member,
		side: Side,
		at: &Finalized,
	) -> Result<Exchange, Error> {
		let exchange = self.chain.exchange(id, at).await?.ok_or(Error::Forbidden)?;
		let allowed = match side {
			Side::Custodian => exchange.custodian == member.institution,
			Side::Requester => exchange.requester == member.institution,
			Side::Either => {
				exchange.custodian == member.institution || exchange.requester == member.institution
			},
		};
		if allowed {
			Ok(exchange)
		} else {
			Err(Error::Forbidden)
		}
	}

	/// Marks request `id`'s upload as in progress, or refuses (409) if it already is.
	pub fn busy(&self, id: u64) -> Result<Busy<'_>, Error> {
		let mut set = self.busy.lock().map_err(|_| Error::Store("busy set poisoned".into()))?;
		if !set.insert(id) {
			return Err(Error::Conflict {
				reason: "another upload of this package is in progress".into(),
				offset: None,
			});
		}
		Ok(Busy { set: &self.busy, id })
	}

	/// Whether the relay is healthy: the chain answered the last sweep and the last anchor
	/// succeeded.
	pub fn is_healthy(&self) -> bool {
		self.chain_ok.load(Relaxed)
			&& self.anchor_problem.lock().map(|p| p.is_none()).unwrap_or(false)
	}
}
