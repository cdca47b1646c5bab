//! The questions other pallets ask the registry. Records, consent and exchange depend on this
//! trait, not on the pallet, so each can be tested with a simple mock; the pallet implements
//! it below.

#[cfg(feature = "runtime-benchmarks")]
use crate::{
	pallet::{AdminOf, NextInstitutionId},
	types::{Device, Institution, Patient, Practitioner},
};
use crate::{
	pallet::{Config, Devices, Institutions, Pallet, Patients, Practitioners},
	types::{InstitutionId, InstitutionKind, InstitutionStatus, PractitionerRole},
};

/// Who may act on the chain, and as what.
pub trait Registry<AccountId> {
	/// The institution a device account acts for, if the device is registered and its
	/// institution is active.
	fn active_institution_of_device(device: &AccountId) -> Option<InstitutionId>;

	/// The kind of an institution, if it is active.
	fn active_kind(institution: InstitutionId) -> Option<InstitutionKind>;

	/// Whether an institution exists and is active.
	fn is_active(institution: InstitutionId) -> bool {
		Self::active_kind(institution).is_some()
	}

	/// Whether an institution is an active hospital.
	fn is_active_hospital(institution: InstitutionId) -> bool {
		Self::active_kind(institution) == Some(InstitutionKind::Hospital)
	}

	/// The institution and role of a practitioner, if registered at an active institution.
	fn active_practitioner(account: &AccountId) -> Option<(InstitutionId, PractitionerRole)>;

	/// The admin account of an institution (any status): where payments to it go.
	fn admin_of(institution: InstitutionId) -> Option<AccountId>;

	/// Whether an account is a registered patient (its registration was confirmed; a pending
	/// registration does not count).
	fn is_patient(account: &AccountId) -> bool;

	/// The guardian of a registered patient, if any, who may act for the patient.
	fn guardian_of(patient: &AccountId) -> Option<AccountId>;

	/// The custodian of a registered patient's pseudonym: the one institution that registered
	/// it (and checked the patient's identity) and keeps records under it. `None` by default,
	/// so an implementation that does not know makes no institution a custodian.
	fn custodian_of(_patient: &AccountId) -> Option<InstitutionId> {
		None
	}

	/// The encryption key of a device of an active institution, if set: what other
	/// institutions encrypt to for it. `None` by default.
	fn encryption_key_of(_device: &AccountId) -> Option<crate::EncryptionKey> {
		None
	}

	/// Whether `who` may act for `patient`: the patient themself or their guardian.
	fn may_act_for_patient(who: &AccountId, patient: &AccountId) -> bool
	where
		AccountId: PartialEq,
	{
		Self::is_patient(patient)
			&& (who == patient || Self::guardian_of(patient).as_ref() == Some(who))
	}

	/// Benchmarks of other pallets: makes `device` a device of a new active hospital and
	/// returns the hospital's id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_hospital_with_device(device: &AccountId) -> InstitutionId;

	/// Benchmarks of other pallets: admits an active institution of `kind` managed by `admin`
	/// and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_institution(kind: InstitutionKind, admin: &AccountId) -> InstitutionId;

	/// Benchmarks of other pallets: registers `patient` at `institution`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_patient(patient: &AccountId, institution: InstitutionId);

	/// Benchmarks of other pallets: registers a practitioner of `institution`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_practitioner(
		account: &AccountId,
		institution: InstitutionId,
		role: PractitionerRole,
	);
}

impl<T: Config> Registry<T::AccountId> for Pallet<T> {
	fn active_institution_of_device(device: &T::AccountId) -> Option<InstitutionId> {
		let id = Devices::<T>::get(device)?.institution;
		Self::is_active(id).then_some(id)
	}

	fn active_kind(institution: InstitutionId) -> Option<InstitutionKind> {
		Institutions::<T>::get(institution)
			.filter(|i| i.status == InstitutionStatus::Active)
			.map(|i| i.kind)
	}

	fn active_practitioner(account: &T::AccountId) -> Option<(InstitutionId, PractitionerRole)> {
		let p = Practitioners::<T>::get(account)?;
		Self::is_active(p.institution).then_some((p.institution, p.role))
	}

	fn is_patient(account: &T::AccountId) -> bool {
		Patients::<T>::contains_key(account)
	}

	/// The guardian, while it holds no institution role (a guardian who became an admin,
	/// device or practitioner cannot act for the patient: docs/records.md, "Patients").
	fn guardian_of(patient: &T::AccountId) -> Option<T::AccountId> {
		Patients::<T>::get(patient)?.guardian.filter(|g| !Self::holds_institution_role(g))
	}

	fn encryption_key_of(device: &T::AccountId) -> Option<crate::EncryptionKey> {
		let entry = Devices::<T>::get(device)?;
		Self::is_active(entry.institution).then_some(entry.encryption_key).flatten()
	}

	fn custodian_of(patient: &T::AccountId) -> Option<InstitutionId> {
		Patients::<T>::get(patient).map(|p| p.custodian)
	}

	fn admin_of(institution: InstitutionId) -> Option<T::AccountId> {
		Institutions::<T>::get(institution).map(|i| i.admin)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_institution(kind: InstitutionKind, admin: &T::AccountId) -> InstitutionId {
		use frame_support::traits::Get;
		let id = NextInstitutionId::<T>::get();
		let name = alloc::vec![b'h'; T::MaxNameLen::get() as usize];
		NextInstitutionId::<T>::put(id.saturating_add(1));
		AdminOf::<T>::insert(admin, id);
		Institutions::<T>::insert(
			id,
			Institution {
				kind,
				name: frame_support::BoundedVec::truncate_from(name),
				status: InstitutionStatus::Active,
				admin: admin.clone(),
				admitted_at: frame_system::Pallet::<T>::block_number(),
				devices: 0,
				practitioners: 0,
			},
		);
		id
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_hospital_with_device(device: &T::AccountId) -> InstitutionId {
		let admin: T::AccountId =
			frame_benchmarking::account("benchmark-admin", NextInstitutionId::<T>::get(), 0);
		let id = Self::benchmark_institution(InstitutionKind::Hospital, &admin);
		Institutions::<T>::mutate(id, |i| {
			if let Some(i) = i {
				i.devices = 1;
			}
		});
		Devices::<T>::insert(
			device,
			Device {
				institution: id,
				added_at: frame_system::Pallet::<T>::block_number(),
				encryption_key: None,
			},
		);
		id
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_patient(patient: &T::AccountId, institution: InstitutionId) {
		frame_system::Pallet::<T>::inc_providers(patient);
		Patients::<T>::insert(
			patient,
			Patient {
				custodian: institution,
				guardian: None,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_practitioner(
		account: &T::AccountId,
		institution: InstitutionId,
		role: PractitionerRole,
	) {
		Institutions::<T>::mutate(institution, |i| {
			if let Some(i) = i {
				i.practitioners = i.practitioners.saturating_add(1);
			}
		});
		Practitioners::<T>::insert(
			account,
			Practitioner {
				institution,
				role,
				licence_hash: Default::default(),
				added_at: frame_system::Pallet::<T>::block_number(),
			},
		);
	}
}
