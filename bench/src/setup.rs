//! The hospital the record workloads anchor for: where the funder administers an institution
//! (the consortium chain's founders), that one; on a development chain (the funder holds sudo)
//! an institution admitted once with an admin derived as `//MedchainBench//admin`. Every
//! sender added as its device, and patients (`//MedchainBench//patient//<i>`, by default one per
//! sender) each registered by a device and confirmed by the patient (fee-free). Each step is
//! skipped where the chain shows it done, so runs after the first start at once.

use crate::senders::{self, submit, until_final};
use medchain_client::{tx::ChainContext, ws::WsClient, Error};
use medchain_runtime::{currency::MED, AccountId, Runtime, RuntimeCall};
use pallet_institutions::InstitutionKind;
use sp_core::{sr25519, Pair};

/// What the record workloads need.
#[derive(Clone)]
pub struct Hospital {
	/// Its institution id.
	pub id: u32,
	/// Its patients' key pairs (they sign their consents).
	pub patients: Vec<sr25519::Pair>,
}

impl Hospital {
	/// Its patients' accounts.
	pub fn patient_accounts(&self) -> Vec<AccountId> {
		senders::accounts(&self.patients)
	}
}

/// Sets up (or finds) the bench's hospital with `devices` as its devices and `patients`
/// patients (patient `i` registered by device `i % devices.len()`).
pub async fn hospital(
	ws: &WsClient,
	ctx: ChainContext,
	funder: &sr25519::Pair,
	devices: &[sr25519::Pair],
	patients: usize,
) -> Result<Hospital, Error> {
	if devices.is_empty() {
		return Err(Error::Invalid("the benchmark hospital needs at least one device".into()));
	}
	// On a chain where the funder administers an institution (the consortium chain's founding
	// hospitals), that institution is the bench's; otherwise one is admitted with sudo.
	let funder_account: AccountId = funder.public().into();
	let funder_key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&funder_account);
	let (id, admin) = match ws.storage::<u32>(&funder_key, None).await? {
		Some(id) => (id, funder.clone()),
		None => {
			institution(
				ws,
				ctx,
				funder,
				"//MedchainBench//admin",
				InstitutionKind::Hospital,
				"Benchmark Hospital",
			)
			.await?
		},
	};
	add_devices(ws, ctx, &admin, devices).await?;

	// Patients: registered by a device, then confirmed by themselves.
	let mut pairs = Vec::with_capacity(patients);
	let mut next_nonce = std::collections::HashMap::new();
	let mut waits = std::collections::HashMap::new();
	let mut confirm = Vec::new();
	for i in 0..patients {
		let patient = senders::pair(&format!("//MedchainBench//patient//{i}"))?;
		let account: AccountId = patient.public().into();
		pairs.push(patient.clone());
		let key = pallet_institutions::Patients::<Runtime>::hashed_key_for(&account);
		if ws.storage::<pallet_institutions::PatientOf<Runtime>>(&key, None).await?.is_some() {
			continue;
		}
		let device = &devices[i % devices.len()];
		let device_account: AccountId = device.public().into();
		let nonce = match next_nonce.get(&device_account) {
			Some(n) => *n,
			None => ws.next_nonce(&device_account).await?,
		};
		next_nonce.insert(device_account.clone(), nonce + 1);
		let call = RuntimeCall::Institutions(pallet_institutions::Call::register_patient {
			patient: account.clone(),
			guardian: None,
		});
		submit(ws, ctx, call, device, nonce).await?;
		waits.insert(device_account, nonce + 1);
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
	Ok(Hospital { id, patients: pairs })
}

/// The institution administered by `admin_suri`'s account: admitted by `sudo` (with that
/// account funded) if it is not yet. Returns its id and the admin's key pair.
pub async fn institution(
	ws: &WsClient,
	ctx: ChainContext,
	sudo: &sr25519::Pair,
	admin_suri: &str,
	kind: InstitutionKind,
	name: &str,
) -> Result<(u32, sr25519::Pair), Error> {
	let admin = senders::pair(admin_suri)?;
	let admin_account: AccountId = admin.public().into();
	let admin_key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&admin_account);
	if ws.storage::<u32>(&admin_key, None).await?.is_none() {
		senders::fund(ws, ctx, sudo, std::slice::from_ref(&admin_account), 100 * MED).await?;
		let admit = RuntimeCall::Institutions(pallet_institutions::Call::admit {
			admin: admin_account.clone(),
			kind,
			name: name.as_bytes().to_vec(),
		});
		sudo_call(ws, ctx, sudo, admit, &format!("the admission of {name}")).await?;
	}
	let id = ws.storage::<u32>(&admin_key, None).await?.ok_or_else(|| {
		Error::Invalid(format!("{name} was not admitted (is the funder the sudo key?)"))
	})?;
	Ok((id, admin))
}

/// Dispatches `call` as root through `sudo` and waits until it is final.
pub async fn sudo_call(
	ws: &WsClient,
	ctx: ChainContext,
	sudo: &sr25519::Pair,
	call: RuntimeCall,
	what: &str,
) -> Result<(), Error> {
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let sudo_account: AccountId = sudo.public().into();
	let nonce = ws.next_nonce(&sudo_account).await?;
	submit(ws, ctx, call, sudo, nonce).await?;
	until_final(ws, &sudo_account, nonce + 1, what).await
}

/// Adds each of `devices` not yet a device to the institution of `admin`.
pub async fn add_devices(
	ws: &WsClient,
	ctx: ChainContext,
	admin: &sr25519::Pair,
	devices: &[sr25519::Pair],
) -> Result<(), Error> {
	let admin_account: AccountId = admin.public().into();
	let mut nonce = ws.next_nonce(&admin_account).await?;
	for device in devices {
		let account: AccountId = device.public().into();
		let key = pallet_institutions::Devices::<Runtime>::hashed_key_for(&account);
		if ws.storage::<pallet_institutions::Device<u32>>(&key, None).await?.is_some() {
			continue;
		}
		let call =
			RuntimeCall::Institutions(pallet_institutions::Call::add_device { device: account });
		submit(ws, ctx, call, admin, nonce).await?;
		nonce += 1;
	}
	until_final(ws, &admin_account, nonce, "adding the devices").await
}
