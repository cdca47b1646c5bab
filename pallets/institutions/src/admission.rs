//! Institutions: admission, suspension, reinstatement, removal and the admin key, with the
//! council seat of a hospital's admin kept in step (docs/governance.md). The calls in `lib.rs`
//! hand over to the functions here once their origin is checked.

use crate::{
	council::{self, CouncilSeats},
	pallet::*,
	Institution, InstitutionId, InstitutionKind, InstitutionStatus,
};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get, BoundedVec};
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// Admits an institution with its admin account (a hospital's admin takes a council seat).
	pub(crate) fn do_admit(
		admin: T::AccountId,
		kind: InstitutionKind,
		name: Vec<u8>,
	) -> DispatchResult {
		let name = Self::checked_name(name)?;
		ensure!(!Self::has_role(&admin), Error::<T>::AccountHasRole);
		let id = NextInstitutionId::<T>::get();
		ensure!(id < T::MaxInstitutions::get(), Error::<T>::TooManyInstitutions);
		if kind == InstitutionKind::Hospital {
			T::CouncilSeats::seat(&admin)?;
		}

		Self::insert_institution(id, &admin, kind, name);
		Self::deposit_event(Event::InstitutionAdmitted { institution: id, kind, admin });
		Ok(())
	}

	/// Suspends an active institution (a hospital's admin leaves its seat).
	pub(crate) fn do_suspend(institution: InstitutionId) -> DispatchResult {
		Institutions::<T>::try_mutate(institution, |entry| -> DispatchResult {
			let inst = entry.as_mut().ok_or(Error::<T>::UnknownInstitution)?;
			ensure!(inst.status == InstitutionStatus::Active, Error::<T>::InstitutionInactive);
			if inst.kind == InstitutionKind::Hospital {
				<T::OnHospitalExit as council::OnHospitalExit>::suspending(institution)?;
				T::CouncilSeats::unseat(&inst.admin)?;
			}
			inst.status = InstitutionStatus::Suspended;
			Ok(())
		})?;
		Self::deposit_event(Event::InstitutionSuspended { institution });
		Ok(())
	}

	/// Reinstates a suspended institution (a hospital's admin takes its seat again).
	pub(crate) fn do_reinstate(institution: InstitutionId) -> DispatchResult {
		Institutions::<T>::try_mutate(institution, |entry| -> DispatchResult {
			let inst = entry.as_mut().ok_or(Error::<T>::UnknownInstitution)?;
			ensure!(
				inst.status == InstitutionStatus::Suspended,
				Error::<T>::InstitutionNotSuspended
			);
			if inst.kind == InstitutionKind::Hospital {
				T::CouncilSeats::seat(&inst.admin)?;
			}
			inst.status = InstitutionStatus::Active;
			Ok(())
		})?;
		Self::deposit_event(Event::InstitutionReinstated { institution });
		Ok(())
	}

	/// Removes an institution for good and releases its admin account.
	pub(crate) fn do_remove(institution: InstitutionId) -> DispatchResult {
		let admin = Institutions::<T>::try_mutate(institution, |entry| {
			let inst = entry.as_mut().ok_or(Error::<T>::UnknownInstitution)?;
			ensure!(inst.status != InstitutionStatus::Removed, Error::<T>::InstitutionRemoved);
			if inst.kind == InstitutionKind::Hospital {
				let was_active = inst.status == InstitutionStatus::Active;
				<T::OnHospitalExit as council::OnHospitalExit>::removing(institution, was_active)?;
			}
			if inst.kind == InstitutionKind::Hospital && inst.status == InstitutionStatus::Active {
				T::CouncilSeats::unseat(&inst.admin)?;
			}
			inst.status = InstitutionStatus::Removed;
			Ok::<_, DispatchError>(inst.admin.clone())
		})?;
		AdminOf::<T>::remove(&admin);
		Self::deposit_event(Event::InstitutionRemoved { institution });
		Ok(())
	}

	/// Hands the administration of `who`'s institution to `new_admin` (the seat moves too).
	pub(crate) fn do_set_admin(who: T::AccountId, new_admin: T::AccountId) -> DispatchResult {
		let (id, mut inst) = Self::administered_by(&who)?;
		ensure!(!Self::has_role(&new_admin), Error::<T>::AccountHasRole);
		if inst.kind == InstitutionKind::Hospital && inst.status == InstitutionStatus::Active {
			T::CouncilSeats::reseat(&who, &new_admin)?;
		}
		inst.admin = new_admin.clone();
		Institutions::<T>::insert(id, inst);
		AdminOf::<T>::remove(&who);
		AdminOf::<T>::insert(&new_admin, id);
		Self::deposit_event(Event::AdminChanged { institution: id, old_admin: who, new_admin });
		Ok(())
	}

	/// Records a newly admitted, active institution and its admin (calls and genesis).
	pub(crate) fn insert_institution(
		id: InstitutionId,
		admin: &T::AccountId,
		kind: InstitutionKind,
		name: BoundedVec<u8, T::MaxNameLen>,
	) {
		NextInstitutionId::<T>::put(id.saturating_add(1));
		AdminOf::<T>::insert(admin, id);
		Institutions::<T>::insert(
			id,
			Institution {
				kind,
				name,
				status: InstitutionStatus::Active,
				admin: admin.clone(),
				admitted_at: frame_system::Pallet::<T>::block_number(),
				devices: 0,
				practitioners: 0,
			},
		);
	}

	/// Validates a display name: not empty, UTF-8, at most `MaxNameLen` bytes.
	pub(crate) fn checked_name(name: Vec<u8>) -> Result<BoundedVec<u8, T::MaxNameLen>, Error<T>> {
		ensure!(!name.is_empty(), Error::<T>::EmptyName);
		ensure!(core::str::from_utf8(&name).is_ok(), Error::<T>::NameNotUtf8);
		BoundedVec::try_from(name).map_err(|_| Error::<T>::NameTooLong)
	}
}
