//! What the chain keeps about a medical record: proofs, never content.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_institutions::InstitutionId;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// The document class of a record: a small fixed set, mapped to LOINC document codes (FHIR
/// `DocumentReference.type`) in `docs/records.md`. Coarse on purpose: the category is visible
/// on chain.
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
	Serialize,
	Deserialize,
)]
pub enum Category {
	/// Patient summary (LOINC 60591-5).
	PatientSummary,
	/// Laboratory report (LOINC 11502-2).
	Laboratory,
	/// Diagnostic imaging study (LOINC 18748-4).
	Imaging,
	/// Medication history (LOINC 10160-0).
	Medication,
	/// Allergies and adverse reactions (LOINC 48765-2).
	Allergy,
	/// Discharge summary (LOINC 18842-5).
	Discharge,
	/// Prescription (LOINC 57833-6).
	Prescription,
	/// Emergency data set: the subset a clinician needs in an emergency (blood group, allergies,
	/// current medication, conditions), after the International Patient Summary.
	EmergencyDataSet,
	/// Immunization history (LOINC 11369-6).
	Immunization,
	/// Mental health: a sensitive class that patients often exclude from sharing.
	MentalHealth,
	/// Any other clinical document.
	Other,
}

impl Category {
	/// How many categories there are.
	pub const COUNT: usize = 11;

	/// Every category, in the order of their codes.
	pub const ALL: [Category; Self::COUNT] = [
		Self::PatientSummary,
		Self::Laboratory,
		Self::Imaging,
		Self::Medication,
		Self::Allergy,
		Self::Discharge,
		Self::Prescription,
		Self::EmergencyDataSet,
		Self::Immunization,
		Self::MentalHealth,
		Self::Other,
	];

	/// The category's position in [`Category::ALL`] (its SCALE code), `0..COUNT`.
	pub fn index(self) -> usize {
		self as usize
	}

	/// Categories a clinician may reach under emergency (break-glass) access.
	pub fn is_emergency_data(&self) -> bool {
		matches!(self, Self::Allergy | Self::Medication | Self::EmergencyDataSet)
	}
}

/// The document's format (IHE XDS `formatCode`, coarse).
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
pub enum FormatCode {
	/// HL7 FHIR resource or bundle, JSON.
	FhirJson,
	/// HL7 FHIR resource or bundle, XML.
	FhirXml,
	/// HL7 CDA R2 document.
	CdaR2,
	/// PDF document.
	Pdf,
	/// DICOM object or study.
	Dicom,
	/// HL7 v2 message.
	Hl7v2,
	/// Plain text.
	Text,
	/// Anything else.
	Other,
}

/// Where a record stands.
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
pub enum RecordStatus {
	/// In use; its current version is the valid one.
	Active,
	/// Entered in error: no version is valid any more (XDS "deprecated"). History is kept.
	Retracted,
	/// Erased (GDPR Art. 17): the custodian destroyed every version's document and salt
	/// (crypto-shredding, docs/privacy.md), so the anchored hashes can no longer be verified
	/// against anything and identify nothing. Final.
	Erased,
}

/// Where one version of a record stands.
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
pub enum VersionStatus {
	/// The record's valid version.
	Current,
	/// Replaced by a later version (XDS RPLC).
	Superseded,
	/// The record was retracted while this was its current version.
	Retracted,
}

/// A record: whose it is, its class, which version is current, and its version 1. Keyed by
/// custodian and record id.
///
/// Version 1 lives here rather than in `Versions` (storage version 3, issue 16): most
/// records never get a second version, so anchoring writes one item fewer, and the record's
/// place in its patient's list (`slot`) saves another.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct RecordEntry<AccountId, BlockNumber> {
	/// The patient's account.
	pub patient: AccountId,
	/// Document class.
	pub category: Category,
	/// The latest version; versions are numbered `1..=current_version`.
	pub current_version: u32,
	/// Active, retracted or erased.
	pub status: RecordStatus,
	/// While the record is active: its position in the patient's list (`PatientRecords`).
	/// Meaningless once it is retracted or erased.
	pub slot: u32,
	/// Version 1, as anchored (its status follows the record like any version's).
	pub first: VersionEntry<AccountId, BlockNumber>,
}

/// A patient's active records counted: how many in all (the quota and the length of their
/// list) and how many per category at their custodian (what
/// `RecordIndex::has_active_in_category` answers). One storage item per patient.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct PatientTally {
	/// The pseudonym's custodian, whose records `by_category` counts. A pseudonym stays with
	/// its custodian for good (issue 13) and only it anchors for the pseudonym, so every
	/// record anchored since then is here; an older record at another institution counts in
	/// `active` only.
	pub custodian: InstitutionId,
	/// Active records in all, at any custodian.
	pub active: u32,
	/// Active records at `custodian`, by [`Category::index`].
	pub by_category: [u32; Category::COUNT],
}

impl PatientTally {
	/// Active records of `category` at `custodian`.
	pub fn in_category(&self, custodian: InstitutionId, category: Category) -> u32 {
		if custodian == self.custodian {
			self.by_category.get(category.index()).copied().unwrap_or(0)
		} else {
			0
		}
	}
}

/// One anchored version of a record (FHIR Provenance: what, when, by which device).
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct VersionEntry<AccountId, BlockNumber> {
	/// SHA-256 (or another 32-byte hash agreed by the consortium) over the record's secret
	/// salt followed by the document; see `docs/records.md`.
	pub content_hash: H256,
	/// Size of the document in bytes.
	pub size: u64,
	/// Format of the document.
	pub format: FormatCode,
	/// Block in which this version was anchored.
	pub anchored_at: BlockNumber,
	/// Time of that block, milliseconds since the Unix epoch.
	pub anchored_at_ms: u64,
	/// The device account that anchored it.
	pub anchored_by: AccountId,
	/// Current, superseded or retracted.
	pub status: VersionStatus,
}

/// A Merkle root anchored for a batch of record hashes.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RootEntry<AccountId, BlockNumber> {
	/// The institution that anchored it.
	pub custodian: InstitutionId,
	/// Number of leaves in the tree.
	pub leaf_count: u64,
	/// Block in which it was anchored.
	pub anchored_at: BlockNumber,
	/// Time of that block, milliseconds since the Unix epoch.
	pub anchored_at_ms: u64,
	/// The device account that anchored it.
	pub anchored_by: AccountId,
}

/// One record to anchor, in `anchor` and `anchor_batch`.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NewRecord<AccountId> {
	/// The patient's account (registered in the institutions pallet).
	pub patient: AccountId,
	/// The custodian's own identifier of the record: opaque bytes (e.g. a UUID), never
	/// anything that identifies the patient.
	pub record_id: alloc::vec::Vec<u8>,
	/// Document class.
	pub category: Category,
	/// Salted content hash.
	pub content_hash: H256,
	/// Document size in bytes.
	pub size: u64,
	/// Document format.
	pub format: FormatCode,
}

/// The answer to "is this the document the custodian anchored?".
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification<AccountId, BlockNumber> {
	/// Whether the hash is the record's current version (and the record is active).
	pub matches_current: bool,
	/// The version the hash matches, current or older, if any.
	pub matched_version: Option<u32>,
	/// That version's details.
	pub matched: Option<VersionEntry<AccountId, BlockNumber>>,
	/// The record's latest version number.
	pub current_version: u32,
	/// The latest version's details.
	pub current: VersionEntry<AccountId, BlockNumber>,
	/// Document class.
	pub category: Category,
	/// Active or retracted.
	pub status: RecordStatus,
}

/// The answer to "is this record hash in this anchored Merkle root?".
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionVerification<AccountId, BlockNumber> {
	/// Whether the proof shows the leaf in the tree.
	pub included: bool,
	/// The anchored root, if the root is known.
	pub root: Option<RootEntry<AccountId, BlockNumber>>,
}

/// An inclusion proof: the leaf's position and the sibling hashes from the leaf up.
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
pub struct InclusionProof {
	/// Index of the leaf, from 0.
	pub leaf_index: u64,
	/// Sibling hashes, from the leaf's level up.
	pub siblings: alloc::vec::Vec<H256>,
}

/// One entry of a patient's record list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientRecord {
	/// The custodian institution.
	pub custodian: InstitutionId,
	/// The custodian's record id (hex in JSON).
	#[serde(with = "sp_core::bytes")]
	pub record_id: alloc::vec::Vec<u8>,
	/// Document class.
	pub category: Category,
	/// Active or retracted.
	pub status: RecordStatus,
	/// Latest version number.
	pub current_version: u32,
}

/// A page of a patient's record list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientRecordsPage {
	/// Records the patient has in total.
	pub total: u32,
	/// This page's number, from 0.
	pub page: u32,
	/// Entries per page.
	pub page_size: u32,
	/// This page's entries, in the order they were anchored.
	pub records: alloc::vec::Vec<PatientRecord>,
}
