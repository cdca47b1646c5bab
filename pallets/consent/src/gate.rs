//! What other pallets (the exchange) ask of consent: the check at the current block, and the
//! release of a record, checked and logged in the patient's disclosure log in one step.

use crate::{
	log::LogRefusal,
	pallet::{Config, Event, Pallet},
	types::*,
};
use frame_support::{pallet_prelude::DispatchError, BoundedVec};
use pallet_institutions::InstitutionId;
use pallet_records::Category;

/// Consent as other pallets see it.
pub trait DisclosureGate<AccountId> {
	/// The consent check ([`Pallet::check`]) at the current block.
	fn check_now(
		patient: &AccountId,
		recipient: InstitutionId,
		target: &Target,
		purpose: Purpose,
	) -> Decision;

	/// The consent check at the current block for `custodian`'s record `record_id`, already
	/// known to be `patient`'s and of `category` (not looked up again).
	fn check_record_now(
		patient: &AccountId,
		recipient: InstitutionId,
		custodian: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
	) -> Decision;

	/// Checks the release of `custodian`'s record `record_id` (already known to be
	/// `patient`'s, of `category`) to `recipient` for `purpose` at the current block and, if
	/// permitted, logs it in the patient's disclosure log (event `ReleaseLogged`). Returns the
	/// basis and the log index, or the reason of the denial (nothing is logged then).
	fn release(
		patient: &AccountId,
		custodian: InstitutionId,
		recipient: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
	) -> Result<(Basis, u32), Reason>;

	/// Logs in `patient`'s disclosure log a disclosure that the calling pallet allowed by a
	/// rule of its own, shown by `basis` ([`Basis::Prescription`], [`Basis::HolderShared`]):
	/// no consent check is made here. Emits `ReleaseLogged`. Returns the log index, or
	/// [`Reason::DisclosureLogFull`] (the log's rule 2; nothing is logged then) or
	/// [`Reason::UnknownRecord`] if `record_id` is longer than a record id may be.
	fn log_disclosure(
		patient: &AccountId,
		custodian: InstitutionId,
		recipient: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
		basis: Basis,
	) -> Result<u32, Reason>;

	/// The dispatch error that reports a denial for `reason`: the consent pallet's error of
	/// that name ([`crate::Error`]). The one mapping of denials to errors, for every pallet
	/// that refuses something because the check denied it.
	fn denial_error(reason: Reason) -> DispatchError;

	/// Whether `signer` (the patient or their guardian) has fee-free patient actions left for
	/// `patient` now: the condition of another pallet's `feeless_if` for a patient's call
	/// (rule 1 of [`crate::allowance`]). That call must be listed in the consent pallet's
	/// `Config::AllowanceCalls`, which makes it spend the allowance.
	fn within_patient_allowance(signer: &AccountId, patient: &AccountId) -> bool;

	/// Benchmarks of other pallets: a consent of `patient` for `grantee` covering `category`
	/// for `purpose`, in force from now on for as long as the parameters allow.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_consent(
		patient: &AccountId,
		grantee: InstitutionId,
		category: Category,
		purpose: Purpose,
	);

	/// Benchmarks of other pallets: the most consents a patient can hold.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_max_consents() -> u32;

	/// Benchmarks of other pallets: fills `patient`'s disclosure log with releases from
	/// `custodian` to `recipient` that are past their retention (the retention is set to
	/// zero), so the next entry prunes the oldest: the log's most expensive append.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_full_log(patient: &AccountId, custodian: InstitutionId, recipient: InstitutionId);

	/// Benchmarks of other pallets: the most entries a patient's log keeps.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_max_disclosures() -> u32;

	/// Benchmarks of other pallets: `patient` denies sharing `category`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_deny(patient: &AccountId, category: Category);
}

impl<T: Config> DisclosureGate<T::AccountId> for Pallet<T> {
	fn within_patient_allowance(signer: &T::AccountId, patient: &T::AccountId) -> bool {
		Self::signer_within_allowance(signer, patient)
	}

	fn check_now(
		patient: &T::AccountId,
		recipient: InstitutionId,
		target: &Target,
		purpose: Purpose,
	) -> Decision {
		Self::check(patient, recipient, target, purpose, frame_system::Pallet::<T>::block_number())
	}

	fn check_record_now(
		patient: &T::AccountId,
		recipient: InstitutionId,
		custodian: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
	) -> Decision {
		let now = frame_system::Pallet::<T>::block_number();
		Self::check_resolved_record(
			patient, recipient, category, custodian, record_id, purpose, now,
		)
	}

	fn denial_error(reason: Reason) -> DispatchError {
		crate::pallet::Error::<T>::from(reason).into()
	}

	fn release(
		patient: &T::AccountId,
		custodian: InstitutionId,
		recipient: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
	) -> Result<(Basis, u32), Reason> {
		let decision =
			Self::check_record_now(patient, recipient, custodian, record_id, category, purpose);
		let basis = decision.into_result()?;
		let index = Self::log_disclosure(
			patient, custodian, recipient, record_id, category, purpose, basis,
		)?;
		Ok((basis, index))
	}

	fn log_disclosure(
		patient: &T::AccountId,
		custodian: InstitutionId,
		recipient: InstitutionId,
		record_id: &[u8],
		category: Category,
		purpose: Purpose,
		basis: Basis,
	) -> Result<u32, Reason> {
		let bounded: BoundedVec<u8, T::MaxRecordIdLen> =
			record_id.to_vec().try_into().map_err(|_| Reason::UnknownRecord)?;
		let now = frame_system::Pallet::<T>::block_number();
		let index = Self::append_disclosure(
			patient,
			Disclosure {
				custodian: Some(custodian),
				recipient,
				record_id: Some(bounded),
				category,
				purpose,
				basis,
				at: now,
				previous: Default::default(),
			},
		)
		.map_err(|refusal| match refusal {
			LogRefusal::Full => Reason::DisclosureLogFull,
		})?;
		Self::deposit_event(Event::ReleaseLogged {
			patient: patient.clone(),
			custodian,
			recipient,
			index,
			basis,
		});
		Ok(index)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_consent(
		patient: &T::AccountId,
		grantee: InstitutionId,
		category: Category,
		purpose: Purpose,
	) {
		use crate::pallet::{Consents, ConsentsOf, NextConsentId, Params};
		use sp_runtime::traits::Saturating;
		let now = frame_system::Pallet::<T>::block_number();
		let id = NextConsentId::<T>::get();
		let mut index = ConsentsOf::<T>::get(patient);
		if index.try_push(id).is_err() {
			return;
		}
		NextConsentId::<T>::put(id.saturating_add(1));
		ConsentsOf::<T>::insert(patient, index);
		Consents::<T>::insert(
			id,
			Consent {
				patient: patient.clone(),
				granted_by: patient.clone(),
				grantee,
				scope: Scope {
					categories: BoundedVec::truncate_from(alloc::vec![category]),
					records: BoundedVec::new(),
				},
				purposes: BoundedVec::truncate_from(alloc::vec![purpose]),
				custodian: None,
				valid_from: now,
				valid_until: now.saturating_add(Params::<T>::get().max_consent_duration),
				granted_at: now,
				revoked_from: None,
			},
		);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_max_consents() -> u32 {
		use frame_support::traits::Get;
		T::MaxConsentsPerPatient::get()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_full_log(
		patient: &T::AccountId,
		custodian: InstitutionId,
		recipient: InstitutionId,
	) {
		use crate::pallet::Params;
		use frame_support::traits::Get;
		Params::<T>::mutate(|p| p.disclosure_retention = sp_runtime::traits::Zero::zero());
		let now = frame_system::Pallet::<T>::block_number();
		for i in 0..T::MaxDisclosuresPerPatient::get() {
			let entry = Disclosure {
				custodian: Some(custodian),
				recipient,
				record_id: Some(BoundedVec::truncate_from(i.to_le_bytes().to_vec())),
				category: Category::Other,
				purpose: Purpose::Treatment,
				basis: Basis::Consent(0),
				at: now,
				previous: Default::default(),
			};
			let _ = Self::append_disclosure(patient, entry);
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_max_disclosures() -> u32 {
		use frame_support::traits::Get;
		T::MaxDisclosuresPerPatient::get()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_deny(patient: &T::AccountId, category: Category) {
		crate::pallet::DenyProvisions::<T>::mutate(patient, |deny| {
			let _ = deny.try_push(category);
		});
	}
}
