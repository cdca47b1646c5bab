//! Issue 12: only hospitals and clinics anchor, only for patients in their care; quotas count
//! active records, per patient and per custodian; Merkle roots are kept per custodian; the
//! counters behind `RecordIndex::has_active_in_category`; the migration from version 1. Each of
//! these tests fails on the pallet as it was before issue 12.

use super::*;
use crate::{
	migrations::v2::{v1, MigrateV1ToV2},
	ActiveInCategory, PatientRecordSlot, PatientRecords, RecordEntry, RecordIndex, RootEntry,
	Roots, VersionOfHash,
};
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use pallet_institutions::InstitutionKind;

fn retract(device: u64, id: &[u8], version: u32) -> sp_runtime::DispatchResult {
	Records::retract(RuntimeOrigin::signed(device), id.to_vec(), version)
}

fn has_active(custodian: u32, patient: u64, category: Category) -> bool {
	<Records as RecordIndex<u64>>::has_active_in_category(custodian, &patient, category)
}

fn listed(patient: u64) -> Vec<Vec<u8>> {
	Records::records_of(&patient, 0)
		.records
		.into_iter()
		.chain(Records::records_of(&patient, 1).records)
		.chain(Records::records_of(&patient, 2).records)
		.map(|r| r.record_id)
		.collect()
}

#[test]
fn institutions_that_keep_no_records_cannot_anchor() {
	build_and_execute(|| {
		let mut devices = vec![PHARMACY_DEVICE];
		for (admin, kind, device) in
			[(4, InstitutionKind::Insurer, 41), (5, InstitutionKind::RelayOperator, 42)]
		{
			assert_ok!(Institutions::admit(RuntimeOrigin::root(), admin, kind, b"x".to_vec()));
			assert_ok!(Institutions::add_device(RuntimeOrigin::signed(admin), device));
			devices.push(device);
		}
		for device in devices {
			assert_noop!(
				anchor(device, PATIENT, b"rx-1", h(1)),
				Error::<Test>::CustodianKindCannotHoldRecords
			);
			assert_noop!(
				Records::anchor_batch(
					RuntimeOrigin::signed(device),
					vec![new_record(PATIENT, b"rx-2", h(2))]
				),
				Error::<Test>::CustodianKindCannotHoldRecords
			);
			assert_noop!(
				Records::anchor_root(RuntimeOrigin::signed(device), h(3), 2),
				Error::<Test>::CustodianKindCannotHoldRecords
			);
		}
		// A pharmacy's record from before issue 12 cannot get a new version, but it can be
		// retracted, which frees the patient's slot.
		legacy_record(PHARMACY, PATIENT, b"rx-old", Category::Prescription, h(4));
		assert_noop!(
			Records::supersede(
				RuntimeOrigin::signed(PHARMACY_DEVICE),
				b"rx-old".to_vec(),
				1,
				h(5),
				10,
				FormatCode::Pdf
			),
			Error::<Test>::CustodianKindCannotHoldRecords
		);
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 1);
		assert_ok!(retract(PHARMACY_DEVICE, b"rx-old", 1));
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 0);
	});
}

#[test]
fn a_device_anchors_only_for_patients_in_its_institutions_care() {
	build_and_execute(|| {
		// Patient 30 was registered by the hospital, patient 32 by the clinic.
		assert_noop!(
			anchor(CLINIC_DEVICE, PATIENT, b"c-1", h(1)),
			Error::<Test>::NoCareRelationship
		);
		assert_noop!(
			anchor(HOSPITAL_DEVICE, CLINIC_PATIENT, b"h-1", h(2)),
			Error::<Test>::NoCareRelationship
		);
		// One record for a patient of another institution refuses the whole batch.
		let batch =
			vec![new_record(CLINIC_PATIENT, b"c-2", h(3)), new_record(PATIENT, b"c-3", h(4))];
		assert_noop!(
			Records::anchor_batch(RuntimeOrigin::signed(CLINIC_DEVICE), batch),
			Error::<Test>::NoCareRelationship
		);
		assert_ok!(anchor(CLINIC_DEVICE, CLINIC_PATIENT, b"c-2", h(3)));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"h-2", h(5)));
		assert!(
			Records::in_care_of(CLINIC, &CLINIC_PATIENT) && !Records::in_care_of(CLINIC, &PATIENT)
		);
	});
}

#[test]
fn retracting_a_record_frees_the_patients_slot() {
	build_and_execute(|| {
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"a", h(1)));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"b", h(2)));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"c", h(3)));
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 3);
		// The last record takes the retracted one's slot; the list holds active records only.
		assert_ok!(retract(HOSPITAL_DEVICE, b"a", 1));
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 2);
		assert_eq!(listed(PATIENT), vec![b"c".to_vec(), b"b".to_vec()]);
		assert_eq!(Records::records_of(&PATIENT, 0).total, 2);
		assert_eq!(PatientRecordSlot::<Test>::get(key(HOSPITAL, b"a")), None);
		// Retracting the last one in the list.
		assert_ok!(retract(HOSPITAL_DEVICE, b"b", 1));
		assert_eq!(listed(PATIENT), vec![b"c".to_vec()]);
		assert_ok!(retract(HOSPITAL_DEVICE, b"c", 1));
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 0);
		assert!(!PatientRecordCount::<Test>::contains_key(PATIENT), "no zero entry is kept");
		assert!(listed(PATIENT).is_empty());
		// Retracted records stay verifiable.
		assert_eq!(
			Records::verify(HOSPITAL, b"a".to_vec(), h(1)).unwrap().matched_version,
			Some(1)
		);
	});
}

#[test]
fn a_full_patient_gets_room_again_by_a_retraction() {
	build_and_execute(|| {
		legacy_record(CLINIC, PATIENT, b"c0", Category::Imaging, h(10));
		legacy_record(CLINIC, PATIENT, b"c1", Category::Imaging, h(11));
		for i in 0..4u8 {
			assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, &[b'h', i], h(i)));
		}
		assert_ok!(retract(HOSPITAL_DEVICE, &[b'h', 0], 1));
		legacy_record(CLINIC, PATIENT, b"c2", Category::Imaging, h(12));
		assert_noop!(
			anchor(HOSPITAL_DEVICE, PATIENT, b"h9", h(19)),
			Error::<Test>::TooManyRecordsForPatient
		);
		assert_ok!(retract(CLINIC_DEVICE, b"c0", 1));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"h9", h(19)));
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 6);
	});
}

#[test]
fn has_active_in_category_follows_anchoring_supersession_and_retraction() {
	build_and_execute(|| {
		use Category::{Imaging, Laboratory};
		assert!(!has_active(HOSPITAL, PATIENT, Laboratory));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"lab-1", h(1)));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"lab-2", h(2)));
		assert!(has_active(HOSPITAL, PATIENT, Laboratory));
		assert!(!has_active(HOSPITAL, PATIENT, Imaging), "another category");
		assert!(!has_active(CLINIC, PATIENT, Laboratory), "another custodian");
		assert!(!has_active(HOSPITAL, PATIENT_2, Laboratory), "another patient");
		assert_eq!(ActiveInCategory::<Test>::get((PATIENT, HOSPITAL, Laboratory)), 2);
		// A new version keeps the record (and its category) active.
		assert_ok!(Records::supersede(
			RuntimeOrigin::signed(HOSPITAL_DEVICE),
			b"lab-1".to_vec(),
			1,
			h(3),
			10,
			FormatCode::FhirJson
		));
		assert_ok!(retract(HOSPITAL_DEVICE, b"lab-1", 2));
		assert!(has_active(HOSPITAL, PATIENT, Laboratory), "lab-2 is still active");
		assert_ok!(retract(HOSPITAL_DEVICE, b"lab-2", 1));
		assert!(!has_active(HOSPITAL, PATIENT, Laboratory));
		assert!(!ActiveInCategory::<Test>::contains_key((PATIENT, HOSPITAL, Laboratory)));
		// Batches count too.
		let batch = vec![new_record(PATIENT, b"img", h(4)), new_record(PATIENT_2, b"img2", h(5))];
		assert_ok!(Records::anchor_batch(RuntimeOrigin::signed(HOSPITAL_DEVICE), batch));
		assert!(has_active(HOSPITAL, PATIENT, Imaging) && has_active(HOSPITAL, PATIENT_2, Imaging));
	});
}

#[test]
fn a_root_anchored_by_one_institution_does_not_block_another() {
	build_and_execute(|| {
		let leaves: Vec<H256> = (1..=3u8).map(h).collect();
		let root = merkle::root(&leaves).unwrap();
		// The clinic anchors the hospital's root first (squatting, or by coincidence).
		assert_ok!(Records::anchor_root(RuntimeOrigin::signed(CLINIC_DEVICE), root, 99));
		assert_ok!(Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), root, 3));
		System::assert_last_event(
			Event::RootAnchored { custodian: HOSPITAL, root, leaf_count: 3 }.into(),
		);
		assert_noop!(
			Records::anchor_root(RuntimeOrigin::signed(HOSPITAL_DEVICE), root, 3),
			Error::<Test>::RootAlreadyAnchored
		);
		let proof = InclusionProof { leaf_index: 2, siblings: merkle::proof(&leaves, 2).unwrap() };
		let at_hospital = Records::verify_inclusion(HOSPITAL, root, leaves[2], proof.clone());
		assert!(at_hospital.included);
		let entry = at_hospital.root.unwrap();
		assert_eq!(
			(entry.custodian, entry.leaf_count, entry.anchored_by),
			(HOSPITAL, 3, HOSPITAL_DEVICE)
		);
		// Under the clinic the tree size is the clinic's (99), so the proof does not hold.
		let at_clinic = Records::verify_inclusion(CLINIC, root, leaves[2], proof.clone());
		assert_eq!(at_clinic.root.map(|r| r.custodian), Some(CLINIC));
		assert!(!at_clinic.included);
		assert!(Records::verify_inclusion(PHARMACY, root, leaves[2], proof).root.is_none());
	});
}

#[test]
fn try_state_checks_the_counters_of_active_records() {
	build_and_execute(|| {
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"a", h(1)));
		assert_ok!(anchor(HOSPITAL_DEVICE, PATIENT, b"b", h(2)));
		let tamper = |f: &dyn Fn()| {
			f();
			assert!(Records::do_try_state().is_err());
		};
		tamper(&|| PatientRecordCount::<Test>::insert(PATIENT, 1));
		PatientRecordCount::<Test>::insert(PATIENT, 2);
		tamper(&|| ActiveInCategory::<Test>::insert((PATIENT, HOSPITAL, Category::Allergy), 1));
		ActiveInCategory::<Test>::remove((PATIENT, HOSPITAL, Category::Allergy));
		tamper(&|| PatientRecordSlot::<Test>::insert(key(HOSPITAL, b"a"), 1));
		PatientRecordSlot::<Test>::insert(key(HOSPITAL, b"a"), 0);
		assert_ok!(Records::do_try_state());
	});
}

#[test]
fn the_v2_migration_keys_roots_by_custodian_and_counts_active_records() {
	build_and_execute(|| {
		// Version 1's state: one global root; patient 30's list of every record ever
		// anchored, with the count as its length, one of them retracted; no counters.
		StorageVersion::new(1).put::<Records>();
		let root_entry = RootEntry {
			custodian: CLINIC,
			leaf_count: 5,
			anchored_at: 1,
			anchored_at_ms: NOW_MS,
			anchored_by: CLINIC_DEVICE,
		};
		v1::Roots::<Test>::insert(h(7), root_entry.clone());
		let records = [
			(HOSPITAL, &b"a"[..], Category::Laboratory, RecordStatus::Active),
			(CLINIC, &b"b"[..], Category::Imaging, RecordStatus::Retracted),
			(PHARMACY, &b"c"[..], Category::Prescription, RecordStatus::Active),
		];
		for (i, (custodian, id, category, status)) in records.into_iter().enumerate() {
			let k = key(custodian, id);
			let entry = RecordEntry { patient: PATIENT, category, current_version: 1, status };
			crate::Records::<Test>::insert(custodian, &k.1, entry);
			let mut version =
				Records::new_version(&HOSPITAL_DEVICE, h(i as u8), 5, FormatCode::Pdf);
			if status == RecordStatus::Retracted {
				version.status = VersionStatus::Retracted;
			}
			Versions::<Test>::insert(&k, 1, version);
			VersionOfHash::<Test>::insert(&k, h(i as u8), 1);
			PatientRecords::<Test>::insert(PATIENT, i as u32, k);
		}
		PatientRecordCount::<Test>::insert(PATIENT, 3);

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Records::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(Roots::<Test>::get(CLINIC, h(7)), Some(root_entry));
		assert!(!v1::Roots::<Test>::contains_key(h(7)), "the root alone is no longer a key");
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 2);
		assert_eq!(listed(PATIENT), vec![b"a".to_vec(), b"c".to_vec()]);
		assert!(has_active(PHARMACY, PATIENT, Category::Prescription));
		assert!(!has_active(CLINIC, PATIENT, Category::Imaging));
		// A second run does nothing.
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(PatientRecordCount::<Test>::get(PATIENT), 2);
		assert_eq!(listed(PATIENT), vec![b"a".to_vec(), b"c".to_vec()]);
	});
}
