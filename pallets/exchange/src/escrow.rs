//! The escrow: the fee held when a request is made, the custodian's queue, and the two ways
//! the fee leaves the hold: a refund to the requester's device, or a payout to the custodian's
//! and the relay operator's admin accounts.
//!
//! **Payout, share by share.** The relay operator's share (`fee × ‰ / 1000`, rounded down) is
//! paid first, on its own: if the relay's admin account cannot receive it (it would stay below
//! the existential deposit, the institution has no admin...), the share goes to the custodian,
//! which did the work. The custodian then receives the rest of the fee. So the relay operator
//! cannot block the custodian's payment, and a confirmation, an automatic confirmation or a
//! rejected dispute always completes as long as the custodian's own admin account can
//! receive (checked at delivery, `Pallet::custodian_can_be_paid`).

use crate::{
	pallet::{
		Config, Deliveries, Error, Event, HoldReason, InstitutionRequestCount, InstitutionRequests,
		NextRequestId, Pallet, Pending, PendingByRequester, PendingCount, Requests, TotalHeld,
	},
	types::*,
};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{hold::Mutate as HoldMutate, Inspect},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, Registry};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	/// Stores a new request `entry` (status `Requested`, `deadline` the wanted one): schedules
	/// its deadline, holds its fee from the payer, puts it in the custodian's queue.
	pub(crate) fn open_request(mut entry: RequestOf<T>) -> DispatchResult {
		let total_held =
			TotalHeld::<T>::get().checked_add(&entry.fee).ok_or(Error::<T>::FeeOverflow)?;
		let id = NextRequestId::<T>::get();
		entry.deadline = Self::schedule(id, entry.deadline)?;
		if !entry.fee.is_zero() {
			T::Currency::hold(&HoldReason::ExchangeFee.into(), &entry.payer, entry.fee)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		TotalHeld::<T>::put(total_held);
		NextRequestId::<T>::put(id.saturating_add(1));
		Self::enter_queue(entry.custodian, entry.requester, id);
		Self::index_request(entry.requester, id);
		Self::index_request(entry.custodian, id);
		Self::deposit_event(Event::ExchangeRequested {
			request: id,
			requester: entry.requester,
			custodian: entry.custodian,
			patient: entry.patient.clone(),
			fee: entry.fee,
			deadline: entry.deadline,
		});
		Requests::<T>::insert(id, entry);
		Ok(())
	}

	/// Stores the receipt of a delivered request: out of the queue, its dispute window
	/// scheduled, status `Delivered`.
	pub(crate) fn store_delivery(
		request: RequestId,
		mut entry: RequestOf<T>,
		delivery: DeliveryOf<T>,
	) -> DispatchResult {
		let window = crate::pallet::Params::<T>::get().dispute_window;
		let dispute_until = Self::schedule(request, delivery.delivered_at.saturating_add(window))?;
		Self::leave_queue(&entry, request);
		entry.status = Status::Delivered { dispute_until };
		Self::deposit_event(Event::ExchangeDelivered {
			request,
			package_hash: delivery.package_hash,
			package_size: delivery.package_size,
			relay: delivery.relay,
			versions: delivery.versions.len() as u32,
			dispute_until,
		});
		Deliveries::<T>::insert(request, delivery);
		Requests::<T>::insert(request, entry);
		Ok(())
	}

	/// Adds request `id` to the end of `institution`'s list of requests
	/// ([`InstitutionRequests`]).
	pub(crate) fn index_request(institution: InstitutionId, id: RequestId) {
		let n = InstitutionRequestCount::<T>::get(institution);
		InstitutionRequests::<T>::insert(institution, n, id);
		InstitutionRequestCount::<T>::insert(institution, n.saturating_add(1));
	}

	/// Adds request `id` to `custodian`'s queue and to `requester`'s count there.
	pub(crate) fn enter_queue(custodian: InstitutionId, requester: InstitutionId, id: RequestId) {
		Pending::<T>::insert(custodian, id, ());
		PendingCount::<T>::mutate(custodian, |n| *n = n.saturating_add(1));
		PendingByRequester::<T>::mutate(custodian, requester, |n| *n = n.saturating_add(1));
	}

	/// Takes `request` out of its custodian's queue, if it is there, and out of its
	/// requester's count (no zero counts are kept). Every way out of `Requested` passes here:
	/// delivery, and every refund (declined, expired, consent withdrawn).
	pub(crate) fn leave_queue(entry: &RequestOf<T>, request: RequestId) {
		if Pending::<T>::take(entry.custodian, request).is_none() {
			return;
		}
		let decrement = |count: &mut Option<u32>| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		};
		PendingCount::<T>::mutate_exists(entry.custodian, decrement);
		PendingByRequester::<T>::mutate_exists(entry.custodian, entry.requester, decrement);
	}

	/// The custodian's and the relay operator's shares of a request's fee: the relay gets
	/// `fee × share ‰` rounded down, the custodian the rest, so nothing is lost.
	pub fn shares(entry: &RequestOf<T>) -> (BalanceOf<T>, BalanceOf<T>) {
		let share = Permill::from_parts(u32::from(entry.relay_share_per_mille.min(1000)) * 1000);
		let relay = share.mul_floor(entry.fee);
		(entry.fee.saturating_sub(relay), relay)
	}

	fn can_receive(account: &T::AccountId, amount: BalanceOf<T>) -> bool {
		amount.is_zero()
			|| T::Currency::can_deposit(account, amount, Provenance::Extant)
				== DepositConsequence::Success
	}

	/// Whether the custodian's admin account can receive its share, and the whole fee should
	/// the relay operator's share fall back to it.
	pub(crate) fn custodian_can_be_paid(entry: &RequestOf<T>) -> bool {
		let (custodian_share, _) = Self::shares(entry);
		T::Registry::admin_of(entry.custodian).is_some_and(|admin| {
			Self::can_receive(&admin, custodian_share) && Self::can_receive(&admin, entry.fee)
		})
	}

	/// Releases the held fee to the payer and closes the request (the caller stores it).
	pub(crate) fn refund(
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
		Self::leave_queue(entry, request);
		entry.status = Status::Refunded { at: now, cause };
		Self::deposit_event(Event::ExchangeRefunded {
			request,
			payer: entry.payer.clone(),
			amount: entry.fee,
			cause,
		});
		Ok(())
	}

	/// Moves `amount` of the payer's held fee to `institution`'s admin account, or nothing
	/// (and an error) if that account cannot receive it.
	fn transfer_held(
		entry: &RequestOf<T>,
		institution: InstitutionId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let payee = T::Registry::admin_of(institution).ok_or(Error::<T>::PayeeCannotReceive)?;
		// Its own layer: a failed transfer leaves nothing behind.
		with_storage_layer(|| {
			T::Currency::transfer_on_hold(
				&HoldReason::ExchangeFee.into(),
				&entry.payer,
				&payee,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
			.map(|_| ())
		})
	}

	/// Pays the held fee out and closes the request (the caller stores it): the relay
	/// operator's share to its admin account if it can receive it, the rest (with that share
	/// otherwise) to the custodian's admin account. Fails, with nothing paid, only if the
	/// custodian's account cannot receive.
	pub(crate) fn pay_out(
		request: RequestId,
		entry: &mut RequestOf<T>,
		now: BlockNumberFor<T>,
		automatic: bool,
	) -> DispatchResult {
		let delivery = Deliveries::<T>::get(request).ok_or(Error::<T>::NotDelivered)?;
		let (_, relay_share) = Self::shares(entry);
		// The relay's payment is undone if the custodian's fails (the block-start payout runs
		// outside an extrinsic's storage layer).
		let relay_amount = with_storage_layer(|| -> Result<BalanceOf<T>, DispatchError> {
			let relay_amount = if relay_share.is_zero()
				|| Self::transfer_held(entry, delivery.relay, relay_share).is_ok()
			{
				relay_share
			} else {
				Zero::zero()
			};
			let custodian_amount = entry.fee.saturating_sub(relay_amount);
			if !custodian_amount.is_zero() {
				Self::transfer_held(entry, entry.custodian, custodian_amount)?;
			}
			Ok(relay_amount)
		})?;
		if relay_amount != relay_share {
			Self::deposit_event(Event::RelayShareRedirected {
				request,
				relay: delivery.relay,
				amount: relay_share,
			});
		}
		TotalHeld::<T>::mutate(|held| *held = held.saturating_sub(entry.fee));
		entry.status = Status::Completed { at: now, automatic };
		Self::deposit_event(Event::ExchangeCompleted {
			request,
			custodian_amount: entry.fee.saturating_sub(relay_amount),
			relay_amount,
			automatic,
		});
		Ok(())
	}
}
