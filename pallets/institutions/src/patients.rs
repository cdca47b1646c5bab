//! Patients: registration in two steps, guardians, leaving. The calls in `lib.rs` hand over to
//! the functions here.
//!
//! Rules (docs/records.md, "Patients"; docs/privacy.md, "The identity model"):
//!
//! 1. An account registered here is a **pseudonym**: the key a patient's app derived for one
//!    custodian. An active hospital or clinic (its admin or one of its devices), the custodian,
//!    asks for a registration after checking the patient's identity off chain. The
//!    registration is **pending**: the account is not a patient and holds no role, so a pending
//!    registration blocks nothing (the key may still become an admin, a device or a
//!    practitioner; the confirmation then fails).
//! 2. The pseudonym's own key, or the guardian the institution named, **confirms** it before
//!    it expires (`RegistrationExpiry` blocks after the request), accepting exactly that
//!    guardian. Only then is the account a patient, of exactly one custodian: a pseudonym
//!    that is or ever was a patient of one custodian is never registered by another, nor
//!    named a guardian ([`PseudonymCustodians`], kept after leaving; the patient's app
//!    derives another key), so nothing on chain joins two custodians' patients.
//! 3. A guardian is never a patient (a registered pseudonym), nor an account holding an
//!    institution role (admin, device, practitioner), and a guardian key acts for **one** ward,
//!    for good ([`Guardianships`], kept when the guardian changes or the patient leaves): a
//!    guardian derives one key per ward and custodian, so the guardian link never joins two
//!    pseudonyms. Checked when the guardian is named, when the
//!    registration is confirmed and when the guardian changes; a guardian key cannot itself be
//!    registered as a patient. A guardian who takes an institution role later cannot act for
//!    the patient while holding it ([`Pallet::acts_for`], `Registry::guardian_of`).
//! 4. A pending registration that expired is removed by anyone, or replaced by the next
//!    registration of the key. An institution may replace its own pending registration at any
//!    time (to correct the guardian), another institution's only once it expired. Each
//!    institution has at most `MaxPendingRegistrations` pending at once.
//! 5. The patient (or the guardian) may **leave**: the registration ends and the key may take
//!    an institution role (never another custodian's registration, rule 2). What other pallets keep under the
//!    account (records, consents, the disclosure log) stays: leaving ends the registration,
//!    not the history.
//!
//! The request gives the account a provider reference, so it exists on chain without a balance
//! and the patient can sign the confirmation (a pseudonym is never funded from another
//! account: the transfer would link them); the patient entry keeps it. It is released when
//! the registration ends (expired and removed, or left) only if the account never sent a
//! transaction and nothing else needs it (`Pallet::release_provider`): an account that is
//! reaped starts again at nonce 0, and its old transactions could then be replayed.
//!
//! A key an institution names as a **guardian** (in a registration, or by `set_guardian`) is
//! given a provider reference too if its account does not exist yet, for the same reason: the
//! guardian confirms the registration and acts for the ward (consents, deny provisions, the
//! emergency card) without holding any balance, and is never funded from another account. The
//! reference is kept for good, like [`Guardianships`]: at most one per key, each given by a
//! paid call; a kept reference only keeps the account (nonce, zero balance) on chain. (A key
//! that exists already, e.g. a funded one, gets none.)

use crate::{pallet::*, Patient, PendingRegistration, Registry};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Rules 1, 3 and 4: an institution asks to register the pseudonym `patient`, with an
	/// optional guardian.
	pub(crate) fn do_register_patient(
		who: T::AccountId,
		patient: T::AccountId,
		guardian: Option<T::AccountId>,
	) -> DispatchResult {
		let custodian = Self::record_keeper_of(&who).ok_or(Error::<T>::NotRecordKeeper)?;
		ensure!(!Patients::<T>::contains_key(&patient), Error::<T>::PatientAlreadyRegistered);
		ensure!(
			PseudonymCustodians::<T>::get(&patient).is_none_or(|c| c == custodian),
			Error::<T>::PseudonymOfAnotherCustodian
		);
		ensure!(!Self::has_role(&patient), Error::<T>::AccountHasRole);
		ensure!(!Guardianships::<T>::contains_key(&patient), Error::<T>::AccountIsGuardian);
		Self::ensure_may_be_guardian(&patient, guardian.as_ref())?;
		let now = Self::now();
		let previous = PendingRegistrations::<T>::get(&patient);
		let replaces_own = previous.as_ref().is_some_and(|p| p.custodian == custodian);
		if let Some(p) = &previous {
			ensure!(replaces_own || now >= p.expires_at, Error::<T>::RegistrationPending);
		}
		if !replaces_own {
			ensure!(
				PendingCount::<T>::get(custodian) < T::MaxPendingRegistrations::get(),
				Error::<T>::TooManyPendingRegistrations
			);
		}

		match &previous {
			// The account exists on chain from now on (a provider reference), so the patient
			// can sign the confirmation without holding any balance.
			None => {
				frame_system::Pallet::<T>::inc_providers(&patient);
			},
			Some(p) if !replaces_own => Self::leave_pending(p.custodian, &patient),
			Some(_) => {},
		}
		if !replaces_own {
			PendingCount::<T>::mutate(custodian, |count| *count = count.saturating_add(1));
			PendingRegistrationsOf::<T>::insert(custodian, &patient, ());
		}
		if let Some(g) = &guardian {
			Self::give_guardian_account(g);
		}
		let expires_at = now.saturating_add(T::RegistrationExpiry::get());
		PendingRegistrations::<T>::insert(
			&patient,
			PendingRegistration { custodian, guardian: guardian.clone(), expires_at },
		);
		Self::deposit_event(Event::RegistrationRequested {
			patient,
			custodian,
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
		ensure!(Self::is_active(pending.custodian), Error::<T>::InstitutionInactive);
		ensure!(
			PseudonymCustodians::<T>::get(patient).is_none_or(|c| c == pending.custodian),
			Error::<T>::PseudonymOfAnotherCustodian
		);
		ensure!(!Self::has_role(patient), Error::<T>::AccountHasRole);
		ensure!(!Guardianships::<T>::contains_key(patient), Error::<T>::AccountIsGuardian);
		Self::ensure_may_be_guardian(patient, guardian)?;
		Ok(pending)
	}

	/// Rule 2: the patient or the named guardian confirms; the account becomes a patient of
	/// the custodian that asked.
	pub(crate) fn do_confirm_registration(
		who: T::AccountId,
		patient: T::AccountId,
		guardian: Option<T::AccountId>,
	) -> DispatchResult {
		let pending = Self::confirmable(&who, &patient, guardian.as_ref())?;
		let custodian = pending.custodian;
		PendingRegistrations::<T>::remove(&patient);
		Self::leave_pending(custodian, &patient);
		if let Some(g) = &guardian {
			Guardianships::<T>::insert(g, &patient);
		}
		PseudonymCustodians::<T>::insert(&patient, custodian);
		Patients::<T>::insert(
			&patient,
			Patient { custodian, guardian: guardian.clone(), registered_at: Self::now() },
		);
		Self::deposit_event(Event::PatientRegistered {
			patient,
			custodian,
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
		Self::leave_pending(pending.custodian, &patient);
		Self::release_provider(&patient)?;
		Self::deposit_event(Event::RegistrationRemoved { patient, custodian: pending.custodian });
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
		if entry.guardian != guardian {
			Self::ensure_may_be_guardian(&patient, guardian.as_ref())?;
		}
		if let Some(new) = &guardian {
			Guardianships::<T>::insert(new, &patient);
			Self::give_guardian_account(new);
		}
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

	/// Rule 3: `guardian` (if any) may become `patient`'s guardian: not the patient, never a
	/// patient, holding no institution role and never named for another patient.
	fn ensure_may_be_guardian(
		patient: &T::AccountId,
		guardian: Option<&T::AccountId>,
	) -> DispatchResult {
		if let Some(guardian) = guardian {
			ensure!(
				guardian != patient && !PseudonymCustodians::<T>::contains_key(guardian),
				Error::<T>::GuardianIsPatient
			);
			ensure!(
				!Self::holds_institution_role(guardian),
				Error::<T>::GuardianHoldsInstitutionRole
			);
			ensure!(
				Guardianships::<T>::get(guardian).is_none_or(|ward| &ward == patient),
				Error::<T>::GuardianAlreadyActs
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

	/// A key named as a guardian exists on chain from its naming on, for good (a provider
	/// reference if it does not exist yet), so it can sign with no balance.
	fn give_guardian_account(guardian: &T::AccountId) {
		if !frame_system::Pallet::<T>::account_exists(guardian) {
			frame_system::Pallet::<T>::inc_providers(guardian);
		}
	}

	/// `patient`'s registration is no longer pending at `institution`: out of its index, one
	/// less in its count (no entry when none is left).
	fn leave_pending(institution: crate::InstitutionId, patient: &T::AccountId) {
		PendingRegistrationsOf::<T>::remove(institution, patient);
		PendingCount::<T>::mutate_exists(institution, |count| {
			*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0);
		});
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}
}
