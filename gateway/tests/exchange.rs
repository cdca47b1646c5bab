//! The exchange end to end on the four-hospital consortium network (four validators started
//! by the harness on 127.0.0.1), with two hospital gateways and a relay, each a real process.
//! One network serves every check, in order:
//!
//! 1. set-up as the consortium does it: the council admits a relay operator; each admin adds
//!    its device; a patient registers at Hôpital Nord, whose gateway stores records (one with a
//!    marker string, one image of several package chunks);
//! 2. no consent: Hôpital Sud's request is refused (422, `NoConsent`), nothing is held and the
//!    relay holds nothing;
//! 3. the happy path: consent, request from Sud's gateway, Nord's gateway delivers through the
//!    relay, Sud's gateway verifies every record on chain and confirms; the documents are
//!    byte-identical, the fee split is the one docs/exchange.md gives, the disclosure log shows
//!    the releases, the relay deletes the package, and no file of the relay holds the marker;
//! 4. a package altered at the relay: Sud disputes (`PackageMismatch`), Nord is not paid;
//! 5. consent revoked between request and delivery: refunded, nothing uploaded;
//! 6. the relay killed mid-upload and restarted: the upload resumes and the exchange completes;
//! 7. a device of another institution is refused by the relay (403).

mod http;

use http::Gateway;
use medchain_harness::{council, network, tx, Node, NodeConfig};
use medchain_relay::client::RelayClient;
use medchain_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use pallet_consent::Purpose;
use pallet_records::Category;
use serde_json::{json, Value};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring::{self, *};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const STEP_TIMEOUT: Duration = Duration::from_secs(150);
const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const NORD: u32 = 0;
const SUD: u32 = 1;
const MARKER: &str = "MARKER-7f3a-plaintext-must-never-reach-the-relay";

fn target_dir() -> PathBuf {
	// Beside this test's directory: target/<profile>/deps/exchange-… → target/<profile>/.
	let exe = std::env::current_exe().expect("the test's path");
	exe.parent().and_then(Path::parent).expect("a target directory").to_path_buf()
}

fn validator(i: usize, bootnode: Option<&str>) -> NodeConfig {
	let mut args = vec![
		"--chain".to_string(),
		"consortium".to_string(),
		format!("--{}", NAMES[i]),
		"--node-key".to_string(),
		network::founder_node_key(NAMES[i]),
	];
	if let Some(addr) = bootnode {
		args.extend(["--bootnodes".to_string(), addr.to_string()]);
	}
	NodeConfig::new(target_dir().join("medchain-node"), &format!("exchange-{}", NAMES[i]), args)
}

/// A service process (gateway or relay), killed when dropped.
struct Process {
	child: Child,
	log: PathBuf,
}

impl Process {
	fn spawn(binary: &str, args: &[String], log: PathBuf) -> Process {
		let file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
		let child = Command::new(target_dir().join(binary))
			.args(args)
			.stdout(Stdio::null())
			.stderr(file)
			.spawn()
			.unwrap_or_else(|e| panic!("{binary} starts (built with the workspace): {e}"));
		Process { child, log }
	}

	fn log(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	fn signal(&self, signal: &str) {
		let ok = Command::new("kill")
			.args([signal, &self.child.id().to_string()])
			.status()
			.is_ok_and(|s| s.success());
		assert!(ok, "kill {signal}");
	}
}

impl Drop for Process {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn run(binary: &str, args: &[String]) -> String {
	let out = Command::new(target_dir().join(binary)).args(args).output().unwrap();
	assert!(out.status.success(), "{binary} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8_lossy(&out.stdout).into_owned()
}

fn strings(args: &[&str]) -> Vec<String> {
	args.iter().map(|s| s.to_string()).collect()
}

fn execute(node: &Node, call: RuntimeCall, signer: &sr25519::Pair) -> tx::Included {
	tx::execute(node, call, signer).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(20)))
}

fn wait<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
	let start = Instant::now();
	loop {
		if let Some(v) = f() {
			return v;
		}
		assert!(start.elapsed() < timeout, "timed out waiting for {what}");
		std::thread::sleep(Duration::from_millis(250));
	}
}

/// A hospital's gateway: its process, API and device.
struct Hospital {
	process: Process,
	api: Gateway,
	device: AccountId,
}

fn hospital(
	node: &Node,
	dir: &Path,
	name: &str,
	admin: Sr25519Keyring,
	relay_url: &str,
) -> Hospital {
	let data = dir.join(name);
	let listen = format!("127.0.0.1:{}", medchain_harness::node::free_port());
	let data_arg = data.display().to_string();
	run(
		"medchain-gateway",
		&strings(&[
			"init",
			"--data-dir",
			&data_arg,
			"--node",
			&node.rpc_url(),
			"--listen",
			&listen,
			"--relay",
			relay_url,
		]),
	);
	// Small upload requests, so that check 6 can stop the relay in the middle of an upload.
	let config = data.join("gateway.toml");
	let text = std::fs::read_to_string(&config).unwrap();
	let chunk = format!("relay_chunk_bytes = {}", medchain_relay::client::DEFAULT_CHUNK);
	assert!(text.contains(&chunk), "{text}");
	std::fs::write(&config, text.replace(&chunk, "relay_chunk_bytes = 262144")).unwrap();
	let keys = medchain_gateway::keys::DeviceKeys::load(&data).unwrap();
	let device: AccountId = keys.signing.public().into();
	execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device { device: device.clone() }),
		&admin.pair(),
	);
	execute(node, tx::transfer(&device, 1_000 * medchain_runtime::currency::MED), &Ferdie.pair());
	let token = medchain_gateway::config::Config::load(&data).unwrap().tokens[0].clone();
	let process = Process::spawn(
		"medchain-gateway",
		&strings(&["serve", "--data-dir", &data_arg]),
		data.join("gateway.log"),
	);
	let api = Gateway { addr: listen, token };
	wait(&format!("{name}'s gateway"), START_TIMEOUT, || api.get("/health").map(|_| ()));
	Hospital { process, api, device }
}

fn ask(sud: &Hospital, patient: &str, records: &[&str], categories: &[&str]) -> (u16, Value) {
	let body = json!({
		"custodian": NORD,
		"patient": patient,
		"records": records,
		"categories": categories,
		"purpose": "Treatment",
		"maxFee": "1000000000000000",
	});
	sud.api.json("POST", "/exchanges", body.to_string().as_bytes())
}

/// Waits until this gateway's view of exchange `id` has `status`; returns the view.
fn wait_progress(h: &Hospital, id: u64, status: &str) -> Value {
	let start = Instant::now();
	loop {
		let (code, view) = h.api.json("GET", &format!("/exchanges/{id}"), b"");
		if code == 200 && view["progress"]["status"] == status {
			return view;
		}
		assert!(
			start.elapsed() < STEP_TIMEOUT,
			"exchange {id} never {status}: {view}\n--- gateway log ---\n{}",
			h.process.log()
		);
		std::thread::sleep(Duration::from_millis(300));
	}
}

fn chain_request(node: &Node, id: u64) -> Value {
	node.rpc("exchange_request", json!([id])).unwrap_or(Value::Null)
}

fn wait_chain(node: &Node, id: u64, status: &str) -> Value {
	wait(&format!("request {id} {status} on chain"), STEP_TIMEOUT, || {
		let view = chain_request(node, id);
		let matches = match &view["status"] {
			Value::String(s) => s.eq_ignore_ascii_case(status),
			Value::Object(o) => o.keys().any(|k| k.eq_ignore_ascii_case(status)),
			_ => false,
		};
		matches.then_some(view)
	})
}

fn wait_final_record(nord: &Hospital, record: &str) -> Value {
	wait(&format!("{record} final"), STEP_TIMEOUT, || {
		let (_, body) = nord.api.json("GET", &format!("/records/{record}"), b"");
		body["versions"]
			.as_array()
			.is_some_and(|v| v.iter().all(|v| v["anchor"]["status"] == "finalized"))
			.then_some(body)
	})
}

fn events_at(node: &Node, block: u64) -> Vec<RuntimeEvent> {
	let hash = node.block_hash(block as u32).unwrap().unwrap();
	tx::events(node, &hash).unwrap().into_iter().map(|r| r.event).collect()
}

fn free(node: &Node, who: &AccountId) -> u128 {
	tx::free_balance(node, who, None).unwrap()
}

fn grant(node: &Node, patient: &sr25519::Pair) -> u64 {
	let best = node.best_number().unwrap();
	let included = execute(
		node,
		RuntimeCall::Consent(pallet_consent::Call::grant {
			patient: patient.public().into(),
			grantee: SUD,
			categories: vec![Category::Laboratory, Category::Imaging].try_into().unwrap(),
			records: Default::default(),
			purposes: vec![Purpose::Treatment].try_into().unwrap(),
			valid_from: None,
			valid_until: best + 5_000,
			custodian: Some(NORD),
		}),
		patient,
	);
	included
		.events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Consent(pallet_consent::Event::ConsentGranted { consent, .. }) => {
				Some(*consent)
			},
			_ => None,
		})
		.expect("ConsentGranted")
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
	let mut found = Vec::new();
	for entry in walk(dir) {
		let bytes = std::fs::read(&entry).unwrap_or_default();
		if bytes.windows(needle.len()).any(|w| w == needle) {
			found.push(entry);
		}
	}
	found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
	let mut out = Vec::new();
	for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
		let path = entry.path();
		if path.is_dir() {
			out.extend(walk(&path));
		} else {
			out.push(path);
		}
	}
	out
}

#[test]
fn records_travel_between_two_hospitals_through_a_blind_relay() {
	let t0 = Instant::now();
	let alice = validator(0, None).start(START_TIMEOUT).expect("alice starts");
	let bootnode = network::bootnode_of(&alice).unwrap();
	let mut nodes = vec![alice];
	for i in 1..4 {
		nodes.push(validator(i, Some(&bootnode)).start(START_TIMEOUT).expect("validator starts"));
	}
	let node = &nodes[0];
	node.wait_finalized(2, START_TIMEOUT).expect("the network finalizes");
	let dir = tempfile::tempdir().unwrap();

	// 1. The council admits the relay operator (admin Eve); Eve adds the relay's device.
	let admit = RuntimeCall::Institutions(pallet_institutions::Call::admit {
		admin: Eve.to_account_id(),
		kind: pallet_institutions::InstitutionKind::RelayOperator,
		name: b"Relais Central".to_vec(),
	});
	let motion = council::propose(node, &Alice.pair(), 3, admit).expect("proposed");
	council::vote(node, &motion, &[&Alice.pair(), &Bob.pair(), &Charlie.pair()], true)
		.expect("voted");
	assert_eq!(
		council::close(node, &Alice.pair(), &motion).expect("closed"),
		council::Closed::Executed(Ok(()))
	);
	let relay_data = dir.path().join("relay");
	let relay_arg = relay_data.display().to_string();
	let relay_listen = format!("127.0.0.1:{}", medchain_harness::node::free_port());
	let relay_url = format!("http://{relay_listen}");
	let out = run(
		"medchain-relay",
		&strings(&[
			"init",
			"--data-dir",
			&relay_arg,
			"--node",
			&node.rpc_url(),
			"--listen",
			&relay_listen,
			"--anchor-every-secs",
			"5",
		]),
	);
	assert!(out.contains("device address"), "{out}");
	let relay_key = medchain_relay::config::load_device_key(&relay_data).unwrap();
	let relay_device: AccountId = relay_key.public().into();
	execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::add_device {
			device: relay_device.clone(),
		}),
		&Eve.pair(),
	);
	execute(
		node,
		tx::transfer(&relay_device, 100 * medchain_runtime::currency::MED),
		&Ferdie.pair(),
	);
	let serve_relay = || {
		Process::spawn(
			"medchain-relay",
			&strings(&["serve", "--data-dir", &relay_arg]),
			relay_data.join("relay.log"),
		)
	};
	let mut relay = serve_relay();

	let nord = hospital(node, dir.path(), "nord", Alice, &relay_url);
	let sud = hospital(node, dir.path(), "sud", Bob, &relay_url);
	let relay_api = Gateway { addr: relay_listen.clone(), token: String::new() };
	let start = Instant::now();
	let relay_institution = loop {
		let health = relay_api.get("/health").and_then(|(_, body)| {
			serde_json::from_slice::<Value>(&body).ok()?["institution"].as_u64()
		});
		if let Some(institution) = health {
			break institution as u32;
		}
		assert!(start.elapsed() < START_TIMEOUT, "the relay answers: {}", relay.log());
		std::thread::sleep(Duration::from_millis(250));
	};

	// A patient of Nord: registered by Nord's device, confirmed by the patient.
	let patient_key = sr25519::Pair::generate().0;
	let patient: AccountId = patient_key.public().into();
	let pseudonym = medchain_harness::to_hex(patient.as_ref());
	let nord_keys = medchain_gateway::keys::DeviceKeys::load(&dir.path().join("nord")).unwrap();
	execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		}),
		&nord_keys.signing,
	);
	execute(
		node,
		RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		}),
		&patient_key,
	);
	let lab = format!(
		r#"{{"resourceType":"Observation","status":"final","code":{{"text":"HbA1c"}},"note":[{{"text":"{MARKER}"}}]}}"#
	);
	let image: Vec<u8> =
		(0..700_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
	let post = |id: &str, category: &str, format: &str, body: &[u8]| {
		let path = format!(
			"/records?patient={pseudonym}&category={category}&format={format}&recordId={id}"
		);
		let (status, answer) = nord.api.json("POST", &path, body);
		assert_eq!(status, 202, "{answer}");
	};
	post("lab-1", "Laboratory", "FhirJson", lab.as_bytes());
	post("img-1", "Imaging", "Dicom", &image);
	wait_final_record(&nord, "lab-1");
	wait_final_record(&nord, "img-1");
	eprintln!(
		"check 1: network, relay operator, two gateways, patient and records ready ({:?})",
		t0.elapsed()
	);

	// 2. No consent: refused by the chain; nothing held, nothing at the relay.
	let before = free(node, &sud.device);
	let (status, refused) = ask(&sud, &pseudonym, &["lab-1"], &[]);
	assert_eq!(status, 422, "{refused}");
	assert!(refused["error"].as_str().unwrap().contains("NoConsent"), "{refused}");
	let reserved: Option<frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>> = node
		.storage(
			&frame_system::Account::<medchain_runtime::Runtime>::hashed_key_for(&sud.device),
			None,
		)
		.unwrap();
	assert_eq!(reserved.map(|a| a.data.reserved + a.data.frozen).unwrap_or_default(), 0);
	assert!(free(node, &sud.device) <= before, "only the transaction fee was paid");
	let (_, health) = relay_api.json("GET", "/health", b"");
	assert_eq!((health["packages"].clone(), health["uploading"].clone()), (json!(0), json!(0)));
	eprintln!("check 2: no consent → NoConsent, nothing held, relay empty");

	// 3. The happy path.
	let consent = grant(node, &patient_key);
	let eve_before = free(node, &Eve.to_account_id());
	let (status, asked) = ask(&sud, &pseudonym, &["lab-1"], &["Imaging"]);
	assert_eq!(status, 201, "{asked}");
	let id = asked["request"].as_u64().unwrap();
	let fee: u128 = asked["fee"].as_str().unwrap().parse().unwrap();
	let asked_at = Instant::now();
	let confirmed = wait_progress(&sud, id, "confirmed");
	let latency = asked_at.elapsed();
	let received = confirmed["received"].as_array().unwrap().clone();
	assert_eq!(received.len(), 2, "{confirmed}");
	for (index, item) in received.iter().enumerate() {
		let (status, headers, body) =
			sud.api.request("GET", &format!("/exchanges/{id}/documents/{index}"), b"");
		assert_eq!(status, 200);
		let expected: &[u8] = match item["recordId"].as_str().unwrap() {
			"lab-1" => lab.as_bytes(),
			"img-1" => &image,
			other => panic!("unexpected record {other}"),
		};
		assert_eq!(body, expected, "byte-identical");
		assert_eq!(headers.get("x-custodian").map(String::as_str), Some("0"));
		// The hash verifies on chain, as another party would check it.
		let answer = node
			.rpc(
				"records_verify",
				json!([
					NORD,
					medchain_harness::to_hex(item["recordId"].as_str().unwrap().as_bytes()),
					item["contentHash"]
				]),
			)
			.unwrap();
		assert_eq!(answer["matchesCurrent"], json!(true), "{answer}");
	}
	// The fee split (docs/exchange.md): the relay operator's share is floor(fee × 50 ‰).
	let block = confirmed["progress"]["block"].as_u64().unwrap();
	let (custodian_amount, relay_amount) = events_at(node, block)
		.into_iter()
		.find_map(|e| match e {
			RuntimeEvent::Exchange(pallet_exchange::Event::ExchangeCompleted {
				request,
				custodian_amount,
				relay_amount,
				automatic: false,
			}) if request == id => Some((custodian_amount, relay_amount)),
			_ => None,
		})
		.expect("ExchangeCompleted by the requester's confirm");
	assert_eq!(relay_amount, fee * 50 / 1000);
	assert_eq!(custodian_amount + relay_amount, fee);
	wait("the relay share on Eve's account", STEP_TIMEOUT, || {
		(free(node, &Eve.to_account_id()) == eve_before + relay_amount).then_some(())
	});
	let view = chain_request(node, id);
	assert_eq!(view["delivery"]["relay"], json!(relay_institution), "{view}");
	// The disclosure log shows both releases to Sud.
	let page = node.rpc("consent_disclosures", json!([patient.to_string()])).unwrap();
	let releases: Vec<&Value> = page["entries"]
		.as_array()
		.unwrap()
		.iter()
		.filter(|e| e[1]["recipient"] == json!(SUD))
		.collect();
	assert_eq!(releases.len(), 2, "{page}");
	// The custodian's view, and the relay's deletion once paid.
	wait_progress(&nord, id, "completed");
	wait("the relay to delete the package", STEP_TIMEOUT, || {
		std::fs::read_dir(relay_data.join("packages")).ok()?.next().is_none().then_some(())
	});
	assert_eq!(files_containing(&relay_data, MARKER.as_bytes()), Vec::<PathBuf>::new());
	eprintln!(
		"check 3: request {id} confirmed in block {block} after {latency:?}; fee {fee}, custodian {custodian_amount}, relay {relay_amount}"
	);

	// 4. Altered at the relay: the requester disputes, the custodian is not paid.
	let (status, asked) = ask(&sud, &pseudonym, &["lab-1"], &[]);
	// Sud's gateway is paused before the delivery can be final, so the package is altered
	// before Sud fetches it.
	sud.process.signal("-STOP");
	assert_eq!(status, 201, "{asked}");
	let tampered = asked["request"].as_u64().unwrap();
	wait_chain(node, tampered, "delivered");
	wait(&format!("request {tampered} delivered and final"), STEP_TIMEOUT, || {
		let hash = node.finalized_hash().ok()?;
		let number = node.header_number(Some(&hash)).ok()?;
		let delivered_at = chain_request(node, tampered)["delivery"]["deliveredAt"].as_u64()?;
		(u64::from(number) >= delivered_at).then_some(())
	});
	let package = relay_data.join("packages").join(format!("{tampered}.mcpk"));
	let mut bytes = std::fs::read(&package).expect("the package is at the relay");
	let last = bytes.len() - 1;
	bytes[last] ^= 0x01;
	std::fs::write(&package, bytes).unwrap();
	sud.process.signal("-CONT");
	let disputed = wait_progress(&sud, tampered, "disputed");
	assert_eq!(disputed["progress"]["reason"], json!("PackageMismatch"), "{disputed}");
	let view = wait_chain(node, tampered, "disputed");
	assert!(view.to_string().contains("ackageMismatch"), "{view}");
	assert_eq!(
		sud.api.json("GET", &format!("/exchanges/{tampered}"), b"").1["received"],
		json!([])
	);
	eprintln!("check 4: altered package → disputed (PackageMismatch), nothing kept, nobody paid");

	// 5. Revocation between request and delivery: refunded, nothing uploaded.
	nord.process.signal("-STOP");
	let (status, asked) = ask(&sud, &pseudonym, &["lab-1"], &[]);
	assert_eq!(status, 201, "{asked}");
	let revoked = asked["request"].as_u64().unwrap();
	execute(node, RuntimeCall::Consent(pallet_consent::Call::revoke { consent }), &patient_key);
	let revoked_at = node.best_number().unwrap();
	node.wait_finalized(revoked_at + 1, STEP_TIMEOUT).unwrap();
	nord.process.signal("-CONT");
	let refunded = wait_progress(&sud, revoked, "refunded");
	let nord_view = wait_progress(&nord, revoked, "declined");
	let reason = nord_view["progress"]["reason"].as_str().unwrap();
	assert!(reason.contains("Revoked"), "the custodian re-checked the consent: {nord_view}");
	assert!(refunded["progress"]["cause"].as_str().unwrap().contains("Declined"), "{refunded}");
	let sud_client =
		RelayClient::new(&relay_url, genesis(node), sud_keys(dir.path()).signing).unwrap();
	let runtime = tokio::runtime::Runtime::new().unwrap();
	assert_eq!(runtime.block_on(sud_client.held(revoked)).unwrap(), None, "nothing uploaded");
	eprintln!("check 5: consent revoked before delivery → declined ({reason}), refunded, nothing uploaded");

	// 6. The relay killed in the middle of an upload, then restarted: the upload resumes.
	let consent = grant(node, &patient_key);
	let big: Vec<u8> = (0..6_000_000u32).map(|i| (i.wrapping_mul(40_503) >> 7) as u8).collect();
	post("img-2", "Imaging", "Dicom", &big);
	wait_final_record(&nord, "img-2");
	let (status, asked) = ask(&sud, &pseudonym, &["img-2"], &[]);
	assert_eq!(status, 201, "{asked}");
	let resumed = asked["request"].as_u64().unwrap();
	let part = relay_data.join("uploads").join(format!("{resumed}.part"));
	// Polled closely: the upload takes a fraction of a second.
	let start = Instant::now();
	while std::fs::metadata(&part).map(|m| m.len()).unwrap_or_default() == 0 {
		assert!(start.elapsed() < STEP_TIMEOUT, "the upload never started: {}", nord.process.log());
		std::thread::sleep(Duration::from_millis(2));
	}
	relay.signal("-KILL");
	let cut = std::fs::metadata(&part).map(|m| m.len()).unwrap_or_default();
	drop(relay);
	relay = serve_relay();
	let confirmed = wait_progress(&sud, resumed, "confirmed");
	let (_, _, body) = sud.api.request("GET", &format!("/exchanges/{resumed}/documents/0"), b"");
	assert!(body == big, "the resumed package delivers the document byte for byte");
	assert!(cut < 6_000_000, "the relay was stopped mid-upload ({cut} bytes)");
	eprintln!(
		"check 6: relay killed after {cut} bytes, restarted, exchange {resumed} confirmed: {}",
		confirmed["progress"]
	);
	let _ = consent;

	// 7. A device of another institution, or an account that is no device: 403, nothing learnt.
	let charlie = RelayClient::new(&relay_url, genesis(node), Charlie.pair()).unwrap();
	match runtime.block_on(charlie.held(resumed)) {
		Err(medchain_relay::Error::Remote(403, _)) => {},
		other => panic!("expected 403, got {other:?}"),
	}
	let nord_client =
		RelayClient::new(&relay_url, genesis(node), nord_keys.signing.clone()).unwrap();
	match runtime.block_on(nord_client.download(tampered, &dir.path().join("x"), 10)) {
		Err(medchain_relay::Error::Remote(403, _)) => {},
		other => panic!("the custodian may not download: {other:?}"),
	}
	// The relay's audit log is anchored on chain.
	let (_, health) = relay_api.json("GET", "/health", b"");
	eprintln!("check 7: 403 for strangers; relay health {health}");
	wait("the audit head anchored", STEP_TIMEOUT, || {
		let (_, health) = relay_api.json("GET", "/health", b"");
		(health["auditAnchored"].as_u64()? > 0).then_some(())
	});
	eprintln!("exchange test done in {:?}; relay log:\n{}", t0.elapsed(), relay.log());
}

fn genesis(node: &Node) -> [u8; 32] {
	let hash = node.block_hash(0).unwrap().unwrap();
	medchain_harness::from_hex(&hash).unwrap().try_into().unwrap()
}

fn sud_keys(dir: &Path) -> medchain_gateway::keys::DeviceKeys {
	medchain_gateway::keys::DeviceKeys::load(&dir.join("sud")).unwrap()
}
