//! JSON-RPC over WebSocket, async (tokio), with subscriptions: new and finalized heads, and a
//! transaction followed with `author_submitAndWatchExtrinsic` to its block and to finality.
//! One connection carries every call and subscription; each call is bounded by the timeout given
//! at [`WsClient::connect`]. Plain `ws://` (a hospital's services talk to their own node).

use crate::{
	chain::{decode_storage, parse_extrinsics, parse_number},
	to_hex,
	tx::{self, ChainContext, EventRecords, Included},
	Error, Header,
};
use codec::Decode;
use jsonrpsee_core::{
	client::{ClientT, SubscriptionClientT},
	traits::ToRpcParams,
};
use medchain_runtime::{AccountId, Nonce};
use serde_json::{json, value::RawValue, Value};
use std::time::Duration;

/// How long one call may take unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// The WebSocket URL of a node given as `host:port`, `ws://…` or `http://…` (the node serves
/// both on one port).
pub fn ws_url(address: &str) -> String {
	let address = address.trim().trim_end_matches('/');
	if address.starts_with("ws://") || address.starts_with("wss://") {
		address.to_string()
	} else if let Some(rest) = address.strip_prefix("http://") {
		format!("ws://{rest}")
	} else {
		format!("ws://{address}")
	}
}

/// JSON parameters as jsonrpsee sends them (`null`: none).
struct Params(Value);

impl ToRpcParams for Params {
	fn to_rpc_params(self) -> Result<Option<Box<RawValue>>, serde_json::Error> {
		match self.0 {
			Value::Null => Ok(None),
			value => serde_json::value::to_raw_value(&value).map(Some),
		}
	}
}

/// Where [`WsClient::submit_and_wait`] stops following a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
	/// In a block of the best chain.
	InBlock,
	/// In a finalized block.
	Finalized,
}

/// A transaction's progress, as `author_submitAndWatchExtrinsic` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxStatus {
	/// In the pool's future queue (waiting for an earlier nonce).
	Future,
	/// In the pool's ready queue.
	Ready,
	/// Gossiped to these peers.
	Broadcast(Vec<String>),
	/// In the block with this hash.
	InBlock(String),
	/// The block it was in left the best chain.
	Retracted(String),
	/// The node stopped following it before finality (too many watchers).
	FinalityTimeout(String),
	/// In the finalized block with this hash.
	Finalized(String),
	/// Replaced by another transaction (same sender and nonce) with this hash.
	Usurped(String),
	/// Dropped from the pool (full).
	Dropped,
	/// No longer valid.
	Invalid,
}

impl TxStatus {
	/// Parses a notification of `author_submitAndWatchExtrinsic`.
	pub fn from_json(value: Value) -> Result<Self, Error> {
		let bad = || Error::Decode(format!("not a transaction status: {value}"));
		// Block hashes come alone (v1) or as [hash, index].
		let hash = |v: &Value| match v {
			Value::String(s) => Some(s.clone()),
			Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
			_ => None,
		};
		match &value {
			Value::String(s) => match s.as_str() {
				"future" => Ok(TxStatus::Future),
				"ready" => Ok(TxStatus::Ready),
				"dropped" => Ok(TxStatus::Dropped),
				"invalid" => Ok(TxStatus::Invalid),
				_ => Err(bad()),
			},
			Value::Object(map) if map.len() == 1 => {
				let (key, inner) = map.iter().next().ok_or_else(bad)?;
				let block = || hash(inner).ok_or_else(bad);
				match key.as_str() {
					"broadcast" => Ok(TxStatus::Broadcast(
						inner
							.as_array()
							.ok_or_else(bad)?
							.iter()
							.filter_map(|p| p.as_str().map(str::to_string))
							.collect(),
					)),
					"inBlock" => Ok(TxStatus::InBlock(block()?)),
					"retracted" => Ok(TxStatus::Retracted(block()?)),
					"finalityTimeout" => Ok(TxStatus::FinalityTimeout(block()?)),
					"finalized" => Ok(TxStatus::Finalized(block()?)),
					"usurped" => Ok(TxStatus::Usurped(block()?)),
					_ => Err(bad()),
				}
			},
			_ => Err(bad()),
		}
	}

	/// Whether the node sends nothing more after this status.
	pub fn is_final(&self) -> bool {
		matches!(
			self,
			TxStatus::Finalized(_)
				| TxStatus::FinalityTimeout(_)
				| TxStatus::Usurped(_)
				| TxStatus::Dropped
				| TxStatus::Invalid
		)
	}
}

/// A header notification or answer as the runtime's header type (its `hash()` is the block
/// hash).
pub fn decode_header(value: Value) -> Result<Header, Error> {
	serde_json::from_value(value).map_err(|e| Error::Decode(format!("not a header: {e}")))
}

/// A subscription: notifications decoded as `T`, in the order the node sent them. Dropping it
/// unsubscribes.
pub struct Subscription<T> {
	inner: jsonrpsee_core::client::Subscription<Value>,
	decode: fn(Value) -> Result<T, Error>,
}

impl<T> Subscription<T> {
	/// The next notification; `None` once the node or the connection closed the subscription
	/// (or it fell too far behind: read notifications as they come).
	pub async fn next(&mut self) -> Option<Result<T, Error>> {
		match self.inner.next().await? {
			Ok(value) => Some((self.decode)(value)),
			Err(e) => Some(Err(Error::Decode(e.to_string()))),
		}
	}

	/// Unsubscribes and waits until the node confirmed it.
	pub async fn unsubscribe(self) -> Result<(), Error> {
		Ok(self.inner.unsubscribe().await?)
	}
}

/// A connection to a node over WebSocket.
pub struct WsClient {
	inner: jsonrpsee_ws_client::WsClient,
	url: String,
}

impl WsClient {
	/// Connects to the node at `address` (`host:port` or a `ws://` URL); every call on the
	/// connection waits at most `timeout`. Must be called within a tokio runtime.
	pub async fn connect(address: &str, timeout: Duration) -> Result<Self, Error> {
		let url = ws_url(address);
		let inner = jsonrpsee_ws_client::WsClientBuilder::new()
			.request_timeout(timeout)
			.connection_timeout(timeout)
			.build(&url)
			.await
			.map_err(|e| Error::Transport(format!("{url}: {e}")))?;
		Ok(Self { inner, url })
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Whether the connection is still open.
	pub fn is_connected(&self) -> bool {
		self.inner.is_connected()
	}

	/// Calls `method` with `params` (a JSON array).
	pub async fn request(&self, method: &str, params: Value) -> Result<Value, Error> {
		Ok(self.inner.request::<Value, _>(method, Params(params)).await?)
	}

	/// Subscribes with `method` and `params`; `unsubscribe` is the method that ends it;
	/// notifications are decoded with `decode`.
	pub async fn subscribe<T>(
		&self,
		method: &str,
		params: Value,
		unsubscribe: &str,
		decode: fn(Value) -> Result<T, Error>,
	) -> Result<Subscription<T>, Error> {
		let inner = self.inner.subscribe::<Value, _>(method, Params(params), unsubscribe).await?;
		Ok(Subscription { inner, decode })
	}

	/// Each new best block's header (`chain_subscribeNewHeads`).
	pub async fn subscribe_new_heads(&self) -> Result<Subscription<Header>, Error> {
		self.subscribe(
			"chain_subscribeNewHeads",
			json!([]),
			"chain_unsubscribeNewHeads",
			decode_header,
		)
		.await
	}

	/// Each newly finalized block's header (`chain_subscribeFinalizedHeads`).
	pub async fn subscribe_finalized_heads(&self) -> Result<Subscription<Header>, Error> {
		self.subscribe(
			"chain_subscribeFinalizedHeads",
			json!([]),
			"chain_unsubscribeFinalizedHeads",
			decode_header,
		)
		.await
	}

	/// Submits an encoded extrinsic and follows it (`author_submitAndWatchExtrinsic`). A
	/// transaction the pool refuses at once is an [`Error::Rpc`].
	pub async fn submit_and_watch(
		&self,
		extrinsic: &[u8],
	) -> Result<Subscription<TxStatus>, Error> {
		self.subscribe(
			"author_submitAndWatchExtrinsic",
			json!([to_hex(extrinsic)]),
			"author_unwatchExtrinsic",
			TxStatus::from_json,
		)
		.await
	}

	/// Submits an encoded extrinsic and follows it until it is in a block (or a finalized
	/// block), at most `timeout`; returns where it is and how it was dispatched (a failed
	/// dispatch is an `Included` with an `Err` result: see [`Included::dispatched`]).
	pub async fn submit_and_wait(
		&self,
		extrinsic: &[u8],
		until: Until,
		timeout: Duration,
	) -> Result<Included, Error> {
		let follow = async {
			let watch = self.submit_and_watch(extrinsic).await?;
			self.follow(extrinsic, watch, until).await
		};
		tokio::time::timeout(timeout, follow).await.map_err(|_| {
			Error::Timeout(format!("the transaction was not {until:?} within {timeout:?}"))
		})?
	}

	/// Follows a transaction submitted with [`WsClient::submit_and_watch`] until it is in a
	/// block (or a finalized block); unbounded: callers put a timeout around it.
	pub async fn follow(
		&self,
		extrinsic: &[u8],
		mut watch: Subscription<TxStatus>,
		until: Until,
	) -> Result<Included, Error> {
		while let Some(status) = watch.next().await {
			match status? {
				TxStatus::InBlock(hash) if until == Until::InBlock => {
					return self.included_in(extrinsic, &hash).await
				},
				TxStatus::Finalized(hash) => return self.included_in(extrinsic, &hash).await,
				TxStatus::FinalityTimeout(hash) => {
					return Err(Error::Timeout(format!(
						"the node stopped following the transaction in block {hash}"
					)))
				},
				TxStatus::Usurped(by) => {
					return Err(Error::Dropped(format!("replaced by transaction {by}")))
				},
				TxStatus::Dropped => return Err(Error::Dropped("dropped from the pool".into())),
				TxStatus::Invalid => return Err(Error::Dropped("no longer valid".into())),
				_ => {},
			}
		}
		Err(Error::Transport("the node closed the transaction's subscription".into()))
	}

	/// Where `extrinsic` is in block `hash`, with its events and dispatch outcome.
	pub async fn included_in(&self, extrinsic: &[u8], hash: &str) -> Result<Included, Error> {
		let block = self.request("chain_getBlock", json!([hash])).await?;
		let number = parse_number(&block["block"]["header"]["number"])?;
		let index = parse_extrinsics(&block)?
			.iter()
			.position(|x| x == extrinsic)
			.ok_or_else(|| Error::Decode(format!("the extrinsic is not in block {hash}")))?;
		let records = self.events(hash).await?;
		Ok(Included::from_events(records, number, hash.to_string(), index as u32))
	}

	/// The header of block `hash` (`None`: the best block).
	pub async fn header(&self, hash: Option<&str>) -> Result<Header, Error> {
		decode_header(self.request("chain_getHeader", json!([hash])).await?)
	}

	/// The hash of block `number` on the best chain.
	pub async fn block_hash(&self, number: u32) -> Result<Option<String>, Error> {
		let v = self.request("chain_getBlockHash", json!([number])).await?;
		Ok(v.as_str().map(str::to_string))
	}

	/// A storage value at a block (`None`: best), SCALE-decoded.
	pub async fn storage<T: Decode>(
		&self,
		key: &[u8],
		at: Option<&str>,
	) -> Result<Option<T>, Error> {
		decode_storage(&self.request("state_getStorage", json!([to_hex(key), at])).await?)
	}

	/// The events of a block.
	pub async fn events(&self, at: &str) -> Result<EventRecords, Error> {
		Ok(self.storage(&tx::events_key(), Some(at)).await?.unwrap_or_default())
	}

	/// What signatures commit to on this chain now (for [`tx::signed`]).
	pub async fn chain_context(&self) -> Result<ChainContext, Error> {
		let genesis =
			self.block_hash(0).await?.ok_or_else(|| Error::Decode("no genesis hash".into()))?;
		let version = self.request("state_getRuntimeVersion", json!([])).await?;
		ChainContext::from_rpc(&genesis, &version)
	}

	/// The next nonce of an account, counting transactions in the node's pool.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<Nonce, Error> {
		tx::parse_nonce(
			&self.request("system_accountNextIndex", json!([account.to_string()])).await?,
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn urls_are_websocket_urls() {
		assert_eq!(ws_url("127.0.0.1:9944"), "ws://127.0.0.1:9944");
		assert_eq!(ws_url("http://127.0.0.1:9944/"), "ws://127.0.0.1:9944");
		assert_eq!(ws_url("ws://node:9944"), "ws://node:9944");
	}

	#[test]
	fn transaction_statuses_parse() {
		let h = format!("0x{}", "ab".repeat(32));
		assert_eq!(TxStatus::from_json(json!("ready")).unwrap(), TxStatus::Ready);
		assert_eq!(TxStatus::from_json(json!("future")).unwrap(), TxStatus::Future);
		assert_eq!(
			TxStatus::from_json(json!({"broadcast": ["12D3KooWa"]})).unwrap(),
			TxStatus::Broadcast(vec!["12D3KooWa".into()])
		);
		assert_eq!(
			TxStatus::from_json(json!({"inBlock": h})).unwrap(),
			TxStatus::InBlock(h.clone())
		);
		assert_eq!(
			TxStatus::from_json(json!({"finalized": [h, 1]})).unwrap(),
			TxStatus::Finalized(h.clone())
		);
		assert!(TxStatus::from_json(json!({"finalized": h})).unwrap().is_final());
		assert!(!TxStatus::from_json(json!({"retracted": h})).unwrap().is_final());
		assert!(TxStatus::from_json(json!("invalid")).unwrap().is_final());
		assert!(TxStatus::from_json(json!("nonsense")).is_err());
		assert!(TxStatus::from_json(json!({"inBlock": 3})).is_err());
	}

	#[test]
	fn headers_decode_with_their_hash() {
		use sp_runtime::traits::Header as _;
		let header = Header::new(
			9,
			Default::default(),
			Default::default(),
			sp_core::H256::repeat_byte(1),
			Default::default(),
		);
		let json = serde_json::to_value(&header).unwrap();
		assert_eq!(json["number"], json!("0x9"));
		let decoded = decode_header(json).unwrap();
		assert_eq!(decoded.hash(), header.hash());
		assert_eq!(decoded.number, 9);
		assert!(decode_header(json!({"number": 1})).is_err());
	}
}
