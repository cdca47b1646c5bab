//! Unit tests of the index of each institution's requests (`InstitutionRequests`, read by
//! `exchange_ofInstitution`) and of its migration (storage version 2 → 3).

use crate::{mock::*, pallet::*, tests::consent_for_clinic, types::*};
use frame_support::{assert_ok, pallet_prelude::DispatchResult};
use pallet_consent::Purpose;

/// Device `device` asks hospital B for "lab" for treatment.
fn ask_lab(device: u64) -> DispatchResult {
	Exchange::request(
		RuntimeOrigin::signed(device),
		HOSPITAL_B,
		PATIENT,
		vec![b"lab".to_vec()],
		vec![],
		Purpose::Treatment,
		u64::MAX,
	)
}

/// Device `device` asks hospital B for "lab"; returns the request id.
fn request_lab_by(device: u64) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(ask_lab(device));
	id
}

/// B declines request `id` (it leaves the queue, so more can be made).
fn decline(id: RequestId) {
	assert_ok!(Exchange::decline(RuntimeOrigin::signed(DEVICE_B), id));
}

fn ids(page: &InstitutionPage<u64, u64, u64>) -> Vec<RequestId> {
	page.requests.iter().map(|r| r.id).collect()
}

#[test]
fn each_party_sees_its_requests_newest_first_a_page_at_a_time() {
	build_and_execute(|| {
		consent_for_clinic();
		// A asks B five times (each declined, so the queue has room), C asks B once between.
		let mut from_a = Vec::new();
		for n in 0..5 {
			let id = request_lab_by(DEVICE_A);
			decline(id);
			from_a.push(id);
			if n == 2 {
				let c = request_lab_by(DEVICE_C);
				assert_eq!(c, 3);
			}
		}
		assert_eq!(from_a, vec![0, 1, 2, 4, 5]);

		// The requester's pages (2 per page in the mock): newest first, closed ones included.
		let first = Exchange::institution_page(HOSPITAL_A, 0);
		assert_eq!(
			(first.institution, first.page, first.page_size, first.total),
			(HOSPITAL_A, 0, 2, 5)
		);
		assert_eq!(ids(&first), vec![5, 4]);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_A, 1)), vec![2, 1]);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_A, 2)), vec![0]);
		assert!(Exchange::institution_page(HOSPITAL_A, 3).requests.is_empty());
		assert!(Exchange::institution_page(HOSPITAL_A, u32::MAX).requests.is_empty());
		// Each request as `exchange_request` shows it, with its status.
		assert_eq!(first.requests[0], Exchange::request_view(5).unwrap());
		assert!(matches!(first.requests[0].status, Status::Refunded { .. }));

		// The custodian sees all six; the clinic only its own; an institution without any, none.
		let custodian = Exchange::institution_page(HOSPITAL_B, 0);
		assert_eq!(custodian.total, 6);
		assert_eq!(ids(&custodian), vec![5, 4]);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_B, 1)), vec![3, 2]);
		let clinic = Exchange::institution_page(CLINIC_C, 0);
		assert_eq!((clinic.total, ids(&clinic)), (1, vec![3]));
		assert_eq!(clinic.requests[0].status, Status::Requested);
		let relay = Exchange::institution_page(RELAY, 0);
		assert_eq!((relay.total, relay.requests.len()), (0, 0));

		// The index is the two parties' entries, in order.
		assert_eq!(InstitutionRequestCount::<Test>::get(HOSPITAL_A), 5);
		assert_eq!(InstitutionRequests::<Test>::get(HOSPITAL_B, 3), Some(3));
		assert_eq!(InstitutionRequests::<Test>::get(CLINIC_C, 0), Some(3));
	});
}

#[test]
fn a_refused_request_is_not_indexed() {
	build_and_execute(|| {
		// No consent for the clinic: its request is refused and leaves no entry.
		assert!(ask_lab(DEVICE_C).is_err());
		assert_eq!(InstitutionRequestCount::<Test>::get(CLINIC_C), 0);
		assert_eq!(InstitutionRequestCount::<Test>::get(HOSPITAL_B), 0);
		assert_eq!(Exchange::institution_page(HOSPITAL_B, 0).total, 0);
	});
}

#[test]
fn migration_from_version_2_indexes_the_stored_requests_in_order() {
	use crate::migrations::v3::MigrateV2ToV3;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		consent_for_clinic();
		let a = request_lab_by(DEVICE_A);
		decline(a);
		let c = request_lab_by(DEVICE_C);
		let b = request_lab_by(DEVICE_A);
		// The state version 2 left: requests without an index.
		StorageVersion::new(2).put::<Exchange>();
		let _ = InstitutionRequests::<Test>::clear(u32::MAX, None);
		let _ = InstitutionRequestCount::<Test>::clear(u32::MAX, None);
		assert!(Exchange::do_try_state().is_err());
		assert_eq!(Exchange::institution_page(HOSPITAL_B, 0).total, 0);

		MigrateV2ToV3::<Test>::on_runtime_upgrade();

		assert_eq!(Exchange::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_B, 0)), vec![b, c]);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_B, 1)), vec![a]);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_A, 0)), vec![b, a]);
		assert_eq!(ids(&Exchange::institution_page(CLINIC_C, 0)), vec![c]);
		// Run again, it does nothing (the version is 3): no entry twice.
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(InstitutionRequestCount::<Test>::get(HOSPITAL_B), 3);
		// The next request goes on after the migrated ones.
		decline(b);
		let d = request_lab_by(DEVICE_A);
		assert_eq!(ids(&Exchange::institution_page(HOSPITAL_A, 0)), vec![d, b]);
	});
}
