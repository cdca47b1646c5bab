//! Granting a consent: the checks of `grant` and the mapping of a check's denial to the
//! pallet's errors. The call in `lib.rs` hands over to `Pallet::do_grant`.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, Registry};
use pallet_records::Category;
use sp_runtime::traits::Saturating;

/// The terms of a consent as `grant` receives them (FHIR Consent provision fields).
pub struct GrantTerms<T: Config> {
	/// The institution allowed to receive.
	pub grantee: InstitutionId,
	/// Document classes covered.
	pub categories: BoundedVec<Category, T::MaxScopeCategories>,
	/// Specific records covered (custodian and record id).
	pub records: ScopeRecordsOf<T>,
	/// Purposes of use covered.
	pub purposes: BoundedVec<Purpose, T::MaxPurposes>,
	/// First block it applies to (now if `None`).
	pub valid_from: Option<BlockNumberFor<T>>,
	/// First block it no longer applies to.
	pub valid_until: BlockNumberFor<T>,
	/// Only records of this custodian (which must be the pseudonym's own).
	pub custodian: Option<InstitutionId>,
}

impl<T: Config> Pallet<T> {
	/// `who` grants `patient`'s consent on `terms`: every check of `grant`, then the write.
	pub(crate) fn do_grant(
		who: T::AccountId,
		patient: T::AccountId,
		terms: GrantTerms<T>,
	) -> DispatchResult {
		let GrantTerms {
			grantee,
			categories,
			records,
			purposes,
			valid_from,
			valid_until,
			custodian,
		} = terms;
		ensure!(T::Registry::may_act_for_patient(&who, &patient), Error::<T>::NotPatientOrGuardian);
		ensure!(T::Registry::is_active(grantee), Error::<T>::InstitutionInactive);
		if let Some(c) = custodian {
			ensure!(T::Registry::is_active(c), Error::<T>::CustodianInactive);
		}
		// A pseudonym's records are all at its custodian: naming another one would write a
		// link between this pseudonym and that institution's patients.
		let own = T::Registry::custodian_of(&patient);
		ensure!(
			custodian.is_none_or(|c| Some(c) == own)
				&& records.iter().all(|(c, _)| Some(*c) == own),
			Error::<T>::OtherCustodian
		);
		let scope = Self::checked_scope(categories, records)?;
		let purposes = Self::checked_purposes(purposes)?;
		let now = frame_system::Pallet::<T>::block_number();
		let valid_from = valid_from.unwrap_or(now);
		ensure!(valid_until > valid_from && valid_until > now, Error::<T>::EmptyPeriod);
		let max = Params::<T>::get().max_consent_duration;
		ensure!(valid_until.saturating_sub(valid_from) <= max, Error::<T>::PeriodTooLong);

		let mut index = Self::pruned_index(&patient, now);
		let id = NextConsentId::<T>::get();
		index.try_push(id).map_err(|_| Error::<T>::TooManyConsents)?;

		NextConsentId::<T>::put(id.saturating_add(1));
		ConsentsOf::<T>::insert(&patient, index);
		Consents::<T>::insert(
			id,
			Consent {
				patient: patient.clone(),
				granted_by: who.clone(),
				grantee,
				scope,
				purposes,
				custodian,
				valid_from,
				valid_until,
				granted_at: now,
				revoked_from: None,
			},
		);
		Self::deposit_event(Event::ConsentGranted {
			consent: id,
			patient,
			grantee,
			valid_from,
			valid_until,
		});
		Ok(())
	}

	fn checked_scope(
		categories: BoundedVec<Category, T::MaxScopeCategories>,
		records: ScopeRecordsOf<T>,
	) -> Result<ScopeOf<T>, Error<T>> {
		ensure!(!categories.is_empty() || !records.is_empty(), Error::<T>::EmptyScope);
		ensure!(records.iter().all(|(_, id)| !id.is_empty()), Error::<T>::BadRecordId);
		Ok(Scope { categories: Self::sorted_unique(categories), records })
	}

	fn checked_purposes(
		purposes: BoundedVec<Purpose, T::MaxPurposes>,
	) -> Result<BoundedVec<Purpose, T::MaxPurposes>, Error<T>> {
		ensure!(!purposes.is_empty(), Error::<T>::NoPurpose);
		Ok(Self::sorted_unique(purposes))
	}

	/// A bounded list sorted, without duplicates (it can only get shorter).
	pub(crate) fn sorted_unique<X: Ord, N: Get<u32>>(list: BoundedVec<X, N>) -> BoundedVec<X, N> {
		let mut items = list.into_inner();
		items.sort();
		items.dedup();
		BoundedVec::truncate_from(items)
	}

	/// The patient's index without the consents that ended by `now`.
	fn pruned_index(
		patient: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> BoundedVec<ConsentId, T::MaxConsentsPerPatient> {
		let mut index = ConsentsOf::<T>::get(patient);
		index.retain(|id| Consents::<T>::get(id).is_some_and(|c| !Self::has_ended(&c, now)));
		index
	}
}

impl<T> From<Reason> for Error<T> {
	fn from(reason: Reason) -> Self {
		match reason {
			Reason::UnknownPatient => Error::UnknownPatient,
			Reason::GranteeInactive => Error::InstitutionInactive,
			Reason::UnknownRecord => Error::UnknownRecord,
			Reason::DeniedByPatient => Error::DeniedByPatient,
			Reason::Revoked => Error::ConsentRevoked,
			Reason::NotYetValid => Error::ConsentNotYetValid,
			Reason::Expired => Error::ConsentExpired,
			Reason::PurposeMismatch => Error::PurposeNotCovered,
			Reason::CustodianMismatch => Error::CustodianNotCovered,
			Reason::OutOfScope => Error::RecordNotCovered,
			Reason::DisclosureLogFull => Error::DisclosureLogFull,
			Reason::NoConsent => Error::NoConsent,
		}
	}
}
