//! The smart-hospital services over the API (docs/gateway.md, "Claims, prescriptions,
//! certificates"), behind the same bearer token as the rest:
//!
//! | route | what |
//! |---|---|
//! | `POST /claims` | store a FHIR `Claim`, submit `Claims::submit` signed by the device → 201 `{hash, salt, block}` |
//! | `GET /claims/{hash}` | the chain's `claims_get` and whether this gateway holds the document |
//! | `POST /claims/{hash}/cancel`, `/appeal` | `Claims::cancel`, `Claims::appeal`, signed by the device |
//! | `POST /prescriptions` | store a FHIR `MedicationRequest` → 201 `{hash, salt, call}`: `Prescriptions::issue` for the physician to sign |
//! | `POST /certificates` | store a certificate's document → 201 `{hash, salt, call}`: `Certificates::issue` for the practitioner to sign |
//! | `POST /prescriptions/verify`, `/certificates/verify` | a document and its salt → the chain's answer in words |
//! | `GET /{claims,prescriptions,certificates}/{hash}/document` | the stored document, its salt in `X-Medchain-Salt` |
//!
//! **The gateway never signs for a person.** A claim is the institution's act, so the device
//! signs it; a prescription or a certificate names the practitioner who made it, so only the
//! practitioner's own key signs it (the web app, a wallet): the gateway prepares the call.

pub mod calls;
pub mod certificates;
pub mod claims;
pub mod documents;
pub(crate) mod input;
pub mod prescriptions;

use crate::api::{with_store, ApiError, ApiState};
use axum::{
	extract::{Path, State},
	http::{HeaderMap, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use documents::Service;
use medchain_client::{to_hex, ws::WsClient};
use serde_json::{json, Value};
use std::sync::Arc;

/// The services' routes (the caller puts them behind the token).
pub fn routes() -> Router<ApiState> {
	Router::new()
		.route("/claims", post(claims::submit))
		.route("/claims/{hash}", get(claims::status))
		.route("/claims/{hash}/cancel", post(claims::cancel))
		.route("/claims/{hash}/appeal", post(claims::appeal))
		.route("/claims/{hash}/document", get(claim_document))
		.route("/prescriptions", post(prescriptions::prepare))
		.route("/prescriptions/verify", post(prescriptions::verify))
		.route("/prescriptions/{hash}/document", get(prescription_document))
		.route("/certificates", post(certificates::prepare))
		.route("/certificates/verify", post(certificates::verify))
		.route("/certificates/{hash}/document", get(certificate_document))
}

/// The node is needed and cannot be asked: 503.
pub(crate) fn unavailable(what: impl std::fmt::Display) -> ApiError {
	ApiError(StatusCode::SERVICE_UNAVAILABLE, format!("node unreachable: {what}"), None)
}

/// A connection to the node, or 503.
pub(crate) async fn node(state: &ApiState) -> Result<Arc<WsClient>, ApiError> {
	let link = state.chain.as_ref().ok_or_else(|| unavailable("no node configured"))?;
	link.client().await.map_err(unavailable)
}

/// Asks the node `method` about `hash` (at the best block).
pub(crate) async fn ask(
	state: &ApiState,
	method: &str,
	hash: &[u8; 32],
) -> Result<Value, ApiError> {
	let ws = node(state).await?;
	ws.request(method, json!([to_hex(hash)]))
		.await
		.map_err(|e| ApiError(StatusCode::BAD_GATEWAY, format!("{method} failed: {e}"), None))
}

/// Refuses, before anything is stored, a pseudonym the chain does not know as this hospital's
/// patient (404, as `POST /records`); with the node away the chain decides later.
pub(crate) async fn ensure_our_patient(
	state: &ApiState,
	field: &str,
	patient: &[u8; 32],
) -> Result<(), ApiError> {
	if let Some(link) = &state.chain {
		if link.is_our_patient(patient).await == Some(false) {
			return Err(ApiError(
				StatusCode::NOT_FOUND,
				"unknown patient pseudonym: not registered at this institution on chain".into(),
				Some(field.into()),
			));
		}
	}
	Ok(())
}

/// Stores `document` of `service` for `patient` (a fresh salt); returns hash and salt.
pub(crate) async fn store(
	state: &ApiState,
	service: Service,
	patient: [u8; 32],
	document: Vec<u8>,
) -> Result<([u8; 32], [u8; 32]), ApiError> {
	with_store(state, move |s| Ok(s.put_document(service, patient, &document)?)).await
}

/// A path's content hash (`0x` + 64 hex), or 422.
pub(crate) fn path_hash(text: &str) -> Result<[u8; 32], ApiError> {
	crate::chain::bytes32(text)
		.ok_or_else(|| input::invalid("hash", "a content hash is 0x and 64 hex digits"))
}

/// 201 with `body`.
pub(crate) fn created(body: Value) -> Response {
	(StatusCode::CREATED, Json(body)).into_response()
}

async fn document_of(
	state: ApiState,
	service: Service,
	hash: String,
) -> Result<Response, ApiError> {
	let hash = path_hash(&hash)?;
	let found = with_store(&state, move |s| Ok(s.open_document(&hash)?)).await?;
	let Some((entry, bytes, salt)) = found.filter(|(e, _, _)| e.service == service) else {
		return Err(ApiError(
			StatusCode::NOT_FOUND,
			format!("this gateway holds no {} document with this hash", service.name()),
			None,
		));
	};
	let mut headers = HeaderMap::new();
	for (name, value) in
		[("x-medchain-salt", to_hex(&salt)), ("x-medchain-patient", to_hex(&entry.patient))]
	{
		if let Ok(value) = HeaderValue::from_str(&value) {
			headers.insert(name, value);
		}
	}
	headers.insert("content-type", HeaderValue::from_static("application/fhir+json"));
	Ok((headers, bytes).into_response())
}

async fn claim_document(
	State(s): State<ApiState>,
	Path(h): Path<String>,
) -> Result<Response, ApiError> {
	document_of(s, Service::Claim, h).await
}

async fn prescription_document(
	State(s): State<ApiState>,
	Path(h): Path<String>,
) -> Result<Response, ApiError> {
	document_of(s, Service::Prescription, h).await
}

async fn certificate_document(
	State(s): State<ApiState>,
	Path(h): Path<String>,
) -> Result<Response, ApiError> {
	document_of(s, Service::Certificate, h).await
}

/// A verification's body: the document (base64 or JSON) and its salt → its content hash.
pub(crate) fn verified_hash(fields: &input::Fields) -> Result<[u8; 32], ApiError> {
	let salt = fields.bytes32("salt", "the document's salt: 0x and 64 hex digits")?;
	let document = fields.document_bytes("document")?;
	Ok(crate::hashing::content_hash(&salt, &document))
}

/// A FHIR check's refusal of the document in body field `key`: 422 naming the element
/// (`Claim.status`), or `key.resourceType` / `key` for the wrong resource or no JSON object.
pub(crate) fn fhir_refusal(key: &str, e: crate::fhir::FhirError) -> ApiError {
	let field = match e.field.as_str() {
		"(document)" => key.to_string(),
		"resourceType" => format!("{key}.resourceType"),
		element => element.to_string(),
	};
	input::invalid(&field, format!("{field}: {}", e.problem))
}
