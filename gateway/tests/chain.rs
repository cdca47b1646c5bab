//! The gateway against a dev node (one node for all checks, started by the harness), the
//! gateway itself a real process (`medchain-gateway serve`):
//!
//! 1. set-up as a hospital does it: `init`, the admin adds the device, `serve` publishes the
//!    encryption key; `serve` refuses a device that is not registered;
//! 2. put → finalized → `records_verify` matches, and `POST /verify` says the same;
//!    supersede, retract and erase as seen on chain; an unknown pseudonym is refused (404);
//!    2b. beside it, the services (`tests/services/mod.rs`): a claim refused without consent,
//!    submitted and cancelled; a certificate and a prescription prepared by the gateway,
//!    signed by the physician, verified;
//! 3. node outage: writes accepted and queued, `/health` degraded, anchored when the node
//!    returns;
//! 4. gateway killed mid-batch: on restart nothing is lost and nothing anchored twice (no
//!    failed extrinsic of the device, one `RecordAnchored` per record).

mod http;
mod services;

use http::Gateway;
use medchain_client::Chain;
use medchain_gateway::keys::DeviceKeys;
use medchain_harness::{identity::PatientSecret, to_hex, tx, Node, NodeConfig};
use medchain_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use serde_json::{json, Value};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const FINAL_TIMEOUT: Duration = Duration::from_secs(120);

fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("MEDCHAIN_NODE_BIN") {
		return path.into();
	}
	// Beside this test's directory: target/<profile>/deps/chain-… → target/<profile>/.
	let exe = std::env::current_exe().expect("the test's path");
	exe.parent().and_then(Path::parent).expect("a target directory").join("medchain-node")
}

fn gateway_cmd() -> Command {
	Command::new(env!("CARGO_BIN_EXE_medchain-gateway"))
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// A `medchain-gateway serve` process, killed when dropped.
struct Serving {
	child: Child,
	gateway: Gateway,
}

impl Drop for Serving {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn serve(data: &Path, node: &Node, listen: &str, token: &str) -> Serving {
	let log = std::fs::OpenOptions::new()
		.create(true)
		.append(true)
		.open(data.join("gateway.log"))
		.unwrap();
	let child = gateway_cmd()
		.args(["serve", "--data-dir"])
		.arg(data)
		.args(["--node", &node.rpc_url(), "--listen", listen])
		.stdout(Stdio::null())
		.stderr(log)
		.spawn()
		.expect("the gateway starts");
	let gateway = Gateway { addr: listen.to_string(), token: token.to_string() };
	let start = Instant::now();
	while gateway.get("/health").is_none() {
		assert!(start.elapsed() < START_TIMEOUT, "the gateway answers: {}", log_of(data));
		std::thread::sleep(Duration::from_millis(200));
	}
	Serving { child, gateway }
}

fn log_of(data: &Path) -> String {
	std::fs::read_to_string(data.join("gateway.log")).unwrap_or_default()
}

/// Waits until every version of `record` is final; returns the record's JSON.
fn wait_final(gw: &Gateway, record: &str, data: &Path) -> Value {
	let start = Instant::now();
	loop {
		let (status, body) = gw.json("GET", &format!("/records/{record}"), b"");
		assert_eq!(status, 200, "{body}");
		let versions = body["versions"].as_array().unwrap();
		if versions.iter().all(|v| v["anchor"]["status"] == "finalized") {
			return body;
		}
		assert!(
			versions.iter().all(|v| v["anchor"]["status"] != "refused"),
			"refused: {body}\n{}",
			log_of(data)
		);
		assert!(start.elapsed() < FINAL_TIMEOUT, "not final: {body}\n{}", log_of(data));
		std::thread::sleep(Duration::from_millis(300));
	}
}

fn verify(node: &Node, custodian: u32, record: &str, hash: &str) -> Value {
	node.rpc("records_verify", json!([custodian, to_hex(record.as_bytes()), hash]))
		.expect("records_verify answers")
}

fn wait_chain_status(node: &Node, custodian: u32, record: &str, hash: &str, status: &str) {
	let start = Instant::now();
	while verify(node, custodian, record, hash)["status"] != status {
		assert!(start.elapsed() < FINAL_TIMEOUT, "{record} never became {status} on chain");
		std::thread::sleep(Duration::from_millis(300));
	}
}

const LAB: &[u8] = br#"{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":6.1,"unit":"%"}}"#;

#[test]
fn the_gateway_anchors_verifies_and_survives_outages_and_kills() {
	let config = NodeConfig::dev(node_binary());
	let mut node = config.start(START_TIMEOUT).expect("the dev node starts");
	let dir = tempfile::tempdir().unwrap();
	let data = dir.path().join("gateway");

	// 1. Set-up: init, then the admin registers the device.
	let listen = format!("127.0.0.1:{}", medchain_harness::node::free_port());
	let out = gateway_cmd()
		.args(["init", "--data-dir"])
		.arg(&data)
		.args(["--node", &node.rpc_url(), "--listen", &listen])
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let token = medchain_gateway::config::Config::load(&data).unwrap().tokens[0].clone();
	let keys = DeviceKeys::load(&data).unwrap();
	let device: AccountId = keys.signing.public().into();

	// Not a device yet: serve refuses with the reason.
	let refused = gateway_cmd()
		.args(["serve", "--data-dir"])
		.arg(&data)
		.args(["--node", &node.rpc_url()])
		.output()
		.unwrap();
	assert_eq!(refused.status.code(), Some(1));
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(stderr.contains("not a registered device"), "{stderr}");

	let admitted = tx::execute(
		&node,
		sudo(RuntimeCall::Institutions(pallet_institutions::Call::admit {
			admin: Sr25519Keyring::Bob.to_account_id(),
			kind: pallet_institutions::InstitutionKind::Hospital,
			name: b"Hopital Gateway".to_vec(),
		})),
		&Sr25519Keyring::Alice.pair(),
	)
	.expect("sudo admits the hospital");
	let custodian = admitted
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Institutions(pallet_institutions::Event::InstitutionAdmitted {
				institution,
				..
			}) => Some(*institution),
			_ => None,
		})
		.expect("InstitutionAdmitted");
	// Day one, steps 2 and 3, with the admin's tool: add the device, fund it.
	let admin_tool = node_binary().with_file_name("medchain-admin");
	for step in [vec!["add-device", &keys.address()], vec!["transfer", &keys.address(), "1000"]] {
		let out = Command::new(&admin_tool)
			.args(["--rpc", &node.rpc_addr().to_string(), "--output", "json"])
			.args(&step)
			.env("MEDCHAIN_SURI", "//Bob")
			.output()
			.expect("medchain-admin runs (built with the workspace)");
		let answer: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
		assert!(
			out.status.success() && answer["block"].as_u64().is_some(),
			"medchain-admin {step:?}: {answer} {}",
			String::from_utf8_lossy(&out.stderr)
		);
	}
	// A patient registered by the hospital (the device signs as the EHR's integration would).
	let genesis: String =
		serde_json::from_value(node.rpc("chain_getBlockHash", json!([0])).unwrap()).unwrap();
	let genesis = H256::from_slice(&medchain_harness::from_hex(&genesis).unwrap());
	let secret = PatientSecret::new("//GatewayPatient").unwrap();
	let patient_key = secret.pseudonym(&genesis, custodian);
	let patient: AccountId = patient_key.public().into();
	tx::execute(
		&node,
		RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		}),
		&keys.signing,
	)
	.expect("the device registers the patient");
	tx::execute(
		&node,
		RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		}),
		&patient_key,
	)
	.expect("the patient confirms");
	let pseudonym = to_hex(patient.as_ref());

	let serving = serve(&data, &node, &listen, &token);
	let gw = serving.gateway.clone();
	let on_chain: Option<pallet_institutions::Device<u32>> = node
		.storage(
			&pallet_institutions::Devices::<medchain_runtime::Runtime>::hashed_key_for(&device),
			None,
		)
		.unwrap();
	assert_eq!(
		on_chain.unwrap().encryption_key,
		Some(keys.encryption_public()),
		"serve published the encryption key"
	);

	// 2. put → finalized → records_verify.
	let step2 = Instant::now();
	let path =
		format!("/records?patient={pseudonym}&category=Laboratory&format=FhirJson&recordId=lab-1");
	let (status, body) = gw.json("POST", &path, LAB);
	assert_eq!(status, 202, "{body}");
	assert_eq!(body["status"], "pending");
	let record = wait_final(&gw, "lab-1", &data);
	let hash = record["versions"][0]["contentHash"].as_str().unwrap().to_string();
	let block = record["versions"][0]["anchor"]["block"].as_u64().unwrap();
	let answer = verify(&node, custodian, "lab-1", &hash);
	assert_eq!(answer["matchesCurrent"], json!(true), "{answer}");
	assert_eq!(answer["current"]["anchoredAt"], json!(block), "{answer}");
	assert_eq!(
		node.block_hash(block as u32).unwrap().unwrap(),
		record["versions"][0]["anchor"]["blockHash"].as_str().unwrap()
	);
	// POST /verify: the document and salt as another hospital received them.
	let (status, headers, document) = gw.request("GET", "/records/lab-1/versions/1", b"");
	assert_eq!(status, 200);
	assert_eq!(document, LAB);
	let salt = headers.get("x-medchain-salt").unwrap().clone();
	let (status, checked) =
		gw.json("POST", &format!("/verify?custodian={custodian}&recordId=lab-1&salt={salt}"), LAB);
	assert_eq!(status, 200, "{checked}");
	assert_eq!(checked["contentHash"], json!(hash));
	assert_eq!(checked["chain"]["matchesCurrent"], json!(true), "{checked}");
	let (_, altered) = gw.json(
		"POST",
		&format!("/verify?custodian={custodian}&recordId=lab-1&salt={salt}"),
		&LAB[..LAB.len() - 2],
	);
	assert_eq!(altered["chain"]["matchedVersion"], Value::Null, "{altered}");
	let (status, bad) = gw.json("POST", "/verify?custodian=0&recordId=lab-1&salt=0x12", LAB);
	assert_eq!((status, bad["field"].as_str()), (422, Some("salt")));
	// 2b. The services, beside the rest of step 2.
	let services = services::spawn(&node, &gw, custodian, patient.clone(), patient_key.clone());

	// Supersede, retract, erase: as seen on chain.
	let v2 = br#"{"resourceType":"Observation","status":"amended","code":{"text":"HbA1c"}}"#;
	let (status, body) = gw.json("PUT", "/records/lab-1?expectedVersion=1", v2);
	assert_eq!(status, 202, "{body}");
	let record = wait_final(&gw, "lab-1", &data);
	let hash2 = record["versions"][1]["contentHash"].as_str().unwrap().to_string();
	let answer = verify(&node, custodian, "lab-1", &hash2);
	assert_eq!(
		(answer["matchesCurrent"].clone(), answer["currentVersion"].clone()),
		(json!(true), json!(2))
	);
	assert_eq!(verify(&node, custodian, "lab-1", &hash)["matchedVersion"], json!(1));
	let (status, _) = gw.json("DELETE", "/records/lab-1", b"");
	assert_eq!(status, 200);
	wait_chain_status(&node, custodian, "lab-1", &hash2, "Retracted");
	let path =
		format!("/records?patient={pseudonym}&category=Laboratory&format=FhirJson&recordId=lab-2");
	assert_eq!(gw.json("POST", &path, LAB).0, 202);
	let (status, erased) = gw.json("DELETE", "/records/lab-2?erase=true", b"");
	assert_eq!(status, 200, "{erased}");
	let hash3 = erased["remains"]["contentHashes"][0].as_str().unwrap().to_string();
	wait_chain_status(&node, custodian, "lab-2", &hash3, "Erased");
	// An unknown pseudonym: refused before anything is stored.
	let stranger = to_hex(Sr25519Keyring::Ferdie.to_account_id().as_ref());
	let (status, body) = gw.json(
		"POST",
		&format!("/records?patient={stranger}&category=Laboratory&format=FhirJson"),
		LAB,
	);
	assert_eq!((status, body["field"].as_str()), (404, Some("patient")), "{body}");
	services.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
	eprintln!("step 2 with the services beside it: {:?}", step2.elapsed());
	let (_, health) = gw.json("GET", "/health", b"");
	assert_eq!(health["status"], "ok", "{health}");

	// 3. Node outage: accepted and queued, degraded, anchored when the node returns.
	node.stop(Duration::from_secs(30)).expect("the node stops");
	let mut queued = Vec::new();
	for i in 0..3 {
		let id = format!("outage-{i}");
		let path = format!(
			"/records?patient={pseudonym}&category=Laboratory&format=FhirJson&recordId={id}"
		);
		let (status, body) = gw.json("POST", &path, LAB);
		assert_eq!(status, 202, "accepted while the node is away: {body}");
		queued.push(id);
	}
	let start = Instant::now();
	loop {
		let (_, health) = gw.json("GET", "/health", b"");
		if health["status"] == "degraded" {
			assert!(health["queued"].as_u64().unwrap() >= 3, "{health}");
			assert!(health["problem"].as_str().unwrap().contains("node"), "{health}");
			break;
		}
		assert!(start.elapsed() < Duration::from_secs(30), "never degraded: {health}");
		std::thread::sleep(Duration::from_millis(300));
	}
	let node = config.start(START_TIMEOUT).expect("the node restarts");
	for id in &queued {
		wait_final(&gw, id, &data);
	}
	let (_, health) = gw.json("GET", "/health", b"");
	assert_eq!(health["status"], "ok", "{health}");

	// 4. Killed mid-batch: 600 records (two batches), the gateway killed while they are sent.
	let first_block = node.best_number().unwrap();
	let ids: Vec<String> = (0..600).map(|i| format!("bulk-{i:04}")).collect();
	for id in &ids {
		let path = format!(
			"/records?patient={pseudonym}&category=Laboratory&format=FhirJson&recordId={id}"
		);
		assert_eq!(gw.json("POST", &path, LAB).0, 202);
	}
	let start = Instant::now();
	while gw.json("GET", "/health", b"").1["unsettled"].as_u64().unwrap_or(0) == 0 {
		assert!(start.elapsed() < Duration::from_secs(30), "the pipeline never sent the batch");
		std::thread::sleep(Duration::from_millis(20));
	}
	drop(serving); // SIGKILL while the batch is on its way
	let serving = serve(&data, &node, &listen, &token);
	let gw = serving.gateway.clone();
	for id in &ids {
		wait_final(&gw, id, &data);
	}
	let last_block = node.best_number().unwrap();
	let mut anchored = 0;
	for number in first_block..=last_block {
		let hash = node.block_hash(number).unwrap().unwrap();
		for record in tx::events(&node, &hash).unwrap() {
			match record.event {
				RuntimeEvent::Records(pallet_records::Event::RecordAnchored {
					ref record_id,
					..
				}) if record_id.starts_with(b"bulk-") => anchored += 1,
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
					dispatch_error,
					..
				}) => {
					panic!("a failed extrinsic in block {number}: {dispatch_error:?}")
				},
				_ => {},
			}
		}
	}
	assert_eq!(anchored, ids.len(), "each record anchored exactly once");
	eprintln!("gateway log:\n{}", log_of(&data));
	drop(serving);

	// 5. Bulk import of 10,000 documents: one root on chain, every proof verifies there.
	let archive = dir.path().join("archive");
	std::fs::create_dir_all(&archive).unwrap();
	let mut manifest = String::new();
	for i in 0..10_000 {
		let name = format!("{i:05}.json");
		let document = format!(
			r#"{{"resourceType":"Observation","status":"final","code":{{"text":"glucose"}},"valueQuantity":{{"value":{i}}}}}"#
		);
		std::fs::write(archive.join(&name), document).unwrap();
		manifest.push_str(&format!(
			"{{\"file\":\"{name}\",\"patient\":\"{pseudonym}\",\"category\":\"Laboratory\",\"format\":\"FhirJson\"}}\n"
		));
	}
	std::fs::write(archive.join("manifest.jsonl"), manifest).unwrap();
	let import = |node_url: &str| {
		gateway_cmd()
			.args(["import", "--data-dir"])
			.arg(&data)
			.args(["--node", node_url])
			.arg(&archive)
			.output()
			.unwrap()
	};
	// The node unreachable: everything stored, the run stops saying how to finish.
	let t0 = Instant::now();
	let first = import("ws://127.0.0.1:1");
	let stored_in = t0.elapsed();
	assert_eq!(first.status.code(), Some(1));
	let stderr = String::from_utf8_lossy(&first.stderr);
	assert!(
		stderr.contains("10000 documents stored") && stderr.contains("run the import again"),
		"{stderr}"
	);
	// Resumed: nothing stored twice, the root anchored.
	let second = import(&node.rpc_url());
	let stdout = String::from_utf8_lossy(&second.stdout);
	assert!(second.status.success(), "{stdout}{}", String::from_utf8_lossy(&second.stderr));
	assert!(stdout.contains("10000 (0 stored by this run)"), "{stdout}");
	eprintln!(
		"import: 10,000 documents stored in {stored_in:?}, anchored in {:?}",
		t0.elapsed() - stored_in
	);
	let store = medchain_gateway::store::Store::open(&data).unwrap();
	let ws = node.ws(Duration::from_secs(30)).unwrap();
	let mut verified = 0;
	for id in store.records_of(&patient.clone().into()).unwrap() {
		let Some(inclusion) = store.inclusion(&id).unwrap() else { continue };
		let hash = store.versions(&id).unwrap()[0].1.content_hash;
		let siblings: Vec<String> = inclusion.siblings.iter().map(|s| to_hex(s)).collect();
		let answer = ws
			.rpc(
				"records_verifyInclusion",
				json!([custodian, to_hex(&inclusion.root), to_hex(&hash),
					{"leafIndex": inclusion.leaf_index, "siblings": siblings}]),
			)
			.unwrap();
		assert_eq!(answer["included"], json!(true), "{id}: {answer}");
		if verified == 0 {
			assert_eq!(answer["root"]["leafCount"], json!(10_000), "{answer}");
			let wrong = ws
				.rpc(
					"records_verifyInclusion",
					json!([custodian, to_hex(&inclusion.root), to_hex(&hash),
						{"leafIndex": inclusion.leaf_index + 1, "siblings": siblings}]),
				)
				.unwrap();
			assert_eq!(wrong["included"], json!(false), "{wrong}");
		}
		assert!(matches!(
			store.versions(&id).unwrap()[0].1.anchor,
			medchain_gateway::store::AnchorState::Finalized { .. }
		));
		verified += 1;
	}
	assert_eq!(verified, 10_000);
	drop(store);
	let mut node = node;
	node.stop(Duration::from_secs(30)).unwrap();
	medchain_harness::node::remove_base_path(&config.base_path);
}
