//! Tests of every call's success and failure paths, the `Registry` answers and the invariants.
//! The patients' calls are tested in `tests_patients.rs`.

use crate::{
	mock::*, AdminOf, Error, Event, InstitutionId, InstitutionKind, InstitutionStatus,
	NextInstitutionId, PractitionerRole, Practitioners, Registry,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H256;
use sp_runtime::DispatchError;

pub(crate) const HOSPITAL_ADMIN: u64 = 1;
pub(crate) const PHARMACY_ADMIN: u64 = 2;
pub(crate) const DEVICE: u64 = 10;
pub(crate) const DEVICE_2: u64 = 11;
pub(crate) const DEVICE_3: u64 = 12;
pub(crate) const DOCTOR: u64 = 20;
pub(crate) const NURSE: u64 = 21;
pub(crate) const PHARMACIST: u64 = 22;
pub(crate) const PATIENT: u64 = 30;
pub(crate) const GUARDIAN: u64 = 40;
pub(crate) const GUARDIAN_2: u64 = 41;
pub(crate) const STRANGER: u64 = 99;

pub(crate) fn admit(admin: u64, kind: InstitutionKind) -> InstitutionId {
	let id = NextInstitutionId::<Test>::get();
	assert_ok!(Institutions::admit(RuntimeOrigin::root(), admin, kind, b"Saint-Louis".to_vec()));
	id
}

fn check_invariants() {
	assert_ok!(Institutions::do_try_state());
}

mod admission {
	use super::*;

	#[test]
	fn root_admits_an_institution() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			assert_eq!(id, 0);
			let inst = crate::Institutions::<Test>::get(id).unwrap();
			assert_eq!(inst.kind, InstitutionKind::Hospital);
			assert_eq!(inst.status, InstitutionStatus::Active);
			assert_eq!(inst.admin, HOSPITAL_ADMIN);
			assert_eq!(inst.name.to_vec(), b"Saint-Louis".to_vec());
			assert_eq!(AdminOf::<Test>::get(HOSPITAL_ADMIN), Some(0));
			System::assert_last_event(
				Event::InstitutionAdmitted {
					institution: 0,
					kind: InstitutionKind::Hospital,
					admin: HOSPITAL_ADMIN,
				}
				.into(),
			);
			assert_eq!(admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy), 1);
			check_invariants();
		});
	}

	#[test]
	fn admission_needs_the_admission_origin() {
		build_and_execute(|| {
			assert_noop!(
				Institutions::admit(
					RuntimeOrigin::signed(STRANGER),
					HOSPITAL_ADMIN,
					InstitutionKind::Hospital,
					b"x".to_vec()
				),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn bad_names_are_rejected() {
		build_and_execute(|| {
			let root = || RuntimeOrigin::root();
			let kind = InstitutionKind::Clinic;
			assert_noop!(
				Institutions::admit(root(), HOSPITAL_ADMIN, kind, vec![]),
				Error::<Test>::EmptyName
			);
			assert_noop!(
				Institutions::admit(root(), HOSPITAL_ADMIN, kind, vec![b'a'; 17]),
				Error::<Test>::NameTooLong
			);
			assert_noop!(
				Institutions::admit(root(), HOSPITAL_ADMIN, kind, vec![0xff, 0xfe]),
				Error::<Test>::NameNotUtf8
			);
			// Exactly the bound is fine.
			assert_ok!(Institutions::admit(root(), HOSPITAL_ADMIN, kind, vec![b'a'; 16]));
		});
	}

	#[test]
	fn an_admin_manages_one_institution_and_the_count_is_bounded() {
		build_and_execute(|| {
			admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			assert_noop!(
				Institutions::admit(
					RuntimeOrigin::root(),
					HOSPITAL_ADMIN,
					InstitutionKind::Clinic,
					b"x".to_vec()
				),
				Error::<Test>::AccountHasRole
			);
			for admin in 100..107 {
				admit(admin, InstitutionKind::Clinic);
			}
			assert_eq!(NextInstitutionId::<Test>::get(), 8);
			assert_noop!(
				Institutions::admit(
					RuntimeOrigin::root(),
					200,
					InstitutionKind::Clinic,
					b"x".to_vec()
				),
				Error::<Test>::TooManyInstitutions
			);
			check_invariants();
		});
	}

	#[test]
	fn suspend_reinstate_and_remove() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
			System::assert_last_event(Event::InstitutionSuspended { institution: id }.into());
			assert!(!Institutions::is_active(id));
			assert_noop!(
				Institutions::suspend(RuntimeOrigin::root(), id),
				Error::<Test>::InstitutionInactive
			);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), id));
			System::assert_last_event(Event::InstitutionReinstated { institution: id }.into());
			assert!(Institutions::is_active(id));
			assert_noop!(
				Institutions::reinstate(RuntimeOrigin::root(), id),
				Error::<Test>::InstitutionNotSuspended
			);
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), id));
			System::assert_last_event(Event::InstitutionRemoved { institution: id }.into());
			assert_eq!(AdminOf::<Test>::get(HOSPITAL_ADMIN), None);
			assert_noop!(
				Institutions::remove(RuntimeOrigin::signed(900), id),
				Error::<Test>::InstitutionRemoved
			);
			assert_noop!(
				Institutions::reinstate(RuntimeOrigin::root(), id),
				Error::<Test>::InstitutionNotSuspended
			);
			assert_noop!(
				Institutions::suspend(RuntimeOrigin::root(), id),
				Error::<Test>::InstitutionInactive
			);
			check_invariants();
		});
	}

	#[test]
	fn status_changes_need_the_origin_and_a_known_institution() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			let admin = || RuntimeOrigin::signed(HOSPITAL_ADMIN);
			assert_noop!(Institutions::suspend(admin(), id), DispatchError::BadOrigin);
			assert_noop!(Institutions::reinstate(admin(), id), DispatchError::BadOrigin);
			assert_noop!(Institutions::remove(admin(), id), DispatchError::BadOrigin);
			assert_noop!(
				Institutions::suspend(RuntimeOrigin::root(), 7),
				Error::<Test>::UnknownInstitution
			);
			assert_noop!(
				Institutions::reinstate(RuntimeOrigin::root(), 7),
				Error::<Test>::UnknownInstitution
			);
			assert_noop!(
				Institutions::remove(RuntimeOrigin::signed(900), 7),
				Error::<Test>::UnknownInstitution
			);
		});
	}

	#[test]
	fn admin_hands_over_administration() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			assert_ok!(Institutions::set_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), 5));
			System::assert_last_event(
				Event::AdminChanged { institution: id, old_admin: HOSPITAL_ADMIN, new_admin: 5 }
					.into(),
			);
			assert_eq!(AdminOf::<Test>::get(5), Some(id));
			assert_eq!(AdminOf::<Test>::get(HOSPITAL_ADMIN), None);
			assert_noop!(
				Institutions::set_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), 6),
				Error::<Test>::NotAdmin
			);
			assert_ok!(Institutions::add_device(RuntimeOrigin::signed(5), DEVICE));
			assert_noop!(
				Institutions::set_admin(RuntimeOrigin::signed(5), DEVICE),
				Error::<Test>::AccountHasRole
			);
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), id));
			assert_noop!(
				Institutions::set_admin(RuntimeOrigin::signed(5), 6),
				Error::<Test>::NotAdmin
			);
			check_invariants();
		});
	}
}

mod devices {
	use super::*;

	#[test]
	fn the_device_or_its_admin_sets_the_encryption_key() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy);
			assert_ok!(Institutions::add_device(RuntimeOrigin::signed(HOSPITAL_ADMIN), DEVICE));
			let set = |who: u64, device: u64, key: [u8; 32]| {
				Institutions::set_encryption_key(RuntimeOrigin::signed(who), device, key)
			};
			assert_eq!(Institutions::encryption_key_of(&DEVICE), None, "none until set");
			assert_ok!(set(DEVICE, DEVICE, [1; 32]));
			System::assert_last_event(
				Event::EncryptionKeySet { institution: id, device: DEVICE, key: [1; 32] }.into(),
			);
			assert_eq!(Institutions::encryption_key_of(&DEVICE), Some([1; 32]));
			// The admin rotates it; another institution's admin, a stranger or another device
			// cannot; the zero key is no key.
			assert_ok!(set(HOSPITAL_ADMIN, DEVICE, [2; 32]));
			assert_eq!(Institutions::encryption_key_of(&DEVICE), Some([2; 32]));
			assert_noop!(set(PHARMACY_ADMIN, DEVICE, [3; 32]), Error::<Test>::UnknownDevice);
			assert_noop!(set(STRANGER, DEVICE, [3; 32]), Error::<Test>::NotAdmin);
			assert_noop!(set(HOSPITAL_ADMIN, DEVICE_2, [3; 32]), Error::<Test>::UnknownDevice);
			assert_noop!(set(DEVICE, DEVICE, [0; 32]), Error::<Test>::InvalidEncryptionKey);
			// A suspended institution's key is not offered to senders; a rotated device key
			// starts without one.
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
			assert_eq!(Institutions::encryption_key_of(&DEVICE), None);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), id));
			assert_ok!(Institutions::rotate_device(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				DEVICE,
				DEVICE_2
			));
			assert_eq!(Institutions::encryption_key_of(&DEVICE_2), None);
			// Once removed, nobody sets keys for the institution's devices.
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), id));
			assert_noop!(set(DEVICE_2, DEVICE_2, [4; 32]), Error::<Test>::InstitutionRemoved);
			check_invariants();
		});
	}

	#[test]
	fn admin_adds_removes_and_rotates_devices() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			let admin = || RuntimeOrigin::signed(HOSPITAL_ADMIN);
			assert_ok!(Institutions::add_device(admin(), DEVICE));
			System::assert_last_event(
				Event::DeviceAdded { institution: id, device: DEVICE }.into(),
			);
			assert_eq!(Institutions::active_institution_of_device(&DEVICE), Some(id));
			assert_eq!(crate::Institutions::<Test>::get(id).unwrap().devices, 1);

			assert_ok!(Institutions::rotate_device(admin(), DEVICE, DEVICE_2));
			System::assert_last_event(
				Event::DeviceRotated { institution: id, old_device: DEVICE, new_device: DEVICE_2 }
					.into(),
			);
			assert_eq!(Institutions::active_institution_of_device(&DEVICE), None);
			assert_eq!(Institutions::active_institution_of_device(&DEVICE_2), Some(id));
			assert_eq!(crate::Institutions::<Test>::get(id).unwrap().devices, 1);

			assert_ok!(Institutions::remove_device(admin(), DEVICE_2));
			System::assert_last_event(
				Event::DeviceRemoved { institution: id, device: DEVICE_2 }.into(),
			);
			assert_eq!(crate::Institutions::<Test>::get(id).unwrap().devices, 0);
			check_invariants();
		});
	}

	#[test]
	fn device_calls_fail_cleanly() {
		build_and_execute(|| {
			let hospital = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy);
			let admin = || RuntimeOrigin::signed(HOSPITAL_ADMIN);
			assert_noop!(
				Institutions::add_device(RuntimeOrigin::signed(STRANGER), DEVICE),
				Error::<Test>::NotAdmin
			);
			assert_ok!(Institutions::add_device(admin(), DEVICE));
			// Already a device (of this or another institution), or an admin.
			assert_noop!(Institutions::add_device(admin(), DEVICE), Error::<Test>::AccountHasRole);
			assert_noop!(
				Institutions::add_device(RuntimeOrigin::signed(PHARMACY_ADMIN), DEVICE),
				Error::<Test>::AccountHasRole
			);
			assert_noop!(
				Institutions::add_device(admin(), PHARMACY_ADMIN),
				Error::<Test>::AccountHasRole
			);
			// Bounded per institution.
			assert_ok!(Institutions::add_device(admin(), DEVICE_2));
			assert_noop!(
				Institutions::add_device(admin(), DEVICE_3),
				Error::<Test>::TooManyDevices
			);
			// Another institution's device is unknown to this admin.
			assert_noop!(
				Institutions::remove_device(RuntimeOrigin::signed(PHARMACY_ADMIN), DEVICE),
				Error::<Test>::UnknownDevice
			);
			assert_noop!(
				Institutions::rotate_device(
					RuntimeOrigin::signed(PHARMACY_ADMIN),
					DEVICE,
					DEVICE_3
				),
				Error::<Test>::UnknownDevice
			);
			assert_noop!(
				Institutions::remove_device(admin(), DEVICE_3),
				Error::<Test>::UnknownDevice
			);
			assert_noop!(
				Institutions::rotate_device(admin(), DEVICE, DEVICE_2),
				Error::<Test>::AccountHasRole
			);
			// A removed institution's admin can no longer manage keys.
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), hospital));
			assert_noop!(Institutions::add_device(admin(), DEVICE_3), Error::<Test>::NotAdmin);
			check_invariants();
		});
	}

	#[test]
	fn devices_of_a_suspended_institution_cannot_act() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			assert_ok!(Institutions::add_device(RuntimeOrigin::signed(HOSPITAL_ADMIN), DEVICE));
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
			assert_eq!(Institutions::active_institution_of_device(&DEVICE), None);
			// Keys can still be managed while suspended.
			assert_ok!(Institutions::rotate_device(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				DEVICE,
				DEVICE_2
			));
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), id));
			assert_eq!(Institutions::active_institution_of_device(&DEVICE_2), Some(id));
		});
	}
}

mod practitioners {
	use super::*;

	#[test]
	fn admin_adds_and_removes_practitioners() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			let admin = || RuntimeOrigin::signed(HOSPITAL_ADMIN);
			let licence = H256::repeat_byte(7);
			assert_ok!(Institutions::add_practitioner(
				admin(),
				DOCTOR,
				PractitionerRole::Physician,
				licence
			));
			System::assert_last_event(
				Event::PractitionerAdded {
					institution: id,
					practitioner: DOCTOR,
					role: PractitionerRole::Physician,
				}
				.into(),
			);
			assert_eq!(Practitioners::<Test>::get(DOCTOR).unwrap().licence_hash, licence);
			assert_eq!(
				Institutions::active_practitioner(&DOCTOR),
				Some((id, PractitionerRole::Physician))
			);
			assert_ok!(Institutions::remove_practitioner(admin(), DOCTOR));
			System::assert_last_event(
				Event::PractitionerRemoved { institution: id, practitioner: DOCTOR }.into(),
			);
			assert_eq!(Institutions::active_practitioner(&DOCTOR), None);
			check_invariants();
		});
	}

	#[test]
	fn practitioner_calls_fail_cleanly() {
		build_and_execute(|| {
			let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
			admit(PHARMACY_ADMIN, InstitutionKind::Pharmacy);
			let admin = || RuntimeOrigin::signed(HOSPITAL_ADMIN);
			let h = H256::zero();
			assert_noop!(
				Institutions::add_practitioner(
					RuntimeOrigin::signed(STRANGER),
					DOCTOR,
					PractitionerRole::Physician,
					h
				),
				Error::<Test>::NotAdmin
			);
			assert_ok!(Institutions::add_practitioner(
				admin(),
				DOCTOR,
				PractitionerRole::Physician,
				h
			));
			assert_noop!(
				Institutions::add_practitioner(admin(), DOCTOR, PractitionerRole::Nurse, h),
				Error::<Test>::AccountHasRole
			);
			assert_ok!(Institutions::add_practitioner(admin(), NURSE, PractitionerRole::Nurse, h));
			assert_noop!(
				Institutions::add_practitioner(
					admin(),
					PHARMACIST,
					PractitionerRole::Pharmacist,
					h
				),
				Error::<Test>::TooManyPractitioners
			);
			assert_noop!(
				Institutions::remove_practitioner(RuntimeOrigin::signed(PHARMACY_ADMIN), DOCTOR),
				Error::<Test>::UnknownPractitioner
			);
			assert_noop!(
				Institutions::remove_practitioner(admin(), PHARMACIST),
				Error::<Test>::UnknownPractitioner
			);
			// Practitioners of a suspended institution are not active.
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), id));
			assert_eq!(Institutions::active_practitioner(&DOCTOR), None);
			check_invariants();
		});
	}
}

#[test]
fn integrity_test_passes() {
	build_and_execute(|| {
		<Institutions as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_detects_a_broken_count() {
	build_and_execute(|| {
		let id = admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
		assert_ok!(Institutions::add_device(RuntimeOrigin::signed(HOSPITAL_ADMIN), DEVICE));
		check_invariants();
		crate::Institutions::<Test>::mutate(id, |i| i.as_mut().unwrap().devices = 0);
		assert!(Institutions::do_try_state().is_err());
		crate::Institutions::<Test>::mutate(id, |i| i.as_mut().unwrap().devices = 1);
		check_invariants();
	});
}

#[test]
fn try_state_detects_a_wrong_pending_registration() {
	build_and_execute(|| {
		admit(HOSPITAL_ADMIN, InstitutionKind::Hospital);
		let origin = RuntimeOrigin::signed(HOSPITAL_ADMIN);
		assert_ok!(Institutions::register_patient(origin.clone(), PATIENT, None));
		assert_ok!(Institutions::register_patient(origin, GUARDIAN, None));
		assert_ok!(Institutions::confirm_registration(
			RuntimeOrigin::signed(GUARDIAN),
			GUARDIAN,
			None
		));
		check_invariants();
		// A pending registration of an account that is also a patient.
		let pending = crate::PendingRegistrations::<Test>::get(PATIENT).unwrap();
		crate::PendingRegistrations::<Test>::insert(GUARDIAN, pending.clone());
		crate::PendingCount::<Test>::insert(0, 2);
		assert!(Institutions::do_try_state().is_err());
		crate::PendingRegistrations::<Test>::remove(GUARDIAN);
		assert!(Institutions::do_try_state().is_err(), "the count is wrong now");
		crate::PendingCount::<Test>::insert(0, 1);
		check_invariants();
	});
}

mod council_seats {
	use super::*;
	use crate::mock::{seats, SEATS_FULL};

	#[test]
	fn active_hospitals_admins_hold_the_seats() {
		build_and_execute(|| {
			let a = admit(1, InstitutionKind::Hospital);
			let b = admit(2, InstitutionKind::Hospital);
			// Other kinds have no seat.
			admit(3, InstitutionKind::Clinic);
			admit(4, InstitutionKind::RelayOperator);
			assert_eq!(seats(), vec![1, 2]);
			// Suspension takes the seat away, reinstatement gives it back.
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), a));
			assert_eq!(seats(), vec![2]);
			// A suspended hospital's admin change does not touch the council.
			assert_ok!(Institutions::set_admin(RuntimeOrigin::signed(1), 11));
			assert_eq!(seats(), vec![2]);
			assert_ok!(Institutions::reinstate(RuntimeOrigin::root(), a));
			assert_eq!(seats(), vec![2, 11]);
			// An active hospital's admin change moves the seat.
			assert_ok!(Institutions::set_admin(RuntimeOrigin::signed(2), 12));
			assert_eq!(seats(), vec![12, 11]);
			// Removal takes it away; removing a suspended hospital changes nothing more.
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), b));
			assert_eq!(seats(), vec![11]);
			assert_ok!(Institutions::suspend(RuntimeOrigin::root(), a));
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), a));
			assert!(seats().is_empty());
			check_invariants();
		});
	}

	#[test]
	fn a_refused_seat_change_refuses_the_registry_change() {
		build_and_execute(|| {
			let a = admit(1, InstitutionKind::Hospital);
			SEATS_FULL.with(|f| *f.borrow_mut() = true);
			assert_noop!(
				Institutions::admit(
					RuntimeOrigin::root(),
					2,
					InstitutionKind::Hospital,
					b"x".to_vec()
				),
				DispatchError::Other("council full")
			);
			assert_noop!(
				Institutions::suspend(RuntimeOrigin::root(), a),
				DispatchError::Other("council full")
			);
			// A clinic needs no seat.
			assert_ok!(Institutions::admit(
				RuntimeOrigin::root(),
				3,
				InstitutionKind::Clinic,
				b"x".to_vec()
			));
			assert_eq!(seats(), vec![1]);
		});
	}

	#[test]
	fn removal_needs_the_removal_origin() {
		build_and_execute(|| {
			let a = admit(1, InstitutionKind::Hospital);
			// Root admits, but removal is a separate, stricter origin.
			assert_noop!(Institutions::remove(RuntimeOrigin::root(), a), DispatchError::BadOrigin);
			assert_ok!(Institutions::remove(RuntimeOrigin::signed(900), a));
		});
	}

	#[test]
	fn genesis_admits_the_founding_institutions() {
		use sp_runtime::BuildStorage;
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		crate::GenesisConfig::<Test> {
			institutions: vec![
				(1, InstitutionKind::Hospital, b"North".to_vec()),
				(2, InstitutionKind::Hospital, b"South".to_vec()),
				(3, InstitutionKind::RelayOperator, b"Relay".to_vec()),
			],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		sp_io::TestExternalities::new(storage).execute_with(|| {
			assert_eq!(crate::NextInstitutionId::<Test>::get(), 3);
			assert_eq!(AdminOf::<Test>::get(2), Some(1));
			let relay = crate::Institutions::<Test>::get(2).unwrap();
			assert_eq!(
				(relay.kind, relay.name.to_vec()),
				(InstitutionKind::RelayOperator, b"Relay".to_vec())
			);
			check_invariants();
		});
	}
}
