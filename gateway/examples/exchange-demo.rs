//! The exchange demo on a development chain (`--dev`: Alice holds sudo, the well-known
//! accounts are funded), used by `scripts/demo.sh` (and `scripts/bench-exchange.sh`):
//!
//! `exchange-demo setup <node ws url> <relay dir> <nord dir> <sud dir>` admits Hôpital Nord
//! (admin Bob), Hôpital Sud (admin Charlie) and a relay operator (admin Dave) with sudo, adds
//! and funds each one's device, and registers a demo patient at Nord. Each step is skipped if
//! done already. Prints `nord=`, `sud=`, `relay=`, `patient=`.
//!
//! `exchange-demo run <node ws url> <nord dir> <nord api> <sud api> [count]` posts a record
//! to Nord's gateway, the patient grants Sud a consent, then Sud's gateway asks for the record
//! `count` times (default 1), printing each step with its block and the fee, and the latency
//! from `POST /exchanges` to the `confirm` being final (p50/p95 when count > 1).
//!
//! Never for a real network, where admission is a council motion (docs/governance.md).
//! Exit code 1 on a failure.

use medchain_client::{blocking::WsClient, identity::PatientSecret, to_hex, tx, Chain};
use medchain_gateway::{bench::Connection, keys::DeviceKeys};
use medchain_runtime::{currency::MED, AccountId, Runtime, RuntimeCall};
use pallet_institutions::InstitutionKind;
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring::{self, *};
use std::{
	path::Path,
	process::ExitCode,
	time::{Duration, Instant},
};

type Res<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
	e.to_string()
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// The institution `admin` administers, admitted with sudo if it is not yet.
fn institution(
	chain: &WsClient,
	admin: Sr25519Keyring,
	kind: InstitutionKind,
	name: &str,
) -> Res<u32> {
	let key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(admin.to_account_id());
	if let Some(id) = chain.storage::<u32>(&key, None).map_err(err)? {
		return Ok(id);
	}
	let admit = RuntimeCall::Institutions(pallet_institutions::Call::admit {
		admin: admin.to_account_id(),
		kind,
		name: name.as_bytes().to_vec(),
	});
	tx::execute(chain, sudo(admit), &Alice.pair()).map_err(err)?;
	chain.storage::<u32>(&key, None).map_err(err)?.ok_or_else(|| format!("{name} not admitted"))
}

/// Adds `device` to `admin`'s institution and funds it, unless done.
fn device(chain: &WsClient, admin: Sr25519Keyring, device: &AccountId) -> Res<()> {
	let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(device);
	if chain.storage::<pallet_institutions::Device<u32>>(&key, None).map_err(err)?.is_none() {
		let call = pallet_institutions::Call::add_device { device: device.clone() };
		tx::execute(chain, RuntimeCall::Institutions(call), &admin.pair()).map_err(err)?;
	}
	if tx::free_balance(chain, device, None).map_err(err)? < 100 * MED {
		tx::execute(chain, tx::transfer(device, 1_000 * MED), &Ferdie.pair()).map_err(err)?;
	}
	Ok(())
}

fn genesis(chain: &WsClient) -> Res<H256> {
	let hash = chain.block_hash(0).map_err(err)?.ok_or("no genesis")?;
	Ok(H256::from_slice(&medchain_client::from_hex(&hash).map_err(err)?))
}

fn patient(chain: &WsClient, nord: u32) -> Res<sr25519::Pair> {
	let secret = PatientSecret::new("//DemoPatient").map_err(err)?;
	Ok(secret.pseudonym(&genesis(chain)?, nord))
}

fn setup(node: &str, relay_dir: &Path, nord_dir: &Path, sud_dir: &Path) -> Res<()> {
	let chain = WsClient::connect(node, Duration::from_secs(30)).map_err(err)?;
	let nord = institution(&chain, Bob, InstitutionKind::Hospital, "Hôpital Nord")?;
	let sud = institution(&chain, Charlie, InstitutionKind::Hospital, "Hôpital Sud")?;
	let relay = institution(&chain, Dave, InstitutionKind::RelayOperator, "Relais Central")?;
	let relay_key = medchain_relay::config::load_device_key(relay_dir).map_err(err)?;
	device(&chain, Dave, &relay_key.public().into())?;
	let nord_keys = DeviceKeys::load(nord_dir).map_err(err)?;
	device(&chain, Bob, &nord_keys.signing.public().into())?;
	let sud_keys = DeviceKeys::load(sud_dir).map_err(err)?;
	device(&chain, Charlie, &sud_keys.signing.public().into())?;
	let patient_key = patient(&chain, nord)?;
	let patient: AccountId = patient_key.public().into();
	let key = pallet_institutions::Patients::<Runtime>::hashed_key_for(&patient);
	if chain.storage::<pallet_institutions::PatientOf<Runtime>>(&key, None).map_err(err)?.is_none()
	{
		let register = pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		};
		tx::execute(&chain, RuntimeCall::Institutions(register), &nord_keys.signing)
			.map_err(err)?;
		let confirm = pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		};
		tx::execute(&chain, RuntimeCall::Institutions(confirm), &patient_key).map_err(err)?;
	}
	println!("nord={nord}\nsud={sud}\nrelay={relay}\npatient={}", to_hex(patient.as_ref()));
	Ok(())
}

/// A gateway's API: address and token.
struct Api {
	host: String,
	token: String,
}

impl Api {
	async fn call(&self, method: &str, path: &str, body: &[u8]) -> Res<(u16, Value)> {
		let mut connection = Connection::open(&self.host).await.map_err(err)?;
		let (status, body) = connection.send(method, path, &self.token, body).await.map_err(err)?;
		Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
	}

	async fn wait(&self, path: &str, what: &str, done: impl Fn(&Value) -> bool) -> Res<Value> {
		let start = Instant::now();
		loop {
			let (_, body) = self.call("GET", path, b"").await?;
			if done(&body) {
				return Ok(body);
			}
			if start.elapsed() > Duration::from_secs(180) {
				return Err(format!("timed out waiting for {what}: {body}"));
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}
}

fn api(text: &str) -> Res<Api> {
	let (token, host) = text.split_once('@').ok_or("an API is token@host:port")?;
	Ok(Api { host: host.to_string(), token: token.to_string() })
}

fn med(amount: &str) -> String {
	let planck: u128 = amount.parse().unwrap_or_default();
	format!("{}.{:012} MED", planck / MED, planck % MED)
}

fn exchange_run(
	rt: &tokio::runtime::Runtime,
	node: &str,
	nord_dir: &Path,
	nord: Api,
	sud: Api,
	count: usize,
) -> Res<()> {
	let chain = WsClient::connect(node, Duration::from_secs(30)).map_err(err)?;
	let nord_id = chain
		.storage::<u32>(
			&pallet_institutions::AdminOf::<Runtime>::hashed_key_for(Bob.to_account_id()),
			None,
		)
		.map_err(err)?
		.ok_or("run setup first")?;
	let sud_id = chain
		.storage::<u32>(
			&pallet_institutions::AdminOf::<Runtime>::hashed_key_for(Charlie.to_account_id()),
			None,
		)
		.map_err(err)?
		.ok_or("run setup first")?;
	let _ = DeviceKeys::load(nord_dir).map_err(err)?;
	let patient_key = patient(&chain, nord_id)?;
	let pseudonym = to_hex(patient_key.public().as_ref());

	let record = format!("demo-lab-{}", std::process::id());
	let document = br#"{"resourceType":"Observation","status":"final","code":{"text":"HbA1c"},"valueQuantity":{"value":6.1,"unit":"%"}}"#;
	let path = format!(
		"/records?patient={pseudonym}&category=Laboratory&format=FhirJson&recordId={record}"
	);
	let (status, answer) = rt.block_on(nord.call("POST", &path, document))?;
	if status != 202 {
		return Err(format!("Nord refused the record: {status} {answer}"));
	}
	println!("1. Hôpital Nord's gateway stored {record} for patient {pseudonym}");
	let stored =
		rt.block_on(nord.wait(&format!("/records/{record}"), "the record to be final", |b| {
			b["versions"][0]["anchor"]["status"] == "finalized"
		}))?;
	println!(
		"2. its hash {} is anchored in finalized block {}",
		stored["versions"][0]["contentHash"].as_str().unwrap_or("?"),
		stored["versions"][0]["anchor"]["block"]
	);
	let best = chain.best_number().map_err(err)?;
	let grant = RuntimeCall::Consent(pallet_consent::Call::grant {
		patient: patient_key.public().into(),
		grantee: sud_id,
		categories: vec![pallet_records::Category::Laboratory].try_into().map_err(|_| "bound")?,
		records: Default::default(),
		purposes: vec![pallet_consent::Purpose::Treatment].try_into().map_err(|_| "bound")?,
		valid_from: None,
		valid_until: best + 10_000,
		custodian: Some(nord_id),
	});
	let granted = tx::execute(&chain, grant, &patient_key).map_err(err)?;
	println!("3. the patient granted Hôpital Sud a consent (block {})", granted.block_number);

	let mut latencies = Vec::new();
	for round in 0..count {
		let ask = json!({
			"custodian": nord_id,
			"patient": pseudonym,
			"records": [record],
			"purpose": "Treatment",
			"maxFee": "1000000000000000",
		});
		let started = Instant::now();
		let (status, asked) =
			rt.block_on(sud.call("POST", "/exchanges", ask.to_string().as_bytes()))?;
		if status != 201 {
			return Err(format!("Sud's request was refused: {status} {asked}"));
		}
		let id = asked["request"].as_u64().ok_or("no request id")?;
		let done = rt.block_on(sud.wait(
			&format!("/exchanges/{id}"),
			"the exchange to be confirmed",
			|b| b["progress"]["status"] == "confirmed" || b["progress"]["status"] == "disputed",
		))?;
		let block = done["progress"]["block"].as_u64().ok_or(format!("not confirmed: {done}"))?;
		while u64::from(chain.finalized_number().map_err(err)?) < block {
			std::thread::sleep(Duration::from_millis(100));
		}
		let latency = started.elapsed();
		latencies.push(latency.as_secs_f64());
		let view = chain.rpc("exchange_request", json!([id])).map_err(err)?;
		if round == 0 {
			println!(
				"4. Hôpital Sud's gateway requested it: request {id} in block {}, fee {} held",
				asked["block"],
				med(asked["fee"].as_str().unwrap_or("0"))
			);
			println!(
				"5. Hôpital Nord's gateway sealed the package to Sud's device (HPKE), the relay {} carried it: delivered in block {} ({} bytes, SHA-256 {})",
				view["delivery"]["relay"],
				view["delivery"]["deliveredAt"],
				view["delivery"]["packageSize"],
				view["delivery"]["packageHash"].as_str().unwrap_or("?")
			);
			println!(
				"6. Sud's gateway verified {} record(s) on chain and confirmed in block {block} (final after {:.1} s)",
				done["received"].as_array().map(Vec::len).unwrap_or(0),
				latency.as_secs_f64()
			);
			let hash = chain.block_hash(block as u32).map_err(err)?.ok_or("no such block")?;
			let paid = tx::events(&chain, &hash).map_err(err)?;
			for record in paid {
				if let medchain_runtime::RuntimeEvent::Exchange(
					pallet_exchange::Event::ExchangeCompleted {
						custodian_amount,
						relay_amount,
						..
					},
				) = record.event
				{
					println!(
						"7. paid out: {} to Hôpital Nord, {} to the relay operator",
						med(&custodian_amount.to_string()),
						med(&relay_amount.to_string())
					);
				}
			}
			let disclosures = chain
				.rpc("consent_disclosures", json!([patient_key.public().to_string()]))
				.map_err(err)?;
			println!(
				"8. the patient's disclosure log lists {} release(s)",
				disclosures["entries"].as_array().map(Vec::len).unwrap_or(0)
			);
		}
	}
	if count > 1 {
		latencies.sort_by(|a, b| a.total_cmp(b));
		let pick =
			|p: f64| latencies[((p / 100.0) * (latencies.len() - 1) as f64).round() as usize];
		println!(
			"exchanges: {count}; POST /exchanges → confirm final: p50 {:.1} s, p95 {:.1} s, max {:.1} s",
			pick(50.0),
			pick(95.0),
			latencies[latencies.len() - 1]
		);
	}
	Ok(())
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
		["setup", node, relay, nord, sud] => setup(node, Path::new(relay), Path::new(nord), Path::new(sud)),
		["run", node, nord_dir, nord, sud, rest @ ..] => (|| {
			let count = rest.first().map(|c| c.parse().map_err(err)).transpose()?.unwrap_or(1);
			let runtime = tokio::runtime::Runtime::new().map_err(err)?;
			exchange_run(&runtime, node, Path::new(nord_dir), api(nord)?, api(sud)?, count)
		})(),
		_ => Err("usage: exchange-demo setup <node> <relay dir> <nord dir> <sud dir> | run <node> <nord dir> <token@nord host:port> <token@sud host:port> [count]".into()),
	};
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("exchange-demo: {e}");
			ExitCode::from(1)
		},
	}
}
