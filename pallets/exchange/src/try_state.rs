//! The pallet's invariants, checked by `try-runtime` after each block and by every unit test
//! at its end:
//!
//! - the funds held for `ExchangeFee` on each payer equal the fees of that payer's open
//!   requests, and `TotalHeld` equals the sum over all open requests (conservation: a payout
//!   moves exactly the fee, whoever receives the relay's share);
//! - a request is in its custodian's queue exactly when it is `Requested`; `PendingCount` and
//!   `PendingByRequester` match the queue, without zero entries;
//! - every `Requested` or `Delivered` request has a timer;
//! - a delivery receipt exists for every delivered, disputed or completed request and for none
//!   still waiting;
//! - price lists (in force and waiting) are sorted by category without duplicates;
//! - every request is listed once under its requester and once under its custodian in
//!   `InstitutionRequests`, in id order, with `InstitutionRequestCount` entries `0..count`.

use crate::{
	pallet::{
		Config, Deliveries, HoldReason, InstitutionRequestCount, InstitutionRequests,
		NextRequestId, Pallet, Pending, PendingByRequester, PendingCount, PendingPrices, Prices,
		Requests, Timers, TotalHeld,
	},
	types::*,
};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, traits::fungible::InspectHold};
use pallet_institutions::InstitutionId;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

fn sorted_and_distinct<T: Config>(prices: &PriceListOf<T>) -> bool {
	prices.windows(2).all(|w| w[0].0 < w[1].0)
}

impl<T: Config> Pallet<T> {
	/// Checks the invariants listed in this module's documentation.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let reason: T::RuntimeHoldReason = HoldReason::ExchangeFee.into();
		let next = NextRequestId::<T>::get();
		let mut open_total = BalanceOf::<T>::zero();
		let mut per_payer: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut waiting: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		let mut waiting_by_requester: BTreeMap<(InstitutionId, InstitutionId), u32> =
			BTreeMap::new();
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
				*waiting_by_requester.entry((r.custodian, r.requester)).or_default() += 1;
			}
			if matches!(r.status, Status::Requested | Status::Delivered { .. }) {
				ensure!(timed.contains(&id), "an open request without a timer");
			}
			let delivered = Deliveries::<T>::contains_key(id);
			let consistent = match r.status {
				Status::Requested => !delivered,
				Status::Delivered { .. } | Status::Disputed { .. } | Status::Completed { .. } => {
					delivered
				},
				Status::Refunded { .. } => true,
			};
			ensure!(consistent, "a delivery receipt that does not match the status");
		}
		ensure!(open_total == TotalHeld::<T>::get(), "TotalHeld differs from the open fees");
		for (payer, fees) in per_payer {
			ensure!(
				T::Currency::balance_on_hold(&reason, &payer) == fees,
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
			PendingCount::<T>::iter().count() == waiting.len(),
			"a custodian with requests waiting has no PendingCount"
		);
		for (custodian, requester, count) in PendingByRequester::<T>::iter() {
			ensure!(
				waiting_by_requester.get(&(custodian, requester)).copied().unwrap_or(0) == count,
				"PendingByRequester differs from the queue"
			);
		}
		ensure!(
			PendingByRequester::<T>::iter().count() == waiting_by_requester.len(),
			"a requester with requests waiting has no PendingByRequester count"
		);
		ensure!(
			Pending::<T>::iter().count() == waiting.values().map(|n| *n as usize).sum::<usize>(),
			"the queue holds a request not waiting for delivery"
		);
		for (_, prices) in Prices::<T>::iter() {
			ensure!(!prices.is_empty(), "an empty price list is stored");
			ensure!(sorted_and_distinct::<T>(&prices), "a price list is not sorted");
		}
		for (_, change) in PendingPrices::<T>::iter() {
			ensure!(sorted_and_distinct::<T>(&change.prices), "a waiting price list is not sorted");
		}
		Self::check_institution_index()
	}

	/// The index of each institution's requests lists each request under both its parties,
	/// in id order, without gaps.
	fn check_institution_index() -> Result<(), TryRuntimeError> {
		let mut parties: BTreeMap<InstitutionId, alloc::vec::Vec<RequestId>> = BTreeMap::new();
		for id in 0..NextRequestId::<T>::get() {
			if let Some(r) = Requests::<T>::get(id) {
				parties.entry(r.requester).or_default().push(id);
				parties.entry(r.custodian).or_default().push(id);
			}
		}
		for (institution, ids) in &parties {
			ensure!(
				InstitutionRequestCount::<T>::get(institution) as usize == ids.len(),
				"InstitutionRequestCount differs from the institution's requests"
			);
			for (n, id) in ids.iter().enumerate() {
				ensure!(
					InstitutionRequests::<T>::get(institution, n as u32) == Some(*id),
					"InstitutionRequests does not list the institution's requests in order"
				);
			}
		}
		ensure!(
			InstitutionRequestCount::<T>::iter().count() == parties.len(),
			"an InstitutionRequestCount without requests"
		);
		ensure!(
			InstitutionRequests::<T>::iter().count()
				== parties.values().map(|ids| ids.len()).sum::<usize>(),
			"InstitutionRequests lists a request twice or one that does not exist"
		);
		Ok(())
	}
}
