//! The `exchange` workload: the on-chain half of an exchange between two institutions —
//! request (the fee held), deliver (the receipt), confirm (the fee paid out) — as three bursts,
//! each followed to finality like any workload, and the cycle from the first request to the
//! last confirmation.
//!
//! Rules:
//! 1. Parties, on a development chain (the funder holds sudo): the benchmark hospital is the
//!    custodian, its devices (the senders) deliver; a clinic ("Benchmark Clinic", admin
//!    `//MedchainBench//clinic-admin`) requests and confirms with its devices
//!    `//MedchainBench//clinic//<i>` (as many as senders, funded for the fees); a relay
//!    operator ("Benchmark Relay") is named in the receipts. No package travels: the relay is
//!    measured by `medchain-relay bench`.
//! 2. Patient `i` has one laboratory record at the hospital, `bench-exchange-<i>`, and a
//!    consent to the clinic for laboratory records for treatment; both are made once.
//! 3. A clinic may have `max_pending_per_requester` requests waiting (64 by default); sudo
//!    raises it to the custodian's bound (`MaxPendingPerCustodian`) so that one clinic can have
//!    `--count` requests waiting at once.
//! 4. Request `i` is for patient `i mod P`'s laboratory records, for treatment, at most the
//!    default fee. The delivers are for the hospital's waiting requests from the clinic (read
//!    with `exchange_pending`), version 1 of the patient's record; the confirms for the
//!    delivered ones.

use crate::{
	senders::{self, submit, until_final},
	setup::{self, Hospital},
};
use medchain_client::{tx::ChainContext, ws::WsClient, Error};
use medchain_runtime::{currency::MED, AccountId, Balance, BlockNumber, Runtime, RuntimeCall};
use pallet_consent::Purpose;
use pallet_exchange::{PendingPage, RequestId, Status};
use pallet_institutions::InstitutionKind;
use pallet_records::{Category, FormatCode};
use serde_json::json;
use sp_core::{sr25519, H256};

/// The parties of the exchanges.
pub struct Parties {
	/// The requesting clinic.
	pub clinic: u32,
	/// Its devices (they request and confirm).
	pub clinic_devices: Vec<sr25519::Pair>,
	/// The relay operator named in the receipts.
	pub relay: u32,
	/// The custodian (the benchmark hospital).
	pub custodian: u32,
	/// The custodian's patients.
	pub patients: Vec<AccountId>,
}

/// The id of patient `i`'s exchanged record (rule 2).
pub fn record_id(i: usize) -> Vec<u8> {
	format!("bench-exchange-{i}").into_bytes()
}

/// Sets up the parties (rules 1–3), skipping what the chain shows done.
pub async fn setup(
	ws: &WsClient,
	ctx: ChainContext,
	sudo: &sr25519::Pair,
	hospital: &Hospital,
	devices: &[sr25519::Pair],
) -> Result<Parties, Error> {
	let (clinic, clinic_admin) = setup::institution(
		ws,
		ctx,
		sudo,
		"//MedchainBench//clinic-admin",
		InstitutionKind::Clinic,
		"Benchmark Clinic",
	)
	.await?;
	let (relay, _) = setup::institution(
		ws,
		ctx,
		sudo,
		"//MedchainBench//relay-admin",
		InstitutionKind::RelayOperator,
		"Benchmark Relay",
	)
	.await?;
	let clinic_devices: Vec<sr25519::Pair> = (0..devices.len())
		.map(|i| senders::pair(&format!("//MedchainBench//clinic//{i}")))
		.collect::<Result<_, _>>()?;
	setup::add_devices(ws, ctx, &clinic_admin, &clinic_devices).await?;
	senders::fund(ws, ctx, sudo, &senders::accounts(&clinic_devices), 10 * MED).await?;

	// Rule 3.
	let limit = <Runtime as pallet_exchange::Config>::MaxPendingPerCustodian::get();
	let params = exchange_parameters(ws).await?;
	if params.max_pending_per_requester < limit {
		let mut raised = params;
		raised.max_pending_per_requester = limit;
		let call =
			RuntimeCall::Exchange(pallet_exchange::Call::set_parameters { parameters: raised });
		setup::sudo_call(ws, ctx, sudo, call, "raising the clinic's queue limit").await?;
	}

	// Rule 2: records by the hospital's devices, consents by the patients.
	let patients = hospital.patient_accounts();
	let mut last = Vec::new();
	for (i, patient) in patients.iter().enumerate() {
		let key = pallet_records::Records::<Runtime>::hashed_key_for(
			hospital.id,
			frame_support::BoundedVec::<u8, _>::truncate_from(record_id(i)),
		);
		if ws.storage::<pallet_records::RecordOf<Runtime>>(&key, None).await?.is_some() {
			continue;
		}
		let device = &devices[i % devices.len()];
		let account: AccountId = sp_core::Pair::public(device).into();
		let nonce = ws.next_nonce(&account).await?;
		let call = RuntimeCall::Records(pallet_records::Call::anchor {
			patient: patient.clone(),
			record_id: record_id(i),
			category: Category::Laboratory,
			content_hash: H256(medchain_client::hashing::blake2_256(&record_id(i))),
			size: 4096,
			format: FormatCode::FhirJson,
		});
		submit(ws, ctx, call, device, nonce).await?;
		last.retain(|(a, _): &(AccountId, u32)| *a != account);
		last.push((account, nonce + 1));
	}
	for (account, nonce) in &last {
		until_final(ws, account, *nonce, "anchoring the exchanged records").await?;
	}
	let valid_until = ws.header(None).await?.number + 100_000;
	let mut granted = Vec::new();
	for (pair, patient) in hospital.patients.iter().zip(&patients) {
		if permits(ws, patient, clinic).await? {
			continue;
		}
		let nonce = ws.next_nonce(patient).await?;
		let call = RuntimeCall::Consent(pallet_consent::Call::grant {
			patient: patient.clone(),
			grantee: clinic,
			categories: frame_support::BoundedVec::truncate_from(vec![Category::Laboratory]),
			records: Default::default(),
			purposes: frame_support::BoundedVec::truncate_from(vec![Purpose::Treatment]),
			valid_from: None,
			valid_until,
			custodian: None,
		});
		submit(ws, ctx, call, pair, nonce).await.map_err(|e| {
			Error::Invalid(format!(
				"a patient's consent to the clinic was refused (has the patient used the day's \
				 fee-free consent transactions, e.g. in consent-grant before?): {e}"
			))
		})?;
		granted.push((patient.clone(), nonce + 1));
	}
	for (patient, nonce) in &granted {
		until_final(ws, patient, *nonce, "the patients' consents to the clinic").await?;
	}
	Ok(Parties { clinic, clinic_devices, relay, custodian: hospital.id, patients })
}

/// Whether the clinic may receive the patient's laboratory records for treatment now (the
/// question of the `consent-check` load, [`crate::checks::question`]).
async fn permits(ws: &WsClient, patient: &AccountId, clinic: u32) -> Result<bool, Error> {
	let question = crate::checks::question(core::slice::from_ref(patient), clinic, 1, 0, 0);
	let answer = ws.request("consent_check", question).await?;
	Ok(matches!(crate::checks::outcome(&answer), Ok(None)))
}

impl Parties {
	/// Request `i` (rule 4).
	pub fn request(&self, i: usize) -> RuntimeCall {
		RuntimeCall::Exchange(pallet_exchange::Call::request {
			custodian: self.custodian,
			patient: self.patients[i % self.patients.len()].clone(),
			record_ids: Vec::new(),
			categories: vec![Category::Laboratory],
			purpose: Purpose::Treatment,
			max_fee: MED,
		})
	}

	/// The delivery of request `id` about `patient` (rule 4).
	pub fn deliver(&self, id: RequestId, patient: &AccountId) -> Option<RuntimeCall> {
		let i = self.patients.iter().position(|p| p == patient)?;
		Some(RuntimeCall::Exchange(pallet_exchange::Call::deliver {
			request: id,
			package_hash: H256(medchain_client::hashing::blake2_256(&id.to_le_bytes())),
			package_size: 1 << 20,
			relay: self.relay,
			versions: vec![(record_id(i), 1)],
		}))
	}

	/// The confirmation of request `id`.
	pub fn confirm(id: RequestId) -> RuntimeCall {
		RuntimeCall::Exchange(pallet_exchange::Call::confirm { request: id })
	}

	/// The custodian's requests from the clinic still waiting for delivery, oldest first:
	/// (id, patient).
	pub async fn waiting(&self, ws: &WsClient) -> Result<Vec<(RequestId, AccountId)>, Error> {
		let mut out = Vec::new();
		for page in 0u32.. {
			let answer = ws.request("exchange_pending", json!([self.custodian, page])).await?;
			let page: PendingPage<AccountId, Balance, BlockNumber> =
				serde_json::from_value(answer).map_err(|e| Error::Decode(e.to_string()))?;
			let last = (page.page + 1) * page.page_size >= page.total || page.requests.is_empty();
			out.extend(
				page.requests
					.into_iter()
					.filter(|r| r.requester == self.clinic && r.status == Status::Requested)
					.map(|r| (r.id, r.patient)),
			);
			if last {
				break;
			}
		}
		Ok(out)
	}
}

/// The exchange pallet's parameters in force (the defaults until governance sets them).
async fn exchange_parameters(
	ws: &WsClient,
) -> Result<pallet_exchange::ParametersOf<Runtime>, Error> {
	let key = pallet_exchange::Params::<Runtime>::hashed_key();
	Ok(ws
		.storage(&key, None)
		.await?
		.unwrap_or_else(<Runtime as pallet_exchange::Config>::DefaultParameters::get))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn calls_follow_the_rules() {
		let patients: Vec<AccountId> = (0u8..3).map(|i| AccountId::new([i; 32])).collect();
		let parties = Parties {
			clinic: 2,
			clinic_devices: Vec::new(),
			relay: 3,
			custodian: 1,
			patients: patients.clone(),
		};
		let RuntimeCall::Exchange(pallet_exchange::Call::request { patient, categories, .. }) =
			parties.request(4)
		else {
			panic!("not a request")
		};
		assert_eq!((patient, categories), (patients[1].clone(), vec![Category::Laboratory]));
		let Some(RuntimeCall::Exchange(pallet_exchange::Call::deliver { versions, relay, .. })) =
			parties.deliver(9, &patients[2])
		else {
			panic!("not a delivery")
		};
		assert_eq!((versions, relay), (vec![(b"bench-exchange-2".to_vec(), 1)], 3));
		assert!(parties.deliver(9, &AccountId::new([9; 32])).is_none());
	}
}
