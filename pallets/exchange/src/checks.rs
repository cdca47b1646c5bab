//! The checks of a request's items, of the signing party and of a delivery receipt, and the
//! release of the delivered records in the patient's disclosure log (all or none).

use crate::{
	pallet::{Config, Error, Pallet, Requests},
	pricing::Item,
	types::*,
};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
	BoundedVec,
};
use pallet_consent::{Decision, DisclosureGate, Purpose, Reason, Target};
use pallet_institutions::{InstitutionId, InstitutionKind, Registry};
use pallet_records::{Category, RecordIndex};
use sp_runtime::traits::Zero;

/// The versions of a checked receipt, and its records (each once) with their categories.
pub type CheckedReceipt<T> = (
	BoundedVec<(RecordIdOf<T>, u32), <T as Config>::MaxVersionsPerDelivery>,
	Vec<(RecordIdOf<T>, Category)>,
);

/// Why a request is refused: the exchange's own error, or the consent check's denial as the
/// consent pallet reports it (one mapping of denials to errors, in the consent pallet:
/// [`DisclosureGate::denial_error`]).
pub(crate) enum Refusal<T> {
	/// The exchange's own error.
	Exchange(Error<T>),
	/// The consent pallet's error for a denial.
	Consent(DispatchError),
}

impl<T> From<QuoteRefusal> for Refusal<T> {
	fn from(refusal: QuoteRefusal) -> Self {
		Refusal::Exchange(refusal.into())
	}
}

impl<T: Config> From<Refusal<T>> for DispatchError {
	fn from(refusal: Refusal<T>) -> Self {
		match refusal {
			Refusal::Exchange(e) => e.into(),
			Refusal::Consent(e) => e,
		}
	}
}

impl<T> From<QuoteRefusal> for Error<T> {
	fn from(refusal: QuoteRefusal) -> Self {
		match refusal {
			QuoteRefusal::NotRecordKeeper => Error::NotRecordKeeper,
			QuoteRefusal::EmptyRequest => Error::EmptyRequest,
			QuoteRefusal::TooManyRecords => Error::TooManyRecords,
			QuoteRefusal::TooManyCategories => Error::TooManyCategories,
			QuoteRefusal::Duplicate => Error::Duplicate,
			QuoteRefusal::BadRecordId => Error::BadRecordId,
			QuoteRefusal::UnknownPatient => Error::UnknownPatient,
			QuoteRefusal::UnknownRecord => Error::UnknownRecord,
			QuoteRefusal::NoRecordsInCategory => Error::NoRecordsInCategory,
			QuoteRefusal::FeeOverflow => Error::FeeOverflow,
		}
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
	pub(crate) fn request_of_party(
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

	/// The items of a request: at least one, within the bounds, no duplicates, sorted
	/// categories.
	pub(crate) fn checked_items(
		record_ids: Vec<Vec<u8>>,
		mut categories: Vec<Category>,
	) -> Result<ItemsOf<T>, QuoteRefusal> {
		ensure!(!record_ids.is_empty() || !categories.is_empty(), QuoteRefusal::EmptyRequest);
		ensure!(
			record_ids.len() as u32 <= T::MaxRecordsPerRequest::get(),
			QuoteRefusal::TooManyRecords
		);
		let mut records = BoundedVec::new();
		for id in record_ids {
			ensure!(!id.is_empty(), QuoteRefusal::BadRecordId);
			let id: RecordIdOf<T> = id.try_into().map_err(|_| QuoteRefusal::BadRecordId)?;
			ensure!(!records.contains(&id), QuoteRefusal::Duplicate);
			records.try_push(id).map_err(|_| QuoteRefusal::TooManyRecords)?;
		}
		let count = categories.len();
		categories.sort();
		categories.dedup();
		ensure!(categories.len() == count, QuoteRefusal::Duplicate);
		let categories = categories.try_into().map_err(|_| QuoteRefusal::TooManyCategories)?;
		Ok(Items { records, categories })
	}

	/// Whether the consent check permits `requester` to receive `item` of `patient` from
	/// `custodian` for `purpose` now; the check's reason as the error if not.
	pub(crate) fn item_permitted(
		patient: &T::AccountId,
		requester: InstitutionId,
		custodian: InstitutionId,
		purpose: Purpose,
		item: Item<'_>,
	) -> Result<(), Refusal<T>> {
		let decision: Decision = match item {
			Item::Record { id, category } => {
				T::Consent::check_record_now(patient, requester, custodian, id, category, purpose)
			},
			Item::Category(category) => T::Consent::check_now(
				patient,
				requester,
				&Target::Category { category, custodian: Some(custodian) },
				purpose,
			),
		};
		decision
			.into_result()
			.map(|_| ())
			.map_err(|reason| Refusal::Consent(T::Consent::denial_error(reason)))
	}

	/// A receipt for `entry`: a package of some size, carried by an active relay operator,
	/// 1 to `MaxVersionsPerDelivery` versions, each anchored by the custodian for the patient
	/// and requested (by id or category), without duplicates. Returns the versions and the
	/// distinct records.
	pub(crate) fn checked_receipt(
		entry: &RequestOf<T>,
		package_size: u64,
		relay: InstitutionId,
		versions: Vec<(Vec<u8>, u32)>,
	) -> Result<CheckedReceipt<T>, Error<T>> {
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
		let mut seen = BTreeSet::new();
		let mut records: Vec<(RecordIdOf<T>, Category)> = Vec::new();
		let mut checked = BoundedVec::new();
		for (record_id, version) in versions {
			let id: RecordIdOf<T> = record_id.try_into().map_err(|_| Error::<T>::BadRecordId)?;
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
			checked.try_push((id, version)).map_err(|_| Error::<T>::TooManyRecords)?;
		}
		Ok((checked, records))
	}

	/// Checks and logs the release of each record in the patient's disclosure log; if the
	/// consent no longer permits one of them, the releases logged in this call are rolled back
	/// and the reason returned (inner error). If the log cannot take the entries now (full of
	/// entries within their retention, or the custodian's share full), nothing is released and
	/// the delivery is refused with that error: the patient withdrew nothing, the custodian may
	/// deliver again before the deadline.
	pub(crate) fn release_all(
		entry: &RequestOf<T>,
		records: &[(RecordIdOf<T>, Category)],
	) -> Result<Result<(), Reason>, DispatchError> {
		let released = Self::release_each(entry, records)?;
		if let Err(reason @ Reason::DisclosureLogFull) = released {
			return Err(T::Consent::denial_error(reason));
		}
		Ok(released)
	}

	fn release_each(
		entry: &RequestOf<T>,
		records: &[(RecordIdOf<T>, Category)],
	) -> Result<Result<(), Reason>, DispatchError> {
		with_transaction(|| {
			for (id, category) in records.iter() {
				if let Err(reason) = T::Consent::release(
					&entry.patient,
					entry.custodian,
					entry.requester,
					id,
					*category,
					entry.purpose,
				) {
					return TransactionOutcome::Rollback(Ok(Err(reason)));
				}
			}
			TransactionOutcome::Commit(Ok(Ok(())))
		})
	}

	/// Whether governance may set these parameters: a relay share of at most 1000 ‰, windows
	/// of at least one block, room for at least one request per requester.
	pub(crate) fn valid_parameters(p: &ParametersOf<T>) -> bool {
		p.relay_share_per_mille <= 1000
			&& !p.delivery_window.is_zero()
			&& !p.dispute_window.is_zero()
			&& p.max_pending_per_requester > 0
	}

	/// The configuration's sanity (`integrity_test`): valid default parameters, room in every
	/// bounded list.
	pub(crate) fn check_integrity() {
		assert!(
			Self::valid_parameters(&T::DefaultParameters::get()),
			"the default parameters are invalid"
		);
		assert!(T::MaxTimersPerBlock::get() > 0 && T::MaxPendingPerCustodian::get() > 0);
		assert!(T::MaxVersionsPerDelivery::get() > 0 && T::PendingPageSize::get() > 0);
		assert!(T::MaxRecordsPerRequest::get() > 0 || T::MaxCategoriesPerRequest::get() > 0);
	}
}
