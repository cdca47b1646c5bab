//! The sweeper: keeps the mailbox in step with the chain's finalized state and anchors the
//! audit head (docs/relay.md §1, §5).
//!
//! Rules (what becomes of a package, [`fate`]):
//! 1. The exchange was paid out or refunded → deleted (`Closed`).
//! 2. Still waiting for delivery at its deadline → deleted (`DeadlinePassed`): the chain
//!    refunds it then.
//! 3. Delivered with a receipt that names another package (hash, size) or another relay, or
//!    delivered while this relay holds no complete package → deleted (`NotTheReceipt`).
//! 4. The chain knows no such request → deleted (`UnknownRequest`).
//! 5. Disputed → kept as evidence until governance settles (then rule 1).
//!
//! Anchoring: every `anchor_every_secs`, if the audit head moved since it was last anchored,
//! the relay's device sends `System::remark_with_event(head hash)` and records the block.

use crate::{
	audit::{Action, Anchored, DeleteCause, Event},
	auth::now_ms,
	chain::{ChainView, Exchange, Stage},
	mailbox::Entry,
	state::Relay,
	Error,
};
use medchain_client::ws::{Until, WsClient};
use medchain_runtime::RuntimeCall;
use sp_core::{sr25519, Pair};
use std::{
	sync::{atomic::Ordering::Relaxed, Arc},
	time::{Duration, Instant},
};

/// What becomes of the package of `entry` given the exchange at a finalized block `finalized`
/// (`None`: it stays).
pub fn fate(
	entry: &Entry,
	exchange: Option<&Exchange>,
	finalized: u32,
	relay: u32,
) -> Option<DeleteCause> {
	let Some(exchange) = exchange else { return Some(DeleteCause::UnknownRequest) };
	match exchange.stage {
		Stage::Closed => Some(DeleteCause::Closed),
		Stage::Requested if finalized >= exchange.deadline => Some(DeleteCause::DeadlinePassed),
		Stage::Requested | Stage::Disputed => None,
		Stage::Delivered => {
			let ours = entry.sha256.is_some_and(|hash| {
				exchange.receipt == Some((hash, entry.total)) && exchange.relay == Some(relay)
			});
			(!ours).then_some(DeleteCause::NotTheReceipt)
		},
	}
}

/// One pass over the mailbox: deletes what the chain says is done; returns how many.
pub async fn sweep<C: ChainView>(relay: &Relay<C>) -> Result<usize, Error> {
	let at = relay.chain.finalized().await?;
	relay.metrics.finalized.set(i64::from(at.number));
	let mut deleted = 0;
	for (id, entry) in relay.mailbox.list()? {
		let exchange = relay.chain.exchange(id, &at).await?;
		if let Some(cause) = fate(&entry, exchange.as_ref(), at.number, relay.institution) {
			relay.mailbox.delete(
				id,
				Event {
					at_ms: now_ms(),
					action: Action::Delete(cause),
					request: id,
					device: None,
					institution: None,
					bytes: entry.offset,
				},
			)?;
			if let Ok(mut hashers) = relay.hashers.lock() {
				hashers.remove(&id);
			}
			relay.metrics.deleted.inc();
			tracing::info!(request = id, ?cause, "package deleted");
			deleted += 1;
		}
	}
	if let Ok(census) = relay.mailbox.census() {
		relay.metrics.set_census(&census);
	}
	Ok(deleted)
}

/// The relay's device and node connection for anchoring.
pub struct Anchorer {
	/// The node.
	pub client: Arc<WsClient>,
	/// The relay's device.
	pub device: sr25519::Pair,
}

impl Anchorer {
	/// Anchors the audit head if it moved since the last anchor; returns the new anchor.
	pub async fn anchor<C>(&self, relay: &Relay<C>) -> Result<Option<Anchored>, Error> {
		let audit = relay.mailbox.audit();
		let head = audit.head()?;
		if head.entries == 0 || head == audit.anchored()?.head {
			return Ok(None);
		}
		let device = medchain_runtime::AccountId::from(self.device.public());
		let call = RuntimeCall::System(frame_system::Call::remark_with_event {
			remark: head.hash.to_vec(),
		});
		let nonce = self.client.next_nonce(&device).await?;
		let ctx = self.client.chain_context().await?;
		let extrinsic =
			codec::Encode::encode(&medchain_client::tx::signed(call, &self.device, nonce, ctx));
		let included = self
			.client
			.submit_and_wait(&extrinsic, Until::InBlock, Duration::from_secs(60))
			.await?
			.dispatched("remark_with_event")?;
		let anchored = Anchored { head, block: included.block_number };
		audit.set_anchored(anchored)?;
		relay.metrics.audit_anchored.set(head.entries as i64);
		tracing::info!(entries = head.entries, block = anchored.block, "audit head anchored");
		Ok(Some(anchored))
	}
}

/// Sweeps every `sweep_secs` and anchors every `anchor_every_secs` until `stop` turns true.
pub async fn run<C: ChainView>(
	relay: Arc<Relay<C>>,
	anchorer: Option<Anchorer>,
	mut stop: tokio::sync::watch::Receiver<bool>,
) {
	let every = Duration::from_secs(relay.config.sweep_secs);
	let anchor_every = Duration::from_secs(relay.config.anchor_every_secs);
	let mut last_anchor = Instant::now();
	loop {
		match sweep(&relay).await {
			Ok(_) => relay.chain_ok.store(true, Relaxed),
			Err(e) => {
				relay.chain_ok.store(false, Relaxed);
				tracing::warn!(error = %e, "sweep failed");
			},
		}
		if let Some(anchorer) = &anchorer {
			if last_anchor.elapsed() >= anchor_every {
				last_anchor = Instant::now();
				let outcome = anchorer.anchor(&relay).await;
				if let Err(e) = &outcome {
					tracing::warn!(error = %e, "anchoring the audit head failed");
				}
				if let Ok(mut problem) = relay.anchor_problem.lock() {
					*problem = outcome.err().map(|e| format!("anchoring the audit head: {e}"));
				}
			}
		}
		tokio::select! {
			_ = tokio::time::sleep(every) => {},
			_ = stop.changed() => {},
		}
		if *stop.borrow() {
			return;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn entry(sha256: Option<[u8; 32]>) -> Entry {
		Entry {
			custodian: 1,
			requester: 2,
			total: 100,
			offset: 100,
			sha256,
			deadline: 50,
			created_ms: 0,
		}
	}

	fn exchange(stage: Stage, receipt: Option<([u8; 32], u64)>, relay: Option<u32>) -> Exchange {
		Exchange { requester: 2, custodian: 1, stage, deadline: 50, receipt, relay }
	}

	#[test]
	fn packages_live_exactly_as_long_as_the_chain_needs_them() {
		let done = entry(Some([7; 32]));
		let receipt = Some(([7; 32], 100));
		// Rule 2: the deadline is a finalized block, not the relay's clock.
		assert_eq!(fate(&done, Some(&exchange(Stage::Requested, None, None)), 49, 9), None);
		assert_eq!(
			fate(&done, Some(&exchange(Stage::Requested, None, None)), 50, 9),
			Some(DeleteCause::DeadlinePassed)
		);
		assert_eq!(fate(&done, Some(&exchange(Stage::Delivered, receipt, Some(9))), 60, 9), None);
		// Rule 3.
		for (receipt, relay) in
			[(Some(([8; 32], 100)), Some(9)), (Some(([7; 32], 99)), Some(9)), (receipt, Some(3))]
		{
			assert_eq!(
				fate(&done, Some(&exchange(Stage::Delivered, receipt, relay)), 60, 9),
				Some(DeleteCause::NotTheReceipt)
			);
		}
		assert_eq!(
			fate(&entry(None), Some(&exchange(Stage::Delivered, receipt, Some(9))), 60, 9),
			Some(DeleteCause::NotTheReceipt)
		);
		// Rules 1, 4, 5.
		assert_eq!(fate(&done, Some(&exchange(Stage::Disputed, receipt, Some(9))), 99, 9), None);
		assert_eq!(
			fate(&done, Some(&exchange(Stage::Closed, receipt, Some(9))), 60, 9),
			Some(DeleteCause::Closed)
		);
		assert_eq!(fate(&done, None, 60, 9), Some(DeleteCause::UnknownRequest));
	}
}
