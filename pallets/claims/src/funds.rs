//! The funds of a claim (rule 9 of [`crate::rules`]): held on the accepting insurer device,
//! then either paid from the hold to the hospital's admin account or released back to the
//! payer. A claim's `held` is always what is held on its payer for it: every movement here
//! changes both together, which `try_state` checks per payer.

use crate::{
	pallet::{Config, Error, HoldReason, Pallet},
	types::*,
};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{hold::Mutate as HoldMutate, Inspect},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use pallet_institutions::Registry;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Holds the amount of `entry` on `payer` when the insurer accepts it (nothing for a
	/// preauthorization); returns what is held. Nothing changes if `payer` cannot hold it.
	pub(crate) fn hold_for(
		entry: &ClaimOf<T>,
		payer: &T::AccountId,
	) -> Result<BalanceOf<T>, Error<T>> {
		if entry.claim_use == ClaimUse::Preauthorization {
			return Ok(Zero::zero());
		}
		T::Currency::hold(&HoldReason::ClaimFunds.into(), payer, entry.amount)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		Ok(entry.amount)
	}

	/// What paying `amount` for `entry` moves: `amount` for a claim, nothing for a
	/// preauthorization.
	pub(crate) fn payable(entry: &ClaimOf<T>, amount: BalanceOf<T>) -> BalanceOf<T> {
		match entry.claim_use {
			ClaimUse::Claim => amount,
			ClaimUse::Preauthorization => Zero::zero(),
		}
	}

	/// The hospital's admin account can receive `amount` (checked before anything is
	/// written).
	pub(crate) fn ensure_hospital_can_receive(
		entry: &ClaimOf<T>,
		amount: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		if amount.is_zero() {
			return Ok(());
		}
		let can = T::Registry::admin_of(entry.hospital).is_some_and(|admin| {
			T::Currency::can_deposit(&admin, amount, Provenance::Extant)
				== DepositConsequence::Success
		});
		ensure!(can, Error::<T>::PayeeCannotReceive);
		Ok(())
	}

	/// Pays `amount` of the funds held for `entry` to its hospital's admin account, as free
	/// balance, and lowers `entry.held` by it.
	pub(crate) fn pay_hospital(entry: &mut ClaimOf<T>, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		let payee = T::Registry::admin_of(entry.hospital).ok_or(Error::<T>::PayeeCannotReceive)?;
		let payer = entry.payer.clone().ok_or(Error::<T>::PayeeCannotReceive)?;
		T::Currency::transfer_on_hold(
			&HoldReason::ClaimFunds.into(),
			&payer,
			&payee,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::PayeeCannotReceive)?;
		entry.held = entry.held.saturating_sub(amount);
		Ok(())
	}

	/// Releases everything still held for `entry` back to its payer; returns the amount.
	pub(crate) fn release_held(
		entry: &mut ClaimOf<T>,
	) -> Result<BalanceOf<T>, sp_runtime::DispatchError> {
		let amount = entry.held;
		if amount.is_zero() {
			return Ok(amount);
		}
		if let Some(payer) = entry.payer.as_ref() {
			T::Currency::release(&HoldReason::ClaimFunds.into(), payer, amount, Precision::Exact)?;
		}
		entry.held = Zero::zero();
		Ok(amount)
	}
}
