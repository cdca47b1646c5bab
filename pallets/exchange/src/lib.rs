//! # Exchange pallet
//!
//! The on-chain half of an exchange of a patient's records between two institutions: the
//! requester pays the custodian (and the relay operator that carries the encrypted package)
//! through an escrow that neither side can take unilaterally.
//!
//! - **Price list** ([`Pallet::set_prices`]): each custodian publishes a fee per category;
//!   categories it has not priced cost the governance default. Governance sets the relay
//!   operator's share (per-mille), the default fee and the windows ([`Pallet::set_parameters`]).
//! - **Request** ([`Pallet::request`]): a device of an active institution asks a custodian for a
//!   patient's records (by id and/or category) for a purpose. The consent check must permit
//!   every item (a consent, or an open emergency access for emergency data); the fee is
//!   **held** from the device's account (hold reason [`HoldReason::ExchangeFee`]).
//! - **Deliver** ([`Pallet::deliver`]): the custodian's device posts the receipt: hash and size
//!   of the encrypted package handed to the relay, the relay operator, the record versions in
//!   it (each anchored, each requested). Each record's release is checked again and logged in
//!   the patient's disclosure log; if the consent no longer permits (revoked in the meantime),
//!   nothing is released and the requester is refunded.
//! - **Confirm or dispute** ([`Pallet::confirm`], [`Pallet::dispute`]): the requester confirms
//!   (the custodian gets the fee minus the relay share, the relay operator its share) or
//!   disputes within the window; unanswered deliveries confirm by themselves when it closes.
//!   Governance settles disputes ([`Pallet::settle_dispute`]).
//! - **Timeouts**: an undelivered request is refunded in full at its deadline; the custodian may
//!   also decline at once ([`Pallet::decline`]). Deadlines and dispute windows are timers kept
//!   per block in bounded lists and processed at the start of their block (bounded work).
//!
//! Invariant (`try_state`): the funds held for the exchange equal the fees of the open
//! requests, per payer and in total. The state machine is drawn in `docs/exchange.md`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod types;
pub mod view;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

/// Blocks after the wanted one searched for room when a block's timer list is full.
pub const TIMER_SEARCH_BLOCKS: u32 = 16;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::btree_set::BTreeSet, vec::Vec};
	use frame_support::{
		pallet_prelude::*,
		storage::{with_storage_layer, with_transaction, TransactionOutcome},
		traits::{
			fungible::{self, hold::Mutate as HoldMutate, Inspect},
			tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use pallet_consent::{Decision, DisclosureGate, Purpose, Reason, Target};
	use pallet_institutions::{InstitutionId, InstitutionKind, Registry};
	use pallet_records::{Category, RecordIndex};
	use sp_core::H256;
	use sp_runtime::{
		traits::{CheckedAdd, One, Saturating, Zero},
		Permill,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A stored request.
	pub type RequestOf<T> = ExchangeRequest<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxRecordsPerRequest,
		<T as Config>::MaxCategoriesPerRequest,
		<T as Config>::MaxRecordIdLen,
	>;
	/// A stored delivery receipt.
	pub type DeliveryOf<T> = Delivery<
		BlockNumberFor<T>,
		<T as Config>::MaxVersionsPerDelivery,
		<T as Config>::MaxRecordIdLen,
	>;
	/// The parameters.
	pub type ParametersOf<T> = Parameters<BalanceOf<T>, BlockNumberFor<T>>;
	/// The items of a stored request.
	pub type ItemsOf<T> = Items<
		<T as Config>::MaxRecordsPerRequest,
		<T as Config>::MaxCategoriesPerRequest,
		<T as Config>::MaxRecordIdLen,
	>;
	/// A custodian's record id.
	pub type RecordIdOf<T> = BoundedVec<u8, <T as Config>::MaxRecordIdLen>;

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The fee of an open exchange request, until it is paid out or refunded.
		ExchangeFee,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency fees are paid in (holds, transfers of held funds).
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::hold::Mutate<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// Who the institutions, devices and patients are.
		type Registry: Registry<Self::AccountId>;

		/// The anchored records.
		type Records: RecordIndex<Self::AccountId>;

		/// The consent check and the disclosure log.
		type Consent: DisclosureGate<Self::AccountId>;

		/// Settles disputes and sets the parameters (a majority of the hospital council; Root on
		/// the development chain).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Parameters until governance sets them.
		type DefaultParameters: Get<ParametersOf<Self>>;

		/// Most categories in a custodian's price list.
		#[pallet::constant]
		type MaxPrices: Get<u32>;

		/// Most record ids in one request.
		#[pallet::constant]
		type MaxRecordsPerRequest: Get<u32>;

		/// Most categories in one request.
		#[pallet::constant]
		type MaxCategoriesPerRequest: Get<u32>;

		/// Longest record id (as in the records pallet).
		#[pallet::constant]
		type MaxRecordIdLen: Get<u32>;

		/// Most record versions in one delivery.
		#[pallet::constant]
		type MaxVersionsPerDelivery: Get<u32>;

		/// Most requests waiting for one custodian's delivery.
		#[pallet::constant]
		type MaxPendingPerCustodian: Get<u32>;

		/// Most timers (deadlines, dispute windows) ending in one block: the bound of the work
		/// done at the start of a block.
		#[pallet::constant]
		type MaxTimersPerBlock: Get<u32>;

		/// Requests per page of `exchange_pending`.
		#[pallet::constant]
		type PendingPageSize: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Requests by id, kept after they close, for the record; each is bounded.
	#[pallet::storage]
	pub type Requests<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, RequestOf<T>, OptionQuery>;

	/// Delivery receipts by request id.
	#[pallet::storage]
	pub type Deliveries<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, DeliveryOf<T>, OptionQuery>;

	/// Each custodian's requests waiting for delivery (at most `MaxPendingPerCustodian`).
	#[pallet::storage]
	pub type Pending<T: Config> =
		StorageDoubleMap<_, Twox64Concat, InstitutionId, Twox64Concat, RequestId, (), OptionQuery>;

	/// Number of each custodian's requests waiting for delivery.
	#[pallet::storage]
	pub type PendingCount<T: Config> = StorageMap<_, Twox64Concat, InstitutionId, u32, ValueQuery>;

	/// Requests whose deadline or dispute window ends at a block (processed at its start).
	#[pallet::storage]
	pub type Timers<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<RequestId, T::MaxTimersPerBlock>,
		ValueQuery,
	>;

	/// Each custodian's fee per category (sorted by category; at most `MaxPrices`).
	#[pallet::storage]
	pub type Prices<T: Config> = StorageMap<
		_,
		Twox64Concat,
		InstitutionId,
		BoundedVec<(Category, BalanceOf<T>), T::MaxPrices>,
		ValueQuery,
	>;

	/// Total of the fees held for open requests.
	#[pallet::storage]
	pub type TotalHeld<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Parameters set by governance.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParametersOf<T>, ValueQuery, T::DefaultParameters>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A custodian replaced its price list.
		PricesSet { custodian: InstitutionId, prices: Vec<(Category, BalanceOf<T>)> },
		/// An institution requested a patient's records; the fee is held.
		ExchangeRequested {
			request: RequestId,
			requester: InstitutionId,
			custodian: InstitutionId,
			patient: T::AccountId,
			fee: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// The custodian delivered; disputes are accepted until `dispute_until`.
		ExchangeDelivered {
			request: RequestId,
			package_hash: H256,
			package_size: u64,
			relay: InstitutionId,
			versions: u32,
			dispute_until: BlockNumberFor<T>,
		},
		/// The exchange was paid out.
		ExchangeCompleted {
			request: RequestId,
			custodian_amount: BalanceOf<T>,
			relay_amount: BalanceOf<T>,
			automatic: bool,
		},
		/// The requester disputed the delivery.
		ExchangeDisputed { request: RequestId, reason: DisputeReason },
		/// Governance settled a dispute.
		DisputeSettled { request: RequestId, outcome: DisputeOutcome },
		/// The fee went back to the requester's device.
		ExchangeRefunded {
			request: RequestId,
			payer: T::AccountId,
			amount: BalanceOf<T>,
			cause: RefundCause,
		},
		/// Paying out an auto-confirmed delivery failed; the exchange awaits governance.
		PayoutFailed { request: RequestId },
		/// Governance changed the parameters.
		ParametersSet { parameters: ParametersOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a device of an active institution.
		NotActiveDevice,
		/// The caller is not the admin of the institution.
		NotInstitutionAdmin,
		/// The custodian is not an active hospital or clinic.
		NotRecordKeeper,
		/// An institution cannot request from itself.
		SameInstitution,
		/// A request must name at least one record or category.
		EmptyRequest,
		/// More record ids than `MaxRecordsPerRequest`, or more versions than
		/// `MaxVersionsPerDelivery`.
		TooManyRecords,
		/// More categories than `MaxCategoriesPerRequest`.
		TooManyCategories,
		/// More prices than `MaxPrices`.
		TooManyPrices,
		/// A category appears twice in a price list, or an item twice in a request.
		Duplicate,
		/// A record id is empty or longer than `MaxRecordIdLen`.
		BadRecordId,
		/// The sum of the fees overflows.
		FeeOverflow,
		/// The requester's device cannot hold the fee (balance too low).
		InsufficientBalance,
		/// The custodian has `MaxPendingPerCustodian` requests waiting already.
		CustodianQueueFull,
		/// No block near the wanted one has room for another timer.
		TimersFull,
		/// The record does not exist, is retracted, or is not this patient's.
		UnknownRecord,
		/// The account is not a registered patient.
		UnknownPatient,
		/// The requesting institution is not active.
		RequesterInactive,
		/// The patient denies sharing this category.
		DeniedByPatient,
		/// The patient has no consent for the requester.
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
		/// No request has this id.
		UnknownRequest,
		/// The caller is not a device of the request's custodian.
		NotCustodian,
		/// The caller is not a device of the requesting institution.
		NotRequester,
		/// The request is not waiting for delivery (delivered, refunded or settled).
		NotPending,
		/// The delivery deadline has passed.
		DeadlinePassed,
		/// The package size is zero.
		EmptyPackage,
		/// A delivery must contain at least one record version.
		EmptyDelivery,
		/// The relay is not an active relay operator.
		NotRelayOperator,
		/// A delivered version is not anchored, or its record is retracted or not this
		/// patient's.
		VersionNotAnchored,
		/// A delivered record was not requested (neither by id nor by category).
		RecordNotRequested,
		/// The custodian's or the relay operator's admin account cannot receive its share.
		PayeeCannotReceive,
		/// The request is not delivered (or is disputed or closed already).
		NotDelivered,
		/// The dispute window has closed.
		DisputeWindowClosed,
		/// The request is not disputed.
		NotDisputed,
		/// A window is zero or the relay share exceeds 1000 per-mille.
		InvalidParameters,
	}

	impl<T> From<Reason> for Error<T> {
		fn from(reason: Reason) -> Self {
			match reason {
				Reason::UnknownPatient => Error::UnknownPatient,
				Reason::GranteeInactive => Error::RequesterInactive,
				Reason::UnknownRecord => Error::UnknownRecord,
				Reason::DeniedByPatient => Error::DeniedByPatient,
				Reason::Revoked => Error::ConsentRevoked,
				Reason::NotYetValid => Error::ConsentNotYetValid,
				Reason::Expired => Error::ConsentExpired,
				Reason::PurposeMismatch => Error::PurposeNotCovered,
				Reason::CustodianMismatch => Error::CustodianNotCovered,
				Reason::OutOfScope => Error::RecordNotCovered,
				Reason::NoConsent | Reason::Permitted | Reason::EmergencyAccess => Error::NoConsent,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Timers::<T>::take(now);
			for id in due.iter() {
				Self::process_timer(*id, now);
			}
			T::WeightInfo::on_initialize(due.len() as u32)
		}

		fn integrity_test() {
			let p = T::DefaultParameters::get();
			assert!(p.relay_share_per_mille <= 1000, "the relay share is per-mille");
			assert!(!p.delivery_window.is_zero() && !p.dispute_window.is_zero());
			assert!(T::MaxTimersPerBlock::get() > 0 && T::MaxPendingPerCustodian::get() > 0);
			assert!(T::MaxVersionsPerDelivery::get() > 0 && T::PendingPageSize::get() > 0);
			assert!(T::MaxRecordsPerRequest::get() > 0 || T::MaxCategoriesPerRequest::get() > 0);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Replace the custodian's price list: a fee per category (an empty list clears it;
		/// unpriced categories cost the governance default).
		///
		/// Origin: signed by the admin of `custodian`, an active hospital or clinic.
		/// Errors: `NotInstitutionAdmin`, `NotRecordKeeper`, `TooManyPrices`, `Duplicate`.
		/// Event: `PricesSet`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_prices(prices.len() as u32))]
		pub fn set_prices(
			origin: OriginFor<T>,
			custodian: InstitutionId,
			mut prices: Vec<(Category, BalanceOf<T>)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Registry::admin_of(custodian) == Some(who), Error::<T>::NotInstitutionAdmin);
			ensure!(
				T::Registry::active_kind(custodian).is_some_and(|k| k.keeps_records()),
				Error::<T>::NotRecordKeeper
			);
			ensure!(prices.len() as u32 <= T::MaxPrices::get(), Error::<T>::TooManyPrices);
			prices.sort_by_key(|(category, _)| *category);
			ensure!(prices.windows(2).all(|w| w[0].0 != w[1].0), Error::<T>::Duplicate);
			let bounded: BoundedVec<_, T::MaxPrices> =
				prices.clone().try_into().map_err(|_| Error::<T>::TooManyPrices)?;
			if bounded.is_empty() {
				Prices::<T>::remove(custodian);
			} else {
				Prices::<T>::insert(custodian, bounded);
			}
			Self::deposit_event(Event::PricesSet { custodian, prices });
			Ok(())
		}

		/// Ask `custodian` for records of `patient` (by id and/or by category) for `purpose`.
		/// Every item must be permitted by the consent check (a consent of the patient for the
		/// caller's institution, or an open emergency access for emergency data). The fee —
		/// the custodian's price of each item's category — is held from the caller's account
		/// until the exchange is paid out or refunded.
		///
		/// Origin: signed by a device of an active institution.
		/// Errors: `NotActiveDevice`, `NotRecordKeeper`, `SameInstitution`, `EmptyRequest`,
		/// `TooManyRecords`, `TooManyCategories`, `BadRecordId`, `Duplicate`, the check's
		/// denial (`UnknownPatient`, `UnknownRecord`, `DeniedByPatient`, `NoConsent`,
		/// `ConsentRevoked`, `ConsentNotYetValid`, `ConsentExpired`, `PurposeNotCovered`,
		/// `CustodianNotCovered`, `RecordNotCovered`), `FeeOverflow`, `CustodianQueueFull`,
		/// `TimersFull`, `InsufficientBalance`.
		/// Event: `ExchangeRequested`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request(
			(record_ids.len() as u32).saturating_add(categories.len() as u32)
		))]
		pub fn request(
			origin: OriginFor<T>,
			custodian: InstitutionId,
			patient: T::AccountId,
			record_ids: Vec<Vec<u8>>,
			categories: Vec<Category>,
			purpose: Purpose,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let requester = T::Registry::active_institution_of_device(&payer)
				.ok_or(Error::<T>::NotActiveDevice)?;
			ensure!(
				T::Registry::active_kind(custodian).is_some_and(|k| k.keeps_records()),
				Error::<T>::NotRecordKeeper
			);
			ensure!(requester != custodian, Error::<T>::SameInstitution);
			let items = Self::checked_items(record_ids, categories)?;
			ensure!(T::Registry::is_patient(&patient), Error::<T>::UnknownPatient);

			let prices = Prices::<T>::get(custodian);
			let params = Params::<T>::get();
			let price_of = |category: Category| {
				prices
					.binary_search_by_key(&category, |(c, _)| *c)
					.map(|i| prices[i].1)
					.unwrap_or(params.default_fee)
			};
			let mut fee = BalanceOf::<T>::zero();
			// Each record is resolved once: its patient and category, then the consent check.
			for id in items.records.iter() {
				let category = T::Records::record_facts(custodian, id)
					.filter(|(owner, _)| owner == &patient)
					.map(|(_, category)| category)
					.ok_or(Error::<T>::UnknownRecord)?;
				Self::permitted(T::Consent::check_record_now(
					&patient, requester, custodian, id, category, purpose,
				))?;
				fee = fee.checked_add(&price_of(category)).ok_or(Error::<T>::FeeOverflow)?;
			}
			for category in items.categories.iter() {
				let target = Target::Category { category: *category, custodian: Some(custodian) };
				Self::permitted(T::Consent::check_now(&patient, requester, &target, purpose))?;
				fee = fee.checked_add(&price_of(*category)).ok_or(Error::<T>::FeeOverflow)?;
			}
			let waiting = PendingCount::<T>::get(custodian);
			ensure!(waiting < T::MaxPendingPerCustodian::get(), Error::<T>::CustodianQueueFull);
			let total_held =
				TotalHeld::<T>::get().checked_add(&fee).ok_or(Error::<T>::FeeOverflow)?;

			let now = frame_system::Pallet::<T>::block_number();
			let id = NextRequestId::<T>::get();
			let deadline = Self::schedule(id, now.saturating_add(params.delivery_window))?;
			if !fee.is_zero() {
				T::Currency::hold(&HoldReason::ExchangeFee.into(), &payer, fee)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			TotalHeld::<T>::put(total_held);
			NextRequestId::<T>::put(id.saturating_add(1));
			Pending::<T>::insert(custodian, id, ());
			PendingCount::<T>::insert(custodian, waiting.saturating_add(1));
			Requests::<T>::insert(
				id,
				ExchangeRequest {
					requester,
					payer,
					custodian,
					patient: patient.clone(),
					items,
					purpose,
					fee,
					relay_share_per_mille: params.relay_share_per_mille,
					requested_at: now,
					deadline,
					status: Status::Requested,
				},
			);
			Self::deposit_event(Event::ExchangeRequested {
				request: id,
				requester,
				custodian,
				patient,
				fee,
				deadline,
			});
			Ok(())
		}

		/// Post the delivery receipt of `request`: SHA-256 and size of the encrypted package
		/// handed to `relay`, and the record versions in it (record id, version), each anchored
		/// by the custodian for this patient and requested (by id or category). Each record's
		/// release is checked and logged in the patient's disclosure log. If the consent no
		/// longer permits a release (revoked since the request, expired, denied), nothing is
		/// released, the fee is refunded and the call succeeds with `ExchangeRefunded`.
		///
		/// Origin: signed by a device of the request's custodian (active).
		/// Errors: `UnknownRequest`, `NotCustodian`, `NotPending`, `DeadlinePassed`,
		/// `EmptyPackage`, `EmptyDelivery`, `TooManyRecords`, `BadRecordId`, `Duplicate`,
		/// `NotRelayOperator`, `VersionNotAnchored`, `RecordNotRequested`,
		/// `PayeeCannotReceive`, `TimersFull`.
		/// Events: `ExchangeDelivered` (and the consent pallet's `ReleaseLogged` per record),
		/// or `ExchangeRefunded`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deliver(versions.len() as u32)
			.max(T::WeightInfo::deliver_refused(versions.len() as u32)))]
		pub fn deliver(
			origin: OriginFor<T>,
			request: RequestId,
			package_hash: H256,
			package_size: u64,
			relay: InstitutionId,
			versions: Vec<(Vec<u8>, u32)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry = Self::request_of_party(&who, request, Party::Custodian)?;
			ensure!(entry.status == Status::Requested, Error::<T>::NotPending);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < entry.deadline, Error::<T>::DeadlinePassed);
			ensure!(package_size > 0, Error::<T>::EmptyPackage);
			ensure!(!versions.is_empty(), Error::<T>::EmptyDelivery);
			ensure!(
				versions.len() as u32 <= T::MaxVersionsPerDelivery::get(),
				Error::<T>::TooManyRecords
			);
			ensure!(
				T::Registry::active_kind(relay) == Some(InstitutionKind::RelayOperator),
				Error::<T>::NotRelayOperator
			);

			// Each version anchored, the patient's, requested; each record released once.
			let mut seen = BTreeSet::new();
			let mut records: Vec<(RecordIdOf<T>, Category)> = Vec::new();
			let mut bounded_versions = BoundedVec::<_, T::MaxVersionsPerDelivery>::new();
			for (record_id, version) in versions {
				let id: RecordIdOf<T> =
					record_id.try_into().map_err(|_| Error::<T>::BadRecordId)?;
				ensure!(!id.is_empty(), Error::<T>::BadRecordId);
				ensure!(seen.insert((id.clone(), version)), Error::<T>::Duplicate);
				let category = T::Records::version_facts(entry.custodian, &id, version)
					.filter(|(owner, _)| owner == &entry.patient)
					.map(|(_, category)| category)
					.ok_or(Error::<T>::VersionNotAnchored)?;
				ensure!(
					entry.items.records.contains(&id) || entry.items.categories.contains(&category),
					Error::<T>::RecordNotRequested
				);
				if !records.iter().any(|(r, _)| r == &id) {
					records.push((id.clone(), category));
				}
				bounded_versions.try_push((id, version)).map_err(|_| Error::<T>::TooManyRecords)?;
			}
			let (custodian_amount, relay_amount) = Self::shares(&entry);
			ensure!(
				Self::can_receive(T::Registry::admin_of(entry.custodian), custodian_amount)
					&& Self::can_receive(T::Registry::admin_of(relay), relay_amount),
				Error::<T>::PayeeCannotReceive
			);

			// Release every record, or none if the consent no longer permits one of them.
			let released = with_transaction(|| {
				for (id, category) in records.iter() {
					if let Err(reason) = T::Consent::release(
						&entry.patient,
						entry.custodian,
						entry.requester,
						id,
						*category,
						entry.purpose,
					) {
						return TransactionOutcome::Rollback(Ok::<_, DispatchError>(Err(reason)));
					}
				}
				TransactionOutcome::Commit(Ok(Ok(())))
			})?;
			if let Err(reason) = released {
				Self::refund(request, &mut entry, now, RefundCause::ConsentWithdrawn(reason))?;
				Requests::<T>::insert(request, entry);
				return Ok(());
			}

			let params = Params::<T>::get();
			let dispute_until = Self::schedule(request, now.saturating_add(params.dispute_window))?;
			Self::leave_queue(entry.custodian, request);
			entry.status = Status::Delivered { dispute_until };
			let count = bounded_versions.len() as u32;
			Deliveries::<T>::insert(
				request,
				Delivery {
					package_hash,
					package_size,
					relay,
					versions: bounded_versions,
					delivered_at: now,
				},
			);
			Requests::<T>::insert(request, entry);
			Self::deposit_event(Event::ExchangeDelivered {
				request,
				package_hash,
				package_size,
				relay,
				versions: count,
				dispute_until,
			});
			Ok(())
		}

		/// Confirm a delivery: the custodian's admin receives the fee minus the relay share,
		/// the relay operator's admin the relay share.
		///
		/// Origin: signed by a device of the requesting institution (active).
		/// Errors: `UnknownRequest`, `NotRequester`, `NotDelivered`, and the currency's error
		/// if a payee cannot receive.
		/// Event: `ExchangeCompleted`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::confirm())]
		pub fn confirm(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry = Self::request_of_party(&who, request, Party::Requester)?;
			ensure!(matches!(entry.status, Status::Delivered { .. }), Error::<T>::NotDelivered);
			let now = frame_system::Pallet::<T>::block_number();
			Self::pay_out(request, &mut entry, now, false)?;
			Requests::<T>::insert(request, entry);
			Ok(())
		}

		/// Dispute a delivery before the window closes; the fee stays held until governance
		/// settles.
		///
		/// Origin: signed by a device of the requesting institution (active).
		/// Errors: `UnknownRequest`, `NotRequester`, `NotDelivered`, `DisputeWindowClosed`.
		/// Event: `ExchangeDisputed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(
			origin: OriginFor<T>,
			request: RequestId,
			reason: DisputeReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry = Self::request_of_party(&who, request, Party::Requester)?;
			let Status::Delivered { dispute_until } = entry.status else {
				return Err(Error::<T>::NotDelivered.into());
			};
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < dispute_until, Error::<T>::DisputeWindowClosed);
			ensure!(reason != DisputeReason::PayoutFailed, Error::<T>::NotDelivered);
			entry.status = Status::Disputed { reason, at: now };
			Requests::<T>::insert(request, entry);
			Self::deposit_event(Event::ExchangeDisputed { request, reason });
			Ok(())
		}

		/// Settle a dispute: `Upheld` refunds the requester, `Rejected` pays the custodian and
		/// the relay operator.
		///
		/// Origin: [`Config::GovernanceOrigin`].
		/// Errors: `UnknownRequest`, `NotDisputed`, and the currency's error if a payee cannot
		/// receive.
		/// Events: `DisputeSettled` and `ExchangeRefunded` or `ExchangeCompleted`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::settle_dispute())]
		pub fn settle_dispute(
			origin: OriginFor<T>,
			request: RequestId,
			outcome: DisputeOutcome,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let mut entry = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(matches!(entry.status, Status::Disputed { .. }), Error::<T>::NotDisputed);
			let now = frame_system::Pallet::<T>::block_number();
			match outcome {
				DisputeOutcome::Upheld => {
					Self::refund(request, &mut entry, now, RefundCause::DisputeUpheld)?
				},
				DisputeOutcome::Rejected => Self::pay_out(request, &mut entry, now, false)?,
			}
			Requests::<T>::insert(request, entry);
			Self::deposit_event(Event::DisputeSettled { request, outcome });
			Ok(())
		}

		/// Decline a request waiting for delivery (records not held, patient unknown here...):
		/// the fee is refunded in full at once.
		///
		/// Origin: signed by a device of the request's custodian (active).
		/// Errors: `UnknownRequest`, `NotCustodian`, `NotPending`.
		/// Event: `ExchangeRefunded`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::decline())]
		pub fn decline(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut entry = Self::request_of_party(&who, request, Party::Custodian)?;
			ensure!(entry.status == Status::Requested, Error::<T>::NotPending);
			let now = frame_system::Pallet::<T>::block_number();
			Self::refund(request, &mut entry, now, RefundCause::Declined)?;
			Requests::<T>::insert(request, entry);
			Ok(())
		}

		/// Set the parameters (relay share, default fee, delivery and dispute windows). Open
		/// requests keep the relay share and deadline they were made with.
		///
		/// Origin: [`Config::GovernanceOrigin`].
		/// Errors: `InvalidParameters`.
		/// Event: `ParametersSet`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: ParametersOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				parameters.relay_share_per_mille <= 1000
					&& !parameters.delivery_window.is_zero()
					&& !parameters.dispute_window.is_zero(),
				Error::<T>::InvalidParameters
			);
			Params::<T>::put(parameters.clone());
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}
	}

	/// A side of an exchange, for checking who signs.
	#[derive(Clone, Copy)]
	pub(crate) enum Party {
		/// The institution that asked.
		Requester,
		/// The institution that holds the records.
		Custodian,
	}

	impl<T: Config> Pallet<T> {
		/// Request `id`, if `who` is a device of its `party` institution (active).
		fn request_of_party(
			who: &T::AccountId,
			id: RequestId,
			party: Party,
		) -> Result<RequestOf<T>, Error<T>> {
			let entry = Requests::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
			let (institution, not_party) = match party {
				Party::Requester => (entry.requester, Error::<T>::NotRequester),
				Party::Custodian => (entry.custodian, Error::<T>::NotCustodian),
			};
			ensure!(T::Registry::active_institution_of_device(who) == Some(institution), not_party);
			Ok(entry)
		}

		fn checked_items(
			record_ids: Vec<Vec<u8>>,
			mut categories: Vec<Category>,
		) -> Result<ItemsOf<T>, Error<T>> {
			ensure!(!record_ids.is_empty() || !categories.is_empty(), Error::<T>::EmptyRequest);
			ensure!(
				record_ids.len() as u32 <= T::MaxRecordsPerRequest::get(),
				Error::<T>::TooManyRecords
			);
			let mut records = BoundedVec::new();
			for id in record_ids {
				ensure!(!id.is_empty(), Error::<T>::BadRecordId);
				let id: RecordIdOf<T> = id.try_into().map_err(|_| Error::<T>::BadRecordId)?;
				ensure!(!records.contains(&id), Error::<T>::Duplicate);
				records.try_push(id).map_err(|_| Error::<T>::TooManyRecords)?;
			}
			let count = categories.len();
			categories.sort();
			categories.dedup();
			ensure!(categories.len() == count, Error::<T>::Duplicate);
			let categories = categories.try_into().map_err(|_| Error::<T>::TooManyCategories)?;
			Ok(Items { records, categories })
		}

		/// A consent decision as an error if it denies.
		fn permitted(decision: Decision) -> Result<(), Error<T>> {
			ensure!(decision.permit, Error::<T>::from(decision.reason));
			Ok(())
		}

		/// Adds `request` to the timers of the first block from `wanted` with room (searching
		/// `TIMER_SEARCH_BLOCKS` blocks); returns that block.
		fn schedule(
			request: RequestId,
			wanted: BlockNumberFor<T>,
		) -> Result<BlockNumberFor<T>, Error<T>> {
			let mut at = wanted;
			for _ in 0..TIMER_SEARCH_BLOCKS {
				let placed = Timers::<T>::mutate(at, |list| list.try_push(request).is_ok());
				if placed {
					return Ok(at);
				}
				at = at.saturating_add(One::one());
			}
			Err(Error::<T>::TimersFull)
		}

		/// The custodian's and the relay operator's shares of a request's fee: the relay gets
		/// `fee × share ‰` rounded down, the custodian the rest, so nothing is lost.
		pub fn shares(entry: &RequestOf<T>) -> (BalanceOf<T>, BalanceOf<T>) {
			let share =
				Permill::from_parts(u32::from(entry.relay_share_per_mille.min(1000)) * 1000);
			let relay = share.mul_floor(entry.fee);
			(entry.fee.saturating_sub(relay), relay)
		}

		fn can_receive(account: Option<T::AccountId>, amount: BalanceOf<T>) -> bool {
			amount.is_zero()
				|| account.is_some_and(|a| {
					T::Currency::can_deposit(&a, amount, Provenance::Extant)
						== DepositConsequence::Success
				})
		}

		fn leave_queue(custodian: InstitutionId, request: RequestId) {
			if Pending::<T>::take(custodian, request).is_some() {
				let left = PendingCount::<T>::get(custodian).saturating_sub(1);
				if left == 0 {
					PendingCount::<T>::remove(custodian);
				} else {
					PendingCount::<T>::insert(custodian, left);
				}
			}
		}

		/// Releases the held fee to the payer and closes the request (the caller stores it).
		fn refund(
			request: RequestId,
			entry: &mut RequestOf<T>,
			now: BlockNumberFor<T>,
			cause: RefundCause,
		) -> DispatchResult {
			if !entry.fee.is_zero() {
				T::Currency::release(
					&HoldReason::ExchangeFee.into(),
					&entry.payer,
					entry.fee,
					Precision::Exact,
				)?;
			}
			TotalHeld::<T>::mutate(|held| *held = held.saturating_sub(entry.fee));
			Self::leave_queue(entry.custodian, request);
			entry.status = Status::Refunded { at: now, cause };
			Self::deposit_event(Event::ExchangeRefunded {
				request,
				payer: entry.payer.clone(),
				amount: entry.fee,
				cause,
			});
			Ok(())
		}

		/// Pays the held fee out to the custodian's and the relay operator's admins and closes
		/// the request (the caller stores it). All or nothing.
		fn pay_out(
			request: RequestId,
			entry: &mut RequestOf<T>,
			now: BlockNumberFor<T>,
			automatic: bool,
		) -> DispatchResult {
			let delivery = Deliveries::<T>::get(request).ok_or(Error::<T>::NotDelivered)?;
			let (custodian_amount, relay_amount) = Self::shares(entry);
			let reason: T::RuntimeHoldReason = HoldReason::ExchangeFee.into();
			// Both transfers or neither (the block-start payout runs outside an extrinsic).
			with_storage_layer(|| -> DispatchResult {
				for (institution, amount) in
					[(entry.custodian, custodian_amount), (delivery.relay, relay_amount)]
				{
					if amount.is_zero() {
						continue;
					}
					let payee =
						T::Registry::admin_of(institution).ok_or(Error::<T>::PayeeCannotReceive)?;
					T::Currency::transfer_on_hold(
						&reason,
						&entry.payer,
						&payee,
						amount,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)?;
				}
				Ok(())
			})?;
			TotalHeld::<T>::mutate(|held| *held = held.saturating_sub(entry.fee));
			entry.status = Status::Completed { at: now, automatic };
			Self::deposit_event(Event::ExchangeCompleted {
				request,
				custodian_amount,
				relay_amount,
				automatic,
			});
			Ok(())
		}

		/// A timer of `request` fired at `now`: refund an undelivered request at its deadline,
		/// pay out a delivery nobody disputed. Stale timers (the request moved on) do nothing.
		pub(crate) fn process_timer(request: RequestId, now: BlockNumberFor<T>) {
			let Some(mut entry) = Requests::<T>::get(request) else { return };
			match entry.status {
				Status::Requested if now >= entry.deadline => {
					match Self::refund(request, &mut entry, now, RefundCause::Expired) {
						Ok(()) => Requests::<T>::insert(request, entry),
						// The release failed (it cannot for a hold this pallet made; if it
						// ever does, the refund is tried again at the next block with room).
						Err(_) => {
							let _ = Self::schedule(request, now.saturating_add(One::one()));
						},
					}
				},
				Status::Delivered { dispute_until } if now >= dispute_until => {
					if Self::pay_out(request, &mut entry, now, true).is_err() {
						entry.status =
							Status::Disputed { reason: DisputeReason::PayoutFailed, at: now };
						Self::deposit_event(Event::PayoutFailed { request });
					}
					Requests::<T>::insert(request, entry);
				},
				_ => {},
			}
		}

		/// Checks the pallet's invariants (run by `try-runtime` and the tests): the funds held
		/// equal the open requests' fees, per payer and in total; the queues match the
		/// requests waiting for delivery; every open request has a timer.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let reason: T::RuntimeHoldReason = HoldReason::ExchangeFee.into();
			let next = NextRequestId::<T>::get();
			let mut open_total = BalanceOf::<T>::zero();
			let mut per_payer: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut waiting: BTreeMap<InstitutionId, u32> = BTreeMap::new();
			let mut timed = BTreeSet::new();
			for (_, list) in Timers::<T>::iter() {
				timed.extend(list);
			}
			for (id, r) in Requests::<T>::iter() {
				ensure!(id < next, "a request id at or above NextRequestId");
				if r.status.is_open() {
					open_total = open_total.saturating_add(r.fee);
					let held = per_payer.entry(r.payer.clone()).or_default();
					*held = held.saturating_add(r.fee);
				}
				let queued = Pending::<T>::contains_key(r.custodian, id);
				ensure!(queued == (r.status == Status::Requested), "queue and status disagree");
				if r.status == Status::Requested {
					*waiting.entry(r.custodian).or_default() += 1;
				}
				if matches!(r.status, Status::Requested | Status::Delivered { .. }) {
					ensure!(timed.contains(&id), "an open request without a timer");
				}
				let delivered = Deliveries::<T>::contains_key(id);
				let consistent = match r.status {
					Status::Requested => !delivered,
					Status::Delivered { .. }
					| Status::Disputed { .. }
					| Status::Completed { .. } => delivered,
					Status::Refunded { .. } => true,
				};
				ensure!(consistent, "a delivery receipt that does not match the status");
			}
			ensure!(open_total == TotalHeld::<T>::get(), "TotalHeld differs from the open fees");
			for (payer, fees) in per_payer {
				ensure!(
					<T::Currency as fungible::InspectHold<T::AccountId>>::balance_on_hold(
						&reason, &payer
					) == fees,
					"a payer's held funds differ from its open fees"
				);
			}
			for (custodian, count) in PendingCount::<T>::iter() {
				ensure!(
					waiting.get(&custodian).copied().unwrap_or(0) == count,
					"PendingCount differs from the queue"
				);
			}
			ensure!(
				Pending::<T>::iter().count()
					== waiting.values().map(|n| *n as usize).sum::<usize>(),
				"the queue holds a request not waiting for delivery"
			);
			Ok(())
		}
	}
}
