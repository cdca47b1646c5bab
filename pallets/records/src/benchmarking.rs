//! Benchmarks of every call over its whole input range, each in its worst case. Every patient
//! is registered at the benchmark's hospital, so the care-relationship rule of issue 12 holds.

use super::*;
use crate::Pallet as Records;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use pallet_institutions::Registry;
use sp_core::H256;

/// A device of a new active hospital and a registered patient of it.
fn device_and_patient<T: Config>() -> (T::AccountId, T::AccountId) {
	let (device, patient, _) = custodian_device_and_patient::<T>();
	(device, patient)
}

/// Same, with the hospital's id.
fn custodian_device_and_patient<T: Config>() -> (T::AccountId, T::AccountId, u32) {
	let device: T::AccountId = account("device", 0, 0);
	let patient: T::AccountId = account("patient", 0, 0);
	let id = T::Registry::benchmark_hospital_with_device(&device);
	T::Registry::benchmark_patient(&patient, id);
	(device, patient, id)
}

/// A record id of the maximum length, distinct for each `i`.
fn record_id<T: Config>(i: u32) -> Vec<u8> {
	let mut id = vec![b'r'; T::MaxRecordIdLen::get() as usize];
	let tag = i.to_le_bytes();
	let len = id.len();
	id[len.saturating_sub(4)..].copy_from_slice(&tag[..4.min(len)]);
	id
}

fn hash(i: u32) -> H256 {
	H256(sp_io::hashing::blake2_256(&i.to_le_bytes()))
}

/// Anchors record `i` for `patient` through the call itself.
fn anchored<T: Config>(device: &T::AccountId, patient: &T::AccountId, i: u32) -> Vec<u8> {
	let id = record_id::<T>(i);
	Records::<T>::anchor(
		RawOrigin::Signed(device.clone()).into(),
		patient.clone(),
		id.clone(),
		Category::Laboratory,
		hash(i),
		1_000,
		FormatCode::FhirJson,
	)
	.unwrap_or_else(|e| panic!("benchmark setup anchor failed: {e:?}"));
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn anchor() {
		let (device, patient) = device_and_patient::<T>();
		let id = record_id::<T>(0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(device),
			patient.clone(),
			id,
			Category::Laboratory,
			hash(0),
			1_000,
			FormatCode::FhirJson,
		);
		assert_eq!(PatientTallies::<T>::get(&patient).map_or(0, |t| t.active), 1);
	}

	/// One record for each of `n` distinct patients (each registered at the hospital): every
	/// record reads and writes its own patient's counters, the worst case.
	#[benchmark]
	fn anchor_batch(n: Linear<1, { T::MaxBatch::get() }>) {
		let (device, _, custodian) = custodian_device_and_patient::<T>();
		let patients: Vec<T::AccountId> = (0..n)
			.map(|i| {
				let patient: T::AccountId = account("batch-patient", i, 0);
				T::Registry::benchmark_patient(&patient, custodian);
				patient
			})
			.collect();
		let records: Vec<_> = patients
			.iter()
			.zip(0..n)
			.map(|(patient, i)| NewRecord {
				patient: patient.clone(),
				record_id: record_id::<T>(i),
				category: Category::Imaging,
				content_hash: hash(i),
				size: 10_000_000,
				format: FormatCode::Dicom,
			})
			.collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(device), records);
		for patient in &patients {
			assert_eq!(PatientTallies::<T>::get(patient).map_or(0, |t| t.active), 1);
		}
	}

	#[benchmark]
	fn anchor_root() {
		let (device, _, custodian) = custodian_device_and_patient::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(device), hash(7), 1_000_000);
		assert!(Roots::<T>::contains_key(custodian, hash(7)));
	}

	#[benchmark]
	fn supersede() {
		let (device, patient, custodian) = custodian_device_and_patient::<T>();
		let id = anchored::<T>(&device, &patient, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(device), id.clone(), 1, hash(1), 2_000, FormatCode::FhirJson);
		let verification = Records::<T>::verify(custodian, id, hash(1));
		assert_eq!(verification.map(|v| v.matches_current), Some(true));
	}

	/// The retracted record is not the patient's last one, so the last one moves into its
	/// slot.
	#[benchmark]
	fn retract() {
		let (device, patient, custodian) = custodian_device_and_patient::<T>();
		let id = anchored::<T>(&device, &patient, 0);
		anchored::<T>(&device, &patient, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(device), id.clone(), 1);
		let verification = Records::<T>::verify(custodian, id, hash(0));
		assert_eq!(verification.map(|v| v.status), Some(RecordStatus::Retracted));
		assert_eq!(PatientTallies::<T>::get(&patient).map_or(0, |t| t.active), 1);
	}

	/// The erased record is active and not the patient's last one (the slot move, as in
	/// `retract`).
	#[benchmark]
	fn erase() {
		let (device, patient, custodian) = custodian_device_and_patient::<T>();
		let id = anchored::<T>(&device, &patient, 0);
		anchored::<T>(&device, &patient, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(device), id.clone());
		let verification = Records::<T>::verify(custodian, id, hash(0));
		assert_eq!(verification.map(|v| v.status), Some(RecordStatus::Erased));
		assert_eq!(PatientTallies::<T>::get(&patient).map_or(0, |t| t.active), 1);
	}

	impl_benchmark_test_suite!(Records, crate::mock::new_test_ext(), crate::mock::Test);
}
