//! Who may prescribe, for whom, for how long, and who may change a prescription afterwards.
//! The rules, in the order the calls check them (docs/prescriptions.md):
//!
//! 1. **Only physicians prescribe.** The signer is a practitioner with the role physician at
//!    an active institution (`Registry::active_practitioner`); anyone else — a nurse, a
//!    pharmacist, an institution's admin or device, a patient — gets `NotPhysician`. A
//!    prescription names the physician who wrote it (FHIR `requester`), not a server.
//! 2. **Only hospitals and clinics prescribe.** The physician's institution keeps medical
//!    records (`InstitutionKind::keeps_records`), so the evidence behind the prescription is in
//!    its custody; a physician employed by a pharmacy gets `InstitutionCannotPrescribe`.
//! 3. **Only for the institution's own patients.** The patient is a registered patient
//!    (`UnknownPatient`) whose pseudonym is registered at the physician's institution
//!    (`Registry::custodian_of`; `NotCustodian`), as for records and certificates.
//! 4. **What is prescribed.** At least one fill and at most `MaxFills` (`InvalidFills`); a
//!    designated pharmacy, if any, is an active institution of kind pharmacy
//!    (`NotAPharmacy`); whether a generic may be substituted is recorded as the physician
//!    says (FHIR `substitution.allowedBoolean`).
//! 5. **Period of use.** `valid_until` is the last block a fill may be dispensed in (FHIR
//!    `dispenseRequest.validityPeriod.end`); without one, it is the governance's
//!    `default_validity` from now (3 days on MedChain: the default period of use of a Korean
//!    outpatient prescription). It is after the current block (`ValidityInPast`) and at most
//!    `max_validity` blocks from now (`ValidityTooLong`). Past it, the prescription reads
//!    `expired` without a transaction ([`crate::PrescriptionEntry::status_at`]) and can no
//!    longer be claimed, dispensed, resumed, held or redirected.
//! 6. **Bounds.** A hash is prescribed once, at any institution, and never deleted
//!    (`AlreadyIssued`); a patient has at most `MaxPrescriptionsPerPatient` prescriptions,
//!    final ones included (`TooManyPrescriptions`); a designated pharmacy's queue has room
//!    (rule 15; `QueueFull`).
//! 7. **Who may change a prescription** (hold, resume, cancel, stop, enter in error): an
//!    active physician of the prescribing institution, the prescriber or a colleague
//!    (`NotPhysician`, `NotPrescribingInstitution`): the institution stands behind it, and
//!    a colleague may act when the prescriber is away or has left.
//! 8. **Transitions.** Active ⇄ on hold: `hold` needs an active prescription (`NotActive`),
//!    `resume` one on hold (`NotOnHold`), neither an expired one (`Expired`). Active or on
//!    hold → cancelled if no fill was dispensed (`PartlyDispensed`: stop it instead), →
//!    stopped if some were (`NothingDispensed`: cancel it instead). Cancelled, stopped,
//!    entered in error and completed (rule 11) are final (`AlreadyFinal`), except that any
//!    prescription not entered in error yet (`AlreadyEnteredInError`), a completed one
//!    included, may be marked entered in error: it should never have existed, and its
//!    dispenses stay recorded. Holding and every final transition drop a pharmacy's claim
//!    (a claim is only on an active prescription) and take it out of the queues (rule 15).

use crate::{
	pallet::{
		Config, Error, Event, Pallet, ParametersOf, PatientPrescriptionCount, PatientPrescriptions,
		PrescriptionOf, Prescriptions,
	},
	PrescriptionEntry, PrescriptionStatus,
};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, InstitutionKind, PractitionerRole, Registry};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Rules 1–2: the institution `who` prescribes for.
	pub(crate) fn prescribing_institution(who: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		let institution = Self::physician_at(who)?;
		let keeps_records =
			T::Registry::active_kind(institution).is_some_and(|k| k.keeps_records());
		ensure!(keeps_records, Error::<T>::InstitutionCannotPrescribe);
		Ok(institution)
	}

	/// Rule 1: the active institution `who` is a physician of.
	fn physician_at(who: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		match T::Registry::active_practitioner(who) {
			Some((institution, PractitionerRole::Physician)) => Ok(institution),
			_ => Err(Error::<T>::NotPhysician),
		}
	}

	/// Rule 3: `patient` is a pseudonym registered at `institution`.
	pub(crate) fn ensure_patient_of(
		institution: InstitutionId,
		patient: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(T::Registry::is_patient(patient), Error::<T>::UnknownPatient);
		ensure!(T::Registry::custodian_of(patient) == Some(institution), Error::<T>::NotCustodian);
		Ok(())
	}

	/// Rules 4 and 13: `pharmacy` is an active pharmacy.
	pub(crate) fn ensure_pharmacy(pharmacy: InstitutionId) -> Result<(), Error<T>> {
		ensure!(
			T::Registry::active_kind(pharmacy) == Some(InstitutionKind::Pharmacy),
			Error::<T>::NotAPharmacy
		);
		Ok(())
	}

	/// Rule 5: the last block of a prescription issued at `now` with `requested`.
	pub(crate) fn period_of_use(
		requested: Option<BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
		params: &ParametersOf<T>,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let valid_until = requested.unwrap_or_else(|| now.saturating_add(params.default_validity));
		ensure!(valid_until > now, Error::<T>::ValidityInPast);
		ensure!(
			valid_until <= now.saturating_add(params.max_validity),
			Error::<T>::ValidityTooLong
		);
		Ok(valid_until)
	}

	/// The parameters are usable: no zero period, a default no longer than the maximum.
	pub(crate) fn ensure_valid_parameters(params: &ParametersOf<T>) -> Result<(), Error<T>> {
		ensure!(
			!params.default_validity.is_zero()
				&& !params.max_validity.is_zero()
				&& !params.claim_timeout.is_zero(),
			Error::<T>::InvalidParameters
		);
		ensure!(params.default_validity <= params.max_validity, Error::<T>::DefaultValidityTooLong);
		Ok(())
	}

	/// Rules 1–6: `issue`.
	pub(crate) fn do_issue(
		prescriber: T::AccountId,
		hash: H256,
		patient: T::AccountId,
		pharmacy: Option<InstitutionId>,
		fills: u8,
		valid_until: Option<BlockNumberFor<T>>,
		substitution: bool,
	) -> DispatchResult {
		let institution = Self::prescribing_institution(&prescriber)?;
		Self::ensure_patient_of(institution, &patient)?;
		if let Some(pharmacy) = pharmacy {
			Self::ensure_pharmacy(pharmacy)?;
		}
		ensure!(fills > 0 && fills <= T::MaxFills::get(), Error::<T>::InvalidFills);
		ensure!(!Prescriptions::<T>::contains_key(hash), Error::<T>::AlreadyIssued);
		let now = Self::now();
		let valid_until = Self::period_of_use(valid_until, now, &crate::Params::<T>::get())?;
		let count = PatientPrescriptionCount::<T>::get(&patient);
		ensure!(count < T::MaxPrescriptionsPerPatient::get(), Error::<T>::TooManyPrescriptions);
		let entry = PrescriptionEntry {
			patient,
			prescriber,
			institution,
			pharmacy,
			fills,
			dispensed: 0,
			substitution,
			issued_at: now,
			valid_until,
			status: PrescriptionStatus::Active,
			claim: None,
		};
		Self::ensure_queue_room(hash, &entry)?;

		PatientPrescriptions::<T>::insert(&entry.patient, count, hash);
		PatientPrescriptionCount::<T>::insert(&entry.patient, count.saturating_add(1));
		Self::store(hash, None, entry);
		Self::deposit_event(Event::PrescriptionIssued {
			hash,
			institution,
			pharmacy,
			fills,
			valid_until,
		});
		Ok(())
	}

	/// Rule 7: prescription `hash`, if it exists and `who` may change it.
	pub(crate) fn changeable_by(
		who: &T::AccountId,
		hash: H256,
	) -> Result<PrescriptionOf<T>, Error<T>> {
		let entry = Prescriptions::<T>::get(hash).ok_or(Error::<T>::UnknownPrescription)?;
		let institution = Self::physician_at(who)?;
		ensure!(institution == entry.institution, Error::<T>::NotPrescribingInstitution);
		Ok(entry)
	}

	/// Rules 7–8: `hold`.
	pub(crate) fn do_hold(who: T::AccountId, hash: H256) -> DispatchResult {
		let old = Self::changeable_by(&who, hash)?;
		ensure!(!old.status.is_final(), Error::<T>::AlreadyFinal);
		ensure!(old.status == PrescriptionStatus::Active, Error::<T>::NotActive);
		ensure!(!old.is_expired_at(Self::now()), Error::<T>::Expired);

		let mut new = old.clone();
		new.status = PrescriptionStatus::OnHold;
		new.claim = None;
		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::PrescriptionHeld { hash });
		Ok(())
	}

	/// Rules 7–8: `resume`.
	pub(crate) fn do_resume(who: T::AccountId, hash: H256) -> DispatchResult {
		let old = Self::changeable_by(&who, hash)?;
		ensure!(!old.status.is_final(), Error::<T>::AlreadyFinal);
		ensure!(old.status == PrescriptionStatus::OnHold, Error::<T>::NotOnHold);
		ensure!(!old.is_expired_at(Self::now()), Error::<T>::Expired);

		let mut new = old.clone();
		new.status = PrescriptionStatus::Active;
		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::PrescriptionResumed { hash });
		Ok(())
	}

	/// Rules 7–8: `cancel`.
	pub(crate) fn do_cancel(who: T::AccountId, hash: H256) -> DispatchResult {
		let old = Self::changeable_by(&who, hash)?;
		ensure!(!old.status.is_final(), Error::<T>::AlreadyFinal);
		ensure!(old.dispensed == 0, Error::<T>::PartlyDispensed);

		Self::end(hash, old, PrescriptionStatus::Cancelled);
		Self::deposit_event(Event::PrescriptionCancelled { hash });
		Ok(())
	}

	/// Rules 7–8: `stop`.
	pub(crate) fn do_stop(who: T::AccountId, hash: H256) -> DispatchResult {
		let old = Self::changeable_by(&who, hash)?;
		ensure!(!old.status.is_final(), Error::<T>::AlreadyFinal);
		ensure!(old.dispensed > 0, Error::<T>::NothingDispensed);

		let dispensed = old.dispensed;
		Self::end(hash, old, PrescriptionStatus::Stopped);
		Self::deposit_event(Event::PrescriptionStopped { hash, dispensed });
		Ok(())
	}

	/// Rules 7–8: `enter_in_error`.
	pub(crate) fn do_enter_in_error(who: T::AccountId, hash: H256) -> DispatchResult {
		let old = Self::changeable_by(&who, hash)?;
		ensure!(
			old.status != PrescriptionStatus::EnteredInError,
			Error::<T>::AlreadyEnteredInError
		);

		Self::end(hash, old, PrescriptionStatus::EnteredInError);
		Self::deposit_event(Event::PrescriptionEnteredInError { hash });
		Ok(())
	}

	/// Rule 8: `old` becomes final with `status`: its claim is dropped and it leaves the
	/// queues.
	fn end(hash: H256, old: PrescriptionOf<T>, status: PrescriptionStatus) {
		let mut new = old.clone();
		new.status = status;
		new.claim = None;
		Self::store(hash, Some(&old), new);
	}
}
