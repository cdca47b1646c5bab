//! Consents, deny provisions, emergency accesses and disclosure entries. Shaped after HL7 FHIR
//! Consent (grantor, grantee, provision action, purpose, period, permit/deny) and AuditEvent
//! (who received what, when, on which basis). No personal health information: accounts,
//! institution ids, record ids, category codes and block numbers only.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use pallet_institutions::InstitutionId;
use pallet_records::Category;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// Identifier of a consent, assigned in order.
pub type ConsentId = u64;
/// Identifier of an emergency access, assigned in order.
pub type EmergencyAccessId = u64;

macro_rules! code_enum {
	($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
		$(#[$meta])*
		#[derive(
			Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy,
			PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize,
		)]
		pub enum $name { $($(#[$vmeta])* $variant,)* }
	};
}

code_enum! {
	/// Why information is requested: HL7 v3 ActReason codes (FHIR `Consent.provision.purpose`).
	pub enum Purpose {
		/// TREAT: treatment.
		Treatment,
		/// ETREAT: emergency treatment.
		EmergencyTreatment,
		/// HPAYMT: payment for care.
		Payment,
		/// HRESCH: research.
		Research,
		/// HOPERAT: healthcare operations.
		Operations,
		/// PUBHLTH: public health.
		PublicHealth,
		/// PATRQT: at the patient's request (e.g. a second opinion).
		PatientRequest,
	}
}

code_enum! {
	/// Why a practitioner opened emergency (break-glass) access.
	pub enum EmergencyReason {
		/// The patient is unconscious or cannot communicate.
		PatientUnresponsive,
		/// Life-threatening condition needing immediate treatment.
		LifeThreatening,
		/// The patient cannot give consent now, but treatment cannot wait.
		UnableToConsent,
	}
}

impl EmergencyReason {
	/// The commitment stored on chain for this reason with `salt` (32 random bytes the
	/// hospital keeps): BLAKE2b-256 of the SCALE encoding of `(reason, salt)`. Without the salt
	/// the three reasons cannot be told apart; with it, the patient checks what the hospital
	/// says against the chain.
	pub fn commitment(&self, salt: &[u8; 32]) -> H256 {
		H256(sp_io::hashing::blake2_256(&(self, salt).encode()))
	}
}

code_enum! {
	/// Why a check permitted or denied (in the order the rules are applied; docs/consent.md).
	pub enum Reason {
		/// The grantee institution is not active.
		GranteeInactive,
		/// The account is not a registered patient.
		UnknownPatient,
		/// The record does not exist or is not this patient's.
		UnknownRecord,
		/// The patient excluded this category from sharing (deny wins).
		DeniedByPatient,
		/// The patient has no consent for this grantee.
		NoConsent,
		/// The consent was revoked.
		Revoked,
		/// The consent's period has not started.
		NotYetValid,
		/// The consent's period has ended.
		Expired,
		/// The consent does not cover this purpose of use.
		PurposeMismatch,
		/// The consent is limited to another custodian.
		CustodianMismatch,
		/// The consent does not cover this category or record.
		OutOfScope,
		/// Permitted, but the patient's disclosure log is full of entries younger than the
		/// retention period, so the release cannot be logged now.
		DisclosureLogFull,
	}
}

/// What the consent covers: categories and/or specific records (FHIR `provision.class` /
/// `provision.data`).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxCategories, MaxRecords, MaxIdLen))]
pub struct Scope<MaxCategories: Get<u32>, MaxRecords: Get<u32>, MaxIdLen: Get<u32>> {
	/// Document classes covered, from any custodian the consent allows.
	pub categories: BoundedVec<Category, MaxCategories>,
	/// Specific records covered: custodian and record id.
	pub records: BoundedVec<(InstitutionId, BoundedVec<u8, MaxIdLen>), MaxRecords>,
}

/// A patient's consent (FHIR Consent, decision permit).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxCategories, MaxRecords, MaxIdLen, MaxPurposes))]
pub struct Consent<
	AccountId,
	BlockNumber,
	MaxCategories: Get<u32>,
	MaxRecords: Get<u32>,
	MaxIdLen: Get<u32>,
	MaxPurposes: Get<u32>,
> {
	/// The patient whose records it concerns (FHIR `Consent.subject`).
	pub patient: AccountId,
	/// Who signed it: the patient or their guardian (FHIR `Consent.grantor`).
	pub granted_by: AccountId,
	/// The institution allowed to receive (FHIR `Consent.grantee`).
	pub grantee: InstitutionId,
	/// What it covers.
	pub scope: Scope<MaxCategories, MaxRecords, MaxIdLen>,
	/// Purposes of use it covers (FHIR `provision.purpose`).
	pub purposes: BoundedVec<Purpose, MaxPurposes>,
	/// Only records held by this custodian, if set (FHIR `provision.actor` with role custodian).
	pub custodian: Option<InstitutionId>,
	/// First block it applies to (FHIR `provision.period.start`).
	pub valid_from: BlockNumber,
	/// First block it no longer applies to (FHIR `provision.period.end`, exclusive).
	pub valid_until: BlockNumber,
	/// Block it was granted in.
	pub granted_at: BlockNumber,
	/// First block it no longer applies to after revocation, if revoked.
	pub revoked_from: Option<BlockNumber>,
}

/// An emergency (break-glass) access to a patient's emergency data.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccess<AccountId, BlockNumber> {
	/// The patient.
	pub patient: AccountId,
	/// The physician or nurse who opened it.
	pub practitioner: AccountId,
	/// The practitioner's hospital, which may receive the emergency data.
	pub institution: InstitutionId,
	/// A salted commitment to why ([`EmergencyReason::commitment`]); the reason and the salt
	/// stay in the hospital's system, which hands them to the patient on request.
	pub reason_commitment: H256,
	/// Block it was opened in.
	pub opened_at: BlockNumber,
	/// First block it no longer applies to.
	pub expires_at: BlockNumber,
	/// Flagged for review by governance.
	pub flagged: bool,
}

/// On what basis a record was released.
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
pub enum Basis {
	/// A patient's consent.
	Consent(ConsentId),
	/// An emergency access.
	Emergency(EmergencyAccessId),
	/// Governance flagged this emergency access for review (the entry tells the patient; it
	/// released nothing).
	EmergencyReview(EmergencyAccessId),
	/// The patient's prescription: a pharmacy dispensed a fill of it (FHIR
	/// MedicationDispense.authorizingPrescription). The entry's `record_id` is the
	/// prescription's hash, its custodian the prescribing institution, its recipient the
	/// pharmacy (prescriptions pallet).
	Prescription,
	/// The holder showed a certificate to a third party and chose to log it. The hash is the
	/// holder's salted commitment to who the third party was (only the holder can open it);
	/// `record_id` is the certificate's hash and both custodian and recipient are the issuing
	/// institution, since a third party outside the registry has no institution id
	/// (certificates pallet).
	HolderShared(H256),
}

/// One entry of a patient's disclosure log (FHIR AuditEvent / IHE ATNA), hash-chained.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxIdLen))]
pub struct Disclosure<BlockNumber, MaxIdLen: Get<u32>> {
	/// The institution that released (the custodian); `None` for an emergency access opened
	/// or flagged (the pseudonym's custodian is the only one it reaches).
	pub custodian: Option<InstitutionId>,
	/// The institution that received (or may now receive, for an emergency access).
	pub recipient: InstitutionId,
	/// The record released, if a specific one.
	pub record_id: Option<BoundedVec<u8, MaxIdLen>>,
	/// Its category.
	pub category: Category,
	/// Purpose of use.
	pub purpose: Purpose,
	/// The consent or emergency access that allowed it.
	pub basis: Basis,
	/// Block it was logged in.
	pub at: BlockNumber,
	/// Hash of the previous entry of this patient's log (zero for the first).
	pub previous: H256,
}

/// Where a patient's disclosure log stands: entries `first..next` are kept.
#[derive(
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct LogState {
	/// Index of the oldest kept entry.
	pub first: u32,
	/// Index the next entry gets.
	pub next: u32,
	/// Hash of the newest entry (zero if none).
	pub head: H256,
	/// Hash of the newest pruned entry (zero if none was pruned): the oldest kept entry's
	/// `previous` equals it, which proves nothing in between was dropped silently.
	pub pruned_head: H256,
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
	/// Longest consent period, in blocks.
	pub max_consent_duration: BlockNumber,
	/// How long an emergency access stays open, in blocks.
	pub emergency_window: BlockNumber,
	/// Most emergency accesses one practitioner may open per `emergency_period`.
	pub emergency_limit: u32,
	/// Most emergency accesses the practitioners of one institution may open together per
	/// `emergency_period`; each access governance flags counts once more.
	pub institution_emergency_limit: u32,
	/// Length of the emergency rate-limit period, in blocks.
	pub emergency_period: BlockNumber,
	/// Fee-free consent transactions a patient (or guardian) has per `allowance_period`.
	pub patient_allowance: u32,
	/// Length of the allowance period, in blocks.
	pub allowance_period: BlockNumber,
	/// How long a disclosure entry is kept at least, in blocks: a full log prunes its oldest
	/// entry only when it is older than this and does not record an emergency access.
	pub disclosure_retention: BlockNumber,
}

/// What a check is about: a specific record, or a category (optionally from one custodian).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Target {
	/// A record of a custodian.
	Record {
		/// The custodian.
		custodian: InstitutionId,
		/// Its record id (hex in JSON).
		#[serde(rename = "recordId", with = "sp_core::bytes")]
		record_id: alloc::vec::Vec<u8>,
	},
	/// Records of a category, from a given custodian or any.
	Category {
		/// The category.
		category: Category,
		/// The custodian, if known.
		custodian: Option<InstitutionId>,
	},
}

/// The answer of a check: a permit with its basis, or a denial with its reason. JSON:
/// `{"permit": {"consent": 3}}`, `{"permit": {"emergency": 0}}`, or
/// `{"deny": {"reason": "purposeMismatch", "closest": 3}}`.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
	/// Permitted, on this basis (the consent or the emergency access).
	Permit(Basis),
	/// Denied.
	Deny {
		/// Why.
		reason: Reason,
		/// The consent that came closest to permitting (rule 6 of the check), if any.
		closest: Option<ConsentId>,
	},
}

impl Decision {
	/// A denial for `reason`, naming the consent that came closest.
	pub fn deny(reason: Reason, closest: Option<ConsentId>) -> Self {
		Self::Deny { reason, closest }
	}

	/// Whether it permits.
	pub fn is_permit(&self) -> bool {
		matches!(self, Self::Permit(_))
	}

	/// The basis of a permit, if permitted.
	pub fn basis(&self) -> Option<Basis> {
		match self {
			Self::Permit(basis) => Some(*basis),
			Self::Deny { .. } => None,
		}
	}

	/// The reason of a denial, if denied.
	pub fn denial(&self) -> Option<Reason> {
		match self {
			Self::Permit(_) => None,
			Self::Deny { reason, .. } => Some(*reason),
		}
	}

	/// The permit's basis, or the denial's reason as an error.
	pub fn into_result(self) -> Result<Basis, Reason> {
		match self {
			Self::Permit(basis) => Ok(basis),
			Self::Deny { reason, .. } => Err(reason),
		}
	}
}

/// A page of a patient's disclosure log, newest first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "BlockNumber: Serialize",
	deserialize = "BlockNumber: Deserialize<'de>"
))]
pub struct DisclosuresPage<BlockNumber> {
	/// Where the log stands (kept range, head hash, pruned head).
	pub log: LogState,
	/// This page's number, from 0.
	pub page: u32,
	/// Entries per page.
	pub page_size: u32,
	/// Entries with their index, newest first.
	pub entries: alloc::vec::Vec<(u32, DisclosureView<BlockNumber>)>,
	/// On page 0: the emergency entries kept after they left the range (newest first); they
	/// are never pruned by releases (docs/consent.md).
	pub kept_emergency: alloc::vec::Vec<(u32, DisclosureView<BlockNumber>)>,
}

/// A disclosure entry without type-level bounds, for the runtime API and JSON.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisclosureView<BlockNumber> {
	/// The releasing custodian (`None`: an emergency access opened).
	pub custodian: Option<InstitutionId>,
	/// The receiving institution.
	pub recipient: InstitutionId,
	/// The record released (hex in JSON; empty when the entry is an emergency access opened).
	#[serde(with = "sp_core::bytes")]
	pub record_id: alloc::vec::Vec<u8>,
	/// Its category.
	pub category: Category,
	/// Purpose of use.
	pub purpose: Purpose,
	/// The consent or emergency access that allowed it.
	pub basis: Basis,
	/// Block it was logged in.
	pub at: BlockNumber,
	/// Hash of the previous entry.
	pub previous: H256,
	/// Hash of this entry (the next entry's `previous`).
	pub hash: H256,
}
