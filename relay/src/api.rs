//! The relay's HTTP API (docs/relay.md §3): packages (`transfer.rs`), an upload's status,
//! `/health` and `/metrics`.

use crate::{
	auth,
	chain::ChainView,
	state::{Relay, Side},
	transfer, Error,
};
use axum::{
	body::Body,
	extract::{Path, State},
	http::{HeaderMap, StatusCode, Uri},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use serde_json::json;
use std::{sync::Arc, time::Duration};
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

/// The router, with `timeout` for answering (a download's body streams on after it).
pub fn router<C: ChainView>(relay: Arc<Relay<C>>, timeout: Duration) -> Router {
	Router::new()
		.route(
			"/packages/{request}",
			get(transfer::download::<C>).head(status::<C>).put(transfer::upload::<C>),
		)
		.route("/health", get(health::<C>))
		.route("/metrics", get(metrics::<C>))
		.layer(TimeoutLayer::new(timeout))
		.layer(TraceLayer::new_for_http())
		.with_state(relay)
}

/// `HEAD /packages/{request}`: how much of the package the relay holds (`Upload-Offset`,
/// `Upload-Length`, and `X-Package-SHA256` once complete), for either party.
async fn status<C: ChainView>(
	State(relay): State<Arc<Relay<C>>>,
	Path(id): Path<u64>,
	uri: Uri,
	headers: HeaderMap,
) -> Result<Response, Error> {
	let answer = async {
		let (_, member, at) = relay.authenticate("HEAD", uri.path(), id, &headers).await?;
		relay.exchange_for(id, &member, Side::Either, &at).await?;
		let entry = relay.mailbox.entry(id)?.ok_or(Error::NotFound(id))?;
		let mut response = Response::builder()
			.status(StatusCode::OK)
			.header(auth::UPLOAD_OFFSET, entry.offset.to_string())
			.header(auth::UPLOAD_LENGTH, entry.total.to_string());
		if let Some(sha256) = entry.sha256 {
			response = response.header(auth::PACKAGE_SHA256, auth::hex(&sha256));
		}
		response.body(Body::empty()).map_err(|e| Error::Store(e.to_string()))
	}
	.await;
	if answer.is_err() {
		relay.metrics.refusals.inc();
	}
	answer
}

/// `GET /health` (always 200 while the relay runs): `ok` or `degraded` (the chain did not answer the last sweep, or the last
/// anchor failed), the finalized block, what the mailbox holds and the audit log's state. No
/// request ids.
async fn health<C: ChainView>(State(relay): State<Arc<Relay<C>>>) -> Response {
	let census = relay.mailbox.census();
	let audit = relay.mailbox.audit();
	let (head, anchored) = (audit.head(), audit.anchored());
	match (census, head, anchored) {
		(Ok(census), Ok(head), Ok(anchored)) => {
			let healthy = relay.is_healthy();
			let problem = relay.anchor_problem.lock().ok().and_then(|p| p.clone());
			let body = json!({
				"status": if healthy { "ok" } else { "degraded" },
				"institution": relay.institution,
				"finalized": relay.metrics.finalized.get(),
				"chainReachable": relay.chain_ok.load(std::sync::atomic::Ordering::Relaxed),
				"packages": census.packages,
				"uploading": census.uploading,
				"bytes": census.bytes,
				"auditEntries": head.entries,
				"auditAnchored": anchored.head.entries,
				"auditAnchoredBlock": anchored.block,
				"problem": problem,
			});
			Json(body).into_response()
		},
		(Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => e.into_response(),
	}
}

/// `GET /metrics`.
async fn metrics<C: ChainView>(State(relay): State<Arc<Relay<C>>>) -> Response {
	if let Ok(census) = relay.mailbox.census() {
		relay.metrics.set_census(&census);
	}
	if let Ok(head) = relay.mailbox.audit().head() {
		relay.metrics.audit_entries.set(head.entries as i64);
	}
	([("content-type", "text/plain; version=0.0.4")], relay.metrics.render()).into_response()
}
