//! # Records pallet
//!
//! Tamper evidence for medical records: the on-chain registry half of IHE XDS.b. The
//! custodian's own store keeps the document; the chain keeps what proves it unchanged.
//!
//! - [`Pallet::anchor`]: a device of an active hospital or clinic (the custodian) anchors a
//!   record: patient account, a record id of its choosing (unique per custodian), a category
//!   code, the salted content hash, the size and the format. Version 1 is timestamped by its
//!   block.
//! - [`Pallet::anchor_batch`]: up to [`Config::MaxBatch`] records in one extrinsic, all or none.
//! - [`Pallet::anchor_root`]: the Merkle root of any number of record hashes, with the count
//!   (see [`merkle`] for the tree), for hospitals that anchor in bulk. Roots are kept per
//!   custodian.
//! - [`Pallet::supersede`]: a new version replaces the current one (XDS RPLC).
//! - [`Pallet::retract`]: the record was entered in error; it no longer counts against the
//!   patient's quotas.
//!
//! Who may anchor for whom, and how many (issue 12): see [`custody`].
//!
//! History is never deleted: every version stays verifiable, and the versions of a record are
//! numbered `1..=current_version`, so the chain of versions can be walked.
//!
//! Verification ([`Pallet::verify`], [`Pallet::verify_inclusion`], [`Pallet::records_of`], in
//! [`query`]) is exposed by the runtime API crate `pallet-records-runtime-api` and over
//! JSON-RPC by `pallet-records-rpc` (`records_verify`, `records_verifyInclusion`,
//! `records_ofPatient`).
//!
//! The content hash contract (documented in `docs/records.md`): `content_hash =
//! SHA-256(salt || document)` with a 32-byte random salt per record kept by the custodian and
//! handed over with the document, so a short document cannot be guessed from its hash.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod custody;
pub mod merkle;
pub mod migrations;
pub mod query;
pub mod types;
pub mod versions;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

/// What other pallets (consent, exchange) ask about anchored records.
pub trait RecordIndex<AccountId> {
	/// The patient and category of `custodian`'s record `record_id`, if it exists and is
	/// active (not retracted).
	fn record_facts(
		custodian: pallet_institutions::InstitutionId,
		record_id: &[u8],
	) -> Option<(AccountId, Category)>;

	/// The patient and category of `custodian`'s record `record_id` if the record is active
	/// and `version` is one of its anchored versions (`1..=current_version`).
	fn version_facts(
		custodian: pallet_institutions::InstitutionId,
		record_id: &[u8],
		version: u32,
	) -> Option<(AccountId, Category)>;

	/// Whether `patient` has at least one active record of `category` at `custodian`.
	fn has_active_in_category(
		custodian: pallet_institutions::InstitutionId,
		patient: &AccountId,
		category: Category,
	) -> bool;

	/// Benchmarks of other pallets: stores an active record.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(
		custodian: pallet_institutions::InstitutionId,
		patient: &AccountId,
		record_id: &[u8],
		category: Category,
	);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use pallet_institutions::{InstitutionId, Registry};
	use sp_core::H256;

	/// Version 2 (issue 12): roots keyed by custodian, counters of active records.
	/// Version 3 (issue 16): version 1 and the list slot stored with the record, a patient's
	/// counters in one item ([`PatientTallies`]).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A custodian's record id.
	pub type RecordIdOf<T> = BoundedVec<u8, <T as Config>::MaxRecordIdLen>;
	/// A stored record.
	pub type RecordOf<T> = RecordEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A stored version.
	pub type VersionOf<T> = VersionEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A stored Merkle root.
	pub type RootOf<T> = RootEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// The key of a record: its custodian and the custodian's record id.
	pub type RecordKey<T> = (InstitutionId, RecordIdOf<T>);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who the institutions, devices and patients are.
		type Registry: Registry<Self::AccountId>;

		/// Wall-clock time of the block (pallet-timestamp).
		type Time: UnixTime;

		/// Longest record id, in bytes.
		#[pallet::constant]
		type MaxRecordIdLen: Get<u32>;

		/// Most records in one `anchor_batch`.
		#[pallet::constant]
		type MaxBatch: Get<u32>;

		/// Most versions of one record.
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// Most active records one patient can have.
		#[pallet::constant]
		type MaxRecordsPerPatient: Get<u32>;

		/// Entries per page of `records_ofPatient`.
		#[pallet::constant]
		type PageSize: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Records by custodian and record id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		InstitutionId,
		Blake2_128Concat,
		RecordIdOf<T>,
		RecordOf<T>,
		OptionQuery,
	>;

	/// Every version of every record after the first (kept in [`RecordEntry::first`]), by
	/// record and version number (`2..=current_version`). At most `MaxVersions - 1` per
	/// record. Never deleted.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RecordKey<T>,
		Twox64Concat,
		u32,
		VersionOf<T>,
		OptionQuery,
	>;

	/// Which version after the first of a record has a given content hash (each version's
	/// hash is distinct; version 1's is in [`RecordEntry::first`]).
	#[pallet::storage]
	pub type VersionOfHash<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RecordKey<T>,
		Blake2_128Concat,
		H256,
		u32,
		OptionQuery,
	>;

	/// Each patient's active records counted (in all, and per category at their custodian).
	/// At most `MaxRecordsPerPatient` in all; no entry for a patient without active records.
	#[pallet::storage]
	pub type PatientTallies<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientTally, OptionQuery>;

	/// A patient's active records: slot `0..active` → record key, in the order they were
	/// anchored except that a retracted record's slot is taken by the patient's last one. Each
	/// active record knows its slot ([`RecordEntry::slot`]).
	#[pallet::storage]
	pub type PatientRecords<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u32,
		RecordKey<T>,
		OptionQuery,
	>;

	/// Anchored Merkle roots of batches of record hashes, by custodian and root: the same
	/// root anchored by another institution does not block a custodian.
	#[pallet::storage]
	pub type Roots<T: Config> =
		StorageDoubleMap<_, Twox64Concat, InstitutionId, Identity, H256, RootOf<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A record was anchored (version 1).
		RecordAnchored {
			custodian: InstitutionId,
			record_id: RecordIdOf<T>,
			patient: T::AccountId,
			category: Category,
			content_hash: H256,
		},
		/// A new version of a record replaced the previous one.
		RecordSuperseded {
			custodian: InstitutionId,
			record_id: RecordIdOf<T>,
			version: u32,
			content_hash: H256,
		},
		/// A record was retracted (entered in error).
		RecordRetracted { custodian: InstitutionId, record_id: RecordIdOf<T>, version: u32 },
		/// A record was erased: its documents and salts were destroyed off chain.
		RecordErased { custodian: InstitutionId, record_id: RecordIdOf<T> },
		/// The Merkle root of a batch of record hashes was anchored.
		RootAnchored { custodian: InstitutionId, root: H256, leaf_count: u64 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a device of an active institution.
		NotActiveDevice,
		/// The patient account is not registered.
		UnknownPatient,
		/// The record id is empty.
		EmptyRecordId,
		/// The record id is longer than `MaxRecordIdLen`.
		RecordIdTooLong,
		/// The custodian already anchored a record with this id.
		DuplicateRecordId,
		/// A document of size zero cannot be anchored.
		EmptyDocument,
		/// The patient has `MaxRecordsPerPatient` active records already.
		TooManyRecordsForPatient,
		/// The batch is empty.
		EmptyBatch,
		/// The batch has more than `MaxBatch` records.
		BatchTooLarge,
		/// The custodian has no record with this id.
		UnknownRecord,
		/// The record was retracted; it cannot change any more.
		RecordRetracted,
		/// The record was erased; it cannot change any more.
		RecordErased,
		/// The expected version is not the record's current version.
		WrongVersion,
		/// The record has `MaxVersions` versions already.
		TooManyVersions,
		/// A version of this record already has this content hash.
		HashAlreadyAnchored,
		/// A Merkle tree needs at least one leaf.
		EmptyTree,
		/// The custodian anchored this root already.
		RootAlreadyAnchored,
		/// The device's institution is of a kind that keeps no medical records (only hospitals
		/// and clinics do).
		CustodianKindCannotHoldRecords,
		/// The patient's pseudonym is not registered at the device's institution (a patient
		/// has one pseudonym per custodian).
		NoCareRelationship,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxRecordIdLen::get() > 0, "MaxRecordIdLen must allow an id");
			assert!(T::MaxBatch::get() > 0, "MaxBatch must allow a record");
			assert!(T::MaxVersions::get() > 0, "MaxVersions must allow a version");
			assert!(T::PageSize::get() > 0, "PageSize must allow an entry");
			assert!(T::MaxRecordsPerPatient::get() > 0, "MaxRecordsPerPatient must allow a record");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Anchor a new record (version 1) for a patient.
		///
		/// Origin: signed by a device of an active hospital or clinic, which becomes the
		/// custodian; the patient must be a pseudonym registered there.
		/// Errors: [`Error::NotActiveDevice`], [`Error::CustodianKindCannotHoldRecords`], [`Error::UnknownPatient`],
		/// [`Error::NoCareRelationship`], [`Error::EmptyRecordId`], [`Error::RecordIdTooLong`], [`Error::DuplicateRecordId`],
		/// [`Error::EmptyDocument`], [`Error::TooManyRecordsForPatient`].
		/// Event: [`Event::RecordAnchored`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::anchor())]
		pub fn anchor(
			origin: OriginFor<T>,
			patient: T::AccountId,
			record_id: Vec<u8>,
			category: Category,
			content_hash: H256,
			size: u64,
			format: FormatCode,
		) -> DispatchResult {
			let device = ensure_signed(origin)?;
			let custodian = Self::record_keeper_of(&device)?;
			Self::do_anchor(
				custodian,
				&device,
				NewRecord { patient, record_id, category, content_hash, size, format },
			)
		}

		/// Anchor up to `MaxBatch` new records at once, for one or more patients. All are
		/// anchored or none.
		///
		/// Origin: signed by a device of an active hospital or clinic.
		/// Errors: [`Error::EmptyBatch`], [`Error::BatchTooLarge`], and any error of `anchor` for any record.
		/// Event: [`Event::RecordAnchored`] for each record.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::anchor_batch((records.len() as u32).min(T::MaxBatch::get())))]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			records: Vec<NewRecord<T::AccountId>>,
		) -> DispatchResult {
			let device = ensure_signed(origin)?;
			ensure!(!records.is_empty(), Error::<T>::EmptyBatch);
			ensure!(records.len() as u32 <= T::MaxBatch::get(), Error::<T>::BatchTooLarge);
			let custodian = Self::record_keeper_of(&device)?;
			for record in records {
				Self::do_anchor(custodian, &device, record)?;
			}
			Ok(())
		}

		/// Anchor the Merkle root of `leaf_count` record hashes (tree defined in [`merkle`]).
		/// The root is kept under the custodian: another institution may anchor the same root.
		///
		/// Origin: signed by a device of an active hospital or clinic.
		/// Errors: [`Error::NotActiveDevice`], [`Error::CustodianKindCannotHoldRecords`], [`Error::EmptyTree`],
		/// [`Error::RootAlreadyAnchored`] (by this custodian).
		/// Event: [`Event::RootAnchored`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::anchor_root())]
		pub fn anchor_root(origin: OriginFor<T>, root: H256, leaf_count: u64) -> DispatchResult {
			let device = ensure_signed(origin)?;
			let custodian = Self::record_keeper_of(&device)?;
			ensure!(leaf_count > 0, Error::<T>::EmptyTree);
			ensure!(!Roots::<T>::contains_key(custodian, root), Error::<T>::RootAlreadyAnchored);
			Roots::<T>::insert(
				custodian,
				root,
				RootEntry {
					custodian,
					leaf_count,
					anchored_at: frame_system::Pallet::<T>::block_number(),
					anchored_at_ms: Self::now_ms(),
					anchored_by: device,
				},
			);
			Self::deposit_event(Event::RootAnchored { custodian, root, leaf_count });
			Ok(())
		}

		/// Replace the current version of a record with a new one (XDS RPLC). The old version
		/// stays verifiable as superseded. The category does not change, so neither do the
		/// patient's counters.
		///
		/// Origin: signed by a device of the record's custodian (an active hospital or clinic).
		/// `expected_version` must be the current version, so two concurrent updates cannot
		/// silently overwrite each other.
		/// Errors: [`Error::NotActiveDevice`], [`Error::CustodianKindCannotHoldRecords`], [`Error::RecordIdTooLong`],
		/// [`Error::UnknownRecord`], [`Error::RecordRetracted`], [`Error::WrongVersion`], [`Error::TooManyVersions`],
		/// [`Error::HashAlreadyAnchored`], [`Error::EmptyDocument`].
		/// Event: [`Event::RecordSuperseded`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::supersede())]
		pub fn supersede(
			origin: OriginFor<T>,
			record_id: Vec<u8>,
			expected_version: u32,
			content_hash: H256,
			size: u64,
			format: FormatCode,
		) -> DispatchResult {
			let device = ensure_signed(origin)?;
			let custodian = Self::record_keeper_of(&device)?;
			let record_id: RecordIdOf<T> =
				record_id.try_into().map_err(|_| Error::<T>::RecordIdTooLong)?;
			let mut record =
				Records::<T>::get(custodian, &record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);
			ensure!(record.status == RecordStatus::Active, Error::<T>::RecordRetracted);
			ensure!(record.current_version == expected_version, Error::<T>::WrongVersion);
			ensure!(record.current_version < T::MaxVersions::get(), Error::<T>::TooManyVersions);
			ensure!(size > 0, Error::<T>::EmptyDocument);
			let key = (custodian, record_id.clone());
			ensure!(
				Self::version_with_hash(&key, &record, content_hash).is_none(),
				Error::<T>::HashAlreadyAnchored
			);

			let previous = record.current_version;
			Self::set_version_status(&key, &mut record, previous, VersionStatus::Superseded);
			record.current_version = record.current_version.saturating_add(1);
			let version = record.current_version;
			Versions::<T>::insert(
				&key,
				version,
				Self::new_version(&device, content_hash, size, format),
			);
			VersionOfHash::<T>::insert(&key, content_hash, version);
			Records::<T>::insert(custodian, &record_id, record);
			Self::deposit_event(Event::RecordSuperseded {
				custodian,
				record_id,
				version,
				content_hash,
			});
			Ok(())
		}

		/// Retract a record entered in error. Its versions stay verifiable, marked retracted;
		/// it no longer counts against the patient's quotas and leaves the patient's list.
		///
		/// Origin: signed by a device of the record's custodian (active; of any kind, so that
		/// a record anchored before issue 12 by a pharmacy can still be retracted).
		/// Errors: [`Error::NotActiveDevice`], [`Error::RecordIdTooLong`], [`Error::UnknownRecord`], [`Error::RecordRetracted`],
		/// [`Error::WrongVersion`].
		/// Event: [`Event::RecordRetracted`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::retract())]
		pub fn retract(
			origin: OriginFor<T>,
			record_id: Vec<u8>,
			expected_version: u32,
		) -> DispatchResult {
			let device = ensure_signed(origin)?;
			let custodian = Self::custodian_of(&device)?;
			let record_id: RecordIdOf<T> =
				record_id.try_into().map_err(|_| Error::<T>::RecordIdTooLong)?;
			let mut record =
				Records::<T>::get(custodian, &record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);
			ensure!(record.status == RecordStatus::Active, Error::<T>::RecordRetracted);
			ensure!(record.current_version == expected_version, Error::<T>::WrongVersion);

			let version = record.current_version;
			let key = (custodian, record_id.clone());
			record.status = RecordStatus::Retracted;
			Self::set_version_status(&key, &mut record, version, VersionStatus::Retracted);
			Self::release_active(&record, &key);
			Records::<T>::insert(custodian, &record_id, record);
			Self::deposit_event(Event::RecordRetracted { custodian, record_id, version });
			Ok(())
		}

		/// Mark a record erased (GDPR Art. 17): the custodian destroyed the documents and salts
		/// of all its versions (crypto-shredding in its gateway, docs/privacy.md), so the
		/// anchored hashes can no longer be verified against anything and identify nothing.
		/// An active record leaves the patient's list and quotas; a retracted one may be
		/// erased too. Final: an erased record cannot be superseded, retracted or erased again.
		///
		/// Origin: signed by a device of the record's custodian (active; of any kind, as for
		/// `retract`).
		/// Errors: [`Error::NotActiveDevice`], [`Error::RecordIdTooLong`],
		/// [`Error::UnknownRecord`], [`Error::RecordErased`].
		/// Event: [`Event::RecordErased`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::erase())]
		pub fn erase(origin: OriginFor<T>, record_id: Vec<u8>) -> DispatchResult {
			let device = ensure_signed(origin)?;
			let custodian = Self::custodian_of(&device)?;
			let record_id: RecordIdOf<T> =
				record_id.try_into().map_err(|_| Error::<T>::RecordIdTooLong)?;
			let mut record =
				Records::<T>::get(custodian, &record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.status != RecordStatus::Erased, Error::<T>::RecordErased);

			let key = (custodian, record_id.clone());
			if record.status == RecordStatus::Active {
				Self::release_active(&record, &key);
			}
			record.status = RecordStatus::Erased;
			Records::<T>::insert(custodian, &record_id, record);
			Self::deposit_event(Event::RecordErased { custodian, record_id });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn now_ms() -> u64 {
			T::Time::now().as_millis().try_into().unwrap_or(u64::MAX)
		}

		/// Checks one new record and stores it as version 1.
		fn do_anchor(
			custodian: InstitutionId,
			device: &T::AccountId,
			new: NewRecord<T::AccountId>,
		) -> DispatchResult {
			let NewRecord { patient, record_id, category, content_hash, size, format } = new;
			ensure!(T::Registry::is_patient(&patient), Error::<T>::UnknownPatient);
			Self::ensure_care_relationship(custodian, &patient)?;
			ensure!(!record_id.is_empty(), Error::<T>::EmptyRecordId);
			let record_id: RecordIdOf<T> =
				record_id.try_into().map_err(|_| Error::<T>::RecordIdTooLong)?;
			ensure!(
				!Records::<T>::contains_key(custodian, &record_id),
				Error::<T>::DuplicateRecordId
			);
			ensure!(size > 0, Error::<T>::EmptyDocument);
			Self::ensure_room_for(&patient)?;

			let key = (custodian, record_id.clone());
			Self::store_version_one(
				&key,
				&patient,
				category,
				Self::new_version(device, content_hash, size, format),
			);
			Self::deposit_event(Event::RecordAnchored {
				custodian,
				record_id,
				patient,
				category,
				content_hash,
			});
			Ok(())
		}

		/// Stores an active record with its version 1 and counts it in; no checks (the
		/// caller made them, or it is a benchmark or test fixture).
		pub(crate) fn store_version_one(
			key: &RecordKey<T>,
			patient: &T::AccountId,
			category: Category,
			version: VersionOf<T>,
		) {
			let (custodian, record_id) = key;
			let slot = Self::admit_active(patient, category, key);
			Records::<T>::insert(
				custodian,
				record_id,
				RecordEntry {
					patient: patient.clone(),
					category,
					current_version: 1,
					status: RecordStatus::Active,
					slot,
					first: version,
				},
			);
		}
	}
}
