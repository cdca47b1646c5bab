//! The emergency card: how an emergency department finds a patient's pseudonyms without any
//! global identifier (docs/privacy.md, "Emergency access without a global identifier").
//!
//! A patient has one pseudonym per custodian and nothing on chain links them, so break-glass
//! cannot start from a name or a national id. The patient's app issues a card (a QR code or a
//! wallet pass) with one entry per custodian: the custodian, the pseudonym and the secret of
//! a **card key** made for that pseudonym alone. The rules:
//!
//! 1. The patient (or the guardian) registers the public card key of each pseudonym with
//!    `set_emergency_card` (fee-free within the allowance). A card key serves one pseudonym
//!    ([`CardKeyHolders`]), so it never joins two.
//! 2. `open_emergency_access` is refused (`InvalidEmergencyCard`) unless it carries the card
//!    key's signature over an [`EmergencyCardStatement`] naming this chain, the pseudonym's
//!    custodian, the pseudonym and **the practitioner who sends it**. An emergency department
//!    reaches a pseudonym only with the card the patient carries (or chose to leave, e.g. with
//!    a relative); a forged entry (another key, custodian or chain) is refused, and a
//!    signature seen in a block opens nothing for anyone else (it names its practitioner).
//! 3. A lost card is replaced (`set_emergency_card` with a new key) or withdrawn (`None`):
//!    the old card opens nothing any more.
//! 4. What the card opens is logged for the pseudonym it touched (rule 4 of
//!    [`crate::emergency`]); the patient's app shows it.

use crate::pallet::{CardKeyHolders, CardKeys, Config, Error, Event, Pallet};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, Registry};
use scale_info::TypeInfo;
use sp_runtime::traits::{Verify, Zero};

/// The domain tag in front of every card statement, so a card signature can never be taken
/// for a signature of anything else.
pub const EMERGENCY_CARD_CONTEXT: &[u8] = b"medchain/emergency-card/v1";

/// What the card key signs when an emergency department uses the card: "the holder of this
/// card, `practitioner`, may open break-glass access to `pseudonym` at `custodian` on this
/// chain". The signed bytes are [`EmergencyCardStatement::signing_payload`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct EmergencyCardStatement<AccountId, Hash> {
	/// The chain's genesis hash (a card used for another chain opens nothing here).
	pub genesis_hash: Hash,
	/// The custodian the pseudonym is registered at.
	pub custodian: InstitutionId,
	/// The pseudonym.
	pub pseudonym: AccountId,
	/// The physician or nurse who sends `open_emergency_access`.
	pub practitioner: AccountId,
}

impl<AccountId: Encode, Hash: Encode> EmergencyCardStatement<AccountId, Hash> {
	/// The bytes the card key signs: [`EMERGENCY_CARD_CONTEXT`] followed by the statement,
	/// SCALE-encoded.
	pub fn signing_payload(&self) -> alloc::vec::Vec<u8> {
		(EMERGENCY_CARD_CONTEXT, self).encode()
	}
}

/// Benchmarks: a key that can sign card statements, for the runtime's signature type.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A new card key (as an account id) that can sign.
	fn card_key() -> AccountId;
	/// `key`'s signature over `payload`.
	fn sign(key: &AccountId, payload: &[u8]) -> Signature;
}

impl<T: Config> Pallet<T> {
	/// The statement the card key of `pseudonym` signs for `practitioner`, if the pseudonym is
	/// a registered patient.
	pub fn card_statement(
		pseudonym: &T::AccountId,
		practitioner: &T::AccountId,
	) -> Option<EmergencyCardStatement<T::AccountId, T::Hash>> {
		let custodian = T::Registry::custodian_of(pseudonym)?;
		Some(EmergencyCardStatement {
			genesis_hash: frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()),
			custodian,
			pseudonym: pseudonym.clone(),
			practitioner: practitioner.clone(),
		})
	}

	/// Rule 2: whether `signature` is the card of `pseudonym` used by `practitioner`.
	pub fn is_valid_card(
		pseudonym: &T::AccountId,
		practitioner: &T::AccountId,
		signature: &T::CardSignature,
	) -> bool {
		match (CardKeys::<T>::get(pseudonym), Self::card_statement(pseudonym, practitioner)) {
			(Some(key), Some(statement)) => {
				signature.verify(&statement.signing_payload()[..], &key)
			},
			_ => false,
		}
	}

	/// Rules 1 and 3: `who` sets (or withdraws) `patient`'s card key.
	pub(crate) fn do_set_emergency_card(
		who: T::AccountId,
		patient: T::AccountId,
		card_key: Option<T::AccountId>,
	) -> DispatchResult {
		ensure!(T::Registry::may_act_for_patient(&who, &patient), Error::<T>::NotPatientOrGuardian);
		if let Some(key) = &card_key {
			ensure!(
				CardKeyHolders::<T>::get(key).is_none_or(|holder| holder == patient),
				Error::<T>::CardKeyInUse
			);
		}
		if let Some(old) = CardKeys::<T>::take(&patient) {
			CardKeyHolders::<T>::remove(&old);
		}
		if let Some(key) = &card_key {
			CardKeys::<T>::insert(&patient, key);
			CardKeyHolders::<T>::insert(key, &patient);
		}
		Self::deposit_event(Event::EmergencyCardSet { patient, card_key });
		Ok(())
	}
}
