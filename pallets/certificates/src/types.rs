//! What the chain keeps about a medical certificate: who attested what kind of fact about which
//! pseudonym, for which dates, and where the attestation stands. Never the certificate itself.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_institutions::InstitutionId;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// What a certificate attests: a small fixed set, mapped to FHIR resources and LOINC document
/// codes in `docs/certificates.md`. Coarse on purpose: the kind is visible on chain, the
/// diagnosis behind it never is.
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
pub enum CertificateKind {
	/// Sick leave: certificate of incapacity for work or school (FHIR `DocumentReference`; no
	/// LOINC document code claimed, the `type` coding is agreed by the consortium).
	SickLeave,
	/// Proof of vaccination (FHIR `Immunization` resources, as in the International Patient
	/// Summary's immunizations section, LOINC 11369-6 "History of Immunization").
	Vaccination,
	/// Fitness for work, sport, travel or driving (FHIR `DocumentReference`; no LOINC document
	/// code claimed).
	Fitness,
	/// Disability or reduced capacity (FHIR `DocumentReference`; no LOINC document code
	/// claimed).
	Disability,
	/// Medical certificate of death (FHIR `DocumentReference` to the death certificate
	/// document, LOINC 64297-5 "Death certificate", as HL7 VRDR uses).
	Death,
	/// Any other medical certificate (FHIR `DocumentReference` with the type the consortium
	/// agrees).
	Other,
}

impl CertificateKind {
	/// How many kinds there are.
	pub const COUNT: usize = 6;

	/// The record category a disclosure of this certificate is logged under: `Immunization`
	/// for a vaccination certificate, `Other` for the others.
	pub fn disclosure_category(&self) -> pallet_records::Category {
		match self {
			Self::Vaccination => pallet_records::Category::Immunization,
			_ => pallet_records::Category::Other,
		}
	}

	/// Every kind, in the order of their codes.
	pub const ALL: [CertificateKind; Self::COUNT] = [
		Self::SickLeave,
		Self::Vaccination,
		Self::Fitness,
		Self::Disability,
		Self::Death,
		Self::Other,
	];
}

/// Why a certificate was suspended (W3C status purpose `suspension`: reversible).
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
pub enum SuspensionReason {
	/// The institution is checking the certificate (e.g. after a query by an employer).
	UnderReview,
	/// The subject or a third party disputes the certificate.
	Disputed,
	/// Any other reason, recorded off chain by the institution.
	Other,
}

/// Why a certificate was revoked (W3C status purpose `revocation`: final).
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
pub enum RevocationReason {
	/// Issued by mistake (wrong kind, wrong dates, duplicate).
	IssuedInError,
	/// Issued for the wrong person.
	WrongSubject,
	/// Obtained or issued by fraud.
	Fraudulent,
	/// Withdrawn by the issuer (e.g. the subject recovered before the end of a sick leave).
	Withdrawn,
	/// Any other reason, recorded off chain by the institution.
	Other,
}

/// Where a certificate stands, as stored. Whether it is valid *now* also depends on its dates:
/// see [`Validity`].
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
pub enum CertificateStatus<BlockNumber> {
	/// In force (within its dates).
	Issued,
	/// Temporarily not in force; may be reinstated. Its suspension bit is set.
	Suspended {
		/// Why.
		reason: SuspensionReason,
	},
	/// Withdrawn for good. Its revocation bit is set. Final.
	Revoked {
		/// Why.
		reason: RevocationReason,
		/// The block of the revocation.
		at: BlockNumber,
	},
	/// Replaced by a corrected certificate. Its revocation bit is set (the W3C list knows
	/// revocation and suspension only, and the old document is no longer in force); the
	/// correction is visible on chain. Final.
	Superseded {
		/// The corrected certificate's document hash.
		by: H256,
	},
}

impl<BlockNumber> CertificateStatus<BlockNumber> {
	/// Whether nothing can change the certificate any more (revoked or superseded).
	pub fn is_final(&self) -> bool {
		matches!(self, Self::Revoked { .. } | Self::Superseded { .. })
	}
}

/// A certificate, keyed by its document hash.
///
/// The document hash is `SHA-256(salt || document)` with a 32-byte random salt kept with the
/// document (the contract of `docs/records.md`), so a short certificate cannot be guessed
/// from its hash. The subject is a patient pseudonym, which names no one outside its
/// custodian.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct CertificateEntry<AccountId, BlockNumber> {
	/// The patient pseudonym the certificate is about, registered at `institution`.
	pub subject: AccountId,
	/// What it attests.
	pub kind: CertificateKind,
	/// The practitioner who issued it (for a correction: the account that superseded the
	/// previous certificate).
	pub issuer: AccountId,
	/// The issuer's institution, whose status lists hold the certificate's bits.
	pub institution: InstitutionId,
	/// First moment of validity, milliseconds since the Unix epoch (a calendar date, not a
	/// block: a sick leave starts on a day).
	pub valid_from_ms: u64,
	/// End of validity (exclusive), milliseconds since the Unix epoch; `None` = no end (death,
	/// permanent disability).
	pub valid_until_ms: Option<u64>,
	/// Block of issuance.
	pub issued_at: BlockNumber,
	/// Time of that block, milliseconds since the Unix epoch.
	pub issued_at_ms: u64,
	/// Issued, suspended, revoked or superseded.
	pub status: CertificateStatus<BlockNumber>,
	/// The certificate's position in its institution's status lists (W3C `statusListIndex`).
	pub status_index: u32,
	/// The certificate this one corrects, if any.
	pub supersedes: Option<H256>,
}

impl<AccountId, BlockNumber> CertificateEntry<AccountId, BlockNumber> {
	/// Whether the certificate is in force at `now_ms`. The stored status decides first
	/// (revoked, superseded, suspended); an issued certificate is then valid in the half-open
	/// interval `[valid_from_ms, valid_until_ms)`. Computed when asked, never stored: a
	/// certificate expires without a transaction.
	pub fn validity_at(&self, now_ms: u64) -> Validity {
		match self.status {
			CertificateStatus::Revoked { .. } => Validity::Revoked,
			CertificateStatus::Superseded { .. } => Validity::Superseded,
			CertificateStatus::Suspended { .. } => Validity::Suspended,
			CertificateStatus::Issued => {
				if now_ms < self.valid_from_ms {
					Validity::NotYetValid
				} else if self.valid_until_ms.is_some_and(|until| now_ms >= until) {
					Validity::Expired
				} else {
					Validity::Valid
				}
			},
		}
	}
}

/// Whether a certificate is in force at a given moment (see
/// [`CertificateEntry::validity_at`]).
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
pub enum Validity {
	/// Issued, and within its dates.
	Valid,
	/// Issued, but its first day has not come.
	NotYetValid,
	/// Issued, but its end has passed.
	Expired,
	/// Suspended (may be reinstated).
	Suspended,
	/// Revoked.
	Revoked,
	/// Replaced by a corrected certificate.
	Superseded,
}

/// Which of an institution's two status lists (W3C `statusPurpose`; serialised as the W3C
/// values `"revocation"` and `"suspension"`).
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
pub enum StatusPurpose {
	/// Bit set: the certificate was revoked (final).
	Revocation,
	/// Bit set: the certificate is suspended (reversible).
	Suspension,
}

/// 256 consecutive entries of an institution's two status lists: bit `i` of chunk `c` is
/// status index `c * 256 + i`, most significant bit first within each byte, as the W3C
/// Bitstring Status List v1.0 orders a bitstring (index 0 is the leftmost bit of byte 0). Two
/// 32-byte arrays, so a whole chunk is one small storage item and the list of an institution
/// is read in `ceil(n / 256)` items.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct StatusChunk {
	/// Revocation bits.
	pub revoked: [u8; 32],
	/// Suspension bits.
	pub suspended: [u8; 32],
}

/// The answer to "is this certificate genuine and in force?".
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateVerification<AccountId, BlockNumber> {
	/// Whether it is in force at `checked_at_ms`.
	pub validity: Validity,
	/// The time of the block the answer was computed at, milliseconds since the Unix epoch.
	pub checked_at_ms: u64,
	/// The patient pseudonym it is about.
	pub subject: AccountId,
	/// What it attests.
	pub kind: CertificateKind,
	/// Who issued it.
	pub issuer: AccountId,
	/// The issuer's institution.
	pub institution: InstitutionId,
	/// First moment of validity (ms since the Unix epoch).
	pub valid_from_ms: u64,
	/// End of validity, exclusive (ms since the Unix epoch); `None` = no end.
	pub valid_until_ms: Option<u64>,
	/// Block of issuance.
	pub issued_at: BlockNumber,
	/// Time of that block (ms since the Unix epoch).
	pub issued_at_ms: u64,
	/// The stored status.
	pub status: CertificateStatus<BlockNumber>,
	/// Its position in the institution's status lists (W3C `statusListIndex`).
	pub status_index: u32,
	/// The certificate it corrects, if any.
	pub supersedes: Option<H256>,
}

/// One entry of a subject's certificate list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectCertificate<BlockNumber> {
	/// The certificate's document hash.
	pub document_hash: H256,
	/// What it attests.
	pub kind: CertificateKind,
	/// The issuer's institution.
	pub institution: InstitutionId,
	/// First moment of validity (ms since the Unix epoch).
	pub valid_from_ms: u64,
	/// End of validity, exclusive (ms since the Unix epoch); `None` = no end.
	pub valid_until_ms: Option<u64>,
	/// The stored status.
	pub status: CertificateStatus<BlockNumber>,
	/// Whether it is in force now.
	pub validity: Validity,
}

/// An institution's status list as the chain keeps it: how many status indices it issued (the
/// list's length in bits) and the bits, rounded up to whole bytes.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct StatusListBits {
	/// Status indices issued: the number of meaningful bits.
	pub issued: u32,
	/// The bits, index 0 the most significant bit of byte 0; the bits past `issued` are zero.
	pub bits: alloc::vec::Vec<u8>,
}

/// A page of a subject's certificate list.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectCertificatesPage<BlockNumber> {
	/// Certificates the subject has in total (superseded and revoked ones included).
	pub total: u32,
	/// This page's number, from 0.
	pub page: u32,
	/// Entries per page.
	pub page_size: u32,
	/// This page's entries, in the order they were issued.
	pub certificates: alloc::vec::Vec<SubjectCertificate<BlockNumber>>,
}
