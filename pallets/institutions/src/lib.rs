//! # Institutions pallet
//!
//! Who may act on MedChain, and as what.
//!
//! - **Institutions** (hospital, clinic, pharmacy, insurer, relay operator) are admitted,
//!   suspended, reinstated and removed by [`Config::AdmissionOrigin`] (a majority of the
//!   hospital council; Root on the development chain). A suspended or removed institution can no longer act: its devices
//!   cannot anchor, it cannot grant or be granted anything.
//! - **Devices**: accounts of an institution's EHR servers, gateways or devices that act for it.
//!   The institution's admin adds, removes and rotates them; at most
//!   [`Config::MaxDevicesPerInstitution`].
//! - **Practitioners**: accounts of licensed staff (physician, nurse, pharmacist) linked to one
//!   institution, with a hash of their licence number; added and removed by the admin.
//! - **Patients**: a patient's account is the patient's own key. An active hospital or clinic
//!   (its admin or one of its devices) asks for the registration after checking the patient's
//!   identity off chain, optionally naming a guardian; the registration takes effect when the
//!   patient (or the named guardian) confirms it before it expires. The patient or the guardian
//!   can change the guardian, and end the registration (`leave`). A guardian never holds an
//!   institution role. Rules in [`patients`].
//!
//! Other pallets ask their questions through the [`Registry`] trait, which this pallet
//! implements.
//!
//! An account has at most one role: admin of one institution, device, practitioner, or
//! patient. This keeps every authorisation check unambiguous. A pending (unconfirmed)
//! registration is not a role: it blocks nothing.
//!
//! No personal health information is stored: accounts are pseudonymous keys, licence numbers
//! are hashed, and the only free text is an institution's public display name.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

mod admission;
pub mod amount_string;
pub mod council;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
pub mod patients;
pub mod registry;
mod roles;
pub mod types;
pub mod view;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_guardians;
#[cfg(test)]
mod tests_patients;
#[cfg(test)]
mod tests_pending_index;

pub use council::CouncilSeats;
pub use registry::Registry;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::Zero;

	/// The in-code storage version. Version 2 (issue 18): the index of each institution's
	/// pending registrations, `PendingRegistrationsOf` ([`crate::migrations::v2`]).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// An institution as stored.
	pub type InstitutionOf<T> = Institution<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxNameLen,
	>;
	/// A patient as stored.
	pub type PatientOf<T> = Patient<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A pending registration as stored.
	pub type PendingRegistrationOf<T> =
		PendingRegistration<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who admits, suspends and reinstates institutions (Root on the development chain, a
		/// majority of the hospital council on the consortium chain).
		type AdmissionOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who removes institutions for good (Root on the development chain, two thirds of the
		/// hospital council on the consortium chain).
		type RemovalOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told when a hospital's admin gains, loses or hands over its council seat.
		type CouncilSeats: CouncilSeats<Self::AccountId>;

		/// Told when a hospital is suspended or removed (its validators and nodes leave the
		/// network); it may refuse (e.g. too few active hospitals would remain).
		type OnHospitalExit: council::OnHospitalExit;

		/// Most institutions ever admitted (removed ones count: their anchors stay verifiable).
		#[pallet::constant]
		type MaxInstitutions: Get<u32>;

		/// Longest display name, in bytes of UTF-8.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Most device accounts one institution may register.
		#[pallet::constant]
		type MaxDevicesPerInstitution: Get<u32>;

		/// Most practitioners one institution may register.
		#[pallet::constant]
		type MaxPractitionersPerInstitution: Get<u32>;

		/// Blocks a patient (or the named guardian) has to confirm a registration; after that
		/// it can no longer be confirmed and anyone may remove it. Not a governance parameter.
		#[pallet::constant]
		type RegistrationExpiry: Get<BlockNumberFor<Self>>;

		/// Most pending (unconfirmed) registrations one institution may have at once.
		#[pallet::constant]
		type MaxPendingRegistrations: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Admitted institutions by id. At most `MaxInstitutions` entries.
	#[pallet::storage]
	pub type Institutions<T: Config> =
		StorageMap<_, Twox64Concat, InstitutionId, InstitutionOf<T>, OptionQuery>;

	/// The id the next admitted institution gets; also the number admitted so far.
	#[pallet::storage]
	pub type NextInstitutionId<T: Config> = StorageValue<_, InstitutionId, ValueQuery>;

	/// The institution each admin account manages (one institution per admin account).
	#[pallet::storage]
	pub type AdminOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, InstitutionId, OptionQuery>;

	/// Device accounts and the institution each acts for. At most `MaxDevicesPerInstitution`
	/// per institution.
	#[pallet::storage]
	pub type Devices<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Device<BlockNumberFor<T>>, OptionQuery>;

	/// Practitioners and the institution each acts for. At most
	/// `MaxPractitionersPerInstitution` per institution.
	#[pallet::storage]
	pub type Practitioners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Practitioner<BlockNumberFor<T>>, OptionQuery>;

	/// Registered patients (confirmed registrations). One entry per patient; each entry is
	/// bounded (`Patient::max_encoded_len`); each was asked for and paid for by a hospital and
	/// confirmed with the patient's (or the guardian's) key.
	#[pallet::storage]
	pub type Patients<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientOf<T>, OptionQuery>;

	/// Registrations waiting for the patient's (or the named guardian's) confirmation, by
	/// patient account, with the block they expire at. At most `MaxPendingRegistrations` per
	/// institution ([`PendingCount`]); an expired one is removed by anyone
	/// ([`Pallet::remove_expired_registration`]) or replaced by the next registration.
	#[pallet::storage]
	pub type PendingRegistrations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PendingRegistrationOf<T>, OptionQuery>;

	/// The ward each guardian key was named for (rule 3 of [`crate::patients`]): one ward per
	/// guardian key, for good (kept when the guardian changes or the patient leaves), so a
	/// guardian key never joins two pseudonyms. One entry per guardian ever named, each by a
	/// paid registration or a paid `set_guardian`.
	#[pallet::storage]
	pub type Guardianships<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The custodian each pseudonym was ever a patient of (rule 2 of [`crate::patients`]),
	/// kept after the patient leaves: a pseudonym never becomes another custodian's patient,
	/// nor anyone's guardian, so a reused key cannot join two custodians' data. One entry per
	/// confirmed registration (each paid for by its custodian).
	#[pallet::storage]
	pub type PseudonymCustodians<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, InstitutionId, OptionQuery>;

	/// The pending registrations of each institution, by institution and patient account: the
	/// index of [`PendingRegistrations`] that `institutions_pendingRegistrations` reads (at most
	/// `MaxPendingRegistrations` per institution, one entry per pending registration).
	#[pallet::storage]
	pub type PendingRegistrationsOf<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		InstitutionId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Number of pending registrations of each institution (no entry when it has none). At most
	/// `MaxInstitutions` entries.
	#[pallet::storage]
	pub type PendingCount<T: Config> = StorageMap<_, Twox64Concat, InstitutionId, u32, ValueQuery>;

	/// Institutions admitted at genesis (the consortium chain's founding hospitals).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// In id order: admin account, kind, display name (UTF-8). The council's genesis
		/// members must be the hospitals' admins (the genesis presets keep them in step).
		pub institutions: Vec<(T::AccountId, InstitutionKind, Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (admin, kind, name) in &self.institutions {
				let name = Pallet::<T>::checked_name(name.clone())
					.expect("genesis institution names are non-empty UTF-8 within MaxNameLen");
				assert!(!Pallet::<T>::has_role(admin), "a genesis admin has a role already");
				let id = NextInstitutionId::<T>::get();
				assert!(id < T::MaxInstitutions::get(), "too many genesis institutions");
				Pallet::<T>::insert_institution(id, admin, *kind, name);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An institution was admitted.
		InstitutionAdmitted {
			institution: InstitutionId,
			kind: InstitutionKind,
			admin: T::AccountId,
		},
		/// An institution was suspended.
		InstitutionSuspended { institution: InstitutionId },
		/// A suspended institution was reinstated.
		InstitutionReinstated { institution: InstitutionId },
		/// An institution was removed for good.
		InstitutionRemoved { institution: InstitutionId },
		/// An institution's admin account changed.
		AdminChanged {
			institution: InstitutionId,
			old_admin: T::AccountId,
			new_admin: T::AccountId,
		},
		/// A device account was registered for an institution.
		DeviceAdded { institution: InstitutionId, device: T::AccountId },
		/// A device account was deregistered.
		DeviceRemoved { institution: InstitutionId, device: T::AccountId },
		/// A device's encryption key was set (or rotated).
		EncryptionKeySet { institution: InstitutionId, device: T::AccountId, key: EncryptionKey },
		/// A device key was replaced by a new one.
		DeviceRotated {
			institution: InstitutionId,
			old_device: T::AccountId,
			new_device: T::AccountId,
		},
		/// A practitioner was registered.
		PractitionerAdded {
			institution: InstitutionId,
			practitioner: T::AccountId,
			role: PractitionerRole,
		},
		/// A practitioner was deregistered.
		PractitionerRemoved { institution: InstitutionId, practitioner: T::AccountId },
		/// An institution asked to register a patient account; it takes effect when the patient
		/// or the named guardian confirms it before `expires_at`.
		RegistrationRequested {
			patient: T::AccountId,
			custodian: InstitutionId,
			guardian: Option<T::AccountId>,
			expires_at: BlockNumberFor<T>,
		},
		/// A registration was confirmed: the account is a patient.
		PatientRegistered {
			patient: T::AccountId,
			custodian: InstitutionId,
			guardian: Option<T::AccountId>,
			confirmed_by: T::AccountId,
		},
		/// A registration expired unconfirmed and was removed.
		RegistrationRemoved { patient: T::AccountId, custodian: InstitutionId },
		/// A patient's guardian changed.
		GuardianChanged { patient: T::AccountId, guardian: Option<T::AccountId> },
		/// A patient's registration ended (the patient or the guardian signed).
		PatientLeft { patient: T::AccountId, signed_by: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No institution has this id.
		UnknownInstitution,
		/// The institution is suspended or removed.
		InstitutionInactive,
		/// The institution is not suspended, so it cannot be reinstated.
		InstitutionNotSuspended,
		/// The institution was removed; removal is final.
		InstitutionRemoved,
		/// The number of institutions reached `MaxInstitutions`.
		TooManyInstitutions,
		/// The display name is empty.
		EmptyName,
		/// The display name is longer than `MaxNameLen` bytes.
		NameTooLong,
		/// The display name is not valid UTF-8.
		NameNotUtf8,
		/// The caller is not the admin of an institution.
		NotAdmin,
		/// The account already has a role (admin, device, practitioner or patient).
		AccountHasRole,
		/// The device is not registered for the caller's institution.
		UnknownDevice,
		/// The institution has `MaxDevicesPerInstitution` devices already.
		TooManyDevices,
		/// The encryption key is all zeros (no X25519 public key).
		InvalidEncryptionKey,
		/// The practitioner is not registered for the caller's institution.
		UnknownPractitioner,
		/// The institution has `MaxPractitionersPerInstitution` practitioners already.
		TooManyPractitioners,
		/// Only an active hospital or clinic (its admin or a device) can register patients.
		NotRecordKeeper,
		/// The patient account is already registered.
		PatientAlreadyRegistered,
		/// The account is not a registered patient.
		UnknownPatient,
		/// A guardian cannot be the patient, nor any registered patient (a guardian acts
		/// through a key of its own for each ward).
		GuardianIsPatient,
		/// The guardian key acts for another patient already (a guardian derives one key per
		/// ward, so no guardian joins two pseudonyms).
		GuardianAlreadyActs,
		/// The account is a guardian's key, which cannot be registered as a patient.
		AccountIsGuardian,
		/// The account was a pseudonym of another custodian (a pseudonym serves one custodian
		/// for good; the patient's app derives a new key for this one).
		PseudonymOfAnotherCustodian,
		/// Only the patient or their guardian may do this.
		NotPatientOrGuardian,
		/// The guardian is an institution's admin, device or practitioner, who may not act for
		/// a patient.
		GuardianHoldsInstitutionRole,
		/// Another institution's registration of this account waits for confirmation and has
		/// not expired.
		RegistrationPending,
		/// The institution has `MaxPendingRegistrations` pending registrations already.
		TooManyPendingRegistrations,
		/// No registration of this account waits for confirmation.
		NoPendingRegistration,
		/// The registration expired: it can no longer be confirmed (the institution registers
		/// the patient again).
		RegistrationExpired,
		/// The registration has not expired, so it cannot be removed.
		RegistrationNotExpired,
		/// The guardian given is not the one the institution named in the registration.
		GuardianMismatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must allow a name");
			assert!(T::MaxInstitutions::get() > 0, "MaxInstitutions must allow an institution");
			assert!(T::MaxDevicesPerInstitution::get() > 0, "an institution needs a device");
			assert!(!T::RegistrationExpiry::get().is_zero(), "a registration must be confirmable");
			assert!(T::MaxPendingRegistrations::get() > 0, "institutions must register patients");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit an institution with its admin account.
		///
		/// Origin: [`Config::AdmissionOrigin`].
		/// Errors: [`Error::EmptyName`], [`Error::NameTooLong`], [`Error::NameNotUtf8`], [`Error::AccountHasRole`] (the admin
		/// already has a role), [`Error::TooManyInstitutions`].
		/// Event: [`Event::InstitutionAdmitted`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::admit())]
		pub fn admit(
			origin: OriginFor<T>,
			admin: T::AccountId,
			kind: InstitutionKind,
			name: Vec<u8>,
		) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			Self::do_admit(admin, kind, name)
		}

		/// Suspend an active institution: its devices can no longer anchor and it can no longer
		/// grant or be granted anything, until reinstated.
		///
		/// Origin: [`Config::AdmissionOrigin`].
		/// Errors: [`Error::UnknownInstitution`], [`Error::InstitutionInactive`] (already suspended or removed).
		/// Event: [`Event::InstitutionSuspended`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend())]
		pub fn suspend(origin: OriginFor<T>, institution: InstitutionId) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			Self::do_suspend(institution)
		}

		/// Reinstate a suspended institution.
		///
		/// Origin: [`Config::AdmissionOrigin`].
		/// Errors: [`Error::UnknownInstitution`], [`Error::InstitutionNotSuspended`].
		/// Event: [`Event::InstitutionReinstated`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reinstate())]
		pub fn reinstate(origin: OriginFor<T>, institution: InstitutionId) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			Self::do_reinstate(institution)
		}

		/// Remove an institution for good. Its admin account is released; its devices and
		/// practitioners stay recorded but can no longer act; its past anchors stay verifiable.
		///
		/// Origin: [`Config::RemovalOrigin`].
		/// Errors: [`Error::UnknownInstitution`], [`Error::InstitutionRemoved`] (already removed).
		/// Event: [`Event::InstitutionRemoved`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove())]
		pub fn remove(origin: OriginFor<T>, institution: InstitutionId) -> DispatchResult {
			T::RemovalOrigin::ensure_origin(origin)?;
			Self::do_remove(institution)
		}

		/// Hand the institution's administration to another account (e.g. a key rotation).
		///
		/// Origin: signed by the institution's current admin.
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::AccountHasRole`] (the new admin already has
		/// a role).
		/// Event: [`Event::AdminChanged`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_admin())]
		pub fn set_admin(origin: OriginFor<T>, new_admin: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_admin(who, new_admin)
		}

		/// Register a device account that acts for the caller's institution.
		///
		/// Origin: signed by an institution's admin (the institution may be suspended: its
		/// devices cannot act until it is reinstated, but keys can be managed).
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::AccountHasRole`], [`Error::TooManyDevices`].
		/// Event: [`Event::DeviceAdded`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::add_device())]
		pub fn add_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_device(who, device)
		}

		/// Deregister one of the institution's device accounts.
		///
		/// Origin: signed by the institution's admin.
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::UnknownDevice`].
		/// Event: [`Event::DeviceRemoved`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::remove_device())]
		pub fn remove_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_device(who, device)
		}

		/// Replace a device key with a new one in one step (no window without a key).
		///
		/// Origin: signed by the institution's admin.
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::UnknownDevice`], [`Error::AccountHasRole`] (the new
		/// key already has a role).
		/// Event: [`Event::DeviceRotated`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::rotate_device())]
		pub fn rotate_device(
			origin: OriginFor<T>,
			old_device: T::AccountId,
			new_device: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_device(who, old_device, new_device)
		}

		/// Register a practitioner of the caller's institution with a role and the hash of the
		/// licence number (the number itself is never stored).
		///
		/// Origin: signed by an institution's admin.
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::AccountHasRole`], [`Error::TooManyPractitioners`].
		/// Event: [`Event::PractitionerAdded`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::add_practitioner())]
		pub fn add_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
			role: PractitionerRole,
			licence_hash: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_practitioner(who, practitioner, role, licence_hash)
		}

		/// Deregister a practitioner of the caller's institution.
		///
		/// Origin: signed by the institution's admin.
		/// Errors: [`Error::NotAdmin`], [`Error::InstitutionRemoved`], [`Error::UnknownPractitioner`].
		/// Event: [`Event::PractitionerRemoved`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_practitioner())]
		pub fn remove_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_practitioner(who, practitioner)
		}

		/// Ask to register a patient's pseudonym for this institution (the key the patient's
		/// app derived for it; docs/privacy.md), after the institution checked the patient's
		/// identity off chain, with an optional guardian (minors, incapacitated patients), who
		/// acts through a key of its own for this ward. The registration is pending: it takes
		/// effect when the patient or the named guardian confirms it
		/// ([`Pallet::confirm_registration`]) within [`Config::RegistrationExpiry`] blocks. The
		/// account then exists on chain without any balance (a provider reference), so the
		/// patient can sign. The institution may ask again to replace its own pending
		/// registration (e.g. to correct the guardian). A pseudonym belongs to one custodian:
		/// a patient treated at a second institution registers another pseudonym there.
		///
		/// Origin: signed by the admin or a device of an active hospital or clinic.
		///
		/// Errors: [`Error::NotRecordKeeper`], [`Error::PatientAlreadyRegistered`] (at any
		/// institution), [`Error::PseudonymOfAnotherCustodian`] (a former patient of another
		/// custodian), [`Error::AccountHasRole`] (an admin, device or practitioner),
		/// [`Error::AccountIsGuardian`], [`Error::GuardianIsPatient`],
		/// [`Error::GuardianHoldsInstitutionRole`], [`Error::GuardianAlreadyActs`],
		/// [`Error::RegistrationPending`] (another institution's, not expired),
		/// [`Error::TooManyPendingRegistrations`].
		/// Event: [`Event::RegistrationRequested`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::register_patient())]
		pub fn register_patient(
			origin: OriginFor<T>,
			patient: T::AccountId,
			guardian: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_patient(who, patient, guardian)
		}

		/// Set or clear a patient's guardian.
		///
		/// Origin: signed by the patient or their current guardian.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::GuardianIsPatient`], [`Error::GuardianHoldsInstitutionRole`],
		/// [`Error::GuardianAlreadyActs`].
		/// Event: [`Event::GuardianChanged`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_guardian())]
		pub fn set_guardian(
			origin: OriginFor<T>,
			patient: T::AccountId,
			guardian: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_guardian(who, patient, guardian)
		}

		/// Confirm a pending registration: the account becomes a patient, with the guardian the
		/// institution named. `guardian` must repeat that guardian, so the signer accepts
		/// exactly what the institution asked for.
		///
		/// Origin: signed by the patient's own key, or by the named guardian. Fee-free when it
		/// succeeds (one confirmation per registration).
		/// Errors: [`Error::NoPendingRegistration`], [`Error::NotPatientOrGuardian`],
		/// [`Error::RegistrationExpired`], [`Error::GuardianMismatch`],
		/// [`Error::InstitutionInactive`] (the registering institution),
		/// [`Error::AccountHasRole`] (the key took a role meanwhile), [`Error::AccountIsGuardian`],
		/// [`Error::GuardianIsPatient`], [`Error::GuardianHoldsInstitutionRole`],
		/// [`Error::GuardianAlreadyActs`].
		/// Event: [`Event::PatientRegistered`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::confirm_registration())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, patient: &T::AccountId,
			guardian: &Option<T::AccountId>| -> bool {
			ensure_signed(origin.clone()).is_ok_and(|who| {
				Pallet::<T>::confirmable(&who, patient, guardian.as_ref()).is_ok()
			})
		})]
		pub fn confirm_registration(
			origin: OriginFor<T>,
			patient: T::AccountId,
			guardian: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_registration(who, patient, guardian)
		}

		/// Remove a pending registration that expired unconfirmed.
		///
		/// Origin: signed by anyone.
		/// Errors: [`Error::NoPendingRegistration`], [`Error::RegistrationNotExpired`].
		/// Event: [`Event::RegistrationRemoved`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::remove_expired_registration())]
		pub fn remove_expired_registration(
			origin: OriginFor<T>,
			patient: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_expired_registration(patient)
		}

		/// End a patient's registration: the account is no longer a patient and may take any
		/// role again. What other pallets keep under the account (anchored records, consents,
		/// the disclosure log) stays; consents no longer permit anything while the account is
		/// not a patient.
		///
		/// Origin: signed by the patient or their guardian. Fee-free when it succeeds.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`].
		/// Event: [`Event::PatientLeft`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::leave())]
		#[pallet::feeless_if(|origin: &OriginFor<T>, patient: &T::AccountId| -> bool {
			ensure_signed(origin.clone())
				.is_ok_and(|who| Pallet::<T>::may_leave(&who, patient).is_ok())
		})]
		pub fn leave(origin: OriginFor<T>, patient: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who, patient)
		}

		/// Set or rotate a device's encryption key (X25519, for HPKE), to which other
		/// institutions encrypt what they send to this device. A rotation replaces the key at
		/// once; the device keeps its old private key for what is still on its way.
		///
		/// Origin: signed by the device itself or by its institution's admin (the institution
		/// may be suspended, not removed).
		/// Errors: [`Error::UnknownDevice`], [`Error::NotAdmin`], [`Error::InstitutionRemoved`],
		/// [`Error::InvalidEncryptionKey`].
		/// Event: [`Event::EncryptionKeySet`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_encryption_key())]
		pub fn set_encryption_key(
			origin: OriginFor<T>,
			device: T::AccountId,
			key: EncryptionKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_encryption_key(who, device, key)
		}
	}
}

extern crate alloc;
