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
	// Public routes.
	let (status, _, _) = call(&app, "GET", "/health", "", None).await;
	assert_eq!(status, StatusCode::OK);
	let (status, spec, _) = call(&app, "GET", "/openapi.json", "", None).await;
	let spec: Value = serde_json::from_slice(&spec).unwrap();
	assert_eq!((status, spec["openapi"].as_str()), (StatusCode::OK, Some("3.0.3")));
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
