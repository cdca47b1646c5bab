//! The EHR-facing REST API (axum 0.8), over the store. Every route but `/health`,
//! `/openapi.json`, `/metrics` and the web app's static files under `/app` ([`crate::webapp`])
//! needs `Authorization: Bearer <token>` with one of the configured tokens
//! (compared in constant time). Errors are JSON `{"error": "...", "field": "..."}` with the
//! status the issue names: 401 token, 404 unknown record, 409 wrong version, 410 erased,
//! 413 body too large, 422 malformed FHIR or parameter, 507 disk full.
//!
//! | route | what |
//! |---|---|
//! | `POST /records?patient=&category=&format=[&recordId=]` | store version 1 (body: the document) → 202 `pending` |
//! | `PUT /records/{id}?expectedVersion=` | store the next version → 202 |
//! | `GET /records/{id}` | the record, its versions and their anchoring |
//! | `GET /records/{id}/versions/{v}` | the document (body) with its salt (`X-Medchain-Salt`) |
//! | `DELETE /records/{id}[?erase=true]` | retract; with `erase`, crypto-shred and say what remains |
//! | `GET /patients/{pseudonym}/records` | a patient's record ids |
//! | `GET /fhir/DocumentReference?patient=` | FHIR Bundle of DocumentReferences |
//! | `/claims`, `/prescriptions`, `/certificates` | the smart-hospital services ([`crate::services`]) |
//!
//! Anchoring on chain (status `pending` → `inBlock` → `finalized`) is the pipeline's work
//! (docs/gateway.md).

use crate::{
	anchoring::Health,
	fhir,
	link::ChainLink,
	metrics::Metrics,
	store::{AnchorState, RecordMeta, RecordStatus, Store},
	Error,
};
use axum::{
	body::Bytes,
	extract::{DefaultBodyLimit, Path, Query, Request, State},
	http::{header, HeaderMap, HeaderValue, StatusCode},
	middleware::{self, Next},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use pallet_records::{Category, FormatCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::{
	sync::{Arc, RwLock},
	time::{Duration, Instant},
};
use subtle::ConstantTimeEq;

/// The API's configuration and store.
#[derive(Clone)]
pub struct ApiState {
	pub(crate) store: Arc<RwLock<Store>>,
	tokens: Arc<Vec<String>>,
	health: Arc<Health>,
	pub(crate) chain: Option<Arc<ChainLink>>,
	metrics: Option<Arc<Metrics>>,
	pub(crate) exchange: Option<Arc<crate::exchange::Context>>,
	/// The device key and its signing lock (shared with the pipeline), for the calls the
	/// gateway signs itself (claims).
	pub(crate) signer: Option<crate::chain::Signer>,
	/// The built web app served at `/app/`, if configured.
	app: Option<Arc<crate::webapp::WebApp>>,
}

impl ApiState {
	/// The API over `store`, accepting `tokens`, without a chain (tests of the store's API).
	pub fn new(store: Store, tokens: Vec<String>) -> Self {
		ApiState {
			store: Arc::new(RwLock::new(store)),
			tokens: Arc::new(tokens),
			health: Arc::new(Health::default()),
			chain: None,
			metrics: Metrics::new().ok().map(Arc::new),
			exchange: None,
			signer: None,
			app: None,
		}
	}

	/// The API of a running gateway: the store shared with the anchoring pipeline, whose
	/// `health` it reports, and the link it asks the chain through.
	pub fn serving(
		store: Arc<RwLock<Store>>,
		tokens: Vec<String>,
		health: Arc<Health>,
		chain: Arc<ChainLink>,
	) -> Self {
		ApiState {
			store,
			tokens: Arc::new(tokens),
			health,
			chain: Some(chain),
			metrics: Metrics::new().ok().map(Arc::new),
			exchange: None,
			signer: None,
			app: None,
		}
	}

	/// The API signing the gateway's own calls (claims) with the device's `signer`.
	pub fn with_signer(mut self, signer: crate::chain::Signer) -> Self {
		self.signer = Some(signer);
		self
	}

	/// The API with the built web app at `/app/` (no token: [`crate::webapp`] rule 2).
	pub fn with_app(mut self, app: crate::webapp::WebApp) -> Self {
		self.app = Some(Arc::new(app));
		self
	}

	/// The API with the exchange between gateways (`/exchanges`).
	pub fn with_exchange(mut self, context: Arc<crate::exchange::Context>) -> Self {
		self.exchange = Some(context);
		self
	}
}

/// The router, refusing bodies larger than `max_body` bytes with 413 and requests that take
/// longer than `timeout` with 408.
pub fn router(state: ApiState, max_body: usize, timeout: Duration) -> Router {
	let protected = Router::new()
		.route("/records", axum::routing::post(create))
		.route("/records/{id}", get(read).put(update).delete(remove))
		.route("/records/{id}/versions/{version}", get(document))
		.route("/patients/{pseudonym}/records", get(patient_records))
		.route("/fhir/DocumentReference", get(document_references))
		.route("/verify", axum::routing::post(verify))
		.route("/exchanges", axum::routing::post(crate::exchange::api::ask))
		.route("/exchanges/{id}", get(crate::exchange::api::status))
		.route("/exchanges/{id}/documents/{index}", get(crate::exchange::api::document))
		.route("/session", get(session))
		.merge(crate::services::routes())
		.layer(middleware::from_fn_with_state(state.clone(), authorize));
	let mut open = Router::new()
		.route("/health", get(health))
		.route("/openapi.json", get(openapi))
		.route("/metrics", get(metrics));
	if let Some(app) = state.app.clone() {
		open = open.merge(crate::webapp::routes(app));
	}
	open.merge(protected)
		.layer(DefaultBodyLimit::max(max_body))
		.layer(tower_http::timeout::TimeoutLayer::new(timeout))
		.layer(tower_http::trace::TraceLayer::new_for_http())
		.with_state(state)
}

/// An error answer: status, message, and the field at fault.
#[derive(Debug)]
pub(crate) struct ApiError(pub StatusCode, pub String, pub Option<String>);

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let mut body = json!({"error": self.1});
		if let Some(field) = self.2 {
			body["field"] = json!(field);
		}
		(self.0, Json(body)).into_response()
	}
}

impl From<Error> for ApiError {
	fn from(e: Error) -> Self {
		let status = match &e {
			Error::UnknownRecord(_) => StatusCode::NOT_FOUND,
			Error::WrongVersion { .. } | Error::Archived(_) => StatusCode::CONFLICT,
			Error::Erased(_) => StatusCode::GONE,
			Error::BadRecordId(_) | Error::EmptyDocument => StatusCode::UNPROCESSABLE_ENTITY,
			Error::DiskFull { .. } => StatusCode::INSUFFICIENT_STORAGE,
			Error::Io { source, .. } if source.raw_os_error() == Some(28) => {
				StatusCode::INSUFFICIENT_STORAGE
			},
			_ => StatusCode::INTERNAL_SERVER_ERROR,
		};
		ApiError(status, e.to_string(), None)
	}
}

fn unprocessable(field: &str, what: impl Into<String>) -> ApiError {
	ApiError(StatusCode::UNPROCESSABLE_ENTITY, what.into(), Some(field.into()))
}

async fn authorize(State(state): State<ApiState>, request: Request, next: Next) -> Response {
	let presented = request
		.headers()
		.get(header::AUTHORIZATION)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.strip_prefix("Bearer "));
	let known = presented.is_some_and(|token| {
		// Every configured token is compared, each in constant time.
		state
			.tokens
			.iter()
			.fold(false, |found, t| found | bool::from(t.as_bytes().ct_eq(token.as_bytes())))
	});
	if !known {
		return ApiError(StatusCode::UNAUTHORIZED, "missing or unknown API token".into(), None)
			.into_response();
	}
	next.run(request).await
}

/// `GET /session`: whom the token's holder is talking to — the institution this gateway serves
/// (null without a chain), its device account (SS58, generic prefix) and whether a relay is
/// configured for exchanges. Behind the token, so a client (the web app's hospital portal)
/// checks a token with it; nothing in it is secret.
async fn session(State(state): State<ApiState>) -> Response {
	use sp_core::{crypto::Ss58Codec, Pair};
	let custodian = state.chain.as_ref().map(|link| link.custodian());
	let device = state.signer.as_ref().map(|signer| signer.device.public().to_ss58check());
	let relay = state.exchange.as_ref().is_some_and(|context| context.relay.is_some());
	Json(json!({"custodian": custodian, "device": device, "relay": relay})).into_response()
}

async fn openapi() -> Response {
	(
		[(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
		include_str!("../openapi.json"),
	)
		.into_response()
}

use medchain_client::to_hex as hex;

fn parse_pseudonym(text: &str) -> Result<[u8; 32], ApiError> {
	crate::chain::bytes32(text)
		.ok_or_else(|| unprocessable("patient", "a pseudonym is 32 bytes in hex"))
}

fn code<T: serde::de::DeserializeOwned + codec::Encode>(
	field: &str,
	name: &str,
) -> Result<(T, u8), ApiError> {
	crate::chain::chain_code(name)
		.ok_or_else(|| unprocessable(field, format!("unknown {field} {name}")))
}

fn name_of<T: serde::de::DeserializeOwned + serde::Serialize + codec::Decode>(index: u8) -> String {
	T::decode(&mut &[index][..])
		.ok()
		.and_then(|v| serde_json::to_value(v).ok())
		.and_then(|v| v.as_str().map(str::to_string))
		.unwrap_or_else(|| format!("code {index}"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateQuery {
	patient: String,
	category: String,
	format: String,
	record_id: Option<String>,
}

/// Checks a FHIR document when the format says it is FHIR JSON.
fn check_document(format: FormatCode, body: &[u8]) -> Result<(), ApiError> {
	if format == FormatCode::FhirJson {
		fhir::check(body).map_err(|e| unprocessable(&e.field, e.problem))?;
	}
	Ok(())
}

async fn create(
	State(state): State<ApiState>,
	Query(q): Query<CreateQuery>,
	body: Bytes,
) -> Result<Response, ApiError> {
	let patient = parse_pseudonym(&q.patient)?;
	let (_, category) = code::<Category>("category", &q.category)?;
	let (format, format_code) = code::<FormatCode>("format", &q.format)?;
	check_document(format, &body)?;
	if let Some(chain) = &state.chain {
		// Unknown to the chain as this hospital's patient: refused now rather than by the
		// chain later. With the node away the record is accepted and queued (the chain then
		// decides, and a refusal shows in the version's anchoring).
		if chain.is_our_patient(&patient).await == Some(false) {
			return Err(ApiError(
				StatusCode::NOT_FOUND,
				"unknown patient pseudonym: not registered at this institution on chain".into(),
				Some("patient".into()),
			));
		}
	}
	let record_id =
		q.record_id.unwrap_or_else(|| hex(&crate::vault::random_bytes::<16>())[2..].to_string());
	let started = Instant::now();
	let id = record_id.clone();
	let (hash, _) =
		with_store(&state, move |s| Ok(s.put(&id, patient, category, format_code, &body)?)).await?;
	count_write(&state, started);
	Ok(accepted(&record_id, 1, &hash))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateQuery {
	expected_version: u32,
}

async fn update(
	State(state): State<ApiState>,
	Path(id): Path<String>,
	Query(q): Query<UpdateQuery>,
	body: Bytes,
) -> Result<Response, ApiError> {
	let started = Instant::now();
	let record_id = id.clone();
	let (hash, _) = with_store(&state, move |s| {
		let meta = s.record(&record_id)?.ok_or(Error::UnknownRecord(record_id.clone()))?;
		check_document(FormatCode::decode_or_other(meta.format), &body)?;
		Ok(s.supersede(&record_id, q.expected_version, &body)?)
	})
	.await?;
	count_write(&state, started);
	Ok(accepted(&id, q.expected_version + 1, &hash))
}

trait DecodeOrOther {
	fn decode_or_other(index: u8) -> Self;
}

impl DecodeOrOther for FormatCode {
	fn decode_or_other(index: u8) -> Self {
		<FormatCode as codec::Decode>::decode(&mut &[index][..]).unwrap_or(FormatCode::Other)
	}
}

fn accepted(record_id: &str, version: u32, hash: &[u8; 32]) -> Response {
	let body = json!({"recordId": record_id, "version": version, "status": "pending",
		"contentHash": hex(hash)});
	(StatusCode::ACCEPTED, Json(body)).into_response()
}

fn poisoned() -> ApiError {
	ApiError(StatusCode::INTERNAL_SERVER_ERROR, "the store is unavailable".into(), None)
}

/// Runs `work` on the store on a blocking thread (its writes wait for the disk), so that the
/// API's async threads keep serving. Writers share the store (redb orders their commits, and
/// their sealed files are written and synced in parallel); only erasure takes it alone.
pub(crate) async fn with_store<T: Send + 'static>(
	state: &ApiState,
	work: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
	let store = state.store.clone();
	tokio::task::spawn_blocking(move || {
		let store = store.read().map_err(|_| poisoned())?;
		work(&store)
	})
	.await
	.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("store task: {e}"), None))?
}

/// As [`with_store`], with the store to itself (erasure compacts it).
async fn with_store_alone<T: Send + 'static>(
	state: &ApiState,
	work: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
	let store = state.store.clone();
	tokio::task::spawn_blocking(move || {
		let mut store = store.write().map_err(|_| poisoned())?;
		work(&mut store)
	})
	.await
	.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("store task: {e}"), None))?
}

/// Counts a stored version and the time its write took.
fn count_write(state: &ApiState, started: Instant) {
	if let Some(m) = &state.metrics {
		m.accepted.inc();
		m.store_write.observe(started.elapsed().as_secs_f64());
	}
}

fn anchor_json(anchor: &AnchorState) -> Value {
	match anchor {
		AnchorState::Pending => json!({"status": "pending"}),
		AnchorState::InBlock { number, hash } => {
			json!({"status": "inBlock", "block": number, "blockHash": hex(hash)})
		},
		AnchorState::Refused { error } => json!({"status": "refused", "error": error}),
		AnchorState::Finalized { number, hash } => {
			json!({"status": "finalized", "block": number, "blockHash": hex(hash)})
		},
	}
}

fn status_name(status: RecordStatus) -> &'static str {
	match status {
		RecordStatus::Active => "active",
		RecordStatus::Retracted => "retracted",
		RecordStatus::Erased => "erased",
	}
}

fn record_json(store: &Store, id: &str, meta: &RecordMeta) -> Result<Value, ApiError> {
	let versions: Vec<Value> = store
		.versions(id)?
		.iter()
		.map(|(v, m)| {
			json!({"version": v, "contentHash": hex(&m.content_hash), "size": m.size,
				"anchor": anchor_json(&m.anchor)})
		})
		.collect();
	let inclusion = match meta.archived {
		true => store.inclusion(id)?.map(|i| {
			json!({"root": hex(&i.root), "leafIndex": i.leaf_index, "leafCount": i.leaf_count,
				"siblings": i.siblings.iter().map(|s| hex(s)).collect::<Vec<_>>()})
		}),
		false => None,
	};
	Ok(json!({
		"recordId": id,
		"archived": meta.archived,
		"inclusion": inclusion,
		"patient": hex(&meta.patient),
		"category": name_of::<Category>(meta.category),
		"format": name_of::<FormatCode>(meta.format),
		"currentVersion": meta.current_version,
		"status": status_name(meta.status),
		"versions": versions,
	}))
}

async fn read(State(state): State<ApiState>, Path(id): Path<String>) -> Result<Response, ApiError> {
	let body = with_store(&state, move |s| {
		let meta = s.record(&id)?.ok_or(Error::UnknownRecord(id.clone()))?;
		record_json(s, &id, &meta)
	})
	.await?;
	Ok(Json(body).into_response())
}

async fn document(
	State(state): State<ApiState>,
	Path((id, version)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
	let (bytes, salt) = with_store(&state, move |s| Ok(s.document(&id, version)?)).await?;
	let mut headers = HeaderMap::new();
	if let Ok(value) = HeaderValue::from_str(&hex(&salt)) {
		headers.insert("x-medchain-salt", value);
	}
	Ok((headers, bytes).into_response())
}

#[derive(Deserialize)]
struct DeleteQuery {
	erase: Option<bool>,
}

async fn remove(
	State(state): State<ApiState>,
	Path(id): Path<String>,
	Query(q): Query<DeleteQuery>,
) -> Result<Response, ApiError> {
	let record_id = id.clone();
	let erase = q.erase.unwrap_or(false);
	let erased = match erase {
		true => Some(with_store_alone(&state, move |s| Ok(s.erase(&record_id)?)).await?),
		false => with_store(&state, move |s| Ok(s.retract(&record_id)?)).await.map(|()| None)?,
	};
	if let Some(erased) = erased {
		let hashes: Vec<String> = erased.iter().map(|h| hex(h)).collect();
		let body = json!({"recordId": id, "status": "erased",
			"remains": {"contentHashes": hashes,
				"note": "salted hashes whose salts and documents were destroyed: they verify nothing and identify no one"}});
		return Ok(Json(body).into_response());
	}
	Ok(Json(json!({"recordId": id, "status": "retracted"})).into_response())
}

async fn patient_records(
	State(state): State<ApiState>,
	Path(pseudonym): Path<String>,
) -> Result<Response, ApiError> {
	let patient = parse_pseudonym(&pseudonym)?;
	let ids = with_store(&state, move |s| Ok(s.records_of(&patient)?)).await?;
	if ids.is_empty() {
		return Err(ApiError(StatusCode::NOT_FOUND, "no records of this patient".into(), None));
	}
	Ok(Json(json!({"patient": hex(&patient), "records": ids})).into_response())
}

#[derive(Deserialize)]
struct PatientQuery {
	patient: String,
}

async fn document_references(
	State(state): State<ApiState>,
	Query(q): Query<PatientQuery>,
) -> Result<Response, ApiError> {
	let patient = parse_pseudonym(&q.patient)?;
	let entries = with_store(&state, move |s| references(s, &patient)).await?;
	let bundle = json!({"resourceType": "Bundle", "type": "searchset",
		"total": entries.len(), "entry": entries});
	Ok(([(header::CONTENT_TYPE, "application/fhir+json")], Json(bundle)).into_response())
}

fn references(store: &Store, patient: &[u8; 32]) -> Result<Vec<Value>, ApiError> {
	let mut entries = Vec::new();
	for id in store.records_of(patient)? {
		let Some(meta) = store.record(&id)? else { continue };
		for (version, v) in store.versions(&id)? {
			let status = match (meta.status, version == meta.current_version) {
				(RecordStatus::Active, true) => "current",
				(RecordStatus::Active, false) => "superseded",
				_ => "entered-in-error",
			};
			let category = name_of::<Category>(meta.category);
			let view = fhir::DocumentView {
				record_id: &id,
				version,
				patient: hex(patient),
				category: &category,
				content_type: content_type(FormatCode::decode_or_other(meta.format)),
				size: v.size,
				content_hash: hex(&v.content_hash),
				status,
			};
			entries.push(json!({"resource": fhir::document_reference(&view)}));
		}
	}
	Ok(entries)
}

fn content_type(format: FormatCode) -> &'static str {
	match format {
		FormatCode::FhirJson => "application/fhir+json",
		FormatCode::FhirXml => "application/fhir+xml",
		FormatCode::Pdf => "application/pdf",
		FormatCode::Dicom => "application/dicom",
		FormatCode::CdaR2 => "application/hl7-cda+xml",
		FormatCode::Hl7v2 => "x-application/hl7-v2+er7",
		FormatCode::Text => "text/plain",
		_ => "application/octet-stream",
	}
}

async fn health(State(state): State<ApiState>) -> Response {
	use std::sync::atomic::Ordering::Relaxed;
	let (queued, unsettled) = match state.store.read() {
		Ok(store) => (store.outbox_len().ok(), store.attempts().ok().map(|a| a.len())),
		Err(_) => (None, None),
	};
	let h = &state.health;
	let problem = h.problem();
	let connected = h.connected.load(Relaxed);
	let ok = state.chain.is_none() || (connected && problem.is_none());
	Json(json!({
		"status": if ok { "ok" } else { "degraded" },
		"node": {"connected": connected, "best": h.best.load(Relaxed),
			"finalized": h.finalized.load(Relaxed)},
		"queued": queued,
		"unsettled": unsettled,
		"problem": problem,
	}))
	.into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifyQuery {
	custodian: u32,
	record_id: String,
	salt: String,
}

/// `POST /verify`: a document that arrived by other means (body), with its salt, custodian and
/// record id → the chain's answer (`records_verify`) and the content hash it was asked about.
async fn verify(
	State(state): State<ApiState>,
	Query(q): Query<VerifyQuery>,
	body: Bytes,
) -> Result<Response, ApiError> {
	let salt = crate::chain::bytes32(&q.salt)
		.ok_or_else(|| unprocessable("salt", "the salt must be 32 bytes in hex"))?;
	if q.record_id.is_empty() || q.record_id.len() > crate::store::MAX_RECORD_ID_LEN {
		return Err(unprocessable("recordId", "a record id is 1 to 64 bytes"));
	}
	let unavailable = |e: String| {
		ApiError(StatusCode::SERVICE_UNAVAILABLE, format!("node unreachable: {e}"), None)
	};
	let chain = state.chain.as_ref().ok_or_else(|| unavailable("no node configured".into()))?;
	let hash = crate::hashing::content_hash(&salt, &body);
	let client = chain.client().await.map_err(|e| unavailable(e.to_string()))?;
	let answer = crate::chain::verify(&client, q.custodian, &q.record_id, &hash, None)
		.await
		.map_err(|e| ApiError(StatusCode::BAD_GATEWAY, format!("the node failed: {e}"), None))?;
	Ok(Json(json!({"contentHash": hex(&hash), "chain": answer})).into_response())
}

async fn metrics(State(state): State<ApiState>) -> Response {
	let Some(metrics) = state.metrics.clone() else {
		return StatusCode::NOT_FOUND.into_response();
	};
	let store = state.store.clone();
	let health = state.health.clone();
	let text = tokio::task::spawn_blocking(move || {
		let (queued, unsettled) = match store.read() {
			Ok(s) => (s.outbox_len().ok(), s.attempts().ok().map(|a| a.len())),
			Err(_) => (None, None),
		};
		metrics.render(&health, queued, unsettled)
	})
	.await
	.unwrap_or_default();
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
