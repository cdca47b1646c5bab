//! A blocking facade over the WebSocket client, for tools and tests: it owns a small tokio
//! runtime (one worker thread, which keeps reading the connection between calls so that
//! subscriptions do not fall behind) and implements [`Chain`], so every step function of this
//! crate works over it.

use crate::{
	tx::Included,
	ws::{self, TxStatus, Until},
	Chain, Error, Header,
};
use serde_json::Value;
use std::{future::Future, sync::Arc, time::Duration};
use tokio::runtime::Runtime;

/// A blocking connection to a node over WebSocket.
pub struct WsClient {
	// Dropped before the runtime it runs on.
	inner: ws::WsClient,
	timeout: Duration,
	runtime: Arc<Runtime>,
}

impl WsClient {
	/// Connects to the node at `address` (`host:port` or a `ws://` URL); every call waits at
	/// most `timeout`.
	pub fn connect(address: &str, timeout: Duration) -> Result<Self, Error> {
		let runtime = tokio::runtime::Builder::new_multi_thread()
			.worker_threads(1)
			.thread_name("medchain-client")
			.enable_all()
			.build()
			.map_err(|e| Error::Transport(format!("cannot start the client's runtime: {e}")))?;
		let inner = runtime.block_on(ws::WsClient::connect(address, timeout))?;
		Ok(Self { inner, timeout, runtime: Arc::new(runtime) })
	}

	/// The async client underneath, for calls this facade does not wrap (run them with
	/// [`WsClient::block_on`]).
	pub fn as_async(&self) -> &ws::WsClient {
		&self.inner
	}

	/// Runs a future of the async client to completion on this client's runtime.
	pub fn block_on<F: Future>(&self, future: F) -> F::Output {
		self.runtime.block_on(future)
	}

	/// Each new best block's header.
	pub fn subscribe_new_heads(&self) -> Result<Subscription<Header>, Error> {
		let inner = self.block_on(self.inner.subscribe_new_heads())?;
		Ok(Subscription { inner, runtime: self.runtime.clone() })
	}

	/// Each newly finalized block's header.
	pub fn subscribe_finalized_heads(&self) -> Result<Subscription<Header>, Error> {
		let inner = self.block_on(self.inner.subscribe_finalized_heads())?;
		Ok(Subscription { inner, runtime: self.runtime.clone() })
	}

	/// Submits an encoded extrinsic and follows it (`author_submitAndWatchExtrinsic`).
	pub fn submit_and_watch(&self, extrinsic: &[u8]) -> Result<Subscription<TxStatus>, Error> {
		let inner = self.block_on(self.inner.submit_and_watch(extrinsic))?;
		Ok(Subscription { inner, runtime: self.runtime.clone() })
	}

	/// Submits an encoded extrinsic and follows it until it is in a block (or a finalized
	/// block), at most `timeout`; returns where it is and how it was dispatched.
	pub fn submit_and_wait(
		&self,
		extrinsic: &[u8],
		until: Until,
		timeout: Duration,
	) -> Result<Included, Error> {
		self.block_on(self.inner.submit_and_wait(extrinsic, until, timeout))
	}
}

impl Chain for WsClient {
	type Error = Error;

	fn rpc(&self, method: &str, params: Value) -> Result<Value, Error> {
		let call = self.inner.request(method, params);
		self.block_on(async {
			// The connection's own request timeout applies too; this bounds the wait for a slot.
			tokio::time::timeout(self.timeout + Duration::from_secs(1), call).await.map_err(
				|_| {
					Error::Timeout(format!(
						"the node did not answer {method} within {:?}",
						self.timeout
					))
				},
			)?
		})
	}
}

/// A subscription read by blocking calls.
pub struct Subscription<T> {
	// Dropped (unsubscribing) before the runtime it runs on.
	inner: ws::Subscription<T>,
	runtime: Arc<Runtime>,
}

impl<T> Subscription<T> {
	/// The next notification, waiting at most `timeout` ([`Error::Timeout`] after that);
	/// `Ok(None)` once the subscription is closed.
	pub fn next(&mut self, timeout: Duration) -> Result<Option<T>, Error> {
		let next = self.inner.next();
		match self.runtime.block_on(async { tokio::time::timeout(timeout, next).await }) {
			Err(_) => Err(Error::Timeout(format!("no notification within {timeout:?}"))),
			Ok(None) => Ok(None),
			Ok(Some(item)) => item.map(Some),
		}
	}

	/// Unsubscribes and waits until the node confirmed it.
	pub fn unsubscribe(self) -> Result<(), Error> {
		self.runtime.block_on(self.inner.unsubscribe())
	}
}
