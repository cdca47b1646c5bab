//! Issue 12: only hospitals and clinics anchor, only for patients in their care; quotas count
//! active records, per patient and per custodian; Merkle roots are kept per custodian; the
//! counters behind `RecordIndex::has_active_in_category`. Each of these tests fails on the
//! pallet as it was before issue 12. Also the migration to storage version 3 (issue 16).

use super::*;
use crate::{
	migrations::v3::{v2, MigrateV2ToV3},
	PatientRecords, PatientTallies, PatientTally, RecordIndex, VersionOfHash,
};
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use pallet_institutions::InstitutionKind;

fn retract(device: u64, id: &[u8], version: u32) -> sp_runtime::DispatchResult {
	Records::retract(RuntimeOrigin::signed(device), id.to_vec(), version)
}

fn has_active(custodian: u32, patient: u64, category: Category) -> bool {
	<Records as RecordIndex<u64>>::has_active_in_category(custodian, &patient, category)
}

fn in_category(patient: u64, custodian: u32, category: Category) -> u32 {
	PatientTallies::<Test>::get(patient).map_or(0, |t| t.in_category(custodian, category))
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
		assert_eq!(active_count(PATIENT), 1);
		assert_ok!(retract(PHARMACY_DEVICE, b"rx-old", 1));
		assert_eq!(active_count(PATIENT), 0);
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
		assert_eq!(active_count(PATIENT), 3);
		// The last record takes the retracted one's slot; the list holds active records only.
		assert_ok!(retract(HOSPITAL_DEVICE, b"a", 1));
		assert_eq!(active_count(PATIENT), 2);
		assert_eq!(listed(PATIENT), vec![b"c".to_vec(), b"b".to_vec()]);
		assert_eq!(Records::records_of(&PATIENT, 0).total, 2);
		let a = crate::Records::<Test>::get(HOSPITAL, &key(HOSPITAL, b"a").1).unwrap();
		assert_eq!(a.status, RecordStatus::Retracted);
		assert_eq!(PatientRecords::<Test>::get(PATIENT, 0), Some(key(HOSPITAL, b"c")));
		let c = crate::Records::<Test>::get(HOSPITAL, &key(HOSPITAL, b"c").1).unwrap();
		assert_eq!(c.slot, 0, "the moved record knows its new slot");
		// Retracting the last one in the list.
		assert_ok!(retract(HOSPITAL_DEVICE, b"b", 1));
		assert_eq!(listed(PATIENT), vec![b"c".to_vec()]);
		assert_ok!(retract(HOSPITAL_DEVICE, b"c", 1));
		assert_eq!(active_count(PATIENT), 0);
		assert!(!PatientTallies::<Test>::contains_key(PATIENT), "no empty tally is kept");
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
		assert_eq!(active_count(PATIENT), 6);
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
		assert_eq!(in_category(PATIENT, HOSPITAL, Laboratory), 2);
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
		assert_eq!(in_category(PATIENT, HOSPITAL, Laboratory), 0);
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
		let tamper = |f: &dyn Fn(&mut PatientTally)| {
			let good = PatientTallies::<Test>::get(PATIENT).unwrap();
			let mut bad = good.clone();
			f(&mut bad);
			PatientTallies::<Test>::insert(PATIENT, bad);
			assert!(Records::do_try_state().is_err());
			PatientTallies::<Test>::insert(PATIENT, good);
		};
		tamper(&|t| t.active = 1);
		tamper(&|t| t.by_category[Category::Allergy.index()] = 1);
		tamper(&|t| t.by_category[Category::Laboratory.index()] = 1);
		tamper(&|t| t.custodian = CLINIC);
		let (custodian, id) = key(HOSPITAL, b"a");
		crate::Records::<Test>::mutate(custodian, &id, |r| r.as_mut().unwrap().slot = 1);
		assert!(Records::do_try_state().is_err());
		crate::Records::<Test>::mutate(custodian, &id, |r| r.as_mut().unwrap().slot = 0);
		assert_ok!(Records::do_try_state());
	});
}

#[test]
fn the_v3_migration_keeps_version_one_and_the_slot_with_the_record_and_folds_the_counters() {
	build_and_execute(|| {
		// Version 2's state: the records without version 1, which sits in `Versions` with
		// its hash in `VersionOfHash`; slots, counts and category counts in their own items.
		StorageVersion::new(2).put::<Records>();
		let records = [
			(HOSPITAL, &b"a"[..], Category::Laboratory, RecordStatus::Active, 2u32),
			(CLINIC, &b"b"[..], Category::Imaging, RecordStatus::Retracted, 1),
			(HOSPITAL, &b"c"[..], Category::Imaging, RecordStatus::Active, 1),
			(PHARMACY, &b"d"[..], Category::Prescription, RecordStatus::Active, 1),
		];
		let mut slot = 0u32;
		for (i, (custodian, id, category, status, versions)) in records.into_iter().enumerate() {
			let k = key(custodian, id);
			let old =
				v2::RecordEntry { patient: PATIENT, category, current_version: versions, status };
			v2::Records::<Test>::insert(custodian, &k.1, old);
			for v in 1..=versions {
				let hash = h((10 * i as u32 + v) as u8);
				let mut version = Records::new_version(&HOSPITAL_DEVICE, hash, 5, FormatCode::Pdf);
				version.status = match (v == versions, status) {
					(false, _) => VersionStatus::Superseded,
					(true, RecordStatus::Retracted) => VersionStatus::Retracted,
					_ => VersionStatus::Current,
				};
				Versions::<Test>::insert(&k, v, version);
				VersionOfHash::<Test>::insert(&k, hash, v);
			}
			if status == RecordStatus::Active {
				v2::PatientRecordSlot::<Test>::insert(&k, slot);
				PatientRecords::<Test>::insert(PATIENT, slot, k);
				v2::ActiveInCategory::<Test>::mutate((PATIENT, custodian, category), |n| *n += 1);
				slot += 1;
			}
		}
		v2::PatientRecordCount::<Test>::insert(PATIENT, slot);

		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Records::on_chain_storage_version(), StorageVersion::new(3));
		let a = crate::Records::<Test>::get(HOSPITAL, &key(HOSPITAL, b"a").1).unwrap();
		assert_eq!((a.first.content_hash, a.first.status), (h(1), VersionStatus::Superseded));
		assert_eq!((a.slot, a.current_version), (0, 2));
		assert!(Versions::<Test>::get(key(HOSPITAL, b"a"), 1).is_none());
		assert!(Versions::<Test>::get(key(HOSPITAL, b"a"), 2).is_some());
		assert!(VersionOfHash::<Test>::get(key(HOSPITAL, b"a"), h(1)).is_none());
		let old_version = Records::verify(HOSPITAL, b"a".to_vec(), h(1)).unwrap();
		assert_eq!(old_version.matched_version, Some(1));
		assert!(Records::verify(HOSPITAL, b"a".to_vec(), h(2)).unwrap().matches_current);
		let b = crate::Records::<Test>::get(CLINIC, &key(CLINIC, b"b").1).unwrap();
		assert_eq!(b.first.status, VersionStatus::Retracted);
		assert_eq!(active_count(PATIENT), 3);
		assert_eq!(listed(PATIENT), vec![b"a".to_vec(), b"c".to_vec(), b"d".to_vec()]);
		assert!(has_active(HOSPITAL, PATIENT, Category::Laboratory));
		assert!(has_active(HOSPITAL, PATIENT, Category::Imaging));
		// The pharmacy's record from before issue 13 counts in the quota, not per category:
		// the pseudonym's custodian is the hospital.
		assert!(!has_active(PHARMACY, PATIENT, Category::Prescription));
		assert!(v2::PatientRecordSlot::<Test>::iter().next().is_none());
		assert!(v2::PatientRecordCount::<Test>::iter().next().is_none());
		assert!(v2::ActiveInCategory::<Test>::iter().next().is_none());
		// A second run does nothing.
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(active_count(PATIENT), 3);
		assert_eq!(crate::Records::<Test>::get(HOSPITAL, &key(HOSPITAL, b"a").1), Some(a));
		// Retracting the migrated first record moves the last one into its slot.
		assert_ok!(retract(HOSPITAL_DEVICE, b"a", 2));
		assert_eq!(listed(PATIENT), vec![b"d".to_vec(), b"c".to_vec()]);
	});
}
