//! The exchange worker: a pass every second over the chain's finalized state.
//!
//! Each pass:
//! 1. lists this custodian's requests waiting for delivery (`Pending`) and starts tracking the
//!    new ones;
//! 2. reconciles every exchange not final yet with the request as the chain holds it:
//!    - waiting for delivery and this gateway is the custodian → serve it (`custodian.rs`);
//!    - delivered and this gateway asked → receive it (`requester.rs`), or only confirm if the
//!      documents are stored already (a restart between the two);
//!    - delivered while the custodian's gateway did not record it (a restart) → recorded;
//!    - paid out or refunded → recorded, the outgoing package removed.
//!
//! A failure is recorded as the exchange's `problem` and retried on the next pass; nothing is
//! lost when the node, the relay or the gateway stops in between.

use super::{custodian, onchain, requester, Context, Progress, Role, Tracked};
use crate::Error;
use medchain_client::ws::WsClient;
use pallet_exchange::Status;
use std::{sync::Arc, time::Duration};

/// Time between passes.
pub const PASS_EVERY: Duration = Duration::from_secs(1);

/// Runs passes until `stop` turns true, (re)connecting to the node at `url`.
pub async fn run(ctx: Arc<Context>, url: String, mut stop: tokio::sync::watch::Receiver<bool>) {
	let mut ws: Option<WsClient> = None;
	loop {
		if *stop.borrow() {
			return;
		}
		if ws.as_ref().is_none_or(|w| !w.is_connected()) {
			ws = crate::chain::connect(&url).await.ok();
		}
		if let Some(client) = ws.as_ref() {
			if let Err(e) = pass(&ctx, client).await {
				tracing::warn!(error = %e, "exchange pass failed");
			}
		}
		tokio::select! {
			_ = tokio::time::sleep(PASS_EVERY) => {},
			_ = stop.changed() => {},
		}
	}
}

/// One pass (rules 1 and 2).
pub async fn pass(ctx: &Arc<Context>, ws: &WsClient) -> Result<(), String> {
	let at = onchain::finalized(ws).await.map_err(|e| e.to_string())?;
	let pending =
		onchain::pending(ws, ctx.institution, &at.hash).await.map_err(|e| e.to_string())?;
	for id in pending {
		if ctx
			.store()
			.map_err(|e| e.to_string())?
			.exchange(id)
			.map_err(|e| e.to_string())?
			.is_some()
		{
			continue;
		}
		let Some((request, _)) =
			onchain::request(ws, id, &at.hash).await.map_err(|e| e.to_string())?
		else {
			continue;
		};
		let tracked = Tracked {
			role: Role::Custodian,
			progress: Progress::Preparing,
			custodian: request.custodian,
			requester: request.requester,
			patient: request.patient.clone().into(),
			fee: request.fee,
			deadline: request.deadline,
			problem: None,
		};
		tracing::info!(request = id, requester = request.requester, "new request");
		ctx.store().and_then(|s| s.set_exchange(id, &tracked)).map_err(|e| e.to_string())?;
	}
	let open = ctx.store().and_then(|s| s.open_exchanges()).map_err(|e| e.to_string())?;
	for (id, tracked) in open {
		if let Err(problem) = reconcile(ctx, ws, id, &tracked, &at).await {
			tracing::warn!(request = id, %problem, "exchange step failed; retried");
			ctx.update(id, |t| t.problem = Some(problem)).map_err(|e| e.to_string())?;
		}
	}
	Ok(())
}

async fn reconcile(
	ctx: &Arc<Context>,
	ws: &WsClient,
	id: u64,
	tracked: &Tracked,
	at: &onchain::At,
) -> Result<(), String> {
	let Some((request, delivery)) =
		onchain::request(ws, id, &at.hash).await.map_err(|e| e.to_string())?
	else {
		return Ok(());
	};
	let record = |progress: Progress| -> Result<(), String> {
		ctx.update(id, |t| {
			t.progress = progress;
			t.problem = None;
		})
		.map_err(|e: Error| e.to_string())
	};
	match (tracked.role, &request.status) {
		(_, Status::Completed { .. }) => {
			custodian::remove_package(&ctx.work, id);
			record(Progress::Completed)
		},
		(_, Status::Refunded { cause, .. }) => {
			custodian::remove_package(&ctx.work, id);
			record(Progress::Refunded { cause: format!("{cause:?}") })
		},
		(Role::Custodian, Status::Requested) => {
			if matches!(tracked.progress, Progress::Delivered { .. }) {
				return Ok(()); // the receipt is in a block not final yet
			}
			custodian::serve(ctx, ws, id, &at.hash).await.map_err(|e| e.to_string())
		},
		(Role::Custodian, Status::Delivered { .. } | Status::Disputed { .. }) => {
			if let (Progress::Preparing, Some(d)) = (&tracked.progress, &delivery) {
				custodian::remove_package(&ctx.work, id);
				return record(Progress::Delivered {
					block: d.delivered_at,
					package: medchain_client::to_hex(&d.package_hash.0),
					size: d.package_size,
				});
			}
			Ok(())
		},
		(Role::Requester, Status::Delivered { .. }) => {
			let Some(delivery) = delivery else { return Ok(()) };
			match tracked.progress {
				Progress::Requested { .. } => {
					requester::receive(ctx, ws, id, &request, &delivery, at)
						.await
						.map_err(|e| e.to_string())
				},
				Progress::Received { .. } => {
					let call = pallet_exchange::Call::confirm { request: id };
					let included = onchain::call(ws, &ctx.signer, call, "confirm")
						.await
						.map_err(|e| e.to_string())?;
					record(Progress::Confirmed { block: included.block_number })
				},
				_ => Ok(()),
			}
		},
		(Role::Requester, Status::Disputed { reason, .. }) => {
			if !matches!(tracked.progress, Progress::Disputed { .. }) {
				return record(Progress::Disputed {
					reason: format!("{reason:?}"),
					detail: "disputed on chain".into(),
				});
			}
			Ok(())
		},
		(Role::Requester, Status::Requested) => Ok(()),
	}
}
