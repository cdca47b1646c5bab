//! Patients: registration in two steps, guardians, leaving. The calls in `lib.rs` hand over to
//! the functions here.
//!
//! Rules (docs/records.md, "Patients"):
//!
//! 1. An active hospital or clinic (its admin or one of its devices) asks for a registration
//!    after checking the patient's identity off chain. The registration is **pending**: the
//!    account is not a patient and holds no role, so a pending registration blocks nothing (the
//!    key may still become an admin, a device or a practitioner; the confirmation then fails).
//! 2. The patient's own key, or the guardian the institution named, **confirms** it before it
//!    expires (`RegistrationExpiry` blocks after the request), accepting exactly that guardian.
//!    Only then is the account a patient.
//! 3. A guardian is never the patient, nor an account holding an institution role (admin,
//!    device, practitioner): checked when the guardian is named, when the registration is
//!    confirmed and when the guardian changes. A guardian who takes such a role later cannot
//!    act for the patient while holding it ([`Pallet::acts_for`], `Registry::guardian_of`).
//! 4. A pending registration that expired is removed by anyone, or replaced by the next
//!    registration of the key. An institution may replace its own pending registration at any
//!    time (to correct the guardian), another institution's only once it expired. Each
//!    institution has at most `MaxPendingRegistrations` pending at once.
//! 5. The patient (or the guardian) may **leave**: the registration ends and the key is free
//!    for any role again. What other pallets keep under the account (records, consents, the
//!    disclosure log) stays: leaving ends the registration, not the history.
//! 6. **Care at another institution**: a registered patient treated at a second hospital or
//!    clinic is asked for in the same two steps — that institution's `register_patient` (naming
//!    the patient's current guardian, if any) is pending until the patient or guardian confirms
//!    it — and the institution is then in the patient's care list ([`CareRelationships`], at
//!    most `MaxCareRelationships`). The registering institution and those in the list are the
//!    ones that may keep records for the patient (`Registry::patient_in_care_at`). Leaving ends
//!    them all.
//!
//! The request gives the account a provider reference, so it exists on chain without a balance
//! and the patient can sign the confirmation; the patient entry keeps it. It is released when
//! the registration ends (expired and removed, or left) only if the account never sent a
//! transaction and nothing else needs it (`Pallet::release_provider`): an account that is
//! reaped starts again at nonce 0, and its old transactions could then be replayed.

use crate::{pallet::*, Patient, PendingRegistration, Registry};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Rule 1 and 4: an institution asks to register `patient`, with an optional guardian.
	pub(crate) fn do_register_patient(
		who: T::AccountId,
		patient: T::AccountId,
		guardian: Option<T::AccountId>,
	) -> DispatchResult {
		let registered_by = Self::record_keeper_of(&who).ok_or(Error::<T>::NotRecordKeeper)?;
		let existing = Patients::<T>::get(&patient);
		match &existing {
			// Rule 6: a care relationship with a registered patient.
			Some(entry) => {
				ensure!(
					!Self::in_care_at(&patient, entry, registered_by),
					Error::<T>::PatientAlreadyRegistered
				);
				ensure!(entry.guardian == guardian, Error::<T>::GuardianMismatch);
				ensure!(
					(CareRelationships::<T>::decode_len(&patient).unwrap_or(0) as u32)
						< T::MaxCareRelationships::get(),
					Error::<T>::TooManyCareRelationships
				);
			},
			None => {
				ensure!(!Self::has_role(&patient), Error::<T>::AccountHasRole);
				Self::ensure_may_be_guardian(&patient, guardian.as_ref())?;
			},
		}
		let now = Self::now();
		let previous = PendingRegistrations::<T>::get(&patient);
		let replaces_own = previous.as_ref().is_some_and(|p| p.registered_by == registered_by);
		if let Some(p) = &previous {
			ensure!(replaces_own || now >= p.expires_at, Error::<T>::RegistrationPending);
		}
		if !replaces_own {
			ensure!(
				PendingCount::<T>::get(registered_by) < T::MaxPendingRegistrations::get(),
				Error::<T>::TooManyPendingRegistrations
			);
		}

		match &previous {
			// The account exists on chain from now on (a provider reference), so the patient
			// can sign the confirmation without holding any balance.
			None if existing.is_none() => {
				frame_system::Pallet::<T>::inc_providers(&patient);
			},
			None => {},
			Some(p) if !replaces_own => Self::count_pending_down(p.registered_by),
			Some(_) => {},
		}
		if !replaces_own {
			PendingCount::<T>::mutate(registered_by, |count| *count = count.saturating_add(1));
		}
		let expires_at = now.saturating_add(T::RegistrationExpiry::get());
		PendingRegistrations::<T>::insert(
			&patient,
			PendingRegistration { registered_by, guardian: guardian.clone(), expires_at },
		);
		Self::deposit_event(Event::RegistrationRequested {
			patient,
			registered_by,
			guardian,
			expires_at,
		});
		Ok(())
	}

	/// Rule 2: the pending registration of `patient` that `who` may confirm, accepting
	/// `guardian`. Every check of `confirm_registration`; also the condition under which that
	/// call is fee-free.
	pub fn confirmable(
		who: &T::AccountId,
		patient: &T::AccountId,
		guardian: Option<&T::AccountId>,
	) -> Result<PendingRegistrationOf<T>, DispatchError> {
		let pending =
			PendingRegistrations::<T>::get(patient).ok_or(Error::<T>::NoPendingRegistration)?;
		ensure!(
			who == patient || pending.guardian.as_ref() == Some(who),
			Error::<T>::NotPatientOrGuardian
		);
		ensure!(Self::now() < pending.expires_at, Error::<T>::RegistrationExpired);
		ensure!(pending.guardian.as_ref() == guardian, Error::<T>::GuardianMismatch);
		ensure!(Self::is_active(pending.registered_by), Error::<T>::InstitutionInactive);
		match Patients::<T>::get(patient) {
			// Rule 6: the guardian must still be the patient's and act for them.
			Some(entry) => {
				ensure!(Self::acts_for(who, patient, &entry), Error::<T>::NotPatientOrGuardian);
				ensure!(entry.guardian.as_ref() == guardian, Error::<T>::GuardianMismatch);
			},
			None => {
				ensure!(!Self::has_role(patient), Error::<T>::AccountHasRole);
				Self::ensure_may_be_guardian(patient, guardian)?;
			},
		}
		Ok(pending)
	}

	/// Rule 2: the patient or the named guardian confirms; the account becomes a patient.
	pub(crate) fn do_confirm_registration(
		who: T::AccountId,
		patient: T::AccountId,
		guardian: Option<T::AccountId>,
	) -> DispatchResult {
		let pending = Self::confirmable(&who, &patient, guardian.as_ref())?;
		let registered_by = pending.registered_by;
		PendingRegistrations::<T>::remove(&patient);
		Self::count_pending_down(registered_by);
		if Patients::<T>::contains_key(&patient) {
			// Rule 6 (room was checked at the request; the list cannot have grown since, as
			// only confirmations add to it and a patient has one pending request at a time).
			CareRelationships::<T>::try_mutate(&patient, |list| list.try_push(registered_by))
				.map_err(|_| Error::<T>::TooManyCareRelationships)?;
			Self::deposit_event(Event::CareRelationshipConfirmed {
				patient,
				institution: registered_by,
				confirmed_by: who,
			});
			return Ok(());
		}
		Patients::<T>::insert(
			&patient,
			Patient { registered_by, guardian: guardian.clone(), registered_at: Self::now() },
		);
		Self::deposit_event(Event::PatientRegistered {
			patient,
			registered_by,
			guardian,
			confirmed_by: who,
		});
		Ok(())
	}

	/// Rule 4: anyone removes a pending registration that expired.
	pub(crate) fn do_remove_expired_registration(patient: T::AccountId) -> DispatchResult {
		let pending =
			PendingRegistrations::<T>::get(&patient).ok_or(Error::<T>::NoPendingRegistration)?;
		ensure!(Self::now() >= pending.expires_at, Error::<T>::RegistrationNotExpired);
		PendingRegistrations::<T>::remove(&patient);
		Self::count_pending_down(pending.registered_by);
		if !Patients::<T>::contains_key(&patient) {
			Self::release_provider(&patient)?;
		}
		Self::deposit_event(Event::RegistrationRemoved {
			patient,
			registered_by: pending.registered_by,
		});
		Ok(())
	}

	/// Rule 3: `who` may change the guardian; the new one must be allowed (or none).
	pub(crate) fn do_set_guardian(
		who: T::AccountId,
		patient: T::AccountId,
		guardian: Option<T::AccountId>,
	) -> DispatchResult {
		let mut entry = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(Self::acts_for(&who, &patient, &entry), Error::<T>::NotPatientOrGuardian);
		Self::ensure_may_be_guardian(&patient, guardian.as_ref())?;
		entry.guardian = guardian.clone();
		Patients::<T>::insert(&patient, entry);
		Self::deposit_event(Event::GuardianChanged { patient, guardian });
		Ok(())
	}

	/// Rule 5: whether `who` may end `patient`'s registration. Every check of `leave`; also
	/// the condition under which that call is fee-free.
	pub fn may_leave(who: &T::AccountId, patient: &T::AccountId) -> DispatchResult {
		let entry = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(Self::acts_for(who, patient, &entry), Error::<T>::NotPatientOrGuardian);
		Ok(())
	}

	/// Rule 5: the patient (or the guardian) ends the registration.
	pub(crate) fn do_leave(who: T::AccountId, patient: T::AccountId) -> DispatchResult {
		Self::may_leave(&who, &patient)?;
		Patients::<T>::remove(&patient);
		CareRelationships::<T>::remove(&patient);
		Self::release_provider(&patient)?;
		Self::deposit_event(Event::PatientLeft { patient, signed_by: who });
		Ok(())
	}

	/// Whether `who` acts for the registered `patient`: the patient, or the guardian as long
	/// as it holds no institution role (rule 3).
	pub fn acts_for(who: &T::AccountId, patient: &T::AccountId, entry: &PatientOf<T>) -> bool {
		who == patient
			|| entry.guardian.as_ref().is_some_and(|g| g == who && !Self::holds_institution_role(g))
	}

	/// Rule 6: whether `institution` may keep records for the registered `patient`.
	pub fn in_care_at(
		patient: &T::AccountId,
		entry: &PatientOf<T>,
		institution: crate::InstitutionId,
	) -> bool {
		entry.registered_by == institution
			|| CareRelationships::<T>::get(patient).contains(&institution)
	}

	/// Rule 3: `guardian` (if any) may be `patient`'s guardian.
	fn ensure_may_be_guardian(
		patient: &T::AccountId,
		guardian: Option<&T::AccountId>,
	) -> DispatchResult {
		if let Some(guardian) = guardian {
			ensure!(guardian != patient, Error::<T>::GuardianIsPatient);
			ensure!(
				!Self::holds_institution_role(guardian),
				Error::<T>::GuardianHoldsInstitutionRole
			);
		}
		Ok(())
	}

	/// Releases the provider reference a registration gave `who`, unless the account has sent
	/// transactions (reaping it would reset its nonce, and its old transactions could be
	/// replayed once it exists again) or something else needs the reference. A kept reference
	/// only keeps the account (nonce, zero balance) on chain.
	pub(crate) fn release_provider(who: &T::AccountId) -> DispatchResult {
		let nonce = frame_system::Pallet::<T>::account_nonce(who);
		if nonce.is_zero() && frame_system::Pallet::<T>::can_dec_provider(who) {
			frame_system::Pallet::<T>::dec_providers(who)?;
		}
		Ok(())
	}

	/// One pending registration of `institution` less (no entry when none is left).
	fn count_pending_down(institution: crate::InstitutionId) {
		PendingCount::<T>::mutate_exists(institution, |count| {
			*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0);
		});
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}
}
