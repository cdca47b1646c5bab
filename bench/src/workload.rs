//! What each workload signs. `transfer` (`Balances::transfer_keep_alive`) is the baseline every
//! Substrate chain is compared with; MedChain's own workloads (anchors, consent) are added
//! beside it so that both are measured in the same run on the same node. `consent-check` is
//! no transaction: it is answered by [`crate::checks`].

use frame_support::BoundedVec;
use medchain_client::{
	hashing::blake2_256,
	tx::{self, ChainContext},
};
use medchain_runtime::{AccountId, Nonce, RuntimeCall};
use pallet_consent::Purpose;
use pallet_records::{Category, FormatCode, NewRecord};
use sp_core::{sr25519, Pair, H256};

/// A workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
	/// `Balances::transfer_keep_alive` of one unit to a fixed account: the baseline.
	Transfer,
	/// `System::remark` of 32 bytes: the per-extrinsic overhead alone (no storage written).
	Remark,
	/// `Records::anchor`: one record version of one of the hospital's patients.
	Anchor,
	/// `Records::anchor_batch` of `--batch` records.
	AnchorBatch,
	/// `Records::anchor_root` of a Merkle tree of `--batch` record hashes, built by the tool.
	AnchorRoot,
	/// `Consent::grant` by a patient (fee-free within the patient allowance): the benchmark
	/// hospital, laboratory records, for treatment.
	ConsentGrant,
	/// `consent_check` over JSON-RPC by `--clients` concurrent clients (no transaction).
	ConsentCheck,
	/// `Exchange::request` → `deliver` → `confirm` between a clinic and the benchmark
	/// hospital, three bursts of `--count` (development chain: see [`crate::exchange`]).
	Exchange,
}

/// What the calls refer to.
#[derive(Clone, Debug)]
pub struct Env {
	/// Where transfers go.
	pub sink: AccountId,
	/// The hospital's patients (record workloads).
	pub patients: Vec<AccountId>,
	/// A tag of this run, so record ids never repeat across runs.
	pub run: u64,
	/// Records per `anchor_batch` and leaves per `anchor_root`.
	pub batch: u32,
	/// The benchmark hospital (the grantee of the consents).
	pub hospital: u32,
	/// The last block of the consents granted.
	pub valid_until: u32,
}

impl Env {
	/// Record `j` of item `i` of workload `tag`: ids differ across workloads and runs.
	fn record(&self, tag: &str, i: usize, j: u32) -> NewRecord<AccountId> {
		let id = format!("bench-{}-{tag}-{i}-{j}", self.run);
		NewRecord {
			patient: self.patients[(i + j as usize) % self.patients.len().max(1)].clone(),
			content_hash: H256(blake2_256(id.as_bytes())),
			record_id: id.into_bytes(),
			category: Category::Laboratory,
			size: 4096,
			format: FormatCode::FhirJson,
		}
	}
}

impl Workload {
	/// The call item `i` of this workload makes, signed by `signer`; `None` for the
	/// workloads that are not one transaction per item (`consent-check`, `exchange`).
	pub fn call(&self, i: usize, signer: &AccountId, env: &Env) -> Option<RuntimeCall> {
		Some(match self {
			Workload::Transfer => {
				RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest: env.sink.clone().into(),
					value: 1,
				})
			},
			Workload::Remark => {
				let mut remark = [0u8; 32];
				remark[..8].copy_from_slice(&(i as u64).to_le_bytes());
				remark[8..16].copy_from_slice(&env.run.to_le_bytes());
				RuntimeCall::System(frame_system::Call::remark { remark: remark.to_vec() })
			},
			Workload::Anchor => {
				let r = env.record(self.name(), i, 0);
				RuntimeCall::Records(pallet_records::Call::anchor {
					patient: r.patient,
					record_id: r.record_id,
					category: r.category,
					content_hash: r.content_hash,
					size: r.size,
					format: r.format,
				})
			},
			Workload::AnchorBatch => RuntimeCall::Records(pallet_records::Call::anchor_batch {
				records: (0..env.batch).map(|j| env.record(self.name(), i, j)).collect(),
			}),
			Workload::AnchorRoot => {
				let leaves: Vec<H256> =
					(0..env.batch).map(|j| env.record(self.name(), i, j).content_hash).collect();
				RuntimeCall::Records(pallet_records::Call::anchor_root {
					root: pallet_records::merkle::root(&leaves).unwrap_or_default(),
					leaf_count: leaves.len() as u64,
				})
			},
			Workload::ConsentCheck | Workload::Exchange => return None,
			Workload::ConsentGrant => RuntimeCall::Consent(pallet_consent::Call::grant {
				patient: signer.clone(),
				grantee: env.hospital,
				categories: BoundedVec::truncate_from(vec![Category::Laboratory]),
				records: Default::default(),
				purposes: BoundedVec::truncate_from(vec![Purpose::Treatment]),
				valid_from: None,
				valid_until: env.valid_until,
				custodian: None,
			}),
		})
	}

	/// Records (or transfers) one item carries.
	pub fn per_item(&self, env: &Env) -> u32 {
		match self {
			Workload::AnchorBatch | Workload::AnchorRoot => env.batch,
			_ => 1,
		}
	}

	/// Whether it needs the benchmark hospital (devices and patients).
	pub fn needs_hospital(&self) -> bool {
		!matches!(self, Workload::Transfer | Workload::Remark)
	}

	/// Whether the patients sign it (else the senders).
	pub fn signed_by_patients(&self) -> bool {
		matches!(self, Workload::ConsentGrant)
	}

	/// Whether each item is one transaction signed in advance.
	pub fn is_transaction(&self) -> bool {
		!matches!(self, Workload::ConsentCheck | Workload::Exchange)
	}

	/// Its name in tables.
	pub fn name(&self) -> &'static str {
		match self {
			Workload::Transfer => "transfer",
			Workload::Remark => "remark",
			Workload::Anchor => "anchor",
			Workload::AnchorBatch => "anchor-batch",
			Workload::AnchorRoot => "anchor-root",
			Workload::ConsentGrant => "consent-grant",
			Workload::ConsentCheck => "consent-check",
			Workload::Exchange => "exchange",
		}
	}
}

/// Signs `count` items of `workload`, item `i` by sender `i % senders.len()` at that sender's
/// next nonce, in submission order (each sender's nonces ascending).
pub fn sign(
	workload: Workload,
	count: usize,
	senders: &[(sr25519::Pair, Nonce)],
	env: &Env,
	ctx: ChainContext,
) -> Result<Vec<Vec<u8>>, String> {
	let calls = (0..count)
		.map(|i| {
			let signer: AccountId = senders[i % senders.len()].0.public().into();
			workload
				.call(i, &signer, env)
				.ok_or_else(|| format!("{} is not signed in advance", workload.name()))
		})
		.collect::<Result<Vec<_>, _>>()?;
	Ok(sign_calls(calls, senders, ctx))
}

/// Signs `calls`, call `i` by sender `i % senders.len()` at that sender's next nonce, in
/// order (each sender's nonces ascending).
pub fn sign_calls(
	calls: Vec<RuntimeCall>,
	senders: &[(sr25519::Pair, Nonce)],
	ctx: ChainContext,
) -> Vec<Vec<u8>> {
	let mut next: Vec<Nonce> = senders.iter().map(|(_, n)| *n).collect();
	calls
		.into_iter()
		.enumerate()
		.map(|(i, call)| {
			let s = i % senders.len();
			let nonce = next[s];
			next[s] += 1;
			codec::Encode::encode(&tx::signed(call, &senders[s].0, nonce, ctx))
		})
		.collect()
}

/// The account the transfers go to.
pub fn sink() -> AccountId {
	sr25519::Pair::from_string("//MedchainBench//sink", None)
		.map(|p| p.public().into())
		.unwrap_or_else(|_| AccountId::new([0x5a; 32]))
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;

	#[test]
	fn items_rotate_over_senders_with_ascending_nonces() {
		let ctx =
			ChainContext { genesis: H256::repeat_byte(1), spec_version: 1, transaction_version: 1 };
		let senders: Vec<(sr25519::Pair, Nonce)> =
			crate::senders::senders(2).unwrap().into_iter().zip([5, 9]).collect();
		let env = Env {
			sink: sink(),
			patients: vec![sink()],
			run: 1,
			batch: 3,
			hospital: 7,
			valid_until: 1_000,
		};
		let who = sink();
		let signed = sign(Workload::Transfer, 5, &senders, &env, ctx).unwrap();
		assert_eq!(signed.len(), 5);
		let nonces: Vec<(AccountId, Nonce)> = signed
			.iter()
			.map(|bytes| {
				let xt = medchain_runtime::UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
				let (address, _, ext) = match xt.preamble {
					sp_runtime::generic::Preamble::Signed(a, s, e) => (a, s, e),
					_ => panic!("not signed"),
				};
				let sp_runtime::MultiAddress::Id(who) = address else { panic!("address") };
				(who, (ext.5).0)
			})
			.collect();
		let a: AccountId = senders[0].0.public().into();
		let b: AccountId = senders[1].0.public().into();
		assert_eq!(nonces, vec![(a.clone(), 5), (b.clone(), 9), (a.clone(), 6), (b, 10), (a, 7)]);
		// Distinct remarks, so no two items are the same transaction.
		assert_ne!(Workload::Remark.call(0, &who, &env), Workload::Remark.call(1, &who, &env));
		// A batch carries its records, each with its own id.
		let Some(RuntimeCall::Records(pallet_records::Call::anchor_batch { records })) =
			Workload::AnchorBatch.call(4, &who, &env)
		else {
			panic!("not a batch")
		};
		assert_eq!(records.len(), 3);
		assert_eq!(records[2].record_id, b"bench-1-anchor-batch-4-2".to_vec());
		// Never the id a single anchor of the same run used.
		let Some(RuntimeCall::Records(pallet_records::Call::anchor { record_id, .. })) =
			Workload::Anchor.call(4, &who, &env)
		else {
			panic!("not an anchor")
		};
		assert_ne!(record_id, b"bench-1-anchor-batch-4-0".to_vec());
		assert_ne!(records[0].content_hash, records[1].content_hash);
		assert_eq!(Workload::AnchorBatch.per_item(&env), 3);
		assert!(Workload::Anchor.needs_hospital() && !Workload::Transfer.needs_hospital());
		// A root over the same leaves as a batch of the same item and tag would carry.
		let Some(RuntimeCall::Records(pallet_records::Call::anchor_root { root, leaf_count })) =
			Workload::AnchorRoot.call(2, &who, &env)
		else {
			panic!("not a root")
		};
		let leaves: Vec<H256> =
			(0..3).map(|j| env.record("anchor-root", 2, j).content_hash).collect();
		assert_eq!((root, leaf_count), (pallet_records::merkle::root(&leaves).unwrap(), 3));
		assert_eq!(Workload::AnchorRoot.per_item(&env), 3);
		// A patient grants the hospital, for themselves.
		let Some(RuntimeCall::Consent(pallet_consent::Call::grant { patient, grantee, .. })) =
			Workload::ConsentGrant.call(0, &who, &env)
		else {
			panic!("not a grant")
		};
		assert_eq!((patient, grantee), (who.clone(), 7));
		assert!(
			Workload::ConsentGrant.signed_by_patients() && !Workload::ConsentCheck.is_transaction()
		);
		assert_eq!(Workload::Exchange.call(0, &who, &env), None);
		assert!(sign(Workload::ConsentCheck, 1, &senders, &env, ctx).is_err());
	}
}
