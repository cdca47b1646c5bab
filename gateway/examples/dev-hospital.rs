//! Sets up a demo hospital for a gateway on a development chain (`--dev`, where Alice holds
//! sudo and Bob is funded): admits "Demo Hospital" with Bob as its admin, registers the
//! gateway's device and funds it, and registers a demo patient (pseudonym derived from
//! `//DemoPatient`). Each step is skipped if done already. Used by `scripts/run.sh`; never for
//! a real network, where admission is a council motion (docs/governance.md).
//!
//! `cargo run --release -p medchain-gateway --example dev-hospital -- <node ws url> <gateway data dir>`
//!
//! Prints `institution=<id>` and `patient=<pseudonym hex>`. Exit code 1 on a failure.

use medchain_client::{blocking::WsClient, identity::PatientSecret, to_hex, tx, Chain};
use medchain_gateway::keys::DeviceKeys;
use medchain_runtime::{AccountId, Runtime, RuntimeCall};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::{path::PathBuf, process::ExitCode, time::Duration};

fn run(node: &str, data_dir: PathBuf) -> Result<(u32, AccountId), String> {
	let chain = WsClient::connect(node, Duration::from_secs(30)).map_err(|e| e.to_string())?;
	let keys = DeviceKeys::load(&data_dir).map_err(|e| e.to_string())?;
	let device: AccountId = keys.signing.public().into();
	let bob = Sr25519Keyring::Bob.pair();
	let admin_key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(
		Sr25519Keyring::Bob.to_account_id(),
	);
	let institution = match chain.storage::<u32>(&admin_key, None).map_err(|e| e.to_string())? {
		Some(id) => id,
		None => {
			let admit = RuntimeCall::Institutions(pallet_institutions::Call::admit {
				admin: Sr25519Keyring::Bob.to_account_id(),
				kind: pallet_institutions::InstitutionKind::Hospital,
				name: b"Demo Hospital".to_vec(),
			});
			let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(admit) });
			tx::execute(&chain, call, &Sr25519Keyring::Alice.pair()).map_err(|e| e.to_string())?;
			chain
				.storage::<u32>(&admin_key, None)
				.map_err(|e| e.to_string())?
				.ok_or("the hospital was not admitted")?
		},
	};
	let device_key = pallet_institutions::Devices::<Runtime>::hashed_key_for(&device);
	let registered: Option<pallet_institutions::Device<u32>> =
		chain.storage(&device_key, None).map_err(|e| e.to_string())?;
	if registered.is_none() {
		let call = RuntimeCall::Institutions(pallet_institutions::Call::add_device {
			device: device.clone(),
		});
		tx::execute(&chain, call, &bob).map_err(|e| e.to_string())?;
		tx::execute(&chain, tx::transfer(&device, 1_000_000_000_000_000), &bob)
			.map_err(|e| e.to_string())?;
	}
	let genesis = chain.block_hash(0).map_err(|e| e.to_string())?.ok_or("no genesis")?;
	let genesis =
		H256::from_slice(&medchain_client::from_hex(&genesis).map_err(|e| e.to_string())?);
	let secret = PatientSecret::new("//DemoPatient").map_err(|e| e.to_string())?;
	let patient_key = secret.pseudonym(&genesis, institution);
	let patient: AccountId = patient_key.public().into();
	let patient_entry = pallet_institutions::Patients::<Runtime>::hashed_key_for(&patient);
	let known: Option<pallet_institutions::PatientOf<Runtime>> =
		chain.storage(&patient_entry, None).map_err(|e| e.to_string())?;
	if known.is_none() {
		let register = RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: patient.clone(),
			guardian: None,
		});
		tx::execute(&chain, register, &keys.signing).map_err(|e| e.to_string())?;
		let confirm = RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: patient.clone(),
			guardian: None,
		});
		tx::execute(&chain, confirm, &patient_key).map_err(|e| e.to_string())?;
	}
	Ok((institution, patient))
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let [node, data_dir] = &args[..] else {
		eprintln!("usage: dev-hospital <node ws url> <gateway data dir>");
		return ExitCode::from(2);
	};
	match run(node, PathBuf::from(data_dir)) {
		Ok((institution, patient)) => {
			println!("institution={institution}");
			println!("patient={}", to_hex(patient.as_ref()));
			ExitCode::SUCCESS
		},
		Err(e) => {
			eprintln!("dev-hospital: {e}");
			ExitCode::from(1)
		},
	}
}
