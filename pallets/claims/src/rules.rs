//! Who may submit a claim, for whom and to whom, who may act on it afterwards, and how it moves
//! from one status to the next. The rules, in the order the calls check them:
//!
//! 1. **Only hospitals and clinics claim.** The signer is a device of an active institution
//!    that keeps records (`InstitutionKind::keeps_records`: a hospital or a clinic);
//!    otherwise `NotHospitalDevice`. A claim is the institution's, not a person's: any of its
//!    devices may submit, cancel or appeal.
//! 2. **Only for its own patients.** The patient is a pseudonym registered at the signer's
//!    institution (`Registry::custodian_of`; `NotPatientsCustodian`): the custodian gave the
//!    care or holds its record, and nothing on chain joins two institutions' pseudonyms.
//! 3. **Only to insurers, for something.** The insurer is an active insurer
//!    (`NotActiveInsurer`); the amount is more than zero (`ZeroAmount`, for preauthorizations
//!    too); a claim hash is submitted once, at any hospital (`AlreadySubmitted`).
//! 4. **Preauthorizations.** A claim may name a preauthorization: a claim with use
//!    `Preauthorization` (`UnknownPreauthorization`) of the same patient, hospital and
//!    insurer (`PreauthorizationMismatch`) that was approved: adjudicated with a non-zero
//!    approved amount, or settled by the council with a non-zero award
//!    (`PreauthorizationNotApproved`). A preauthorization names none
//!    (`NestedPreauthorization`). One preauthorization may be named by several claims (a
//!    course of treatment); the claimed amounts are not limited by it: the insurer decides.
//! 5. **Bounds.** The insurer's queue has room (`InsurerQueueFull`, `MaxOpenPerInsurer`
//!    claims waiting for it), the hospital's open claims too (`HospitalClaimsFull`,
//!    `MaxOpenPerHospital`), the patient's list too (`TooManyClaimsForPatient`,
//!    `MaxClaimsPerPatient`, closed claims included), and a block near the deadline has room
//!    for its timer (`TimersFull`).
//! 6. **Only with the patient's consent for payment.** The claim discloses clinical
//!    information of the category the hospital declares (a psychiatric stay is
//!    `MentalHealth`), so its release to the insurer is checked like any release of a record:
//!    `DisclosureGate::release` of the claim hash by the hospital (custodian) to the insurer
//!    (recipient) for `Purpose::Payment`. A denial fails the submission with the consent
//!    pallet's error for its reason (`NoConsent`, `DeniedByPatient` for a category the
//!    patient excluded, `PurposeNotCovered`...); a permit is logged in the patient's
//!    disclosure log and its index kept in the claim.
//! 7. **Who acts on a claim.** A device of the claim's insurer accepts, adjudicates and
//!    rejects it (`NotClaimsInsurer`); a device of the submitting hospital cancels and
//!    appeals it (`NotClaimsHospital`); the council (`GovernanceOrigin`) settles it. Both
//!    institutions must be active for their devices to act.
//! 8. **Transitions.** `Submitted` → `UnderReview` (accept; `NotSubmitted` otherwise) →
//!    `Adjudicated { Complete | Partial }` (adjudicate; `NotUnderReview`); `Submitted` or
//!    `UnderReview` → `Rejected` (reject), `Cancelled` (cancel) or, at the deadline,
//!    `Escalated` (`NotAwaitingInsurer` otherwise); `Rejected` or `Adjudicated { Partial }`
//!    → `Appealed` within the appeal window (`NotAppealable`, `AppealWindowClosed`);
//!    `Appealed` or `Escalated` → `Settled` (`NotBeforeCouncil`). `Complete`, `Cancelled`,
//!    `Settled` and decisions whose window closed unappealed are final.
//! 9. **Money.** Accepting a claim holds its amount on the accepting insurer device
//!    (`InsufficientFunds`: nothing changes). The insurer approves more than zero
//!    (`NothingApproved`: approving nothing is a rejection), at most the amount
//!    (`ApprovedAboveClaimed`); the patient's share (copayment, deductible) is what the
//!    insurer leaves to the patient: approved plus share is at most the amount
//!    (`SharesAboveClaimed`), the rest is disallowed. The approved amount is paid from the
//!    hold to the hospital's admin account (`PayeeCannotReceive` if it cannot take it:
//!    nothing changes); the rest stays held during the appeal window. A preauthorization
//!    holds and pays nothing.
//! 10. **Deadlines.** A claim still waiting for the insurer at its deadline (`submitted_at +
//!     adjudication_period`, or the next block with room for the timer) is escalated to the
//!     council, its funds still held. A rejection or a partial decision not appealed before
//!     its window ends (`appeal_window` blocks later) becomes final and what is held goes
//!     back to the payer.
//! 11. **The council.** It settles an appealed or escalated claim with an award of at most
//!     what is held (`AwardAboveHeld`), paid to the hospital's admin account; the rest goes
//!     back to the payer. A claim the insurer never accepted holds nothing, so its award can
//!     only be zero (payment, if any, happens off chain). For a preauthorization the award
//!     is the amount authorized, at most the amount requested; nothing is paid.

use crate::{
	pallet::{Claims, Config, Error, Pallet},
	types::*,
};
use frame_support::{ensure, pallet_prelude::DispatchError, traits::Get};
use pallet_consent::{DisclosureGate, Purpose};
use pallet_institutions::{InstitutionId, InstitutionKind, Registry};
use pallet_records::Category;
use sp_core::H256;
use sp_runtime::traits::{CheckedAdd, Zero};

impl<T: Config> Pallet<T> {
	/// Rule 1: the hospital or clinic `device` acts for.
	pub(crate) fn claimant_institution(device: &T::AccountId) -> Result<InstitutionId, Error<T>> {
		let institution = T::Registry::active_institution_of_device(device)
			.ok_or(Error::<T>::NotHospitalDevice)?;
		ensure!(
			T::Registry::active_kind(institution).is_some_and(|kind| kind.keeps_records()),
			Error::<T>::NotHospitalDevice
		);
		Ok(institution)
	}

	/// Rules 2 and 3: `patient` is `hospital`'s pseudonym, `insurer` an active insurer.
	pub(crate) fn ensure_parties(
		hospital: InstitutionId,
		insurer: InstitutionId,
		patient: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(
			T::Registry::custodian_of(patient) == Some(hospital),
			Error::<T>::NotPatientsCustodian
		);
		ensure!(
			T::Registry::active_kind(insurer) == Some(InstitutionKind::Insurer),
			Error::<T>::NotActiveInsurer
		);
		Ok(())
	}

	/// Rule 3: an amount, and a hash not used yet.
	pub(crate) fn ensure_new_claim(claim: H256, amount: BalanceOf<T>) -> Result<(), Error<T>> {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!Claims::<T>::contains_key(claim), Error::<T>::AlreadySubmitted);
		Ok(())
	}

	/// Rule 4: the amount a preauthorization authorizes: the approved amount once
	/// adjudicated, the award once settled, zero otherwise (and for claims).
	pub fn authorized_amount(entry: &ClaimOf<T>) -> BalanceOf<T> {
		if entry.claim_use != ClaimUse::Preauthorization {
			return Zero::zero();
		}
		match entry.status {
			ClaimStatus::Adjudicated { .. } => entry.approved,
			ClaimStatus::Settled { award } => award,
			_ => Zero::zero(),
		}
	}

	/// Rule 4: the preauthorization a new claim names, if any, fits it.
	pub(crate) fn ensure_preauthorization(
		claim_use: ClaimUse,
		preauthorization: Option<H256>,
		hospital: InstitutionId,
		insurer: InstitutionId,
		patient: &T::AccountId,
	) -> Result<(), Error<T>> {
		let Some(hash) = preauthorization else { return Ok(()) };
		ensure!(claim_use == ClaimUse::Claim, Error::<T>::NestedPreauthorization);
		let preauthorization = Claims::<T>::get(hash)
			.filter(|p| p.claim_use == ClaimUse::Preauthorization)
			.ok_or(Error::<T>::UnknownPreauthorization)?;
		ensure!(
			preauthorization.hospital == hospital
				&& preauthorization.insurer == insurer
				&& &preauthorization.patient == patient,
			Error::<T>::PreauthorizationMismatch
		);
		ensure!(
			!Self::authorized_amount(&preauthorization).is_zero(),
			Error::<T>::PreauthorizationNotApproved
		);
		Ok(())
	}

	/// Rule 6: checks the release of `claim` (of `category`) by `hospital` to `insurer` for
	/// payment against `patient`'s consent and logs it; returns its index in the patient's
	/// disclosure log, or the consent pallet's error for the denial (nothing logged then).
	pub(crate) fn release_to_insurer(
		patient: &T::AccountId,
		hospital: InstitutionId,
		insurer: InstitutionId,
		claim: H256,
		category: Category,
	) -> Result<u32, DispatchError> {
		T::Consent::release(
			patient,
			hospital,
			insurer,
			claim.as_bytes(),
			category,
			Purpose::Payment,
		)
		.map(|(_, index)| index)
		.map_err(T::Consent::denial_error)
	}

	/// Rule 7: claim `claim`, if `who` is a device of its insurer (active).
	pub(crate) fn claim_of_insurer(
		who: &T::AccountId,
		claim: H256,
	) -> Result<ClaimOf<T>, Error<T>> {
		let entry = Claims::<T>::get(claim).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(
			T::Registry::active_institution_of_device(who) == Some(entry.insurer),
			Error::<T>::NotClaimsInsurer
		);
		Ok(entry)
	}

	/// Rule 7: claim `claim`, if `who` is a device of the hospital that submitted it
	/// (active).
	pub(crate) fn claim_of_hospital(
		who: &T::AccountId,
		claim: H256,
	) -> Result<ClaimOf<T>, Error<T>> {
		let entry = Claims::<T>::get(claim).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(
			T::Registry::active_institution_of_device(who) == Some(entry.hospital),
			Error::<T>::NotClaimsHospital
		);
		Ok(entry)
	}

	/// Rule 9: the outcome of adjudicating `entry` with `approved` and `patient_share`.
	pub(crate) fn outcome_of(
		entry: &ClaimOf<T>,
		approved: BalanceOf<T>,
		patient_share: BalanceOf<T>,
	) -> Result<Outcome, Error<T>> {
		ensure!(!approved.is_zero(), Error::<T>::NothingApproved);
		ensure!(approved <= entry.amount, Error::<T>::ApprovedAboveClaimed);
		ensure!(
			approved.checked_add(&patient_share).is_some_and(|total| total <= entry.amount),
			Error::<T>::SharesAboveClaimed
		);
		Ok(if approved == entry.amount { Outcome::Complete } else { Outcome::Partial })
	}

	/// Rule 11: the most the council may award: what is held for a claim, the amount
	/// requested for a preauthorization.
	pub(crate) fn most_awardable(entry: &ClaimOf<T>) -> BalanceOf<T> {
		match entry.claim_use {
			ClaimUse::Claim => entry.held,
			ClaimUse::Preauthorization => entry.amount,
		}
	}

	/// Whether governance may set these parameters: both periods at least one block.
	pub(crate) fn valid_parameters(p: &ParametersOf<T>) -> bool {
		!p.adjudication_period.is_zero() && !p.appeal_window.is_zero()
	}

	/// The configuration's sanity (`integrity_test`): valid default parameters, room in every
	/// bounded list.
	pub(crate) fn check_integrity() {
		assert!(
			Self::valid_parameters(&T::DefaultParameters::get()),
			"the default parameters are invalid"
		);
		assert!(T::MaxTimersPerBlock::get() > 0, "MaxTimersPerBlock must allow a timer");
		assert!(T::MaxOpenPerInsurer::get() > 0, "MaxOpenPerInsurer must allow a claim");
		assert!(T::MaxOpenPerHospital::get() > 0, "MaxOpenPerHospital must allow a claim");
		assert!(T::MaxClaimsPerPatient::get() > 0, "MaxClaimsPerPatient must allow a claim");
		assert!(T::PageSize::get() > 0, "PageSize must allow a claim");
	}
}
