//! Price lists and fees.
//!
//! A custodian's new price list is in force `price_change_delay` blocks after
//! [`Pallet::set_prices`]; until then the previous list applies, so a custodian cannot raise
//! its price under a request already on its way (and the requester's `max_fee` bounds what it
//! pays in any case). The new list waits in `PendingPrices` (one per custodian: a newer list
//! replaces one not yet in force). Nothing runs at the effective block: whoever computes a fee
//! at block `n` uses the waiting list if `n` has reached its effective block
//! ([`Pallet::prices_in_force`]), and the next call that writes (a request, a new list)
//! moves it to `Prices` (`Pallet::promote_due_prices`).

use crate::{
	pallet::{Config, Pallet, Params, PendingPrices, Prices},
	types::*,
};
use frame_support::ensure;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, Registry};
use pallet_records::{Category, RecordIndex};
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

/// One item of a request, as priced and checked.
#[derive(Clone, Copy)]
pub enum Item<'a> {
	/// A record id of the custodian, with its category.
	Record {
		/// The record id.
		id: &'a [u8],
		/// Its category.
		category: Category,
	},
	/// All of the patient's records of a category at the custodian.
	Category(Category),
}

impl<T: Config> Pallet<T> {
	/// The price list of `custodian` in force at block `now`: its waiting list if `now` has
	/// reached the list's effective block, else its stored list.
	pub fn prices_in_force(custodian: InstitutionId, now: BlockNumberFor<T>) -> PriceListOf<T> {
		match PendingPrices::<T>::get(custodian) {
			Some(change) if now >= change.effective_from => change.prices,
			_ => Prices::<T>::get(custodian),
		}
	}

	/// Moves `custodian`'s waiting list to `Prices` if it is in force at `now`.
	pub(crate) fn promote_due_prices(custodian: InstitutionId, now: BlockNumberFor<T>) {
		if PendingPrices::<T>::get(custodian).is_some_and(|change| now >= change.effective_from) {
			if let Some(change) = PendingPrices::<T>::take(custodian) {
				Self::store_prices(custodian, change.prices);
			}
		}
	}

	/// Publishes `prices` as `custodian`'s list from `price_change_delay` blocks after `now`
	/// (at once if the delay is 0); returns the effective block. A waiting list already in
	/// force is stored first; one not yet in force is replaced.
	pub(crate) fn publish_prices(
		custodian: InstitutionId,
		prices: PriceListOf<T>,
		now: BlockNumberFor<T>,
	) -> BlockNumberFor<T> {
		Self::promote_due_prices(custodian, now);
		let delay = Params::<T>::get().price_change_delay;
		if delay.is_zero() {
			PendingPrices::<T>::remove(custodian);
			Self::store_prices(custodian, prices);
			return now;
		}
		let effective_from = now.saturating_add(delay);
		PendingPrices::<T>::insert(custodian, PriceChange { prices, effective_from });
		effective_from
	}

	fn store_prices(custodian: InstitutionId, prices: PriceListOf<T>) {
		if prices.is_empty() {
			Prices::<T>::remove(custodian);
		} else {
			Prices::<T>::insert(custodian, prices);
		}
	}

	/// The fee of `items` of `patient` at `custodian` under `prices` (a category not on the
	/// list costs the default fee): each record id costs its record's category price, each
	/// category its price. Each record is resolved once; `permit` is asked for each item
	/// before it is priced (the request's consent check), and a category must then hold an
	/// active record of the patient.
	pub(crate) fn fee_of<E: From<QuoteRefusal>>(
		patient: &T::AccountId,
		custodian: InstitutionId,
		items: &ItemsOf<T>,
		prices: &PriceListOf<T>,
		params: &ParametersOf<T>,
		mut permit: impl FnMut(Item<'_>) -> Result<(), E>,
	) -> Result<BalanceOf<T>, E> {
		let price_of = |category: Category| {
			prices
				.binary_search_by_key(&category, |(c, _)| *c)
				.map(|i| prices[i].1)
				.unwrap_or(params.default_fee)
		};
		let mut fee = BalanceOf::<T>::zero();
		for id in items.records.iter() {
			let category = T::Records::record_facts(custodian, id)
				.filter(|(owner, _)| owner == patient)
				.map(|(_, category)| category)
				.ok_or(QuoteRefusal::UnknownRecord)?;
			permit(Item::Record { id, category })?;
			fee = fee.checked_add(&price_of(category)).ok_or(QuoteRefusal::FeeOverflow)?;
		}
		for category in items.categories.iter().copied() {
			permit(Item::Category(category))?;
			ensure!(
				T::Records::has_active_in_category(custodian, patient, category),
				QuoteRefusal::NoRecordsInCategory
			);
			fee = fee.checked_add(&price_of(category)).ok_or(QuoteRefusal::FeeOverflow)?;
		}
		Ok(fee)
	}

	/// The fee a request of `records` and `categories` of `patient` from `custodian` would
	/// hold if made now (at the prices in force at the current block), or why it would be
	/// refused for its items. The requester's consent, queues and balance are not checked.
	/// Read-only: for the runtime API (`exchange_quote`).
	pub fn quote(
		custodian: InstitutionId,
		patient: &T::AccountId,
		records: alloc::vec::Vec<alloc::vec::Vec<u8>>,
		categories: alloc::vec::Vec<Category>,
	) -> Result<BalanceOf<T>, QuoteRefusal> {
		ensure!(
			T::Registry::active_kind(custodian).is_some_and(|k| k.keeps_records()),
			QuoteRefusal::NotRecordKeeper
		);
		let items = Self::checked_items(records, categories)?;
		ensure!(T::Registry::is_patient(patient), QuoteRefusal::UnknownPatient);
		let now = frame_system::Pallet::<T>::block_number();
		let prices = Self::prices_in_force(custodian, now);
		Self::fee_of(patient, custodian, &items, &prices, &Params::<T>::get(), |_| {
			Ok::<(), QuoteRefusal>(())
		})
	}
}
