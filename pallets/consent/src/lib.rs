//! # Consent pallet
//!
//! A patient's history is released to another institution only with the patient's agreement;
//! in an emergency a clinician reaches the vital data at once; every release is on record for
//! the patient to see.
//!
//! - **Consents** (FHIR Consent, decision permit): the patient or their guardian grants an
//!   institution access to a scope (categories and/or specific records) for purposes of use
//!   (HL7 v3 ActReason), for a period no longer than the governance maximum, optionally only
//!   from one custodian. [`Pallet::revoke`] takes effect from the next block; expired consents
//!   deny without any transaction.
//! - **Deny provisions**: categories the patient excludes from sharing; deny wins over any
//!   consent.
//! - **The check** ([`Pallet::check`], runtime API and `consent_check` JSON-RPC): permit or
//!   deny with the deciding consent and the reason; the rules are in [`check`].
//! - **Emergency (break-glass) access**: a physician or nurse of an active hospital opens
//!   access to a pseudonym's emergency data (allergy, medication, emergency data set) with the
//!   patient's emergency card ([`card`]) and a salted commitment to the reason; no consent
//!   needed; it expires by itself after the governance window, is rate-limited per
//!   practitioner and institution, emits an event the patient's apps watch, is logged in the
//!   disclosure log, and can be flagged for review by governance.
//! - **Pseudonyms**: every item here is keyed by the patient's pseudonym at one custodian
//!   (docs/privacy.md); a patient's app reads the items of all its pseudonyms.
//! - **Disclosure log** (FHIR AuditEvent / IHE ATNA): the releasing custodian's device logs
//!   every release with the consent or emergency access that allowed it; a release that the
//!   check does not permit is rejected. See [`log`] for the bounded, hash-chained history.
//! - **Patients need no tokens**: a registered patient (or guardian) grants, revokes and sets
//!   deny provisions without paying fees, up to an allowance of transactions per period
//!   (`feeless_if`); beyond it the normal fee applies.

#![cfg_attr(not(feature = "std"), no_std)]
// `grant` takes the fields of a FHIR Consent provision as separate call arguments (nine), as
// wallets and block explorers show call arguments one by one.
#![allow(clippy::too_many_arguments)]

extern crate alloc;

pub use pallet::*;

pub mod allowance;
pub mod card;
pub mod check;
pub mod emergency;
pub mod gate;
pub mod grant;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod log;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_card;
#[cfg(test)]
mod tests_safeguards;

pub use allowance::PatientAllowance;
pub use card::{EmergencyCardStatement, EMERGENCY_CARD_CONTEXT};
pub use gate::DisclosureGate;
pub use grant::GrantTerms;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use pallet_institutions::{InstitutionId, Registry};
	use pallet_records::{Category, RecordIndex};
	use sp_core::H256;
	use sp_runtime::traits::{IdentifyAccount, Saturating, Verify, Zero};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A stored consent.
	pub type ConsentOf<T> = Consent<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxScopeCategories,
		<T as Config>::MaxScopeRecords,
		<T as Config>::MaxRecordIdLen,
		<T as Config>::MaxPurposes,
	>;
	/// The specific records of a consent's scope, as a call takes them: (custodian, record id).
	pub type ScopeRecordsOf<T> = BoundedVec<
		(InstitutionId, BoundedVec<u8, <T as Config>::MaxRecordIdLen>),
		<T as Config>::MaxScopeRecords,
	>;
	/// A stored consent scope.
	pub type ScopeOf<T> = Scope<
		<T as Config>::MaxScopeCategories,
		<T as Config>::MaxScopeRecords,
		<T as Config>::MaxRecordIdLen,
	>;
	/// A stored disclosure entry.
	pub type DisclosureOf<T> = Disclosure<BlockNumberFor<T>, <T as Config>::MaxRecordIdLen>;
	/// A stored emergency access.
	pub type EmergencyAccessOf<T> =
		EmergencyAccess<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who the institutions, practitioners, patients and guardians are.
		type Registry: Registry<Self::AccountId>;

		/// The anchored records (patient and category of a record).
		type Records: RecordIndex<Self::AccountId>;

		/// Sets the parameters and flags emergency accesses for review (a majority of the
		/// hospital council; Root on the development chain).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Parameters until governance sets them.
		type DefaultParameters: Get<Parameters<BlockNumberFor<Self>>>;

		/// The signature of an emergency card entry, made by the pseudonym's own key (the
		/// runtime's transaction signature type).
		type CardSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// Benchmarks: makes keys that sign card statements.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: card::BenchmarkHelper<Self::AccountId, Self::CardSignature>;

		/// Most consents a patient's index holds (ended ones are pruned on the next grant).
		#[pallet::constant]
		type MaxConsentsPerPatient: Get<u32>;

		/// Most categories in one consent's scope.
		#[pallet::constant]
		type MaxScopeCategories: Get<u32>;

		/// Most specific records in one consent's scope.
		#[pallet::constant]
		type MaxScopeRecords: Get<u32>;

		/// Longest record id (as in the records pallet).
		#[pallet::constant]
		type MaxRecordIdLen: Get<u32>;

		/// Most purposes in one consent.
		#[pallet::constant]
		type MaxPurposes: Get<u32>;

		/// Most categories a patient can deny.
		#[pallet::constant]
		type MaxDenyCategories: Get<u32>;

		/// Disclosure entries kept per patient; older ones are pruned.
		#[pallet::constant]
		type MaxDisclosuresPerPatient: Get<u32>;

		/// Emergency entries kept per patient after they leave the log's range.
		#[pallet::constant]
		type MaxKeptEmergencyEntries: Get<u32>;

		/// Entries per page of `consent_disclosures`.
		#[pallet::constant]
		type DisclosurePageSize: Get<u32>;

		/// Calls of other pallets that are fee-free within the patient allowance and spend it
		/// like this pallet's (rule 1 of [`allowance`]; each asks
		/// [`DisclosureGate::within_patient_allowance`] in its `feeless_if`): the certificates
		/// pallet's `log_verification` in the runtime. A call fee-free by that rule but not
		/// listed here would be free without limit.
		type AllowanceCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next consent gets.
	#[pallet::storage]
	pub type NextConsentId<T: Config> = StorageValue<_, ConsentId, ValueQuery>;

	/// Consents by id. Kept after they end, for the record; each is bounded.
	#[pallet::storage]
	pub type Consents<T: Config> =
		StorageMap<_, Twox64Concat, ConsentId, ConsentOf<T>, OptionQuery>;

	/// Each patient's consents that had not ended when the index was last pruned (at most
	/// `MaxConsentsPerPatient`).
	#[pallet::storage]
	pub type ConsentsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ConsentId, T::MaxConsentsPerPatient>,
		ValueQuery,
	>;

	/// Categories each patient excludes from sharing (deny wins).
	#[pallet::storage]
	pub type DenyProvisions<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Category, T::MaxDenyCategories>,
		ValueQuery,
	>;

	/// The id the next emergency access gets.
	#[pallet::storage]
	pub type NextEmergencyAccessId<T: Config> = StorageValue<_, EmergencyAccessId, ValueQuery>;

	/// Emergency accesses by id, kept for review.
	#[pallet::storage]
	pub type EmergencyAccesses<T: Config> =
		StorageMap<_, Twox64Concat, EmergencyAccessId, EmergencyAccessOf<T>, OptionQuery>;

	/// The latest emergency access of each (patient, hospital).
	#[pallet::storage]
	pub type OpenEmergency<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		InstitutionId,
		EmergencyAccessId,
		OptionQuery,
	>;

	/// Emergency accesses each practitioner opened in the current period: (period start,
	/// count).
	#[pallet::storage]
	pub type EmergencyUsage<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Emergency accesses the practitioners of each institution opened in the current period,
	/// plus one for each access flagged in it: (period start, count).
	#[pallet::storage]
	pub type InstitutionEmergencyUsage<T: Config> =
		StorageMap<_, Twox64Concat, InstitutionId, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Emergency accesses of each institution that governance flagged, ever (for review).
	#[pallet::storage]
	pub type FlaggedEmergencies<T: Config> =
		StorageMap<_, Twox64Concat, InstitutionId, u32, ValueQuery>;

	/// Indexes of each patient's emergency entries kept after they left the log's range (rule
	/// 4 of [`crate::log`]), oldest first.
	#[pallet::storage]
	pub type KeptEmergencyEntries<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<u32, T::MaxKeptEmergencyEntries>,
		ValueQuery,
	>;

	/// Each patient's disclosure log entries by index (see [`crate::log`]).
	#[pallet::storage]
	pub type Disclosures<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u32,
		DisclosureOf<T>,
		OptionQuery,
	>;

	/// Where each patient's disclosure log stands.
	#[pallet::storage]
	pub type DisclosureLog<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, LogState, ValueQuery>;

	/// Fee-free transactions each patient or guardian used in the current period: (period
	/// start, count).
	#[pallet::storage]
	pub type Allowance<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Parameters set by governance.
	/// The public card key of each pseudonym that has an emergency card (rule 1 of [`card`]).
	/// At most one entry per registered patient.
	#[pallet::storage]
	pub type CardKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The pseudonym each card key serves: one, so a card key never joins two pseudonyms.
	/// Exactly the reverse of [`CardKeys`].
	#[pallet::storage]
	pub type CardKeyHolders<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, Parameters<BlockNumberFor<T>>, ValueQuery, T::DefaultParameters>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A patient (or guardian) granted a consent.
		ConsentGranted {
			consent: ConsentId,
			patient: T::AccountId,
			grantee: InstitutionId,
			valid_from: BlockNumberFor<T>,
			valid_until: BlockNumberFor<T>,
		},
		/// A consent was revoked; checks deny from `effective_from`.
		ConsentRevoked {
			consent: ConsentId,
			patient: T::AccountId,
			effective_from: BlockNumberFor<T>,
		},
		/// A patient's deny provisions were replaced.
		DenyProvisionsSet { patient: T::AccountId, categories: Vec<Category> },
		/// A practitioner opened emergency access to a patient's emergency data.
		EmergencyAccessOpened {
			access: EmergencyAccessId,
			patient: T::AccountId,
			practitioner: T::AccountId,
			institution: InstitutionId,
			reason_commitment: H256,
			expires_at: BlockNumberFor<T>,
		},
		/// A patient (or guardian) set the pseudonym's emergency card key (`None`: withdrew
		/// the card); any earlier card opens nothing any more.
		EmergencyCardSet { patient: T::AccountId, card_key: Option<T::AccountId> },
		/// Governance flagged an emergency access for review: it is closed, counts against the
		/// institution, and the patient's log has an entry for it at `index`.
		EmergencyAccessFlagged {
			access: EmergencyAccessId,
			patient: T::AccountId,
			institution: InstitutionId,
			index: u32,
		},
		/// A custodian logged the release of a record.
		ReleaseLogged {
			patient: T::AccountId,
			custodian: InstitutionId,
			recipient: InstitutionId,
			index: u32,
			basis: Basis,
		},
		/// Governance changed the parameters.
		ParametersSet { parameters: Parameters<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Only the patient or their guardian may do this.
		NotPatientOrGuardian,
		/// The grantee or recipient institution is not active.
		InstitutionInactive,
		/// The custodian the consent is limited to is not active.
		CustodianInactive,
		/// The consent names a custodian other than the pseudonym's own (a pseudonym's records
		/// are all at the custodian it is registered at).
		OtherCustodian,
		/// A consent must cover at least one category or record.
		EmptyScope,
		/// A record id is empty or longer than `MaxRecordIdLen`.
		BadRecordId,
		/// A consent must name at least one purpose.
		NoPurpose,
		/// The period is empty or already over.
		EmptyPeriod,
		/// The period is longer than the governance maximum.
		PeriodTooLong,
		/// The patient has `MaxConsentsPerPatient` consents in force already.
		TooManyConsents,
		/// No consent has this id.
		UnknownConsent,
		/// The consent is revoked already.
		AlreadyRevoked,
		/// Only a physician or nurse of an active hospital may open emergency access.
		NotEmergencyPractitioner,
		/// The account is not a registered patient.
		UnknownPatient,
		/// The emergency card does not verify: the pseudonym has no card key, or the signature
		/// is not that key's over this chain, the pseudonym's custodian, the pseudonym and the
		/// practitioner sending it.
		InvalidEmergencyCard,
		/// The card key serves another pseudonym already (one key per pseudonym).
		CardKeyInUse,
		/// The practitioner opened the most emergency accesses allowed in this period.
		EmergencyRateLimited,
		/// The practitioners of this institution opened the most emergency accesses allowed to
		/// the institution in this period (flagged accesses count twice).
		InstitutionEmergencyRateLimited,
		/// The patient's disclosure log is full of entries younger than the retention period.
		DisclosureLogFull,
		/// No emergency access has this id.
		UnknownEmergencyAccess,
		/// The emergency access is flagged already.
		AlreadyFlagged,
		/// The caller is not a device of an active institution.
		NotActiveDevice,
		/// The record does not exist, is retracted, or is not this patient's.
		UnknownRecord,
		/// The patient denies sharing this category.
		DeniedByPatient,
		/// The patient has no consent for this recipient.
		NoConsent,
		/// The consent was revoked.
		ConsentRevoked,
		/// The consent's period has not started.
		ConsentNotYetValid,
		/// The consent's period has ended.
		ConsentExpired,
		/// The consent does not cover this purpose.
		PurposeNotCovered,
		/// The consent is limited to another custodian.
		CustodianNotCovered,
		/// The consent does not cover this record or category.
		RecordNotCovered,
		/// A parameter is zero where it must not be.
		InvalidParameters,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let p = T::DefaultParameters::get();
			assert!(!p.max_consent_duration.is_zero(), "consents need a duration");
			assert!(!p.emergency_window.is_zero(), "emergency access needs a window");
			assert!(!p.emergency_period.is_zero() && !p.allowance_period.is_zero());
			assert!(T::MaxConsentsPerPatient::get() > 0 && T::MaxDisclosuresPerPatient::get() > 0);
			assert!(T::MaxKeptEmergencyEntries::get() > 0);
			assert!(p.institution_emergency_limit > 0 && !p.disclosure_retention.is_zero());
			assert!(T::MaxDenyCategories::get() > 0 && T::MaxPurposes::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Grant `grantee` access to a scope of the patient's records for `purposes` during
		/// `valid_from..valid_until` (blocks; `valid_from` defaults to now), optionally only
		/// from `custodian`.
		///
		/// Origin: signed by the patient or their guardian. Fee-free within the allowance.
		/// Errors: [`Error::NotPatientOrGuardian`], [`Error::InstitutionInactive`], [`Error::CustodianInactive`],
		/// [`Error::EmptyScope`], [`Error::BadRecordId`], [`Error::NoPurpose`], [`Error::EmptyPeriod`], [`Error::PeriodTooLong`],
		/// [`Error::OtherCustodian`], [`Error::TooManyConsents`]. A list longer than its bound does not decode: the transaction is
		/// refused before any work.
		/// Event: [`Event::ConsentGranted`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, patient: &T::AccountId, _g: &InstitutionId,
			_c: &BoundedVec<Category, T::MaxScopeCategories>, _r: &ScopeRecordsOf<T>,
			_p: &BoundedVec<Purpose, T::MaxPurposes>, _f: &Option<BlockNumberFor<T>>,
			_u: &BlockNumberFor<T>, _l: &Option<InstitutionId>| -> bool {
			Pallet::<T>::is_within_allowance(origin, patient)
		})]
		pub fn grant(
			origin: OriginFor<T>,
			patient: T::AccountId,
			grantee: InstitutionId,
			categories: BoundedVec<Category, T::MaxScopeCategories>,
			records: ScopeRecordsOf<T>,
			purposes: BoundedVec<Purpose, T::MaxPurposes>,
			valid_from: Option<BlockNumberFor<T>>,
			valid_until: BlockNumberFor<T>,
			custodian: Option<InstitutionId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let terms = GrantTerms {
				grantee,
				categories,
				records,
				purposes,
				valid_from,
				valid_until,
				custodian,
			};
			Self::do_grant(who, patient, terms)
		}

		/// Revoke a consent. Checks deny from the next block on.
		///
		/// Origin: signed by the patient or their guardian. Fee-free within the allowance.
		/// Errors: [`Error::UnknownConsent`], [`Error::NotPatientOrGuardian`], [`Error::AlreadyRevoked`].
		/// Event: [`Event::ConsentRevoked`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, consent: &ConsentId| -> bool {
			Consents::<T>::get(consent)
				.is_some_and(|c| Pallet::<T>::is_within_allowance(origin, &c.patient))
		})]
		pub fn revoke(origin: OriginFor<T>, consent: ConsentId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry = Consents::<T>::get(consent).ok_or(Error::<T>::UnknownConsent)?;
			ensure!(
				T::Registry::may_act_for_patient(&who, &entry.patient),
				Error::<T>::NotPatientOrGuardian
			);
			ensure!(entry.revoked_from.is_none(), Error::<T>::AlreadyRevoked);
			let now = frame_system::Pallet::<T>::block_number();
			let effective_from = now.saturating_add(One::one());
			entry.revoked_from = Some(effective_from);
			let patient = entry.patient.clone();
			Consents::<T>::insert(consent, entry);
			Self::deposit_event(Event::ConsentRevoked { consent, patient, effective_from });
			Ok(())
		}

		/// Replace the categories the patient excludes from sharing (an empty list clears them).
		///
		/// Origin: signed by the patient or their guardian. Fee-free within the allowance.
		/// Errors: [`Error::NotPatientOrGuardian`] (more than `MaxDenyCategories` does not decode).
		/// Event: [`Event::DenyProvisionsSet`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_deny_provisions())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, patient: &T::AccountId,
			_c: &BoundedVec<Category, T::MaxDenyCategories>| -> bool {
			Pallet::<T>::is_within_allowance(origin, patient)
		})]
		pub fn set_deny_provisions(
			origin: OriginFor<T>,
			patient: T::AccountId,
			categories: BoundedVec<Category, T::MaxDenyCategories>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				T::Registry::may_act_for_patient(&who, &patient),
				Error::<T>::NotPatientOrGuardian
			);
			let categories = Self::sorted_unique(categories);
			if categories.is_empty() {
				DenyProvisions::<T>::remove(&patient);
			} else {
				DenyProvisions::<T>::insert(&patient, categories.clone());
			}
			Self::deposit_event(Event::DenyProvisionsSet {
				patient,
				categories: categories.into_inner(),
			});
			Ok(())
		}

		/// Open emergency (break-glass) access to a pseudonym's emergency data for the caller's
		/// hospital, with the patient's emergency card for it: `card_signature` is the card
		/// key's signature over [`EmergencyCardStatement`] naming the caller ([`card`]). No consent is
		/// needed; it expires after the governance window and is logged in the pseudonym's
		/// disclosure log. The reason is not stored: `reason_commitment` is
		/// [`EmergencyReason::commitment`] of the reason with a salt the hospital keeps, which
		/// the patient can open when the hospital hands them both.
		///
		/// Rate-limited per practitioner (counted across removal and re-adding of the key) and
		/// per institution (all its practitioners together, flagged accesses counting twice).
		/// The access is in force only while it is unflagged, unexpired, and its practitioner
		/// is still an active practitioner of the institution.
		///
		/// Origin: signed by a physician or nurse of an active hospital.
		/// Errors: [`Error::NotEmergencyPractitioner`], [`Error::UnknownPatient`],
		/// [`Error::InvalidEmergencyCard`], [`Error::EmergencyRateLimited`],
		/// [`Error::InstitutionEmergencyRateLimited`].
		/// Event: [`Event::EmergencyAccessOpened`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::open_emergency_access())]
		pub fn open_emergency_access(
			origin: OriginFor<T>,
			patient: T::AccountId,
			reason_commitment: H256,
			card_signature: T::CardSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_emergency_access(who, patient, reason_commitment, card_signature)
		}

		/// Flag an emergency access for review. A flagged access closes at once (checks deny
		/// from this block on), counts once more against its institution's emergency limit in
		/// the current period and in [`FlaggedEmergencies`], and the patient's disclosure log
		/// gets an entry for the flag (basis [`Basis::EmergencyReview`]).
		///
		/// Origin: [`Config::GovernanceOrigin`].
		/// Errors: [`Error::UnknownEmergencyAccess`], [`Error::AlreadyFlagged`].
		/// Event: [`Event::EmergencyAccessFlagged`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::flag_emergency_access())]
		pub fn flag_emergency_access(
			origin: OriginFor<T>,
			access: EmergencyAccessId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_flag_emergency_access(access)
		}

		/// Log the release of a record to `recipient` for `purpose`. Rejected unless the check
		/// permits it (a consent or an open emergency access); the entry records which.
		///
		/// Origin: signed by a device of the record's custodian (active).
		/// Errors: [`Error::NotActiveDevice`], [`Error::BadRecordId`], and the check's denial as an error
		/// ([`Error::UnknownPatient`], [`Error::InstitutionInactive`], [`Error::UnknownRecord`], [`Error::DeniedByPatient`],
		/// [`Error::NoConsent`], [`Error::ConsentRevoked`], [`Error::ConsentNotYetValid`], [`Error::ConsentExpired`],
		/// [`Error::PurposeNotCovered`], [`Error::CustodianNotCovered`], [`Error::RecordNotCovered`]).
		/// Event: [`Event::ReleaseLogged`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::log_release())]
		pub fn log_release(
			origin: OriginFor<T>,
			patient: T::AccountId,
			recipient: InstitutionId,
			record_id: Vec<u8>,
			purpose: Purpose,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let custodian = T::Registry::active_institution_of_device(&who)
				.ok_or(Error::<T>::NotActiveDevice)?;
			ensure!(record_id.len() as u32 <= T::MaxRecordIdLen::get(), Error::<T>::BadRecordId);
			let category = T::Records::record_facts(custodian, &record_id)
				.filter(|(owner, _)| owner == &patient)
				.map(|(_, category)| category)
				.ok_or(Error::<T>::UnknownRecord)?;
			<Self as DisclosureGate<T::AccountId>>::release(
				&patient, custodian, recipient, &record_id, category, purpose,
			)
			.map_err(Error::<T>::from)?;
			Ok(())
		}

		/// Set the parameters (maximum consent duration, emergency window and rate limits,
		/// patient allowance, disclosure retention).
		///
		/// Origin: [`Config::GovernanceOrigin`].
		/// Errors: [`Error::InvalidParameters`] (a duration or period of zero, or a zero allowance).
		/// Event: [`Event::ParametersSet`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(
			origin: OriginFor<T>,
			parameters: Parameters<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				!parameters.max_consent_duration.is_zero()
					&& !parameters.emergency_window.is_zero()
					&& !parameters.emergency_period.is_zero()
					&& !parameters.allowance_period.is_zero()
					&& !parameters.disclosure_retention.is_zero()
					&& parameters.emergency_limit > 0
					&& parameters.institution_emergency_limit > 0
					&& parameters.patient_allowance > 0,
				Error::<T>::InvalidParameters
			);
			Params::<T>::put(parameters.clone());
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}

		/// Set the public key of the pseudonym's emergency card (a key the patient's app made
		/// for this pseudonym alone; its secret is on the card), replacing any earlier card, or
		/// withdraw the card (`None`). See [`card`].
		///
		/// Origin: signed by the patient or their guardian. Fee-free within the allowance.
		/// Errors: [`Error::NotPatientOrGuardian`], [`Error::CardKeyInUse`].
		/// Event: [`Event::EmergencyCardSet`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_emergency_card())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, patient: &T::AccountId,
			_k: &Option<T::AccountId>| -> bool {
			Pallet::<T>::is_within_allowance(origin, patient)
		})]
		pub fn set_emergency_card(
			origin: OriginFor<T>,
			patient: T::AccountId,
			card_key: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_emergency_card(who, patient, card_key)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether a consent can no longer permit anything from `now` on.
		pub fn has_ended(consent: &ConsentOf<T>, now: BlockNumberFor<T>) -> bool {
			now >= consent.valid_until || consent.revoked_from.is_some_and(|from| now >= from)
		}
	}
}
