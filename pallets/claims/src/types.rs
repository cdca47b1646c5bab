//! What the chain keeps about an insurance claim (FHIR Claim) and the insurer's answer (FHIR
//! ClaimResponse): who claims what amount from whom for which pseudonym, the category of the
//! clinical information the claim discloses, the funds held and where the claim stands. Never
//! the claim itself: salted hashes, pseudonyms, institution ids, codes, amounts and block
//! numbers only.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_institutions::InstitutionId;
use pallet_records::Category;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// Balances in JSON as decimal strings (one definition for every pallet).
pub use pallet_institutions::amount_string;

/// What the hospital asks of the insurer (FHIR `Claim.use`; `predetermination` is not used).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum ClaimUse {
	/// `claim`: payment for care given. The insurer holds the amount when it accepts the
	/// claim and pays the approved part to the hospital.
	Claim,
	/// `preauthorization`: approval of care before it is given. Nothing is held or paid; an
	/// approved preauthorization may be named by later claims.
	Preauthorization,
}

/// How an adjudicated claim was decided (FHIR `ClaimResponse.outcome`: `complete` and
/// `partial`; `error` is a [`ClaimStatus::Rejected`], `queued` a claim still
/// [`ClaimStatus::Submitted`] or [`ClaimStatus::UnderReview`]).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
	/// `complete`: the whole amount claimed was approved.
	Complete,
	/// `partial`: part of the amount was approved; the hospital may appeal.
	Partial,
}

/// Why an insurer rejected a claim (the FHIR `ClaimResponse.error` code, coarse on purpose:
/// the details stay in the ClaimResponse document).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum RejectionReason {
	/// The care is not covered by the patient's policy.
	NotCovered,
	/// The care needed a preauthorization the claim does not name.
	NoAuthorization,
	/// The same care was claimed already.
	DuplicateClaim,
	/// The claim lacks information the insurer needs.
	MissingInformation,
	/// The patient's policy was not in force when the care was given.
	PolicyInactive,
	/// Any other reason, recorded in the ClaimResponse.
	Other,
}

/// Where a claim stands (the state machine is in [`crate::rules`], rule 8).
#[derive(
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub enum ClaimStatus<Balance> {
	/// Waiting for the insurer to accept it (FHIR `queued`). Nothing is held.
	Submitted,
	/// Accepted by the insurer, which is reviewing it (FHIR `queued`); for a claim the
	/// amount is held on the accepting insurer device.
	UnderReview,
	/// Decided by the insurer: the approved part was paid to the hospital; the rest of a
	/// partial decision stays held until the appeal window closes.
	Adjudicated {
		/// Complete or partial.
		outcome: Outcome,
	},
	/// Rejected by the insurer (FHIR `error`); anything held stays held until the appeal
	/// window closes.
	Rejected {
		/// Why.
		reason: RejectionReason,
	},
	/// Withdrawn by the hospital before a decision; anything held was released.
	Cancelled,
	/// The hospital appealed a rejection or a partial decision: the council decides; the
	/// funds stay held.
	Appealed,
	/// The insurer missed the adjudication deadline: the council decides; the funds stay
	/// held.
	Escalated,
	/// Decided by the council.
	Settled {
		/// Paid to the hospital from the held funds (for a preauthorization: the amount
		/// authorized; nothing is paid). Decimal string in JSON.
		#[serde(with = "amount_string")]
		award: Balance,
	},
}

impl<Balance> ClaimStatus<Balance> {
	/// Whether the insurer still has to act (the claim is in its queue).
	pub fn awaits_insurer(&self) -> bool {
		matches!(self, Self::Submitted | Self::UnderReview)
	}

	/// Whether the status is a decision the hospital may appeal (within the window).
	pub fn is_appealable(&self) -> bool {
		matches!(self, Self::Rejected { .. } | Self::Adjudicated { outcome: Outcome::Partial })
	}

	/// Whether the council has to decide.
	pub fn awaits_council(&self) -> bool {
		matches!(self, Self::Appealed | Self::Escalated)
	}
}

/// Which deadline a timer ends.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub enum TimerKind {
	/// The insurer's adjudication deadline: a claim still waiting for it is escalated.
	Deadline,
	/// The end of the appeal window: an unappealed decision becomes final and what is still
	/// held goes back to the payer.
	AppealWindow,
}

/// A claim, keyed by the salted hash of its FHIR Claim.
///
/// The hash is `SHA-256(salt || claim)` with a 32-byte random salt kept with the document
/// (the contract of `docs/records.md`), so a claim cannot be guessed from its hash. The
/// patient is a pseudonym, which names no one outside its custodian.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ClaimEntry<AccountId, Balance, BlockNumber> {
	/// The hospital or clinic that submitted it: the patient pseudonym's custodian, paid to
	/// its admin account.
	pub hospital: InstitutionId,
	/// The hospital's device that signed the submission.
	pub device: AccountId,
	/// The insurer asked to pay.
	pub insurer: InstitutionId,
	/// The patient pseudonym the care was given to.
	pub patient: AccountId,
	/// The category of the clinical information the claim discloses, declared by the
	/// hospital (a psychiatric claim is `MentalHealth`): the consent check and the patient's
	/// deny provisions apply to it.
	pub category: Category,
	/// The amount claimed.
	pub amount: Balance,
	/// Claim or preauthorization (FHIR `Claim.use`).
	pub claim_use: ClaimUse,
	/// The approved preauthorization this claim follows, if any.
	pub preauthorization: Option<H256>,
	/// Where it stands.
	pub status: ClaimStatus<Balance>,
	/// Block of submission.
	pub submitted_at: BlockNumber,
	/// The insurer's adjudication deadline: a claim still waiting then is escalated.
	pub deadline: BlockNumber,
	/// The insurer device that accepted the claim; for a claim its funds are held.
	pub payer: Option<AccountId>,
	/// What is held on the payer for this claim now.
	pub held: Balance,
	/// The amount the insurer approved (FHIR `ClaimResponse.total` benefit), paid to the
	/// hospital for a claim.
	pub approved: Balance,
	/// The patient's share (copayment, deductible) the insurer set, not paid by it.
	pub patient_share: Balance,
	/// Salted hash of the insurer's FHIR ClaimResponse, once adjudicated.
	pub response_hash: Option<H256>,
	/// Index of the claim's release in the patient's disclosure log.
	pub disclosure: u32,
	/// First block at which the decision can no longer be appealed, while it can be (a
	/// rejection or a partial decision); `None` before a decision and once it is final.
	pub appeal_until: Option<BlockNumber>,
}

impl<AccountId, Balance, BlockNumber> ClaimEntry<AccountId, Balance, BlockNumber> {
	/// Whether the claim is still open at its hospital: waiting for the insurer or the
	/// council, or decided and appealable.
	pub fn is_open(&self) -> bool {
		self.status.awaits_insurer()
			|| self.status.awaits_council()
			|| (self.status.is_appealable() && self.appeal_until.is_some())
	}
}

/// Parameters set by governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Parameters<BlockNumber> {
	/// Blocks an insurer has to adjudicate or reject a claim after its submission.
	pub adjudication_period: BlockNumber,
	/// Blocks the hospital has to appeal a rejection or a partial decision.
	pub appeal_window: BlockNumber,
}

/// A claim, for the runtime API and JSON (amounts as decimal strings).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, \
	               BlockNumber: Deserialize<'de>"
))]
pub struct ClaimView<AccountId, Balance, BlockNumber> {
	/// The salted hash of the FHIR Claim.
	pub hash: H256,
	/// The submitting hospital or clinic.
	pub hospital: InstitutionId,
	/// The device that submitted it.
	pub device: AccountId,
	/// The insurer.
	pub insurer: InstitutionId,
	/// The patient pseudonym.
	pub patient: AccountId,
	/// The category of the information disclosed.
	pub category: Category,
	/// The amount claimed.
	#[serde(with = "amount_string")]
	pub amount: Balance,
	/// Claim or preauthorization.
	pub claim_use: ClaimUse,
	/// The preauthorization it follows, if any.
	pub preauthorization: Option<H256>,
	/// Where it stands.
	pub status: ClaimStatus<Balance>,
	/// Block of submission.
	pub submitted_at: BlockNumber,
	/// The insurer's adjudication deadline.
	pub deadline: BlockNumber,
	/// The insurer device that accepted it.
	pub payer: Option<AccountId>,
	/// Held now.
	#[serde(with = "amount_string")]
	pub held: Balance,
	/// Approved by the insurer.
	#[serde(with = "amount_string")]
	pub approved: Balance,
	/// The patient's share.
	#[serde(with = "amount_string")]
	pub patient_share: Balance,
	/// Salted hash of the ClaimResponse, once adjudicated.
	pub response_hash: Option<H256>,
	/// Index of the release in the patient's disclosure log.
	pub disclosure: u32,
	/// End of the appeal window, while the decision may be appealed.
	pub appeal_until: Option<BlockNumber>,
}

/// A page of claims: an insurer's queue, a hospital's open claims (both oldest first), or a
/// patient's claims (in the order they were submitted).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, \
	               BlockNumber: Deserialize<'de>"
))]
pub struct ClaimsPage<AccountId, Balance, BlockNumber> {
	/// Claims in the whole list.
	pub total: u32,
	/// This page's number, from 0.
	pub page: u32,
	/// Claims per page.
	pub page_size: u32,
	/// This page's claims.
	pub claims: Vec<ClaimView<AccountId, Balance, BlockNumber>>,
}

/// The types above with the runtime's account, balance and block number.
mod of_runtime {
	use super::*;
	use crate::pallet::Config;
	use frame_support::traits::fungible::Inspect;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// The balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A stored claim.
	pub type ClaimOf<T> =
		ClaimEntry<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// The parameters.
	pub type ParametersOf<T> = Parameters<BlockNumberFor<T>>;
	/// A claim as the API shows it.
	pub type ClaimViewOf<T> =
		ClaimView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A page of claims as the API shows it.
	pub type ClaimsPageOf<T> =
		ClaimsPage<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
}
pub use of_runtime::*;
