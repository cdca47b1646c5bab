//! The WebSocket client (async and blocking) and the HTTP client against a mock node: a
//! jsonrpsee server, as the node uses, answering the calls and subscriptions the client makes
//! (header, block, storage, runtime version, nonce; finalized and new heads; a watched
//! extrinsic that reaches a finalized block, one that is dropped, one the pool refuses). The
//! same paths against the real node are checked in node/tests/dev_node/client.rs.

use codec::Encode;
use jsonrpsee::{
	core::SubscriptionResult,
	server::{Server, ServerHandle},
	types::ErrorObjectOwned,
	RpcModule, SubscriptionMessage,
};
use medchain_client::{
	blocking,
	tx::{self, ChainContext},
	ws::{self, TxStatus, Until},
	Chain, Error, Header, HttpClient,
};
use medchain_runtime::RuntimeEvent;
use serde_json::{json, Value};
use sp_core::H256;
use sp_runtime::traits::Header as _;
use std::{net::SocketAddr, time::Duration};

/// The extrinsic the mock includes at index 1 of block #7, the one it drops, the one it
/// refuses.
const INCLUDED: &str = "0xdead";
const DROPPED: &str = "0x0dd0";
const REFUSED: &str = "0xbad0";
const TIMEOUT: Duration = Duration::from_secs(10);

fn header(number: u32) -> Header {
	Header::new(
		number,
		Default::default(),
		Default::default(),
		H256::repeat_byte(number as u8),
		Default::default(),
	)
}

fn block_hash(number: u32) -> String {
	format!("{:?}", header(number).hash())
}

fn send(value: Value) -> SubscriptionMessage {
	SubscriptionMessage::from_json(&value).expect("JSON serializes")
}

fn module() -> RpcModule<()> {
	let mut m = RpcModule::new(());
	let reg = "mock methods register once";
	m.register_method("chain_getHeader", |_, _, _| serde_json::to_value(header(7)).expect("json"))
		.expect(reg);
	m.register_method("chain_getBlockHash", |params, _, _| {
		let number: u32 = params.one().unwrap_or(7);
		block_hash(number)
	})
	.expect(reg);
	m.register_method("chain_getFinalizedHead", |_, _, _| block_hash(7)).expect(reg);
	m.register_method("chain_getBlock", |_, _, _| {
		json!({"block": {"header": header(7), "extrinsics": ["0x00", INCLUDED]}, "justifications": null})
	})
	.expect(reg);
	m.register_method("state_getStorage", |params, _, _| {
		let (key, _at): (String, Option<String>) = params.parse().expect("key and block");
		if key != medchain_client::to_hex(&tx::events_key()) {
			return Value::Null;
		}
		let success = RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess {
			dispatch_info: Default::default(),
		});
		let records = vec![frame_system::EventRecord {
			phase: frame_system::Phase::ApplyExtrinsic(1),
			event: success,
			topics: Vec::<H256>::new(),
		}];
		json!(medchain_client::to_hex(&records.encode()))
	})
	.expect(reg);
	m.register_method(
		"state_getRuntimeVersion",
		|_, _, _| json!({"specName": "medchain", "specVersion": 100, "transactionVersion": 1}),
	)
	.expect(reg);
	m.register_method("system_accountNextIndex", |_, _, _| 3).expect(reg);
	m.register_subscription(
		"chain_subscribeFinalizedHeads",
		"chain_finalizedHead",
		"chain_unsubscribeFinalizedHeads",
		|_, pending, _, _| async move {
			let sink = pending.accept().await?;
			for n in 1..=3 {
				sink.send(send(serde_json::to_value(header(n))?)).await?;
			}
			// Open, silent: the client's wait for a fourth times out.
			sink.closed().await;
			SubscriptionResult::Ok(())
		},
	)
	.expect(reg);
	m.register_subscription(
		"chain_subscribeNewHeads",
		"chain_newHead",
		"chain_unsubscribeNewHeads",
		|_, pending, _, _| async move {
			let sink = pending.accept().await?;
			sink.send(send(serde_json::to_value(header(8))?)).await?;
			SubscriptionResult::Ok(())
		},
	)
	.expect(reg);
	m.register_subscription(
		"author_submitAndWatchExtrinsic",
		"author_extrinsicUpdate",
		"author_unwatchExtrinsic",
		|params, pending, _, _| async move {
			let xt: String = params.one()?;
			if xt == REFUSED {
				let invalid = ErrorObjectOwned::owned(
					1010,
					"Invalid Transaction",
					Some("Transaction is outdated"),
				);
				pending.reject(invalid).await;
				return Ok(());
			}
			let sink = pending.accept().await?;
			sink.send(send(json!("ready"))).await?;
			if xt == DROPPED {
				sink.send(send(json!("dropped"))).await?;
				return Ok(());
			}
			sink.send(send(json!({"inBlock": block_hash(7)}))).await?;
			sink.send(send(json!({"finalized": block_hash(7)}))).await?;
			SubscriptionResult::Ok(())
		},
	)
	.expect(reg);
	m
}

/// Starts the mock node on `runtime`; returns its address and handle (stops when dropped).
fn start_mock(runtime: &tokio::runtime::Runtime) -> (SocketAddr, ServerHandle) {
	runtime.block_on(async {
		let server = Server::builder().build("127.0.0.1:0").await.expect("the mock binds");
		let addr = server.local_addr().expect("a local address");
		(addr, server.start(module()))
	})
}

fn bytes(hex: &str) -> Vec<u8> {
	medchain_client::from_hex(hex).expect("valid hex")
}

#[test]
fn the_async_client_calls_subscribes_and_follows_transactions() {
	let runtime = tokio::runtime::Runtime::new().expect("a runtime");
	let (addr, _server) = start_mock(&runtime);
	runtime.block_on(async {
		let client = ws::WsClient::connect(&addr.to_string(), TIMEOUT).await.expect("connects");
		assert!(client.is_connected());
		assert_eq!(client.url(), format!("ws://{addr}"));

		// Calls, and an RPC error as a typed error.
		assert_eq!(client.header(None).await.unwrap().number, 7);
		let ctx = client.chain_context().await.unwrap();
		assert_eq!((ctx.spec_version, ctx.transaction_version), (100, 1));
		assert_eq!(format!("{:?}", ctx.genesis), block_hash(0));
		assert_eq!(client.next_nonce(&[1u8; 32].into()).await.unwrap(), 3);
		let err = client.request("no_such_method", json!([])).await.expect_err("unknown");
		assert!(matches!(err, Error::Rpc { code: -32601, .. }), "{err}");

		// Finalized heads, in order, decoded with their hashes.
		let mut heads = client.subscribe_finalized_heads().await.expect("subscribes");
		for n in 1..=3 {
			let head = heads.next().await.expect("a notification").expect("a header");
			assert_eq!(head.number, n);
			assert_eq!(format!("{:?}", head.hash()), block_hash(n));
		}
		heads.unsubscribe().await.expect("unsubscribes");
		let mut new = client.subscribe_new_heads().await.expect("subscribes");
		assert_eq!(new.next().await.expect("one").expect("a header").number, 8);

		// A watched transaction: ready, in block, finalized; then the same through
		// submit_and_wait, with its block, index and dispatch outcome.
		let mut watch = client.submit_and_watch(&bytes(INCLUDED)).await.expect("accepted");
		let mut statuses = Vec::new();
		while let Some(status) = watch.next().await {
			let status = status.expect("a status");
			let last = status.is_final();
			statuses.push(status);
			if last {
				break;
			}
		}
		assert_eq!(
			statuses,
			vec![
				TxStatus::Ready,
				TxStatus::InBlock(block_hash(7)),
				TxStatus::Finalized(block_hash(7))
			]
		);
		for until in [Until::InBlock, Until::Finalized] {
			let included = client.submit_and_wait(&bytes(INCLUDED), until, TIMEOUT).await.unwrap();
			assert_eq!((included.block_number, included.index), (7, 1));
			assert_eq!(included.block_hash, block_hash(7));
			assert_eq!(included.result, Ok(()));
		}
		let dropped = client.submit_and_wait(&bytes(DROPPED), Until::InBlock, TIMEOUT).await;
		assert!(matches!(dropped, Err(Error::Dropped(_))), "{dropped:?}");
		let refused = client.submit_and_watch(&bytes(REFUSED)).await.err().expect("refused");
		assert!(matches!(refused, Error::Rpc { code: 1010, .. }), "{refused}");
		assert!(refused.to_string().contains("outdated"), "{refused}");
	});
}

#[test]
fn the_blocking_client_is_a_chain_with_subscriptions() {
	let server_runtime = tokio::runtime::Runtime::new().expect("a runtime");
	let (addr, _server) = start_mock(&server_runtime);
	let client = blocking::WsClient::connect(&format!("ws://{addr}"), TIMEOUT).expect("connects");

	// The chain queries every step function uses.
	assert_eq!(client.best_number().unwrap(), 7);
	assert_eq!(client.finalized_number().unwrap(), 7);
	assert_eq!(client.block_hash(0).unwrap(), Some(block_hash(0)));
	assert_eq!(client.block_extrinsics(&block_hash(7)).unwrap(), vec![vec![0], bytes(INCLUDED)]);
	let ctx = ChainContext::of(&client).unwrap();
	assert_eq!(ctx.spec_version, 100);
	assert_eq!(tx::free_balance(&client, &[2u8; 32].into(), None).unwrap(), 0);
	assert_eq!(tx::events(&client, &block_hash(7)).unwrap().len(), 1);
	let err = client.rpc("no_such_method", json!([])).expect_err("unknown method");
	assert_eq!(err.kind(), "rpc");

	// Subscriptions: three heads, then silence until the timeout.
	let mut heads = client.subscribe_finalized_heads().expect("subscribes");
	for n in 1..=3 {
		assert_eq!(heads.next(TIMEOUT).expect("in time").expect("open").number, n);
	}
	let silent = heads.next(Duration::from_millis(300));
	assert!(matches!(silent, Err(Error::Timeout(_))), "{silent:?}");
	drop(heads);

	// A transaction followed to finality, and one dropped.
	let included = client.submit_and_wait(&bytes(INCLUDED), Until::Finalized, TIMEOUT).unwrap();
	assert_eq!((included.block_number, included.index, included.result), (7, 1, Ok(())));
	let mut watch = client.submit_and_watch(&bytes(DROPPED)).expect("accepted");
	assert_eq!(watch.next(TIMEOUT).unwrap(), Some(TxStatus::Ready));
	assert_eq!(watch.next(TIMEOUT).unwrap(), Some(TxStatus::Dropped));

	// The same node over HTTP (one port serves both).
	let http = HttpClient::new(addr).with_timeout(TIMEOUT);
	assert_eq!(http.best_number().unwrap(), 7);
	assert_eq!(ChainContext::of(&http).unwrap(), ctx);
}

#[test]
fn an_unreachable_node_is_a_transport_error() {
	let addr = std::net::TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.expect("a free port");
	let err = blocking::WsClient::connect(&addr.to_string(), Duration::from_secs(2))
		.err()
		.expect("nobody listens");
	assert_eq!(err.kind(), "transport", "{err}");
}
