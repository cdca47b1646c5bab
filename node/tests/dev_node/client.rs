//! The client library's WebSocket path on the running dev node (`medchain-client` through the
//! harness's re-exports): finalized and new heads by subscription, a transfer followed with
//! `author_submitAndWatchExtrinsic` to its block and to finality, the chain queries and signed
//! steps over the same connection, and the typed errors of a refused transaction and a refused
//! dispatch.

use codec::Encode;
use medchain_harness::{
	tx,
	ws::{TxStatus, Until},
	Chain, Error, Node,
};
use medchain_runtime::{currency::MED, AccountId, RuntimeCall};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

pub fn check_websocket_client(node: &Node) {
	let ws = node.ws(Duration::from_secs(20)).expect("a WebSocket connection to the node");
	// The chain queries over the WebSocket connection agree with HTTP.
	let best = ws.best_number().expect("best over ws");
	assert!(best >= node.finalized_number().unwrap());
	assert_eq!(ws.block_hash(1).unwrap(), node.block_hash(1).unwrap());
	let mut finalized = ws.subscribe_finalized_heads().expect("chain_subscribeFinalizedHeads");
	let mut heads = ws.subscribe_new_heads().expect("chain_subscribeNewHeads");

	// A transfer followed to its block and to finality.
	let alice = Sr25519Keyring::Alice.pair();
	let alice_id: AccountId = alice.public().into();
	let recipient: AccountId = sr25519::Pair::generate().0.public().into();
	let ctx = tx::ChainContext::of(&ws).expect("chain context over ws");
	let nonce = tx::next_nonce(&ws, &alice_id).expect("nonce over ws");
	let xt = tx::signed(tx::transfer(&recipient, 5 * MED), &alice, nonce, ctx).encode();
	let mut watch = ws.submit_and_watch(&xt).expect("author_submitAndWatchExtrinsic");
	let mut statuses = Vec::new();
	loop {
		let status = watch.next(WAIT).expect("a status in time").expect("watched to the end");
		let last = status.is_final();
		statuses.push(status);
		if last {
			break;
		}
	}
	let in_block = statuses.iter().find_map(|s| match s {
		TxStatus::InBlock(hash) => Some(hash.clone()),
		_ => None,
	});
	let Some(TxStatus::Finalized(final_hash)) = statuses.last().cloned() else {
		panic!("the transfer is finalized: {statuses:?}")
	};
	assert_eq!(in_block.as_ref(), Some(&final_hash), "one block on a lone dev node: {statuses:?}");
	let included = ws.as_async();
	let included = ws.block_on(included.included_in(&xt, &final_hash)).expect("its block");
	assert_eq!(included.result, Ok(()), "{included:?}");
	assert_eq!(tx::free_balance(&ws, &recipient, Some(&final_hash)).unwrap(), 5 * MED);
	let found = node.find_finalized_extrinsic(&xt, best).unwrap();
	assert_eq!(found.map(|(n, _)| n), Some(included.block_number), "the same block over HTTP");

	// The finalized-heads subscription saw that block, in order, hashes matching the chain.
	let mut last = 0;
	loop {
		let head = finalized.next(WAIT).expect("a finalized head in time").expect("open");
		assert!(head.number > last, "finalized heads come in order");
		last = head.number;
		assert_eq!(node.block_hash(head.number).unwrap(), Some(format!("{:?}", head.hash())));
		if head.number >= included.block_number {
			break;
		}
	}
	let head = heads.next(WAIT).expect("a new head in time").expect("open");
	assert!(head.number >= best, "new heads from the subscription's start: #{}", head.number);
	drop(heads);

	// The same step through submit_and_wait, and a signed step through the generic functions.
	let nonce = tx::next_nonce(&ws, &alice_id).unwrap();
	let second = tx::signed(tx::transfer(&recipient, MED), &alice, nonce, ctx).encode();
	let in_block = ws.submit_and_wait(&second, Until::InBlock, WAIT).expect("in a block");
	assert_eq!(in_block.result, Ok(()));
	let block = ws.block_extrinsics(&in_block.block_hash).unwrap();
	assert_eq!(block[in_block.index as usize], second);

	// Typed errors: the pool refuses a replay of the finalized transfer (stale nonce); the
	// chain refuses a call by a non-admin.
	let replay = ws.submit_and_watch(&xt).err().expect("a replay is refused");
	assert!(matches!(replay, Error::Rpc { code: 1010, .. }), "{replay}");
	let refused = tx::execute(
		&ws,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device {
			device: AccountId::from(H256::repeat_byte(0xd1).0),
		}),
		&alice,
	)
	.expect_err("Alice administers no institution");
	assert!(
		matches!(&refused, Error::ChainRefused { pallet: Some(p), block: Some(_), .. } if p == "Institutions"),
		"{refused}"
	);
	eprintln!(
		"websocket client: transfer finalized in #{} ({} statuses), refusals typed: {replay}; {refused}",
		included.block_number,
		statuses.len()
	);
}
