//! What the relay asks of the chain, always at the **finalized** block (docs/relay.md §6): the
//! active institution of a device, and an exchange request with its delivery receipt. Answers
//! are cached for one finalized block. [`ChainView`] is what the API and the sweeper use, so
//! that they can be tested against a chain of the test's making ([`FixedChain`]).

use crate::Error;
use medchain_client::ws::WsClient;
use medchain_runtime::{AccountId, Runtime};
use pallet_exchange::{DeliveryOf, RequestOf, Status};
use pallet_institutions::{InstitutionKind, InstitutionStatus};
use std::{
	collections::HashMap,
	future::Future,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// A finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finalized {
	/// Its number.
	pub number: u32,
	/// Its hash (0x-hex), as the node gives it.
	pub hash: String,
}

/// Where an exchange stands, as far as the relay cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
	/// Waiting for delivery until the deadline: the custodian may upload.
	Requested,
	/// Delivered: the requester may download the package of the receipt.
	Delivered,
	/// Disputed: the package is kept as evidence until governance settles.
	Disputed,
	/// Paid out or refunded: the package is deleted.
	Closed,
}

/// An exchange request as the relay sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
	/// The institution asking.
	pub requester: u32,
	/// The institution holding the records.
	pub custodian: u32,
	/// Where it stands.
	pub stage: Stage,
	/// The last block at which a delivery is accepted (exclusive).
	pub deadline: u32,
	/// The receipt's package SHA-256 and size, once delivered.
	pub receipt: Option<([u8; 32], u64)>,
	/// The relay named in the receipt.
	pub relay: Option<u32>,
}

/// An institution as the relay sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
	/// Its id.
	pub institution: u32,
	/// Its kind.
	pub kind: InstitutionKind,
}

/// The relay's questions to the chain.
pub trait ChainView: Send + Sync + 'static {
	/// The chain's genesis hash (what signatures are bound to).
	fn genesis(&self) -> [u8; 32];
	/// The latest finalized block.
	fn finalized(&self) -> impl Future<Output = Result<Finalized, Error>> + Send;
	/// The active institution `device` acts for at `at`, if any.
	fn member(
		&self,
		device: &AccountId,
		at: &Finalized,
	) -> impl Future<Output = Result<Option<Member>, Error>> + Send;
	/// Exchange request `id` at `at`, if it exists.
	fn exchange(
		&self,
		id: u64,
		at: &Finalized,
	) -> impl Future<Output = Result<Option<Exchange>, Error>> + Send;
}

/// The relay's view of an exchange from what the chain stores.
pub fn exchange_of(
	request: &RequestOf<Runtime>,
	delivery: Option<&DeliveryOf<Runtime>>,
) -> Exchange {
	let stage = match request.status {
		Status::Requested => Stage::Requested,
		Status::Delivered { .. } => Stage::Delivered,
		Status::Disputed { .. } => Stage::Disputed,
		Status::Completed { .. } | Status::Refunded { .. } => Stage::Closed,
	};
	Exchange {
		requester: request.requester,
		custodian: request.custodian,
		stage,
		deadline: request.deadline,
		receipt: delivery.map(|d| (d.package_hash.0, d.package_size)),
		relay: delivery.map(|d| d.relay),
	}
}

/// How long a finalized head is reused before the node is asked again.
const HEAD_REUSE: Duration = Duration::from_millis(500);
/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Default)]
struct Cache {
	block: String,
	members: HashMap<AccountId, Option<Member>>,
	exchanges: HashMap<u64, Option<Exchange>>,
}

/// The chain as a node answers, over a connection made again when it breaks.
pub struct NodeChain {
	url: String,
	genesis: [u8; 32],
	client: tokio::sync::Mutex<Option<Arc<WsClient>>>,
	head: Mutex<Option<(Instant, Finalized)>>,
	cache: Mutex<Cache>,
}

impl NodeChain {
	/// Connects to the node at `url` and reads the genesis hash.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let client = Arc::new(WsClient::connect(url, CONNECT_TIMEOUT).await?);
		let genesis =
			client.block_hash(0).await?.ok_or_else(|| Error::Chain("no genesis".into()))?;
		let genesis = crate::auth::unhex::<32>(&genesis)
			.ok_or_else(|| Error::Chain(format!("not a block hash: {genesis}")))?;
		Ok(NodeChain {
			url: url.into(),
			genesis,
			client: tokio::sync::Mutex::new(Some(client)),
			head: Mutex::new(None),
			cache: Mutex::new(Cache::default()),
		})
	}

	/// A connected client, connecting again if needed.
	pub async fn client(&self) -> Result<Arc<WsClient>, Error> {
		let mut slot = self.client.lock().await;
		if let Some(client) = slot.as_ref().filter(|c| c.is_connected()) {
			return Ok(client.clone());
		}
		let client = Arc::new(WsClient::connect(&self.url, CONNECT_TIMEOUT).await?);
		*slot = Some(client.clone());
		Ok(client)
	}

	fn cached<T: Clone>(&self, at: &Finalized, get: impl FnOnce(&Cache) -> Option<T>) -> Option<T> {
		let cache = self.cache.lock().ok()?;
		(cache.block == at.hash).then(|| get(&cache)).flatten()
	}

	fn remember(&self, at: &Finalized, put: impl FnOnce(&mut Cache)) {
		if let Ok(mut cache) = self.cache.lock() {
			if cache.block != at.hash {
				*cache = Cache { block: at.hash.clone(), ..Cache::default() };
			}
			put(&mut cache);
		}
	}
}

impl ChainView for NodeChain {
	fn genesis(&self) -> [u8; 32] {
		self.genesis
	}

	async fn finalized(&self) -> Result<Finalized, Error> {
		if let Some((at, head)) = self.head.lock().ok().and_then(|h| h.clone()) {
			if at.elapsed() < HEAD_REUSE {
				return Ok(head);
			}
		}
		let client = self.client().await?;
		let hash = client.request("chain_getFinalizedHead", serde_json::json!([])).await?;
		let hash = hash.as_str().ok_or_else(|| Error::Chain("bad finalized head".into()))?;
		let header = client.header(Some(hash)).await?;
		let head = Finalized { number: header.number, hash: hash.to_string() };
		if let Ok(mut slot) = self.head.lock() {
			*slot = Some((Instant::now(), head.clone()));
		}
		Ok(head)
	}

	async fn member(&self, device: &AccountId, at: &Finalized) -> Result<Option<Member>, Error> {
		if let Some(answer) = self.cached(at, |c| c.members.get(device).cloned()) {
			return Ok(answer);
		}
		let client = self.client().await?;
		let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(device);
		let entry: Option<pallet_institutions::Device<u32>> =
			client.storage(&key, Some(&at.hash)).await?;
		let answer = match entry {
			None => None,
			Some(entry) => {
				let key =
					pallet_institutions::Institutions::<Runtime>::hashed_key_for(entry.institution);
				let institution: Option<pallet_institutions::InstitutionOf<Runtime>> =
					client.storage(&key, Some(&at.hash)).await?;
				institution
					.filter(|i| i.status == InstitutionStatus::Active)
					.map(|i| Member { institution: entry.institution, kind: i.kind })
			},
		};
		self.remember(at, |c| {
			c.members.insert(device.clone(), answer);
		});
		Ok(answer)
	}

	async fn exchange(&self, id: u64, at: &Finalized) -> Result<Option<Exchange>, Error> {
		if let Some(answer) = self.cached(at, |c| c.exchanges.get(&id).cloned()) {
			return Ok(answer);
		}
		let client = self.client().await?;
		let key = pallet_exchange::Requests::<Runtime>::hashed_key_for(id);
		let request: Option<RequestOf<Runtime>> = client.storage(&key, Some(&at.hash)).await?;
		let answer = match request {
			None => None,
			Some(request) => {
				let key = pallet_exchange::Deliveries::<Runtime>::hashed_key_for(id);
				let delivery: Option<DeliveryOf<Runtime>> =
					client.storage(&key, Some(&at.hash)).await?;
				Some(exchange_of(&request, delivery.as_ref()))
			},
		};
		self.remember(at, |c| {
			c.exchanges.insert(id, answer.clone());
		});
		Ok(answer)
	}
}

/// A chain of the test's making: members and exchanges set by hand, one finalized block that
/// the test advances.
#[derive(Default)]
pub struct FixedChain {
	state: Mutex<FixedState>,
}

#[derive(Default)]
struct FixedState {
	number: u32,
	members: HashMap<AccountId, Member>,
	exchanges: HashMap<u64, Exchange>,
}

impl FixedChain {
	/// Makes `device` a device of `institution` (kind `kind`).
	pub fn add_device(&self, device: AccountId, institution: u32, kind: InstitutionKind) {
		if let Ok(mut s) = self.state.lock() {
			s.members.insert(device, Member { institution, kind });
		}
	}

	/// Sets exchange `id` (or removes it with `None`).
	pub fn set_exchange(&self, id: u64, exchange: Option<Exchange>) {
		if let Ok(mut s) = self.state.lock() {
			match exchange {
				Some(e) => s.exchanges.insert(id, e),
				None => s.exchanges.remove(&id),
			};
		}
	}

	/// Moves the finalized block to `number`.
	pub fn finalize(&self, number: u32) {
		if let Ok(mut s) = self.state.lock() {
			s.number = number;
		}
	}
}

impl ChainView for FixedChain {
	fn genesis(&self) -> [u8; 32] {
		[0x6d; 32]
	}

	async fn finalized(&self) -> Result<Finalized, Error> {
		let number = self.state.lock().map(|s| s.number).unwrap_or_default();
		Ok(Finalized { number, hash: format!("0x{number:064x}") })
	}

	async fn member(&self, device: &AccountId, _at: &Finalized) -> Result<Option<Member>, Error> {
		Ok(self.state.lock().ok().and_then(|s| s.members.get(device).copied()))
	}

	async fn exchange(&self, id: u64, _at: &Finalized) -> Result<Option<Exchange>, Error> {
		Ok(self.state.lock().ok().and_then(|s| s.exchanges.get(&id).cloned()))
	}
}
