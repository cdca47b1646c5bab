//! Who holds which role: the one-role-per-account rule, an institution's devices and
//! practitioners (managed by its admin). The calls in `lib.rs` hand over to the functions here.

use crate::{
	pallet::*, Device, EncryptionKey, InstitutionId, InstitutionStatus, Practitioner,
	PractitionerRole,
};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_core::H256;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// Registers `device` for the institution `who` administers.
	pub(crate) fn do_add_device(who: T::AccountId, device: T::AccountId) -> DispatchResult {
		let (id, mut inst) = Self::administered_by(&who)?;
		ensure!(!Self::has_role(&device), Error::<T>::AccountHasRole);
		ensure!(inst.devices < T::MaxDevicesPerInstitution::get(), Error::<T>::TooManyDevices);
		inst.devices = inst.devices.saturating_add(1);
		Institutions::<T>::insert(id, inst);
		Devices::<T>::insert(
			&device,
			Device {
				institution: id,
				added_at: frame_system::Pallet::<T>::block_number(),
				encryption_key: None,
			},
		);
		Self::deposit_event(Event::DeviceAdded { institution: id, device });
		Ok(())
	}

	/// Deregisters one of the institution's devices.
	pub(crate) fn do_remove_device(who: T::AccountId, device: T::AccountId) -> DispatchResult {
		let (id, mut inst) = Self::administered_by(&who)?;
		let entry = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(entry.institution == id, Error::<T>::UnknownDevice);
		inst.devices = inst.devices.saturating_sub(1);
		Institutions::<T>::insert(id, inst);
		Devices::<T>::remove(&device);
		Self::deposit_event(Event::DeviceRemoved { institution: id, device });
		Ok(())
	}

	/// Replaces a device key of the institution with a new one.
	pub(crate) fn do_rotate_device(
		who: T::AccountId,
		old_device: T::AccountId,
		new_device: T::AccountId,
	) -> DispatchResult {
		let (id, _) = Self::administered_by(&who)?;
		let entry = Devices::<T>::get(&old_device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(entry.institution == id, Error::<T>::UnknownDevice);
		ensure!(!Self::has_role(&new_device), Error::<T>::AccountHasRole);
		Devices::<T>::remove(&old_device);
		Devices::<T>::insert(
			&new_device,
			Device {
				institution: id,
				added_at: frame_system::Pallet::<T>::block_number(),
				encryption_key: None,
			},
		);
		Self::deposit_event(Event::DeviceRotated { institution: id, old_device, new_device });
		Ok(())
	}

	/// Sets the encryption key of `device`; `who` is the device itself or the admin of its
	/// institution (not removed).
	pub(crate) fn do_set_encryption_key(
		who: T::AccountId,
		device: T::AccountId,
		key: EncryptionKey,
	) -> DispatchResult {
		let mut entry = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
		let institution = entry.institution;
		if who != device {
			let (id, _) = Self::administered_by(&who)?;
			ensure!(id == institution, Error::<T>::UnknownDevice);
		}
		let inst = Institutions::<T>::get(institution).ok_or(Error::<T>::UnknownInstitution)?;
		ensure!(inst.status != InstitutionStatus::Removed, Error::<T>::InstitutionRemoved);
		ensure!(key != [0u8; 32], Error::<T>::InvalidEncryptionKey);
		entry.encryption_key = Some(key);
		Devices::<T>::insert(&device, entry);
		Self::deposit_event(Event::EncryptionKeySet { institution, device, key });
		Ok(())
	}

	/// Registers a practitioner of the institution `who` administers.
	pub(crate) fn do_add_practitioner(
		who: T::AccountId,
		practitioner: T::AccountId,
		role: PractitionerRole,
		licence_hash: H256,
	) -> DispatchResult {
		let (id, mut inst) = Self::administered_by(&who)?;
		ensure!(!Self::has_role(&practitioner), Error::<T>::AccountHasRole);
		ensure!(
			inst.practitioners < T::MaxPractitionersPerInstitution::get(),
			Error::<T>::TooManyPractitioners
		);
		inst.practitioners = inst.practitioners.saturating_add(1);
		Institutions::<T>::insert(id, inst);
		Practitioners::<T>::insert(
			&practitioner,
			Practitioner {
				institution: id,
				role,
				licence_hash,
				added_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::PractitionerAdded { institution: id, practitioner, role });
		Ok(())
	}

	/// Deregisters a practitioner of the institution.
	pub(crate) fn do_remove_practitioner(
		who: T::AccountId,
		practitioner: T::AccountId,
	) -> DispatchResult {
		let (id, mut inst) = Self::administered_by(&who)?;
		let entry =
			Practitioners::<T>::get(&practitioner).ok_or(Error::<T>::UnknownPractitioner)?;
		ensure!(entry.institution == id, Error::<T>::UnknownPractitioner);
		inst.practitioners = inst.practitioners.saturating_sub(1);
		Institutions::<T>::insert(id, inst);
		Practitioners::<T>::remove(&practitioner);
		Self::deposit_event(Event::PractitionerRemoved { institution: id, practitioner });
		Ok(())
	}

	/// Whether an account already has a role in the registry (a pending registration is
	/// not a role).
	pub fn has_role(account: &T::AccountId) -> bool {
		Self::holds_institution_role(account) || Patients::<T>::contains_key(account)
	}

	/// Whether an account is an institution's admin, device or practitioner (also of a
	/// suspended or removed institution).
	pub fn holds_institution_role(account: &T::AccountId) -> bool {
		AdminOf::<T>::contains_key(account)
			|| Devices::<T>::contains_key(account)
			|| Practitioners::<T>::contains_key(account)
	}

	/// The institution `admin` manages, unless it was removed.
	pub(crate) fn administered_by(
		admin: &T::AccountId,
	) -> Result<(InstitutionId, InstitutionOf<T>), DispatchError> {
		let id = AdminOf::<T>::get(admin).ok_or(Error::<T>::NotAdmin)?;
		let inst = Institutions::<T>::get(id).ok_or(Error::<T>::UnknownInstitution)?;
		ensure!(inst.status != InstitutionStatus::Removed, Error::<T>::InstitutionRemoved);
		Ok((id, inst))
	}

	/// The active hospital or clinic `who` acts for (as its admin or one of its devices).
	pub(crate) fn record_keeper_of(who: &T::AccountId) -> Option<InstitutionId> {
		let id =
			AdminOf::<T>::get(who).or_else(|| Devices::<T>::get(who).map(|d| d.institution))?;
		let inst = Institutions::<T>::get(id)?;
		(inst.status == InstitutionStatus::Active && inst.kind.keeps_records()).then_some(id)
	}
}
