//! The patient allowance: how many fee-free consent transactions a patient (or guardian) may
//! send per period, and the transaction extension that spends it.
//!
//! Rules (docs/consent.md, "Patients need no tokens"):
//!
//! 1. a consent call marked `feeless_if` (grant, revoke, set deny provisions, set the emergency
//!    card) is fee-free when it is signed by the patient or their guardian and the signer has
//!    allowance left in the current period ([`Pallet::is_within_allowance`]); so is a call of
//!    another pallet that the runtime lists in `Config::AllowanceCalls` and that asks the same
//!    ([`crate::DisclosureGate::within_patient_allowance`]: the holder's
//!    `certificates::log_verification`);
//! 2. every fee-free transaction that is included in a block spends one unit of the signer's
//!    allowance **before** it is dispatched ([`PatientAllowance::prepare`]), so a call that then
//!    fails still spends it: failing calls cannot be sent for free without limit;
//! 3. beyond the allowance the normal fee applies; an account that cannot pay it cannot send
//!    the transaction at all (the pool refuses it as `Payment`).
//!
//! The extension must come after `SkipCheckIfFeeless` in the runtime's `TxExtension`: both ask
//! the call whether it is fee-free against the same state during validation, and only then is
//! the allowance spent.

use crate::{
	pallet::{Allowance, Call, Config, Pallet, Params},
	weights::WeightInfo,
};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{
	dispatch::CheckIfFeeless,
	pallet_prelude::{TransactionSource, TypeInfo, Weight},
	traits::{Contains, IsSubType},
};
use frame_system::pallet_prelude::{BlockNumberFor, OriginFor};
use pallet_institutions::Registry;
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, DispatchOriginOf, Dispatchable, Implication,
		Saturating, TransactionExtension, ValidateResult,
	},
	transaction_validity::TransactionValidityError,
};

impl<T: Config> Pallet<T> {
	/// Whether a fee-free consent transaction is allowed (rule 1): signed by the patient or
	/// their guardian, with allowance left in the current period.
	pub fn is_within_allowance(origin: &OriginFor<T>, patient: &T::AccountId) -> bool {
		frame_system::ensure_signed(origin.clone())
			.is_ok_and(|who| Self::signer_within_allowance(&who, patient))
	}

	/// As [`Self::is_within_allowance`], for the signer `who`.
	pub fn signer_within_allowance(who: &T::AccountId, patient: &T::AccountId) -> bool {
		if !T::Registry::may_act_for_patient(who, patient) {
			return false;
		}
		let params = Params::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let (start, used) = Allowance::<T>::get(who);
		now >= start.saturating_add(params.allowance_period) || used < params.patient_allowance
	}

	/// Spends one unit of `who`'s allowance at block `now` (rule 2), opening a new period if
	/// the last one is over.
	pub fn use_allowance(who: &T::AccountId, now: BlockNumberFor<T>) {
		let period = Params::<T>::get().allowance_period;
		Allowance::<T>::mutate(who, |(start, used)| {
			if now >= start.saturating_add(period) {
				*start = now;
				*used = 0;
			}
			*used = used.saturating_add(1);
		});
	}
}

/// Transaction extension spending the patient allowance of every fee-free consent transaction
/// (and of the calls in `Config::AllowanceCalls`) before dispatch (rule 2). It carries no data: wallets sign it as an empty extension.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct PatientAllowance<T: Config + Send + Sync>(core::marker::PhantomData<T>);

impl<T: Config + Send + Sync> PatientAllowance<T> {
	/// The extension (it has no parameters).
	pub fn new() -> Self {
		Self(core::marker::PhantomData)
	}
}

impl<T: Config + Send + Sync> PatientAllowance<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	/// Whether `call`, when fee-free, spends the allowance: a call of this pallet or one the
	/// runtime lists in `Config::AllowanceCalls`.
	fn counts(call: &T::RuntimeCall) -> bool {
		call.is_sub_type().is_some() || T::AllowanceCalls::contains(call)
	}
}

impl<T: Config + Send + Sync> Default for PatientAllowance<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> core::fmt::Debug for PatientAllowance<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "PatientAllowance")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for PatientAllowance<T>
where
	T::RuntimeCall: Dispatchable<RuntimeOrigin = OriginFor<T>>
		+ IsSubType<Call<T>>
		+ CheckIfFeeless<Origin = OriginFor<T>>,
	OriginFor<T>: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "PatientAllowance";
	type Implicit = ();
	/// The signer whose allowance the transaction spends, if it is a fee-free consent call.
	type Val = Option<T::AccountId>;
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		if Self::counts(call) {
			T::WeightInfo::patient_allowance()
		} else {
			Weight::zero()
		}
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: (),
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let spender = match origin.as_system_origin_signer() {
			Some(who) if Self::counts(call) && call.is_feeless(&origin) => Some(who.clone()),
			_ => None,
		};
		Ok((Default::default(), spender, origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &DispatchOriginOf<T::RuntimeCall>,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if let Some(who) = val {
			Pallet::<T>::use_allowance(&who, frame_system::Pallet::<T>::block_number());
		}
		Ok(())
	}
}
