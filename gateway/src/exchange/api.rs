//! The EHR's side of the exchange (`/exchanges`, bearer token as the rest of the API):
//!
//! | route | what |
//! |---|---|
//! | `POST /exchanges` | ask a custodian for a patient's records: `{custodian, patient, records?, categories?, purpose, maxFee}` → 201 `{request, block, fee, deadline}`; 422 with the chain's reason (`Consent::NoConsent`, `Exchange::FeeAboveMaximum`…) |
//! | `GET /exchanges/{id}` | where an exchange stands as this gateway sees it, and the documents received with their provenance |
//! | `GET /exchanges/{id}/documents/{index}` | a received document, with its record id, version, custodian and salt in headers |

use super::{requester, Progress, Role};
use crate::api::{with_store, ApiError, ApiState};
use axum::{
	extract::{Path, State},
	http::StatusCode,
	response::{IntoResponse, Response},
	Json,
};
use serde_json::{json, Value};

fn unavailable(what: &str) -> ApiError {
	ApiError(StatusCode::SERVICE_UNAVAILABLE, what.into(), None)
}

/// `POST /exchanges`.
pub(crate) async fn ask(
	State(state): State<ApiState>,
	body: axum::body::Bytes,
) -> Result<Response, ApiError> {
	let ask: requester::Ask = serde_json::from_slice(&body)
		.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("body: {e}"), None))?;
	let context =
		state.exchange.clone().ok_or_else(|| unavailable("the exchange is not running"))?;
	// A delivery could never be fetched: refuse before any fee is held.
	if context.relay.is_none() {
		return Err(unavailable("no relay configured (relay in gateway.toml, or --relay)"));
	}
	let link = state.chain.clone().ok_or_else(|| unavailable("no chain"))?;
	let ws = link.client().await.map_err(|e| unavailable(&format!("node unreachable: {e}")))?;
	match requester::ask(&context, &ws, ask).await {
		Ok(asked) => Ok((StatusCode::CREATED, Json(asked)).into_response()),
		Err(requester::AskError::Invalid(what)) => {
			Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, what, None))
		},
		Err(e @ requester::AskError::Refused(_)) => {
			Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.to_string(), None))
		},
		Err(e @ requester::AskError::Chain(_)) => Err(unavailable(&e.to_string())),
		Err(requester::AskError::Store(e)) => Err(e.into()),
	}
}

/// `GET /exchanges/{id}`.
pub(crate) async fn status(
	State(state): State<ApiState>,
	Path(id): Path<u64>,
) -> Result<Json<Value>, ApiError> {
	with_store(&state, move |store| {
		let tracked = store.exchange(id)?.ok_or_else(|| {
			ApiError(
				StatusCode::NOT_FOUND,
				format!("this gateway takes no part in exchange {id}"),
				None,
			)
		})?;
		let received: Vec<Value> = store
			.received(id)?
			.into_iter()
			.enumerate()
			.map(|(index, r)| {
				json!({
					"index": index,
					"recordId": r.record_id,
					"version": r.version,
					"custodian": r.custodian,
					"category": r.category,
					"format": r.format,
					"size": r.size,
					"contentHash": medchain_client::to_hex(&r.content_hash),
					"verifiedAt": r.verified_at,
				})
			})
			.collect();
		let mut progress = serde_json::to_value(&tracked.progress).unwrap_or(Value::Null);
		if let (Some(object), Progress::Received { .. }) =
			(progress.as_object_mut(), &tracked.progress)
		{
			object.insert("note".into(), json!("confirm follows"));
		}
		Ok(Json(json!({
			"request": id,
			"role": tracked.role,
			"progress": progress,
			"custodian": tracked.custodian,
			"requester": tracked.requester,
			"patient": medchain_client::to_hex(&tracked.patient),
			"fee": tracked.fee.to_string(),
			"deadline": tracked.deadline,
			"problem": tracked.problem,
			"received": if tracked.role == Role::Requester { json!(received) } else { Value::Null },
		})))
	})
	.await
}

/// `GET /exchanges/{id}/documents/{index}`.
pub(crate) async fn document(
	State(state): State<ApiState>,
	Path((id, index)): Path<(u64, u32)>,
) -> Result<Response, ApiError> {
	with_store(&state, move |store| {
		let (entry, document, salt) = store.received_document(id, index)?;
		Ok((
			[
				("content-type", "application/octet-stream".to_string()),
				("x-record-id", entry.record_id),
				("x-record-version", entry.version.to_string()),
				("x-custodian", entry.custodian.to_string()),
				("x-salt", medchain_client::to_hex(&salt)),
			],
			document,
		)
			.into_response())
	})
	.await
}
