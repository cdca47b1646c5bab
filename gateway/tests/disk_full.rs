//! Disk full: the store on a file system of 8 MiB (a tmpfs mounted in a user and mount
//! namespace of its own, `unshare -rm`: no root needed, nothing left mounted). Documents are
//! posted until the API answers 507; then every accepted document reads back intact, no
//! partial file is left, and the reopened store holds exactly the accepted records and their
//! queued anchorings.

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use medchain_gateway::{api, store::Store};
use std::process::Command;
use tower::ServiceExt;

const TOKEN: &str = "disk-full-token-1";
const PATIENT: &str = "0x0202020202020202020202020202020202020202020202020202020202020202";
const NAME: &str = "a_full_disk_refuses_writes_with_507_and_keeps_the_store";

#[test]
fn a_full_disk_refuses_writes_with_507_and_keeps_the_store() {
	if let Ok(dir) = std::env::var("MEDCHAIN_TINY_FS") {
		return on_the_tiny_file_system(std::path::Path::new(&dir));
	}
	let dir = tempfile::tempdir().unwrap();
	let exe = std::env::current_exe().unwrap();
	let out = Command::new("unshare")
		.args(["-rm", "sh", "-c"])
		.arg(
			r#"mount -t tmpfs -o size=8m tmpfs "$0" && exec "$1" --exact "$2" --test-threads=1 --nocapture"#,
		)
		.arg(dir.path())
		.arg(&exe)
		.arg(NAME)
		.env("MEDCHAIN_TINY_FS", dir.path())
		.output()
		.expect("unshare (util-linux) runs");
	let output =
		format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	assert!(out.status.success(), "the test on the 8 MiB file system failed:\n{output}");
	assert!(output.contains("1 passed"), "{output}");
	eprintln!("{output}");
}

async fn post(app: &Router, id: &str, body: Vec<u8>) -> (u16, String) {
	let request = Request::builder()
		.method("POST")
		.uri(format!("/records?patient={PATIENT}&category=Imaging&format=Pdf&recordId={id}"))
		.header("authorization", format!("Bearer {TOKEN}"))
		.body(Body::from(body))
		.unwrap();
	let response = app.clone().oneshot(request).await.unwrap();
	let status = response.status().as_u16();
	let bytes = response.into_body().collect().await.unwrap().to_bytes();
	(status, String::from_utf8_lossy(&bytes).to_string())
}

fn on_the_tiny_file_system(dir: &std::path::Path) {
	let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	let document = |i: usize| {
		let mut d = b"%PDF-1.7\n".to_vec();
		d.resize(512 * 1024, b'a' + (i % 26) as u8);
		d
	};
	let mut accepted = Vec::new();
	runtime.block_on(async {
		let mut store = Store::open(dir).unwrap();
		store.set_reserve(1024 * 1024);
		let app = api::router(
			api::ApiState::new(store, vec![TOKEN.into()]),
			2 * 1024 * 1024,
			std::time::Duration::from_secs(30),
		);
		for i in 0..40 {
			let id = format!("scan-{i:02}");
			let (status, body) = post(&app, &id, document(i)).await;
			match status {
				202 => accepted.push(id),
				507 => {
					assert!(body.contains("disk full"), "{body}");
					break;
				},
				other => panic!("{id}: {other} {body}"),
			}
		}
		eprintln!("{} documents of 512 KiB stored, then 507", accepted.len());
		assert!(accepted.len() >= 3, "some documents fit: {accepted:?}");
		assert!(accepted.len() < 40, "the disk filled up");
		// Refused again, not stored.
		assert_eq!(post(&app, "scan-late", document(99)).await.0, 507);
	});
	// Consistent: nothing partial, exactly the accepted records, each intact, each queued.
	let leftovers: Vec<_> = std::fs::read_dir(dir.join("blobs"))
		.unwrap()
		.map(|e| e.unwrap().path())
		.filter(|p| p.extension().is_some_and(|e| e == "partial"))
		.collect();
	assert!(leftovers.is_empty(), "{leftovers:?}");
	assert_eq!(std::fs::read_dir(dir.join("blobs")).unwrap().count(), accepted.len());
	let store = Store::open(dir).unwrap();
	let patient: [u8; 32] = [2; 32];
	assert_eq!(store.records_of(&patient).unwrap(), accepted);
	for (i, id) in accepted.iter().enumerate() {
		assert_eq!(store.document(id, 1).unwrap().0, document(i), "{id} reads back intact");
	}
	assert_eq!(store.outbox_len().unwrap(), accepted.len() as u64);
}
