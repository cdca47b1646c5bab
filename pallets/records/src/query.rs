//! Questions about anchored records: verification for anyone (runtime API and JSON-RPC) and
//! the [`RecordIndex`] other pallets ask.

use crate::{
	merkle,
	pallet::{Config, Pallet, PatientRecords, PatientTallies, RecordIdOf, Records, Roots},
	Category, InclusionProof, InclusionVerification, PatientRecord, PatientRecordsPage,
	RecordIndex, RecordStatus, Verification,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::InstitutionId;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Is `content_hash` the document `custodian` anchored as `record_id`? `None` if there
	/// is no such record (or the id is too long to exist).
	pub fn verify(
		custodian: InstitutionId,
		record_id: Vec<u8>,
		content_hash: H256,
	) -> Option<Verification<T::AccountId, BlockNumberFor<T>>> {
		let record_id: RecordIdOf<T> = record_id.try_into().ok()?;
		let record = Records::<T>::get(custodian, &record_id)?;
		let key = (custodian, record_id);
		let current = Self::version(&key, &record, record.current_version)?;
		let matched_version = Self::version_with_hash(&key, &record, content_hash);
		let matched = matched_version.and_then(|v| Self::version(&key, &record, v));
		Some(Verification {
			matches_current: record.status == RecordStatus::Active
				&& matched_version == Some(record.current_version),
			matched_version,
			matched,
			current_version: record.current_version,
			current,
			category: record.category,
			status: record.status,
		})
	}

	/// Is `leaf` (a record's content hash) in the tree of the `root` anchored by `custodian`?
	/// A root anchored only by another institution is unknown here (`root: None`).
	pub fn verify_inclusion(
		custodian: InstitutionId,
		root: H256,
		leaf: H256,
		proof: InclusionProof,
	) -> InclusionVerification<T::AccountId, BlockNumberFor<T>> {
		match Roots::<T>::get(custodian, root) {
			None => InclusionVerification { included: false, root: None },
			Some(entry) => InclusionVerification {
				included: merkle::verify(
					&root,
					&leaf,
					proof.leaf_index,
					entry.leaf_count,
					&proof.siblings,
				),
				root: Some(entry),
			},
		}
	}

	/// Page `page` (from 0) of a patient's active records, `PageSize` per page, in the order
	/// of the patient's list (see [`crate::custody`]).
	pub fn records_of(patient: &T::AccountId, page: u32) -> PatientRecordsPage {
		let total = PatientTallies::<T>::get(patient).map_or(0, |t| t.active);
		let page_size = T::PageSize::get();
		let start = page.saturating_mul(page_size);
		let end = start.saturating_add(page_size).min(total);
		let records = (start..end)
			.filter_map(|i| PatientRecords::<T>::get(patient, i))
			.filter_map(|(custodian, record_id)| {
				let r = Records::<T>::get(custodian, &record_id)?;
				Some(PatientRecord {
					custodian,
					record_id: record_id.into_inner(),
					category: r.category,
					status: r.status,
					current_version: r.current_version,
				})
			})
			.collect();
		PatientRecordsPage { total, page, page_size, records }
	}
}

impl<T: Config> RecordIndex<T::AccountId> for Pallet<T> {
	fn record_facts(
		custodian: InstitutionId,
		record_id: &[u8],
	) -> Option<(T::AccountId, Category)> {
		let record_id: RecordIdOf<T> = record_id.to_vec().try_into().ok()?;
		let record = Records::<T>::get(custodian, &record_id)?;
		(record.status == RecordStatus::Active).then_some((record.patient, record.category))
	}

	fn version_facts(
		custodian: InstitutionId,
		record_id: &[u8],
		version: u32,
	) -> Option<(T::AccountId, Category)> {
		let record_id: RecordIdOf<T> = record_id.to_vec().try_into().ok()?;
		let record = Records::<T>::get(custodian, &record_id)?;
		(record.status == RecordStatus::Active && version >= 1 && version <= record.current_version)
			.then_some((record.patient, record.category))
	}

	fn has_active_in_category(
		custodian: InstitutionId,
		patient: &T::AccountId,
		category: Category,
	) -> bool {
		PatientTallies::<T>::get(patient).is_some_and(|t| t.in_category(custodian, category) > 0)
	}

	/// Stores the record (version 1, a hash derived from the id, anchored by the patient's
	/// account as a stand-in device) and counts it in, without the anchoring checks. Does
	/// nothing if the record exists or the id is too long.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(
		custodian: InstitutionId,
		patient: &T::AccountId,
		record_id: &[u8],
		category: Category,
	) {
		let Ok(id) = RecordIdOf::<T>::try_from(record_id.to_vec()) else { return };
		if Records::<T>::contains_key(custodian, &id) {
			return;
		}
		let hash = H256(sp_io::hashing::blake2_256(record_id));
		let version = Self::new_version(patient, hash, 1, crate::FormatCode::Other);
		Self::store_version_one(&(custodian, id), patient, category, version);
	}
}
