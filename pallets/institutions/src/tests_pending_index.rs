//! Tests of the index of each institution's pending registrations (`PendingRegistrationsOf`,
//! read by `institutions_pendingRegistrations`) and of its migration (storage version 1 → 2).
//! Every test runs through `build_and_execute`, which checks the invariants afterwards (the
//! index lists exactly the pending registrations).

use crate::{
	mock::*,
	tests::{admit, GUARDIAN, HOSPITAL_ADMIN, PATIENT, STRANGER},
	tests_patients::{hospital_with_device, request, signed, PATIENT_2},
	InstitutionKind, PendingRegistrationView, PendingRegistrations, PendingRegistrationsOf,
};
use frame_support::assert_ok;

const CLINIC_ADMIN: u64 = 3;

fn patients(page: &crate::view::PendingRegistrationsPageOf<Test>) -> Vec<u64> {
	page.registrations.iter().map(|r| r.patient).collect()
}

#[test]
fn an_institution_lists_its_pending_registrations_newest_first() {
	build_and_execute(|| {
		let hospital = hospital_with_device();
		let clinic = admit(CLINIC_ADMIN, InstitutionKind::Clinic);
		System::set_block_number(2);
		request(PATIENT, Some(GUARDIAN));
		System::set_block_number(3);
		request(PATIENT_2, None);

		let page = Institutions::pending_registrations_page(hospital, 0);
		assert_eq!((page.institution, page.page, page.page_size, page.total), (hospital, 0, 50, 2));
		assert_eq!(
			page.registrations,
			vec![
				PendingRegistrationView { patient: PATIENT_2, guardian: None, expires_at: 13 },
				PendingRegistrationView {
					patient: PATIENT,
					guardian: Some(GUARDIAN),
					expires_at: 12
				},
			]
		);
		// One per page: the newest, then the older, then nothing.
		assert_eq!(
			patients(&Institutions::pending_registrations_page_of_size(hospital, 0, 1)),
			vec![PATIENT_2]
		);
		assert_eq!(
			patients(&Institutions::pending_registrations_page_of_size(hospital, 1, 1)),
			vec![PATIENT]
		);
		assert!(Institutions::pending_registrations_page_of_size(hospital, 2, 1)
			.registrations
			.is_empty());
		assert!(Institutions::pending_registrations_page(hospital, u32::MAX)
			.registrations
			.is_empty());
		// Another institution has none.
		let none = Institutions::pending_registrations_page(clinic, 0);
		assert_eq!((none.total, none.registrations.len()), (0, 0));

		// Confirmed: out of the list.
		assert_ok!(Institutions::confirm_registration(signed(PATIENT_2), PATIENT_2, None));
		assert_eq!(patients(&Institutions::pending_registrations_page(hospital, 0)), vec![PATIENT]);
		assert!(!PendingRegistrationsOf::<Test>::contains_key(hospital, PATIENT_2));

		// Corrected by the same institution: still once, with the new expiry.
		System::set_block_number(4);
		assert_ok!(Institutions::register_patient(signed(HOSPITAL_ADMIN), PATIENT, None));
		let page = Institutions::pending_registrations_page(hospital, 0);
		assert_eq!((page.total, page.registrations[0].expires_at), (1, 14));

		// Expired, then taken over by the clinic: it moves from the hospital's list to the
		// clinic's.
		System::set_block_number(14);
		assert_ok!(Institutions::register_patient(signed(CLINIC_ADMIN), PATIENT, None));
		assert_eq!(Institutions::pending_registrations_page(hospital, 0).total, 0);
		assert!(Institutions::pending_registrations_page(hospital, 0).registrations.is_empty());
		assert_eq!(patients(&Institutions::pending_registrations_page(clinic, 0)), vec![PATIENT]);

		// Expired and removed by anyone: out of the clinic's list.
		System::set_block_number(24);
		assert_ok!(Institutions::remove_expired_registration(signed(STRANGER), PATIENT));
		assert!(Institutions::pending_registrations_page(clinic, 0).registrations.is_empty());
		assert_eq!(PendingRegistrationsOf::<Test>::iter().count(), 0);
	});
}

#[test]
fn migration_from_version_1_indexes_the_pending_registrations() {
	use crate::migrations::v2::MigrateV1ToV2;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let hospital = hospital_with_device();
		request(PATIENT, None);
		request(PATIENT_2, Some(GUARDIAN));
		// The state version 1 left: pending registrations without an index.
		StorageVersion::new(1).put::<Institutions>();
		let _ = PendingRegistrationsOf::<Test>::clear(u32::MAX, None);
		assert!(Institutions::do_try_state().is_err());

		MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Institutions::on_chain_storage_version(), StorageVersion::new(2));
		assert!(PendingRegistrationsOf::<Test>::contains_key(hospital, PATIENT));
		assert!(PendingRegistrationsOf::<Test>::contains_key(hospital, PATIENT_2));
		assert_eq!(Institutions::pending_registrations_page(hospital, 0).registrations.len(), 2);
		assert_eq!(PendingRegistrations::<Test>::iter().count(), 2);
		// Run again, it does nothing (the version is 2).
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(PendingRegistrationsOf::<Test>::iter().count(), 2);
	});
}
