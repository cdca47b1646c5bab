//! The REST API over a real store in a temporary directory, request by request (tower's
//! `oneshot`), for every answer the issue names: 202, 200, 401, 404, 409, 410, 413, 422.

use axum::{
	body::Body,
	http::{Request, StatusCode},
	Router,
};
use http_body_util::BodyExt;
use medchain_gateway::{api, store::Store};
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "test-token-123";
const PATIENT: &str = "0x0101010101010101010101010101010101010101010101010101010101010101";
const OBS: &str = r#"{"resourceType":"Observation","status":"final","code":{"text":"K"},"valueQuantity":{"value":4.1}}"#;

fn app(dir: &std::path::Path) -> Router {
	let store = Store::open(dir).unwrap();
	api::router(
		api::ApiState::new(store, vec!["other".into(), TOKEN.into()]),
		4_096,
		std::time::Duration::from_secs(30),
	)
}

async fn call(
	app: &Router,
	method: &str,
	uri: &str,
	body: &str,
	token: Option<&str>,
) -> (StatusCode, Vec<u8>, Option<String>) {
	let mut request = Request::builder().method(method).uri(uri);
	if let Some(token) = token {
		request = request.header("authorization", format!("Bearer {token}"));
	}
	let response =
		app.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
	let status = response.status();
	let salt = response.headers().get("x-medchain-salt").map(|v| v.to_str().unwrap().to_string());
	let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
	(status, bytes, salt)
}

async fn json(app: &Router, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
	let (status, bytes, _) = call(app, method, uri, body, Some(TOKEN)).await;
	(status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post_uri(extra: &str) -> String {
	format!("/records?patient={PATIENT}&category=Laboratory&format=FhirJson{extra}")
}

#[tokio::test]
async fn records_are_stored_versioned_read_and_listed() {
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	let (status, body) = json(&app, "POST", &post_uri("&recordId=lab-1"), OBS).await;
	assert_eq!(status, StatusCode::ACCEPTED, "{body}");
	assert_eq!(
		(body["recordId"].as_str(), body["status"].as_str()),
		(Some("lab-1"), Some("pending"))
	);
	// A second version with the expected version; the wrong one is a conflict.
	let (status, body) = json(&app, "PUT", "/records/lab-1?expectedVersion=1", OBS).await;
	assert_eq!((status, body["version"].as_u64()), (StatusCode::ACCEPTED, Some(2)));
	let (status, body) = json(&app, "PUT", "/records/lab-1?expectedVersion=1", OBS).await;
	assert_eq!(status, StatusCode::CONFLICT, "{body}");
	// Read back: metadata, then the document with its salt, which hashes to what is anchored.
	let (status, record) = json(&app, "GET", "/records/lab-1", "").await;
	assert_eq!(status, StatusCode::OK);
	assert_eq!(record["category"], "Laboratory");
	assert_eq!(record["format"], "FhirJson");
	assert_eq!(record["versions"][1]["anchor"]["status"], "pending");
	let (status, document, salt) =
		call(&app, "GET", "/records/lab-1/versions/2", "", Some(TOKEN)).await;
	assert_eq!((status, document.as_slice()), (StatusCode::OK, OBS.as_bytes()));
	let salt = salt.expect("the salt header");
	let salt: Vec<u8> =
		(0..32).map(|i| u8::from_str_radix(&salt[2 + 2 * i..4 + 2 * i], 16).unwrap()).collect();
	let hash = medchain_gateway::hashing::content_hash(&salt.try_into().unwrap(), OBS.as_bytes());
	let expected: String = hash.iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(record["versions"][1]["contentHash"], format!("0x{expected}"));
	// The patient's records and the FHIR view.
	let (status, list) = json(&app, "GET", &format!("/patients/{PATIENT}/records"), "").await;
	assert_eq!((status, list["records"][0].as_str()), (StatusCode::OK, Some("lab-1")));
	let (status, bundle) =
		json(&app, "GET", &format!("/fhir/DocumentReference?patient={PATIENT}"), "").await;
	assert_eq!((status, bundle["total"].as_u64()), (StatusCode::OK, Some(2)));
	assert_eq!(bundle["entry"][1]["resource"]["status"], "current");
	assert_eq!(bundle["entry"][0]["resource"]["status"], "superseded");
	// Who the token's holder talks to (behind the token; no chain, no device, no relay here).
	let (status, session) = json(&app, "GET", "/session", "").await;
	assert_eq!(status, StatusCode::OK);
	assert_eq!(session, serde_json::json!({"custodian": null, "device": null, "relay": false}));
	let (status, _, _) = call(&app, "GET", "/session", "", Some("wrong")).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	// Public routes.
	let (status, _, _) = call(&app, "GET", "/health", "", None).await;
	assert_eq!(status, StatusCode::OK);
	let (status, spec, _) = call(&app, "GET", "/openapi.json", "", None).await;
	let spec: Value = serde_json::from_slice(&spec).unwrap();
	assert_eq!((status, spec["openapi"].as_str()), (StatusCode::OK, Some("3.0.3")));
	for path in [
		"/claims",
		"/claims/{hash}",
		"/claims/{hash}/cancel",
		"/claims/{hash}/appeal",
		"/claims/{hash}/document",
		"/prescriptions",
		"/prescriptions/verify",
		"/prescriptions/{hash}/document",
		"/certificates",
		"/certificates/verify",
		"/certificates/{hash}/document",
		"/session",
	] {
		assert!(spec["paths"][path].is_object(), "{path} is documented");
	}
	// Metrics: the two stored versions (the refused one not), the two queued anchorings.
	let (status, text, _) = call(&app, "GET", "/metrics", "", None).await;
	let text = String::from_utf8(text).unwrap();
	assert_eq!(status, StatusCode::OK);
	assert!(text.contains("medchain_gateway_versions_accepted_total 2"), "{text}");
	assert!(text.contains("medchain_gateway_outbox_queued 2"), "{text}");
	assert!(text.contains("medchain_gateway_store_write_seconds_count 2"), "{text}");
	assert!(!text.contains(PATIENT) && !text.contains("lab-1"), "no record or patient in metrics");
}

#[tokio::test]
async fn bad_input_gets_the_named_answers_and_stores_nothing() {
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	// 401: no token, a wrong one, another scheme.
	for token in [None, Some("wrong"), Some("")] {
		let (status, _, _) = call(&app, "POST", &post_uri(""), OBS, token).await;
		assert_eq!(status, StatusCode::UNAUTHORIZED);
	}
	// 422 with the field: malformed FHIR, unknown category, bad pseudonym, empty document.
	let (status, body) =
		json(&app, "POST", &post_uri("&recordId=x"), r#"{"resourceType":"Observation","code":{}}"#)
			.await;
	assert_eq!(
		(status, body["field"].as_str()),
		(StatusCode::UNPROCESSABLE_ENTITY, Some("Observation.status"))
	);
	let uri = format!("/records?patient={PATIENT}&category=Astrology&format=FhirJson");
	let (status, body) = json(&app, "POST", &uri, OBS).await;
	assert_eq!(
		(status, body["field"].as_str()),
		(StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
	);
	let (status, body) =
		json(&app, "POST", "/records?patient=0x12&category=Laboratory&format=Pdf", "%PDF").await;
	assert_eq!(
		(status, body["field"].as_str()),
		(StatusCode::UNPROCESSABLE_ENTITY, Some("patient"))
	);
	let uri = format!("/records?patient={PATIENT}&category=Imaging&format=Pdf&recordId=e");
	let (status, _) = json(&app, "POST", &uri, "").await;
	assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
	// 413: over the 4 KiB limit.
	let big = format!(
		r#"{{"resourceType":"Observation","status":"final","code":{{}},"note":"{}"}}"#,
		"x".repeat(5_000)
	);
	let (status, _, _) = call(&app, "POST", &post_uri("&recordId=big"), &big, Some(TOKEN)).await;
	assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
	// 404: unknown record, version, patient.
	for uri in
		["/records/none", "/records/none/versions/1", &format!("/patients/{PATIENT}/records")]
	{
		let (status, _) = json(&app, "GET", uri, "").await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
	}
	let (status, _) = json(&app, "PUT", "/records/none?expectedVersion=1", OBS).await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	// Nothing of the refused requests was stored.
	drop(app);
	let store = Store::open(dir.path()).unwrap();
	assert!(store.records_of(&[1; 32]).unwrap().is_empty());
}

#[tokio::test]
async fn delete_retracts_and_erase_crypto_shreds() {
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	json(&app, "POST", &post_uri("&recordId=lab-1"), OBS).await;
	let (status, body) = json(&app, "DELETE", "/records/lab-1", "").await;
	assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("retracted")));
	let (status, _, _) = call(&app, "GET", "/records/lab-1/versions/1", "", Some(TOKEN)).await;
	assert_eq!(status, StatusCode::OK, "a retracted record's document is kept");
	let (status, body) = json(&app, "DELETE", "/records/lab-1?erase=true", "").await;
	assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("erased")));
	assert_eq!(body["remains"]["contentHashes"].as_array().unwrap().len(), 1);
	for (method, uri) in [
		("GET", "/records/lab-1/versions/1"),
		("PUT", "/records/lab-1?expectedVersion=1"),
		("DELETE", "/records/lab-1?erase=true"),
	] {
		let (status, _) = json(&app, method, uri, OBS).await;
		assert_eq!(status, StatusCode::GONE, "{method} {uri}");
	}
	let (status, record) = json(&app, "GET", "/records/lab-1", "").await;
	assert_eq!((status, record["status"].as_str()), (StatusCode::OK, Some("erased")));
}

const CLAIM: &str = r#"{"resourceType":"Claim","status":"active","type":{"text":"institutional"},"use":"claim","patient":{"reference":"Patient/p1"},"created":"2026-12-01","total":{"value":10}}"#;
const RX: &str = r#"{ "resourceType": "MedicationRequest", "status": "active", "intent": "order",
	"medicationCodeableConcept": {"text": "amoxicillin 500 mg"}, "subject": {"reference": "Patient/p1"},
	"dispenseRequest": {"numberOfRepeatsAllowed": 1}, "substitution": {"allowedBoolean": true} }"#;
const NOTE: &str = r#"{"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"contentType":"application/pdf","title":"sick leave"}}]}"#;

fn claim_body(claim: &str, amount: &str, extra: &str) -> String {
	format!(
		r#"{{"claim": {claim}, "insurer": 7, "patient": "{PATIENT}", "category": "Laboratory", "amount": {amount}, "use": "claim"{extra}}}"#
	)
}

fn rx_body(rx: &str, fills: &str, extra: &str) -> String {
	format!(
		r#"{{"medicationRequest": {rx}, "patient": "{PATIENT}", "fills": {fills}, "substitution": true{extra}}}"#
	)
}

fn certificate_body(document: &str, kind: &str, until: &str) -> String {
	format!(
		r#"{{"document": {document}, "subject": "{PATIENT}", "kind": "{kind}", "validFromMs": 1764547200000{until}}}"#
	)
}

#[tokio::test]
async fn services_refuse_bad_input_naming_the_field_and_store_nothing() {
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	let rx_as_claim = RX.replace('\n', " ");
	let no_use = CLAIM.replace(r#""use":"claim","#, "");
	let preauth = CLAIM.replace(r#""use":"claim""#, r#""use":"preauthorization""#);
	let imm = r#"{"resourceType":"Immunization","status":"completed","vaccineCode":{},"patient":{},"occurrenceDateTime":"2026-11-30"}"#;
	let cases: Vec<(&str, String, &str)> = vec![
		("/claims", "not json".into(), "(body)"),
		("/claims", claim_body(&rx_as_claim, r#""100""#, ""), "claim.resourceType"),
		("/claims", claim_body(&no_use, r#""100""#, ""), "Claim.use"),
		("/claims", claim_body(&preauth, r#""100""#, ""), "Claim.use"),
		("/claims", claim_body(r#""a string""#, r#""100""#, ""), "claim"),
		("/claims", claim_body(CLAIM, r#""12.5""#, ""), "amount"),
		("/claims", claim_body(CLAIM, "100", ""), "amount"),
		("/claims", claim_body(CLAIM, r#""0""#, ""), "amount"),
		("/claims", claim_body(CLAIM, r#""-3""#, ""), "amount"),
		("/claims", claim_body(CLAIM, r#""100""#, r#", "colour": 1"#), "colour"),
		("/claims", claim_body(CLAIM, r#""100""#, "").replace(r#""insurer": 7, "#, ""), "insurer"),
		(
			"/claims",
			claim_body(CLAIM, r#""100""#, "").replace(r#""insurer": 7"#, r#""insurer": -1"#),
			"insurer",
		),
		("/claims", claim_body(CLAIM, r#""100""#, "").replace(PATIENT, "0x12"), "patient"),
		(
			"/claims",
			claim_body(CLAIM, r#""100""#, "").replace("Laboratory", "Astrology"),
			"category",
		),
		(
			"/claims",
			claim_body(CLAIM, r#""100""#, "")
				.replace(r#""use": "claim""#, r#""use": "predetermination""#),
			"use",
		),
		(
			"/claims",
			claim_body(CLAIM, r#""100""#, r#", "preauthorization": "0x12""#),
			"preauthorization",
		),
		("/prescriptions", rx_body(CLAIM, "2", ""), "medicationRequest.resourceType"),
		("/prescriptions", rx_body(RX, "0", ""), "fills"),
		("/prescriptions", rx_body(RX, "13", ""), "fills"),
		(
			"/prescriptions",
			rx_body(RX, "3", ""),
			"MedicationRequest.dispenseRequest.numberOfRepeatsAllowed",
		),
		(
			"/prescriptions",
			rx_body(RX, "2", "").replace(r#", "substitution": true"#, ""),
			"substitution",
		),
		(
			"/prescriptions",
			rx_body(RX, "2", "").replace(r#""substitution": true"#, r#""substitution": false"#),
			"MedicationRequest.substitution.allowedBoolean",
		),
		("/prescriptions", rx_body(RX, "2", r#", "validUntil": "soon""#), "validUntil"),
		("/prescriptions", rx_body(RX, "2", "").replace(RX, "null"), "medicationRequest"),
		(
			"/prescriptions",
			rx_body(&RX.replace(r#""intent": "order","#, ""), "2", ""),
			"MedicationRequest.intent",
		),
		("/certificates", certificate_body(NOTE, "Astrology", ""), "kind"),
		("/certificates", certificate_body(imm, "SickLeave", ""), "document.resourceType"),
		("/certificates", certificate_body(CLAIM, "Vaccination", ""), "document.resourceType"),
		(
			"/certificates",
			certificate_body(NOTE, "SickLeave", r#", "validUntilMs": 1764547200000"#),
			"validUntilMs",
		),
		(
			"/certificates",
			certificate_body(NOTE, "SickLeave", "")
				.replace(r#", "validFromMs": 1764547200000"#, ""),
			"validFromMs",
		),
		(
			"/certificates",
			certificate_body(NOTE, "SickLeave", "").replace(PATIENT, "bob"),
			"subject",
		),
		("/certificates/verify", format!(r#"{{"document": {NOTE}, "salt": "0x12"}}"#), "salt"),
		("/certificates/verify", format!(r#"{{"document": 12, "salt": "{PATIENT}"}}"#), "document"),
		(
			"/prescriptions/verify",
			format!(r#"{{"document": "not base64!", "salt": "{PATIENT}"}}"#),
			"document",
		),
		(
			"/prescriptions/verify",
			format!(r#"{{"document": "", "salt": "{PATIENT}"}}"#),
			"document",
		),
	];
	for (path, body, field) in &cases {
		let (status, answer) = json(&app, "POST", path, body).await;
		assert_eq!(
			(status, answer["field"].as_str()),
			(StatusCode::UNPROCESSABLE_ENTITY, Some(*field)),
			"{path} {body}: {answer}"
		);
		assert!(!answer["error"].as_str().unwrap_or_default().is_empty(), "{answer}");
	}
	// A valid claim, but no chain to sign for: refused before anything is stored.
	let (status, answer) = json(&app, "POST", "/claims", &claim_body(CLAIM, r#""100""#, "")).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
	// The token is needed, as everywhere.
	for path in ["/claims", "/prescriptions", "/certificates", "/certificates/verify"] {
		let (status, _, _) = call(&app, "POST", path, "{}", None).await;
		assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
	}
	drop(app);
	let store = Store::open(dir.path()).unwrap();
	assert!(store.service_documents().unwrap().is_empty(), "nothing stored");
	assert!(
		std::fs::read_dir(dir.path().join("documents")).map_or(true, |mut d| d.next().is_none())
	);
}

/// Hex of `bytes` as the API writes it.
fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn from_hex(text: &str) -> Vec<u8> {
	let text = text.trim_start_matches("0x");
	(0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[tokio::test]
async fn prescriptions_and_certificates_are_stored_and_prepared_for_the_practitioner() {
	use codec::Decode;
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	let posts = [
		(
			"/prescriptions",
			rx_body(RX, "2", r#", "pharmacy": 4, "validUntil": 900"#),
			RX,
			"prescriptions",
		),
		(
			"/certificates",
			certificate_body(NOTE, "SickLeave", r#", "validUntilMs": 1765152000000"#),
			NOTE,
			"certificates",
		),
	];
	let mut hashes = Vec::new();
	for (path, body, document, service) in posts {
		let (status, answer) = json(&app, "POST", path, &body).await;
		assert_eq!(status, StatusCode::CREATED, "{answer}");
		let hash = answer["hash"].as_str().unwrap().to_string();
		// The call for the practitioner's signer: the runtime's own call, with this hash.
		let encoded = from_hex(answer["call"].as_str().unwrap());
		let runtime_call =
			medchain_runtime::RuntimeCall::decode(&mut &encoded[..]).expect("a RuntimeCall");
		let shown = format!("{runtime_call:?}");
		assert!(shown.contains(&hash), "{shown}");
		match service {
			"prescriptions" => {
				assert!(shown.starts_with("Prescriptions(Call::issue {"), "{shown}");
				assert!(
					shown.contains(
						"pharmacy: Some(4), fills: 2, valid_until: Some(900), substitution: true"
					),
					"{shown}"
				);
			},
			_ => {
				assert!(shown.starts_with("Certificates(Call::issue {"), "{shown}");
				assert!(shown.contains("kind: SickLeave, valid_from_ms: 1764547200000, valid_until_ms: Some(1765152000000)"), "{shown}");
			},
		}
		// The document as sent, byte for byte, with its salt: it hashes to the answer's hash.
		let (status, bytes, salt) =
			call(&app, "GET", &format!("/{service}/{hash}/document"), "", Some(TOKEN)).await;
		assert_eq!((status, bytes.as_slice()), (StatusCode::OK, document.as_bytes()));
		let salt = salt.expect("the salt header");
		assert_eq!(salt, answer["salt"].as_str().unwrap());
		let salt: [u8; 32] = from_hex(&salt).try_into().unwrap();
		let computed = medchain_gateway::hashing::content_hash(&salt, document.as_bytes());
		assert_eq!(to_hex(&computed), hash);
		hashes.push(hash);
	}
	// A hash is found under its own service only; the claims need the chain.
	let (status, _) = json(&app, "GET", &format!("/certificates/{}/document", hashes[0]), "").await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	let (status, _) = json(&app, "GET", &format!("/claims/{}/document", hashes[1]), "").await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	let (status, _) = json(&app, "GET", "/claims/0x12", "").await;
	assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
	let verify = format!(r#"{{"document": {NOTE}, "salt": "{PATIENT}"}}"#);
	let (status, _) = json(&app, "POST", "/certificates/verify", &verify).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "verification asks the chain");
	drop(app);
	let store = Store::open(dir.path()).unwrap();
	assert_eq!(store.service_documents().unwrap().len(), 2);
	assert_eq!(store.outbox_len().unwrap(), 0, "service documents are not records to anchor");
}

/// One answer of the web app's routes: status and the headers the tests look at, and the body.
struct Served {
	status: StatusCode,
	header: std::collections::HashMap<String, String>,
	body: Vec<u8>,
}

async fn get_raw(app: &Router, uri: &str, token: Option<&str>) -> Served {
	let mut request = Request::builder().method("GET").uri(uri);
	if let Some(token) = token {
		request = request.header("authorization", format!("Bearer {token}"));
	}
	let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
	let status = response.status();
	let header = response
		.headers()
		.iter()
		.map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
		.collect();
	let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
	Served { status, header, body }
}

#[tokio::test]
async fn the_web_app_is_served_at_app_without_a_token_and_nothing_outside_it() {
	// A built app as Vite lays it out, a secret beside it, and a symlink leaving it.
	let data = tempfile::tempdir().unwrap();
	let web = tempfile::tempdir().unwrap();
	let dist = web.path().join("dist");
	std::fs::create_dir_all(dist.join("assets")).unwrap();
	let index = "<!doctype html><script type=\"module\" src=\"./assets/index-Ab12.js\"></script>";
	std::fs::write(dist.join("index.html"), index).unwrap();
	for (name, body) in [
		("assets/index-Ab12.js", "export {}"),
		("assets/index-Cd34.css", "body{}"),
		("assets/logo-Ef56.svg", "<svg/>"),
		("assets/font-Gh78.woff2", "wOF2"),
		("assets/index-Ab12.js.map", "{}"),
		("icon.png", "\u{89}PNG"),
		("favicon.ico", "ico"),
		("manifest.json", "{}"),
		("robots.txt", "User-agent: *"),
	] {
		std::fs::write(dist.join(name), body).unwrap();
	}
	std::fs::write(web.path().join("secret.txt"), "not for the web").unwrap();
	std::os::unix::fs::symlink(data.path(), dist.join("data")).unwrap();
	std::os::unix::fs::symlink(web.path().join("secret.txt"), dist.join("leak.txt")).unwrap();
	let store = Store::open(data.path()).unwrap();
	let state = api::ApiState::new(store, vec![TOKEN.into()])
		.with_app(medchain_gateway::webapp::WebApp::open(&dist).unwrap());
	let app = api::router(state, 4_096, std::time::Duration::from_secs(30));

	// `/app` sends the browser to `/app/` (relative, so it survives a path-prefix proxy).
	let served = get_raw(&app, "/app", None).await;
	assert_eq!(served.status, StatusCode::PERMANENT_REDIRECT);
	assert_eq!(served.header["location"], "app/");
	// The page: no token, revalidated at every load, with the security headers.
	let served = get_raw(&app, "/app/", None).await;
	assert_eq!(served.status, StatusCode::OK);
	assert_eq!(served.body, index.as_bytes());
	assert_eq!(served.header["content-type"], "text/html; charset=utf-8");
	assert_eq!(served.header["cache-control"], "no-cache");
	assert_eq!(served.header["content-security-policy"], medchain_gateway::webapp::CSP);
	assert!(served.header["content-security-policy"].contains("frame-ancestors 'none'"));
	assert_eq!(served.header["x-content-type-options"], "nosniff");
	assert_eq!(get_raw(&app, "/app/index.html", None).await.body, index.as_bytes());
	// Each kind of file with its type; Vite's hashed assets are cached for good.
	for (path, kind, cache) in [
		("assets/index-Ab12.js", "text/javascript; charset=utf-8", "immutable"),
		("assets/index-Cd34.css", "text/css; charset=utf-8", "immutable"),
		("assets/logo-Ef56.svg", "image/svg+xml", "immutable"),
		("assets/font-Gh78.woff2", "font/woff2", "immutable"),
		("assets/index-Ab12.js.map", "application/json", "immutable"),
		("icon.png", "image/png", "no-cache"),
		("favicon.ico", "image/x-icon", "no-cache"),
		("manifest.json", "application/json", "no-cache"),
		("robots.txt", "text/plain; charset=utf-8", "no-cache"),
	] {
		let served = get_raw(&app, &format!("/app/{path}"), None).await;
		assert_eq!(served.status, StatusCode::OK, "{path}");
		assert_eq!(served.header["content-type"], kind, "{path}");
		assert!(served.header["cache-control"].contains(cache), "{path}");
		assert_eq!(served.header["x-content-type-options"], "nosniff", "{path}");
		assert_eq!(served.body, std::fs::read(dist.join(path)).unwrap(), "{path}");
	}
	assert_eq!(
		get_raw(&app, "/app/assets/index-Ab12.js", None).await.header["cache-control"],
		"public, max-age=31536000, immutable"
	);
	// Unknown paths are 404 with a short message (no SPA fallback: the app routes with `#/`).
	let served = get_raw(&app, "/app/records/lab-1", None).await;
	assert_eq!(served.status, StatusCode::NOT_FOUND);
	assert_eq!(served.body, b"not found in the web app\n");
	assert_eq!(served.header["x-content-type-options"], "nosniff");
	// Nothing outside the directory, however it is asked for.
	for attempt in [
		"/app/../secret.txt",
		"/app/assets/../../secret.txt",
		"/app/%2e%2e/secret.txt",
		"/app/%2E%2E%2Fsecret.txt",
		"/app/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
		"/app/..%5csecret.txt",
		"/app//etc/passwd",
		"/app/%2fetc%2fpasswd",
		"/app/leak.txt",
		"/app/data/gateway.toml",
		"/app/data/store.redb",
		"/app/assets",
		"/app/.",
	] {
		let served = get_raw(&app, attempt, None).await;
		assert_eq!(served.status, StatusCode::NOT_FOUND, "{attempt}");
		assert_eq!(served.body, b"not found in the web app\n", "{attempt}");
	}
	// The API keeps its token check beside the app.
	let served = get_raw(&app, "/patients/0x01/records", None).await;
	assert_eq!(served.status, StatusCode::UNAUTHORIZED);
	let served = get_raw(&app, &format!("/patients/{PATIENT}/records"), Some(TOKEN)).await;
	assert_ne!(served.status, StatusCode::UNAUTHORIZED);
	assert!(!served.header.contains_key("content-security-policy"), "only the app's answers");
}

#[tokio::test]
async fn without_an_app_directory_app_is_not_served() {
	let dir = tempfile::tempdir().unwrap();
	let app = app(dir.path());
	// The paths are then the API's unknown ones, which ask for a token like every other.
	for path in ["/app", "/app/", "/app/index.html"] {
		let served = get_raw(&app, path, None).await;
		assert_eq!(served.status, StatusCode::UNAUTHORIZED, "{path}");
		assert!(!served.header.contains_key("content-security-policy"), "{path}");
	}
	assert!(medchain_gateway::webapp::WebApp::open(&dir.path().join("missing")).is_err());
}
