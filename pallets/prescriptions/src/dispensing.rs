//! Who may dispense a prescription, how a pharmacy locks a fill, how each dispense is logged,
//! and how the patient chooses the pharmacy. The rules, in the order the calls check them
//! (docs/prescriptions.md):
//!
//! 9. **Only pharmacists of pharmacies dispense.** The signer of `claim`, `dispense`,
//!    `release` and `dismiss` is a practitioner with the role pharmacist at an active
//!    institution of kind pharmacy; anyone else — a hospital's pharmacist, a physician, an
//!    admin or device, a patient — gets `NotPharmacist`. The pharmacy, not the person, holds
//!    a claim: any of its pharmacists may dispense or release it.
//! 10. **A claim locks one fill.** A pharmacy claims a prescription that is active (on hold:
//!     `OnHold`; completed: `AllFillsDispensed`; cancelled, stopped or entered in error:
//!     `NotActive`), within its period of use (`Expired`), directed to no pharmacy or to this
//!     one (`NotDesignatedPharmacy`), and not claimed by another pharmacy whose lock still
//!     holds (`ClaimedByAnotherPharmacy`). The lock holds from the claim's block to
//!     `claim_timeout` blocks after it, both included; after it, another pharmacy may claim
//!     (its claim replaces the old one). Claiming again refreshes the pharmacy's own claim.
//!     The pharmacy may `release` its claim, live or timed out (`NotClaimed`; another
//!     pharmacy's live claim: `ClaimedByAnotherPharmacy`).
//! 11. **Dispensing.** The signer's pharmacy holds the claim and its lock still holds
//!     (`NotClaimed`; another pharmacy's live claim: `ClaimedByAnotherPharmacy`); the
//!     prescription is active and within its period of use (the errors of rule 10). The
//!     dispense is fill number `dispensed` (from 0), recorded with the salted hash of the
//!     MedicationDispense; it ends the claim (a claim covers one fill), and the last fill
//!     completes the prescription. A fill is never dispensed twice: the next one needs a new
//!     claim.
//! 12. **Each dispense is a disclosure.** The prescribing institution's prescription reached
//!     the pharmacy: the dispense is logged in the patient's disclosure log (custodian: the
//!     prescribing institution; recipient: the pharmacy; record: the prescription's hash;
//!     category `Prescription`, purpose `Treatment`, basis `Prescription`). No consent is
//!     checked: showing the prescription to the pharmacy is the patient's choice. If the log
//!     refuses the entry (full of entries younger than its retention period), the dispense
//!     fails with the consent pallet's `DisclosureLogFull` and nothing is written.
//! 13. **The patient chooses the pharmacy.** The patient or the patient's guardian
//!     (`Registry::may_act_for_patient`; `NotPatient`) directs an active or on-hold
//!     prescription (the errors of rule 10, on hold allowed) to an active pharmacy
//!     (`NotAPharmacy`) whose queue has room (`QueueFull`), or to none (any pharmacy). The
//!     remaining fills of a partly dispensed prescription move too: a prescription transfer.
//!     Any claim is dropped.
//! 14. **Dismissing.** A pharmacy's pharmacist removes a prescription from the pharmacy's
//!     queue (`NotInQueue`) once the pharmacy can no longer dispense it: expired (or final,
//!     or neither directed to it nor claimed by it); otherwise `StillDispensable`. The
//!     pharmacy's claim on it, if any, is dropped.

use crate::{
	pallet::{Config, Dispenses, Error, Event, Pallet, Params, PharmacyQueue, PrescriptionOf},
	DispenseEntry, PharmacyClaim, PrescriptionStatus,
};
use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_consent::DisclosureGate;
use pallet_institutions::{InstitutionId, InstitutionKind, PractitionerRole, Registry};
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Rule 9: the pharmacy `who` dispenses for.
	pub(crate) fn dispensing_pharmacy(who: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		match T::Registry::active_practitioner(who) {
			Some((pharmacy, PractitionerRole::Pharmacist))
				if T::Registry::active_kind(pharmacy) == Some(InstitutionKind::Pharmacy) =>
			{
				Ok(pharmacy)
			},
			_ => Err(Error::<T>::NotPharmacist),
		}
	}

	/// The prescription `hash`, if it exists.
	pub(crate) fn prescription_entry(hash: H256) -> Result<PrescriptionOf<T>, Error<T>> {
		crate::Prescriptions::<T>::get(hash).ok_or(Error::<T>::UnknownPrescription)
	}

	/// Rules 10, 11 and 13: fills of `entry` may still be dispensed at `now` (while it is on
	/// hold too if `on_hold_allowed`).
	pub(crate) fn ensure_dispensable(
		entry: &PrescriptionOf<T>,
		now: BlockNumberFor<T>,
		on_hold_allowed: bool,
	) -> Result<(), Error<T>> {
		match entry.status {
			PrescriptionStatus::Completed => return Err(Error::<T>::AllFillsDispensed),
			PrescriptionStatus::Cancelled
			| PrescriptionStatus::Stopped
			| PrescriptionStatus::EnteredInError => return Err(Error::<T>::NotActive),
			PrescriptionStatus::OnHold if !on_hold_allowed => return Err(Error::<T>::OnHold),
			PrescriptionStatus::Active | PrescriptionStatus::OnHold => {},
		}
		ensure!(!entry.is_expired_at(now), Error::<T>::Expired);
		ensure!(entry.dispensed < entry.fills, Error::<T>::AllFillsDispensed);
		Ok(())
	}

	/// Rules 9–10: `claim`.
	pub(crate) fn do_claim(who: T::AccountId, hash: H256) -> DispatchResult {
		let pharmacy = Self::dispensing_pharmacy(&who)?;
		let old = Self::prescription_entry(hash)?;
		let now = Self::now();
		let timeout = Params::<T>::get().claim_timeout;
		Self::ensure_dispensable(&old, now, false)?;
		if let Some(designated) = old.pharmacy {
			ensure!(designated == pharmacy, Error::<T>::NotDesignatedPharmacy);
		}
		if let Some(claim) = &old.claim {
			ensure!(
				claim.pharmacy == pharmacy || !claim.is_live(now, timeout),
				Error::<T>::ClaimedByAnotherPharmacy
			);
		}
		let mut new = old.clone();
		let claim = PharmacyClaim { pharmacy, pharmacist: who, at: now };
		let locked_until = claim.locked_until(timeout);
		new.claim = Some(claim);
		Self::ensure_queue_room(hash, &new)?;

		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::PrescriptionClaimed { hash, pharmacy, locked_until });
		Ok(())
	}

	/// Rules 9, 11 and 12: `dispense`.
	pub(crate) fn do_dispense(
		who: T::AccountId,
		hash: H256,
		dispense_hash: H256,
	) -> DispatchResult {
		let pharmacy = Self::dispensing_pharmacy(&who)?;
		let old = Self::prescription_entry(hash)?;
		let now = Self::now();
		Self::ensure_dispensable(&old, now, false)?;
		let timeout = Params::<T>::get().claim_timeout;
		match &old.claim {
			Some(claim) if claim.is_live(now, timeout) => {
				ensure!(claim.pharmacy == pharmacy, Error::<T>::ClaimedByAnotherPharmacy)
			},
			_ => return Err(Error::<T>::NotClaimed.into()),
		}
		// Last of the checks, first of the writes: the log refuses or logs (rule 12).
		let disclosure = Self::log_dispense(hash, &old, pharmacy)?;

		let fill = old.dispensed;
		let mut new = old.clone();
		new.dispensed = fill.saturating_add(1);
		new.claim = None;
		if new.dispensed >= new.fills {
			new.status = PrescriptionStatus::Completed;
		}
		let remaining = new.remaining();
		Dispenses::<T>::insert(
			hash,
			fill,
			DispenseEntry { pharmacy, pharmacist: who, dispense_hash, at: now, disclosure },
		);
		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::Dispensed { hash, pharmacy, fill, remaining, disclosure });
		Ok(())
	}

	/// Rule 12: logs the dispense of `entry` by `pharmacy` in the patient's disclosure log;
	/// the log's refusal as the consent pallet's error.
	fn log_dispense(
		hash: H256,
		entry: &PrescriptionOf<T>,
		pharmacy: InstitutionId,
	) -> Result<u32, DispatchError> {
		T::Consent::log_disclosure(
			&entry.patient,
			entry.institution,
			pharmacy,
			hash.as_bytes(),
			pallet_records::Category::Prescription,
			pallet_consent::Purpose::Treatment,
			pallet_consent::Basis::Prescription,
		)
		.map_err(T::Consent::denial_error)
	}

	/// Rules 9–10: `release`.
	pub(crate) fn do_release(who: T::AccountId, hash: H256) -> DispatchResult {
		let pharmacy = Self::dispensing_pharmacy(&who)?;
		let old = Self::prescription_entry(hash)?;
		let timeout = Params::<T>::get().claim_timeout;
		match &old.claim {
			Some(claim) if claim.pharmacy == pharmacy => {},
			Some(claim) if claim.is_live(Self::now(), timeout) => {
				return Err(Error::<T>::ClaimedByAnotherPharmacy.into())
			},
			_ => return Err(Error::<T>::NotClaimed.into()),
		}

		let mut new = old.clone();
		new.claim = None;
		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::ClaimReleased { hash, pharmacy });
		Ok(())
	}

	/// Rule 13: `redirect`.
	pub(crate) fn do_redirect(
		who: T::AccountId,
		hash: H256,
		pharmacy: Option<InstitutionId>,
	) -> DispatchResult {
		let old = Self::prescription_entry(hash)?;
		ensure!(T::Registry::may_act_for_patient(&who, &old.patient), Error::<T>::NotPatient);
		Self::ensure_dispensable(&old, Self::now(), true)?;
		if let Some(pharmacy) = pharmacy {
			Self::ensure_pharmacy(pharmacy)?;
		}
		let mut new = old.clone();
		new.pharmacy = pharmacy;
		new.claim = None;
		Self::ensure_queue_room(hash, &new)?;

		let from = old.pharmacy;
		Self::store(hash, Some(&old), new);
		Self::deposit_event(Event::Redirected { hash, from, to: pharmacy });
		Ok(())
	}

	/// Rules 9 and 14: `dismiss`.
	pub(crate) fn do_dismiss(who: T::AccountId, hash: H256) -> DispatchResult {
		let pharmacy = Self::dispensing_pharmacy(&who)?;
		let old = Self::prescription_entry(hash)?;
		ensure!(PharmacyQueue::<T>::contains_key(pharmacy, hash), Error::<T>::NotInQueue);
		ensure!(
			old.status.is_final()
				|| old.is_expired_at(Self::now())
				|| !old.is_directed_to(pharmacy),
			Error::<T>::StillDispensable
		);

		Self::leave_queue(pharmacy, hash);
		if old.claimed_by() == Some(pharmacy) {
			let mut new = old;
			new.claim = None;
			crate::Prescriptions::<T>::insert(hash, new);
		}
		Self::deposit_event(Event::Dismissed { hash, pharmacy });
		Ok(())
	}
}
