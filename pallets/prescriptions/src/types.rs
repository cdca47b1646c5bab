//! What the chain keeps about a prescription (FHIR MedicationRequest) and its dispenses (FHIR
//! MedicationDispense): who prescribed for which pseudonym, where it may be dispensed, how many
//! fills, until when, and where it stands. Never the medication, the dose or the diagnosis:
//! those stay in the documents whose salted hashes key the entries.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_institutions::InstitutionId;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;
use sp_runtime::traits::Saturating;

/// Where a prescription stands, as stored: the FHIR MedicationRequest `status` codes the
/// chain uses (serialised as those codes: `active`, `on-hold`, `cancelled`, `stopped`,
/// `entered-in-error`, `completed`). Whether it may be dispensed *now* also depends on its
/// period of use: see [`CurrentStatus`].
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
#[serde(rename_all = "kebab-case")]
pub enum PrescriptionStatus {
	/// `active`: may be claimed and dispensed (within its period of use).
	Active,
	/// `on-hold`: suspended by the prescribing institution; may be resumed.
	OnHold,
	/// `cancelled`: withdrawn before any fill was dispensed. Final.
	Cancelled,
	/// `stopped`: withdrawn after some fills were dispensed; the rest never will be. Final.
	Stopped,
	/// `entered-in-error`: should never have existed (wrong patient, wrong medication). Final.
	EnteredInError,
	/// `completed`: every fill was dispensed. Final.
	Completed,
}

impl PrescriptionStatus {
	/// Whether nothing but `enter_in_error` can change the prescription any more (cancelled,
	/// stopped, entered in error, completed), and it is in no pharmacy's queue.
	pub fn is_final(&self) -> bool {
		matches!(self, Self::Cancelled | Self::Stopped | Self::EnteredInError | Self::Completed)
	}
}

/// Where a prescription stands at a given block (see [`PrescriptionEntry::status_at`]): the
/// stored status, or `expired` when an active or on-hold prescription's period of use has
/// passed. FHIR R4 has no code for that (a system shows it as `stopped` or keeps `active`
/// with a past `dispenseRequest.validityPeriod`); R5 calls it `ended`. Serialised as the
/// FHIR codes in kebab case, with `expired` for the computed state.
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
#[serde(rename_all = "kebab-case")]
pub enum CurrentStatus {
	/// Active and within its period of use: a pharmacy may claim and dispense it.
	Active,
	/// On hold, within its period of use.
	OnHold,
	/// Active or on hold, but its period of use has passed: nothing more will be dispensed.
	Expired,
	/// Cancelled before any fill.
	Cancelled,
	/// Stopped after some fills.
	Stopped,
	/// Entered in error.
	EnteredInError,
	/// Every fill dispensed.
	Completed,
}

/// A pharmacy's lock on a prescription while it prepares one fill: no other pharmacy may
/// claim it until the lock times out (`claim_timeout` blocks after `at`).
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PharmacyClaim<AccountId, BlockNumber> {
	/// The pharmacy holding the claim.
	pub pharmacy: InstitutionId,
	/// The pharmacist who claimed (or last refreshed the claim).
	pub pharmacist: AccountId,
	/// The block of the claim (or of its last refresh).
	pub at: BlockNumber,
}

impl<AccountId, BlockNumber: Saturating + PartialOrd + Copy> PharmacyClaim<AccountId, BlockNumber> {
	/// The last block the lock holds in, for a `timeout` of blocks.
	pub fn locked_until(&self, timeout: BlockNumber) -> BlockNumber {
		self.at.saturating_add(timeout)
	}

	/// Whether the lock still holds at `now`: from `at` to `at + timeout`, both included.
	pub fn is_live(&self, now: BlockNumber, timeout: BlockNumber) -> bool {
		now <= self.locked_until(timeout)
	}
}

/// A prescription, keyed by its hash.
///
/// The hash is `SHA-256(salt || MedicationRequest)` with a 32-byte random salt kept with the
/// document (the contract of `docs/records.md`), so a prescription cannot be guessed from its
/// hash. The patient is a pseudonym, which names no one outside its custodian.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PrescriptionEntry<AccountId, BlockNumber> {
	/// The patient pseudonym (FHIR `subject`), registered at `institution`.
	pub patient: AccountId,
	/// The physician who prescribed (FHIR `requester`).
	pub prescriber: AccountId,
	/// The prescriber's hospital or clinic, which stands behind the prescription.
	pub institution: InstitutionId,
	/// The pharmacy it is directed to (FHIR `dispenseRequest.performer`); `None`: any pharmacy
	/// the patient shows it to.
	pub pharmacy: Option<InstitutionId>,
	/// How many times it may be dispensed, at least 1 (FHIR
	/// `dispenseRequest.numberOfRepeatsAllowed` + 1).
	pub fills: u8,
	/// How many fills were dispensed.
	pub dispensed: u8,
	/// Whether the pharmacy may substitute a generic (FHIR `substitution.allowedBoolean`).
	pub substitution: bool,
	/// Block of issuance (FHIR `authoredOn`).
	pub issued_at: BlockNumber,
	/// The last block a fill may be dispensed in (FHIR `dispenseRequest.validityPeriod.end`).
	pub valid_until: BlockNumber,
	/// Where it stands, as stored.
	pub status: PrescriptionStatus,
	/// A pharmacy's claim on the next fill, if any (only on an active prescription).
	pub claim: Option<PharmacyClaim<AccountId, BlockNumber>>,
}

impl<AccountId, BlockNumber: PartialOrd + Copy> PrescriptionEntry<AccountId, BlockNumber> {
	/// Whether the period of use has passed at `now` (`now > valid_until`).
	pub fn is_expired_at(&self, now: BlockNumber) -> bool {
		now > self.valid_until
	}

	/// Where the prescription stands at `now`: the stored status, except that an active or
	/// on-hold prescription past its period of use is `Expired`. Computed when asked, never
	/// stored: a prescription expires without a transaction.
	pub fn status_at(&self, now: BlockNumber) -> CurrentStatus {
		match self.status {
			PrescriptionStatus::Active | PrescriptionStatus::OnHold if self.is_expired_at(now) => {
				CurrentStatus::Expired
			},
			PrescriptionStatus::Active => CurrentStatus::Active,
			PrescriptionStatus::OnHold => CurrentStatus::OnHold,
			PrescriptionStatus::Cancelled => CurrentStatus::Cancelled,
			PrescriptionStatus::Stopped => CurrentStatus::Stopped,
			PrescriptionStatus::EnteredInError => CurrentStatus::EnteredInError,
			PrescriptionStatus::Completed => CurrentStatus::Completed,
		}
	}

	/// Fills not dispensed yet.
	pub fn remaining(&self) -> u8 {
		self.fills.saturating_sub(self.dispensed)
	}

	/// The pharmacy holding the claim, if any (live or not).
	pub fn claimed_by(&self) -> Option<InstitutionId> {
		self.claim.as_ref().map(|c| c.pharmacy)
	}

	/// The pharmacies whose queue the prescription belongs in (rule 15 of `queue`): none when
	/// it is final, else the designated pharmacy and the one holding the claim (each once).
	pub fn queues(&self) -> [Option<InstitutionId>; 2] {
		if self.status.is_final() {
			return [None, None];
		}
		let claimer = self.claimed_by().filter(|c| Some(*c) != self.pharmacy);
		[self.pharmacy, claimer]
	}

	/// Whether `pharmacy` is designated or holds the claim (live or not).
	pub fn is_directed_to(&self, pharmacy: InstitutionId) -> bool {
		self.pharmacy == Some(pharmacy) || self.claimed_by() == Some(pharmacy)
	}
}

/// One dispensed fill of a prescription (FHIR MedicationDispense), keyed by the prescription's
/// hash and the fill's index (from 0).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DispenseEntry<AccountId, BlockNumber> {
	/// The pharmacy that dispensed.
	pub pharmacy: InstitutionId,
	/// The pharmacist who dispensed (FHIR `performer`).
	pub pharmacist: AccountId,
	/// `SHA-256(salt || MedicationDispense)`: what was handed over (a generic instead of the
	/// brand, the quantity) stays in the pharmacy's and the patient's documents.
	pub dispense_hash: H256,
	/// Block of the dispense (FHIR `whenHandedOver`).
	pub at: BlockNumber,
	/// Index of the entry in the patient's disclosure log that records it.
	pub disclosure: u32,
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
	/// Period of use of a prescription issued without an end, in blocks (3 days in Korea's
	/// outpatient prescriptions unless the physician writes otherwise).
	pub default_validity: BlockNumber,
	/// Longest period of use, in blocks.
	pub max_validity: BlockNumber,
	/// How long a pharmacy's claim locks a prescription, in blocks.
	pub claim_timeout: BlockNumber,
}

/// A pharmacy's claim as the runtime API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimView<AccountId, BlockNumber> {
	/// The pharmacy holding it.
	pub pharmacy: InstitutionId,
	/// The pharmacist who claimed.
	pub pharmacist: AccountId,
	/// Block of the claim.
	pub at: BlockNumber,
	/// The last block the lock holds in.
	pub locked_until: BlockNumber,
	/// Whether the lock holds at the block of the answer (after it, another pharmacy may
	/// claim).
	pub live: bool,
}

/// A dispensed fill as the runtime API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispenseView<AccountId, BlockNumber> {
	/// The fill's index, from 0.
	pub fill: u8,
	/// The pharmacy that dispensed.
	pub pharmacy: InstitutionId,
	/// The pharmacist who dispensed.
	pub pharmacist: AccountId,
	/// Salted hash of the MedicationDispense.
	pub dispense_hash: H256,
	/// Block of the dispense.
	pub at: BlockNumber,
	/// Index of the entry in the patient's disclosure log.
	pub disclosure: u32,
}

/// The answer to "what is this prescription, and may it be dispensed now?".
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrescriptionView<AccountId, BlockNumber> {
	/// Where it stands at `checked_at` (the stored status, or `expired`).
	pub status: CurrentStatus,
	/// The block the answer was computed at.
	pub checked_at: BlockNumber,
	/// The stored status.
	pub stored_status: PrescriptionStatus,
	/// The patient pseudonym.
	pub patient: AccountId,
	/// The prescribing physician.
	pub prescriber: AccountId,
	/// The prescribing institution.
	pub institution: InstitutionId,
	/// The designated pharmacy (`None`: any).
	pub pharmacy: Option<InstitutionId>,
	/// Fills allowed.
	pub fills: u8,
	/// Fills dispensed.
	pub dispensed: u8,
	/// Fills not dispensed yet.
	pub remaining: u8,
	/// Whether a generic may be substituted.
	pub substitution: bool,
	/// Block of issuance.
	pub issued_at: BlockNumber,
	/// The last block a fill may be dispensed in.
	pub valid_until: BlockNumber,
	/// A pharmacy's claim, if any.
	pub claim: Option<ClaimView<AccountId, BlockNumber>>,
	/// The dispensed fills, in order.
	pub dispenses: Vec<DispenseView<AccountId, BlockNumber>>,
}

/// One prescription of a pharmacy's queue.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry<AccountId, BlockNumber> {
	/// The prescription's hash (what the patient's document or QR code carries).
	pub hash: H256,
	/// The prescribing institution.
	pub institution: InstitutionId,
	/// Where it stands now.
	pub status: CurrentStatus,
	/// Fills allowed.
	pub fills: u8,
	/// Fills dispensed.
	pub dispensed: u8,
	/// Whether a generic may be substituted.
	pub substitution: bool,
	/// The last block a fill may be dispensed in.
	pub valid_until: BlockNumber,
	/// Whether it is designated to this pharmacy (otherwise the pharmacy claimed it).
	pub designated: bool,
	/// The claim on it, if any.
	pub claim: Option<ClaimView<AccountId, BlockNumber>>,
}

/// A page of a pharmacy's queue.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuePage<AccountId, BlockNumber> {
	/// The pharmacy.
	pub pharmacy: InstitutionId,
	/// Prescriptions in its queue in total.
	pub total: u32,
	/// This page's number, from 0.
	pub page: u32,
	/// Entries per page.
	pub page_size: u32,
	/// The block the answer was computed at.
	pub checked_at: BlockNumber,
	/// This page's entries, in the order of their hashes.
	pub prescriptions: Vec<QueueEntry<AccountId, BlockNumber>>,
}

/// One entry of a patient's prescription list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientPrescription<BlockNumber> {
	/// The prescription's hash.
	pub hash: H256,
	/// The prescribing institution.
	pub institution: InstitutionId,
	/// The designated pharmacy (`None`: any).
	pub pharmacy: Option<InstitutionId>,
	/// Fills allowed.
	pub fills: u8,
	/// Fills dispensed.
	pub dispensed: u8,
	/// Block of issuance.
	pub issued_at: BlockNumber,
	/// The last block a fill may be dispensed in.
	pub valid_until: BlockNumber,
	/// Where it stands now.
	pub status: CurrentStatus,
}

/// A page of a patient's prescription list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientPrescriptionsPage<BlockNumber> {
	/// Prescriptions the patient has in total (final ones included).
	pub total: u32,
	/// This page's number, from 0.
	pub page: u32,
	/// Entries per page.
	pub page_size: u32,
	/// This page's entries, in the order they were issued.
	pub prescriptions: Vec<PatientPrescription<BlockNumber>>,
}
