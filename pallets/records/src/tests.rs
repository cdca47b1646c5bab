//! Tests of every call's success and failure paths, verification, paging and invariants. Every
//! test runs in `build_and_execute`, which checks the pallet's invariants when it ends. The
//! rules of issue 12 (who may anchor for whom, quotas, roots per custodian, the migration) are
//! tested in `tests/hardening.rs`.

use crate::{
	merkle, mock::*, Category, Error, Event, FormatCode, InclusionProof, NewRecord, PatientTallies,
	RecordIdOf, RecordStatus, VersionStatus, Versions,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;

mod hardening;

fn h(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn anchor(device: u64, patient: u64, id: &[u8], hash: H256) -> sp_runtime::DispatchResult {
	Records::anchor(
		RuntimeOrigin::signed(device),
		patient,
		id.to_vec(),
		Category::Laboratory,
		hash,
		1234,
		FormatCode::FhirJson,
	)
}

fn new_record(patient: u64, id: &[u8], hash: H256) -> NewRecord<u64> {
	NewRecord {
		patient,
		record_id: id.to_vec(),
		category: Category::Imaging,
		content_hash: hash,
		size: 99,
		format: FormatCode::Dicom,
	}
}

/// The patient's active records, from their tally.
fn active_count(patient: u64) -> u32 {
	PatientTallies::<Test>::get(patient).map_or(0, |t| t.active)
}

fn key(custodian: u32, id: &[u8]) -> (u32, RecordIdOf<Test>) {
	(custodian, RecordIdOf::<Test>::try_from(id.to_vec()).unwrap())
}

/// A record as a chain before issue 12 could hold it (anchored by any institution for any
/// patient), stored and counted like any active record.
fn legacy_record(custodian: u32, patient: u64, id: &[u8], category: Category, hash: H256) {
	let version = Records::new_version(&HOSPITAL_DEVICE, hash, 10, FormatCode::Pdf);
	Records::store_version_one(&key(custodian, id), &patient, category, version);
}

mod anchoring {
	use super::*;

	#[test]
	fn a_device_anchors_a_record() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"lab-1", h(1)));
			System::assert_last_event(
				Event::RecordAnchored {
					custodian: HOSPITAL,
					record_id: b"lab-1".to_vec().try_into().unwrap(),
					patient: PATIENT,
					category: Category::Laboratory,
					content_hash: h(1),
				}
				.into(),
			);
			let v = Records::verify(HOSPITAL, b"lab-1".to_vec(), h(1)).unwrap();
			assert!(v.matches_current);
			assert_eq!(v.matched_version, Some(1));
			assert_eq!(v.current_version, 1);
			assert_eq!(v.category, Category::Laboratory);
			assert_eq!(v.status, RecordStatus::Active);
			assert_eq!(v.current.size, 1234);
			assert_eq!(v.current.format, FormatCode::FhirJson);
			assert_eq!(v.current.anchored_at, 1);
			assert_eq!(v.current.anchored_at_ms, NOW_MS);
			assert_eq!(v.current.anchored_by, HOSPITAL_DEVICE);
			assert_eq!(v.current.status, VersionStatus::Current);
		});
	}

	#[test]
	fn record_ids_are_unique_per_custodian_only() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(2)),
				Error::<Test>::DuplicateRecordId
			);
			// Another custodian may use the same id (for a patient in its care).
			assert_ok!(anchor(CLINIC_DEVICE, CLINIC_PATIENT, b"r", h(2)));
			assert!(Records::verify(CLINIC, b"r".to_vec(), h(2)).unwrap().matches_current);
			assert!(!Records::verify(HOSPITAL, b"r".to_vec(), h(2)).unwrap().matches_current);
		});
	}

	#[test]
	fn only_devices_of_active_institutions_anchor() {
		build_and_execute(|| {
			assert_noop!(anchor(STRANGER, PATIENT, b"r", h(1)), Error::<Test>::NotActiveDevice);
			// The admin is not a device.
			assert_noop!(
				anchor(HOSPITAL_ADMIN, PATIENT, b"r", h(1)),
				Error::<Test>::NotActiveDevice
			);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)),
				Error::<Test>::NotActiveDevice
			);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), HOSPITAL));
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			assert_ok!(Institutions::remove(RuntimeOrigin::root(), HOSPITAL));
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"s", h(2)),
				Error::<Test>::NotActiveDevice
			);
			// What it anchored before stays verifiable.
			assert!(Records::verify(HOSPITAL, b"r".to_vec(), h(1)).unwrap().matches_current);
		});
	}

	#[test]
	fn bad_input_is_rejected() {
		build_and_execute(|| {
			assert_noop!(
				anchor(HOSPITAL_DEVICE, STRANGER, b"r", h(1)),
				Error::<Test>::UnknownPatient
			);
			assert_noop!(anchor(HOSPITAL_DEVICE, PATIENT, b"", h(1)), Error::<Test>::EmptyRecordId);
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"123456789", h(1)),
				Error::<Test>::RecordIdTooLong
			);
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"12345678", h(1)));
			assert_noop!(
				Records::anchor(
					RuntimeOrigin::signed(HOSPITAL_DEVICE),
					PATIENT,
					b"x".to_vec(),
					Category::Other,
					h(2),
					0,
					FormatCode::Pdf
				),
				Error::<Test>::EmptyDocument
			);
		});
	}

	#[test]
	fn records_per_patient_are_bounded() {
		build_and_execute(|| {
			// Two from before issue 13 at the clinic (state written directly), four at the
			// hospital: six, the patient's bound.
			legacy_record(CLINIC, PATIENT, b"old", Category::Imaging, h(20));
			legacy_record(CLINIC, PATIENT, b"new", Category::Imaging, h(21));
			for i in 0..3u8 {
				assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, &[b'r', i], h(i)));
			}
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r3", h(3)));
			assert_eq!(active_count(PATIENT), 6);
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"one-more", h(9)),
				Error::<Test>::TooManyRecordsForPatient
			);
		});
	}
}

mod batches {
	use super::*;

	#[test]
	fn a_batch_anchors_all_its_records() {
		build_and_execute(|| {
			let batch = vec![
				new_record(PATIENT, b"a", h(1)),
				new_record(PATIENT, b"b", h(2)),
				new_record(PATIENT_2, b"c", h(3)),
				new_record(PATIENT_2, b"d", h(4)),
			];
			assert_ok!(Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), batch));
			for (id, n) in [(b"a", 1), (b"b", 2), (b"c", 3), (b"d", 4)] {
				assert!(Records::verify(HOSPITAL, id.to_vec(), h(n)).unwrap().matches_current);
			}
			assert_eq!(active_count(PATIENT), 2);
			assert_eq!(active_count(PATIENT_2), 2);
		});
	}

	#[test]
	fn a_batch_is_all_or_nothing() {
		build_and_execute(|| {
			let batch = vec![
				new_record(PATIENT, b"a", h(1)),
				new_record(PATIENT, b"b", h(2)),
				new_record(PATIENT, b"a", h(3)),
			];
			assert_noop!(
				Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), batch),
				Error::<Test>::DuplicateRecordId
			);
			assert!(Records::verify(HOSPITAL, b"a".to_vec(), h(1)).is_none());
			let unknown_patient =
				vec![new_record(PATIENT, b"a", h(1)), new_record(STRANGER, b"b", h(2))];
			assert_noop!(
				Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), unknown_patient),
				Error::<Test>::UnknownPatient
			);
		});
	}

	#[test]
	fn batch_size_is_checked() {
		build_and_execute(|| {
			assert_noop!(
				Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), vec![]),
				Error::<Test>::EmptyBatch
			);
			let five = (0..5u8).map(|i| new_record(PATIENT, &[i], h(i))).collect();
			assert_noop!(
				Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), five),
				Error::<Test>::BatchTooLarge
			);
			assert_noop!(
				Records::anchor_batch(
					RuntimeOrigin::signed(STRANGER),
					vec![new_record(PATIENT, b"a", h(1))]
				),
				Error::<Test>::NotActiveDevice
			);
		});
	}
}

mod roots {
	use super::*;

	#[test]
	fn an_anchored_root_proves_inclusion() {
		build_and_execute(|| {
			let leaves: Vec<H256> = (1..=5u8).map(h).collect();
			let root = merkle::root(&leaves).unwrap();
			assert_ok!(Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), root, 5));
			System::assert_last_event(
				Event::RootAnchored { custodian: HOSPITAL, root, leaf_count: 5 }.into(),
			);
			for i in 0..5 {
				let proof = InclusionProof {
					leaf_index: i as u64,
					siblings: merkle::proof(&leaves, i).unwrap(),
				};
				let v = Records::verify_inclusion(HOSPITAL, root, leaves[i], proof);
				assert!(v.included, "leaf {i}");
				let entry = v.root.unwrap();
				assert_eq!(entry.custodian, HOSPITAL);
				assert_eq!(entry.leaf_count, 5);
				assert_eq!(entry.anchored_at_ms, NOW_MS);
			}
			// A tampered leaf is not included; an unknown root is reported as unknown.
			let proof =
				InclusionProof { leaf_index: 0, siblings: merkle::proof(&leaves, 0).unwrap() };
			let tampered = Records::verify_inclusion(HOSPITAL, root, h(99), proof.clone());
			assert!(!tampered.included && tampered.root.is_some());
			let unknown = Records::verify_inclusion(HOSPITAL, h(42), leaves[0], proof.clone());
			assert!(!unknown.included && unknown.root.is_none());
			// The root is the hospital's: under the clinic it is unknown.
			let elsewhere = Records::verify_inclusion(CLINIC, root, leaves[0], proof);
			assert!(!elsewhere.included && elsewhere.root.is_none());
		});
	}

	#[test]
	fn root_anchoring_fails_cleanly() {
		build_and_execute(|| {
			assert_noop!(
				Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), h(1), 0),
				Error::<Test>::EmptyTree
			);
			assert_noop!(
				Records::anchor_root(RuntimeOrigin::signed(STRANGER), h(1), 3),
				Error::<Test>::NotActiveDevice
			);
			assert_ok!(Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), h(1), 3));
			assert_noop!(
				Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), h(1), 4),
				Error::<Test>::RootAlreadyAnchored
			);
		});
	}
}

mod versions {
	use super::*;

	fn supersede(device: u64, id: &[u8], expected: u32, hash: H256) -> sp_runtime::DispatchResult {
		Records::supersede(
			RuntimeOrigin::signed(device),
			id.to_vec(),
			expected,
			hash,
			77,
			FormatCode::Pdf,
		)
	}

	#[test]
	fn supersede_keeps_every_version_verifiable() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			System::set_block_number(2);
			assert_ok!(supersede(HOSPITAL_DEVICE, b"r", 1, h(2)));
			System::assert_last_event(
				Event::RecordSuperseded {
					custodian: HOSPITAL,
					record_id: b"r".to_vec().try_into().unwrap(),
					version: 2,
					content_hash: h(2),
				}
				.into(),
			);
			let new = Records::verify(HOSPITAL, b"r".to_vec(), h(2)).unwrap();
			assert!(new.matches_current);
			assert_eq!(new.current_version, 2);
			assert_eq!(new.current.anchored_at, 2);
			assert_eq!(new.current.size, 77);
			let old = Records::verify(HOSPITAL, b"r".to_vec(), h(1)).unwrap();
			assert!(!old.matches_current);
			assert_eq!(old.matched_version, Some(1));
			let matched = old.matched.unwrap();
			assert_eq!(matched.status, VersionStatus::Superseded);
			assert_eq!(matched.anchored_at, 1);
			// Walk the chain of versions.
			let key = (HOSPITAL, RecordIdOf::<Test>::try_from(b"r".to_vec()).unwrap());
			let record = crate::Records::<Test>::get(key.0, &key.1).unwrap();
			let hashes: Vec<H256> =
				(1..=2).map(|v| Records::version(&key, &record, v).unwrap().content_hash).collect();
			assert_eq!(hashes, vec![h(1), h(2)]);
		});
	}

	#[test]
	fn supersede_fails_cleanly() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			assert_noop!(supersede(HOSPITAL_DEVICE, b"r", 2, h(2)), Error::<Test>::WrongVersion);
			assert_noop!(
				supersede(HOSPITAL_DEVICE, b"nope", 1, h(2)),
				Error::<Test>::UnknownRecord
			);
			assert_noop!(supersede(CLINIC_DEVICE, b"r", 1, h(2)), Error::<Test>::UnknownRecord);
			assert_noop!(supersede(STRANGER, b"r", 1, h(2)), Error::<Test>::NotActiveDevice);
			assert_noop!(
				supersede(HOSPITAL_DEVICE, b"123456789", 1, h(2)),
				Error::<Test>::RecordIdTooLong
			);
			assert_noop!(
				supersede(HOSPITAL_DEVICE, b"r", 1, h(1)),
				Error::<Test>::HashAlreadyAnchored
			);
			assert_noop!(
				Records::supersede(
					RuntimeOrigin::signed(HOSPITAL_DEVICE),
					b"r".to_vec(),
					1,
					h(2),
					0,
					FormatCode::Pdf
				),
				Error::<Test>::EmptyDocument
			);
			assert_ok!(supersede(HOSPITAL_DEVICE, b"r", 1, h(2)));
			assert_ok!(supersede(HOSPITAL_DEVICE, b"r", 2, h(3)));
			assert_noop!(supersede(HOSPITAL_DEVICE, b"r", 3, h(4)), Error::<Test>::TooManyVersions);
		});
	}

	#[test]
	fn retract_marks_the_record_entered_in_error() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			assert_ok!(supersede(HOSPITAL_DEVICE, b"r", 1, h(2)));
			assert_noop!(
				Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"r".to_vec(), 1),
				Error::<Test>::WrongVersion
			);
			assert_noop!(
				Records::retract(RuntimeOrigin::signed(CLINIC_DEVICE), b"r".to_vec(), 2),
				Error::<Test>::UnknownRecord
			);
			assert_ok!(Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"r".to_vec(), 2));
			System::assert_last_event(
				Event::RecordRetracted {
					custodian: HOSPITAL,
					record_id: b"r".to_vec().try_into().unwrap(),
					version: 2,
				}
				.into(),
			);
			let v = Records::verify(HOSPITAL, b"r".to_vec(), h(2)).unwrap();
			assert!(!v.matches_current, "a retracted record matches nothing as current");
			assert_eq!(v.status, RecordStatus::Retracted);
			assert_eq!(v.matched.unwrap().status, VersionStatus::Retracted);
			assert_noop!(
				Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"r".to_vec(), 2),
				Error::<Test>::RecordRetracted
			);
			assert_noop!(supersede(HOSPITAL_DEVICE, b"r", 2, h(3)), Error::<Test>::RecordRetracted);
		});
	}

	#[test]
	fn erase_marks_active_and_retracted_records_for_good() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"a", h(1)));
			assert_ok!(supersede(HOSPITAL_DEVICE, b"a", 1, h(2)));
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"b", h(3)));
			assert_ok!(Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"b".to_vec(), 1));
			assert_eq!(active_count(PATIENT), 1);
			let erase =
				|device: u64, id: &[u8]| Records::erase(RuntimeOrigin::signed(device), id.to_vec());
			// Only the custodian's devices, only existing records.
			assert_noop!(erase(CLINIC_DEVICE, b"a"), Error::<Test>::UnknownRecord);
			assert_noop!(erase(HOSPITAL_DEVICE, b"zz"), Error::<Test>::UnknownRecord);
			assert_noop!(erase(PATIENT, b"a"), Error::<Test>::NotActiveDevice);

			// An active record leaves the patient's quota and list.
			assert_ok!(erase(HOSPITAL_DEVICE, b"a"));
			System::assert_last_event(
				Event::RecordErased {
					custodian: HOSPITAL,
					record_id: b"a".to_vec().try_into().unwrap(),
				}
				.into(),
			);
			assert_eq!(active_count(PATIENT), 0);
			let v = Records::verify(HOSPITAL, b"a".to_vec(), h(2)).unwrap();
			assert!(!v.matches_current, "an erased record matches nothing as current");
			assert_eq!(v.status, RecordStatus::Erased);
			assert_eq!(<Records as crate::RecordIndex<u64>>::record_facts(HOSPITAL, b"a"), None);
			// A retracted record may be erased too; then nothing changes it any more.
			assert_ok!(erase(HOSPITAL_DEVICE, b"b"));
			assert_eq!(active_count(PATIENT), 0);
			assert_noop!(erase(HOSPITAL_DEVICE, b"b"), Error::<Test>::RecordErased);
			assert_noop!(supersede(HOSPITAL_DEVICE, b"a", 2, h(4)), Error::<Test>::RecordErased);
			assert_noop!(
				Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"a".to_vec(), 2),
				Error::<Test>::RecordErased
			);
			// The id stays taken: a new document gets a new id.
			assert_noop!(
				anchor(HOSPITAL_DEVICE, PATIENT, b"a", h(5)),
				Error::<Test>::DuplicateRecordId
			);
		});
	}
}

mod queries {
	use super::*;

	#[test]
	fn verify_reports_unknown_records_and_tampered_hashes() {
		build_and_execute(|| {
			assert!(Records::verify(HOSPITAL, b"r".to_vec(), h(1)).is_none());
			assert!(Records::verify(HOSPITAL, vec![0; 100], h(1)).is_none());
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
			let tampered = Records::verify(HOSPITAL, b"r".to_vec(), h(2)).unwrap();
			assert!(!tampered.matches_current);
			assert_eq!(tampered.matched_version, None);
			assert!(tampered.matched.is_none());
		});
	}

	#[test]
	fn a_patients_records_are_listed_by_page() {
		build_and_execute(|| {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"a", h(1)));
			legacy_record(CLINIC, PATIENT, b"b", Category::Laboratory, h(2));
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT_2, b"x", h(3)));
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"c", h(4)));
			let page0 = Records::records_of(&PATIENT, 0);
			assert_eq!((page0.total, page0.page, page0.page_size), (3, 0, 2));
			let ids: Vec<_> =
				page0.records.iter().map(|r| (r.custodian, r.record_id.clone())).collect();
			assert_eq!(ids, vec![(HOSPITAL, b"a".to_vec()), (CLINIC, b"b".to_vec())]);
			let page1 = Records::records_of(&PATIENT, 1);
			assert_eq!(page1.records.len(), 1);
			assert_eq!(page1.records[0].record_id, b"c".to_vec());
			assert_eq!(page1.records[0].category, Category::Laboratory);
			assert!(Records::records_of(&PATIENT, 2).records.is_empty());
			assert!(Records::records_of(&PATIENT, u32::MAX).records.is_empty());
			assert_eq!(Records::records_of(&STRANGER, 0).total, 0);
		});
	}
}

#[test]
fn integrity_test_passes() {
	build_and_execute(|| {
		<crate::Pallet<Test> as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_detects_a_missing_version() {
	build_and_execute(|| {
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"r", h(1)));
		assert_ok!(Records::supersede(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			b"r".to_vec(),
			1,
			h(2),
			10,
			FormatCode::FhirJson
		));
		let key = key(HOSPITAL, b"r");
		let version = Versions::<Test>::take(&key, 2).unwrap();
		assert!(Records::do_try_state().is_err());
		// Version 1 stored outside its record breaks the layout too.
		let record = crate::Records::<Test>::get(key.0, &key.1).unwrap();
		Versions::<Test>::insert(&key, 2, version);
		assert_ok!(Records::do_try_state());
		Versions::<Test>::insert(&key, 1, record.first.clone());
		assert!(Records::do_try_state().is_err());
		// Put back, so the check at the end of the test passes.
		Versions::<Test>::remove(&key, 1);
	});
}

#[test]
fn categories_are_indexed_by_their_codes() {
	use codec::Encode;
	for (i, category) in Category::ALL.into_iter().enumerate() {
		assert_eq!(category.index(), i);
		assert_eq!(category.encode(), vec![i as u8]);
	}
	assert_eq!(Category::ALL.len(), Category::COUNT);
}

#[test]
fn record_index_answers_for_anchored_versions_of_active_records() {
	use crate::RecordIndex;
	build_and_execute(|| {
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"lab-1", h(1)));
		assert_ok!(Records::supersede(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			b"lab-1".to_vec(),
			1,
			h(2),
			10,
			FormatCode::FhirJson
		));
		let facts = Some((PATIENT, Category::Laboratory));
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"lab-1", 1), facts);
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"lab-1", 2), facts);
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"lab-1", 0), None);
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"lab-1", 3), None);
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"none", 1), None);
		assert_ok!(Records::retract(RuntimeOrigin::signed(HOSPITAL_DEVICE), b"lab-1".to_vec(), 2));
		assert_eq!(<Records as RecordIndex<u64>>::version_facts(HOSPITAL, b"lab-1", 1), None);
	});
}
