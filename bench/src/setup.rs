//! The hospital the record workloads anchor for, on a development chain (the funder holds
//! sudo): an institution admitted once with an admin derived as `//MedchainBench//admin`, every
//! sender added as its device, and one patient per sender (`//MedchainBench//patient//<i>`)
//! registered by a device and confirmed by the patient (fee-free). Each step is skipped where
//! the chain shows it done, so runs after the first start at once.

use crate::senders::{self, submit, until_final};
use medchain_client::{tx::ChainContext, ws::WsClient, Error};
use medchain_runtime::{currency::MED, AccountId, Runtime, RuntimeCall};
use pallet_institutions::InstitutionKind;
use sp_core::{sr25519, Pair};

/// What the record workloads need.
#[derive(Clone, Debug)]
pub struct Hospital {
	/// Its institution id.
	pub id: u32,
	/// Its patients, one per sender.
	pub patients: Vec<AccountId>,
}

/// Sets up (or finds) the bench's hospital with `devices` as its devices.
pub async fn hospital(
	ws: &WsClient,
	ctx: ChainContext,
	sudo: &sr25519::Pair,
	devices: &[sr25519::Pair],
) -> Result<Hospital, Error> {
	let admin = senders::pair("//MedchainBench//admin")?;
	let admin_account: AccountId = admin.public().into();
	let admin_key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&admin_account);
	if ws.storage::<u32>(&admin_key, None).await?.is_none() {
		senders::fund(ws, ctx, sudo, std::slice::from_ref(&admin_account), 100 * MED).await?;
		let admit = RuntimeCall::Institutions(pallet_institutions::Call::admit {
			admin: admin_account.clone(),
			kind: InstitutionKind::Hospital,
			name: b"Benchmark Hospital".to_vec(),
		});
		let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(admit) });
		let sudo_account: AccountId = sudo.public().into();
		let nonce = ws.next_nonce(&sudo_account).await?;
		submit(ws, ctx, call, sudo, nonce).await?;
		until_final(ws, &sudo_account, nonce + 1, "the admission").await?;
	}
	let id = ws.storage::<u32>(&admin_key, None).await?.ok_or_else(|| {
		Error::Invalid(
			"the benchmark hospital was not admitted (is the funder the sudo key?)".into(),
		)
	})?;

	// Devices.
	let mut nonce = ws.next_nonce(&admin_account).await?;
	for device in devices {
		let account: AccountId = device.public().into();
		let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(&account);
		if ws.storage::<pallet_institutions::Device<u32>>(&key, None).await?.is_some() {
			continue;
		}
		let call =
			RuntimeCall::Institutions(pallet_institutions::Call::add_device { device: account });
		submit(ws, ctx, call, &admin, nonce).await?;
		nonce += 1;
	}
	until_final(ws, &admin_account, nonce, "adding the devices").await?;

	// Patients: registered by their sender, then confirmed by themselves.
	let mut patients = Vec::with_capacity(devices.len());
	let mut waits = Vec::new();
	let mut confirm = Vec::new();
	for (i, device) in devices.iter().enumerate() {
		let patient = senders::pair(&format!("//MedchainBench//patient//{i}"))?;
		let account: AccountId = patient.public().into();
		patients.push(account.clone());
		let key = pallet_institutions::Patients::<Runtime>::hashed_key_for(&account);
		if ws.storage::<pallet_institutions::PatientOf<Runtime>>(&key, None).await?.is_some() {
			continue;
		}
		let device_account: AccountId = device.public().into();
		let nonce = ws.next_nonce(&device_account).await?;
		let call = RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: account.clone(),
			guardian: None,
		});
		submit(ws, ctx, call, device, nonce).await?;
		waits.push((device_account, nonce + 1));
		confirm.push((patient, account));
	}
	for (device, nonce) in &waits {
		until_final(ws, device, *nonce, "the patients' registrations").await?;
	}
	for (patient, account) in &confirm {
		let nonce = ws.next_nonce(account).await?;
		let call = RuntimeCall::Institutions(pallet_institutions::Call::confirm_registration {
			patient: account.clone(),
			guardian: None,
		});
		submit(ws, ctx, call, patient, nonce).await?;
	}
	for (_, account) in &confirm {
		until_final(ws, account, 1, "the patients' confirmations").await?;
	}
	Ok(Hospital { id, patients })
}
