//! The registry's data: institutions, their devices and practitioners, patients.
//! Nothing here is personal health information: accounts are pseudonymous keys, the licence
//! number is stored as a hash, and an institution's display name is public information.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::BoundedVec;
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifier of an institution, assigned in order of admission.
pub type InstitutionId = u32;

/// What kind of organisation an institution is.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum InstitutionKind {
	/// A hospital: holds records, registers patients, runs a validator node.
	Hospital,
	/// A clinic or practice: holds records, registers patients.
	Clinic,
	/// A pharmacy: dispenses prescriptions.
	Pharmacy,
	/// A health insurer: receives claims.
	Insurer,
	/// Operates the relay that carries encrypted records between institutions.
	RelayOperator,
}

impl InstitutionKind {
	/// Whether this kind keeps medical records and may register patients.
	pub fn keeps_records(&self) -> bool {
		matches!(self, Self::Hospital | Self::Clinic)
	}
}

/// Where an institution stands.
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
)]
pub enum InstitutionStatus {
	/// May act on the chain.
	Active,
	/// Temporarily barred: can no longer anchor, grant or be granted anything; may be
	/// reinstated.
	Suspended,
	/// Permanently barred. Its past anchors stay verifiable.
	Removed,
}

/// An admitted institution.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxNameLen))]
pub struct Institution<AccountId, BlockNumber, MaxNameLen: frame_support::traits::Get<u32>> {
	/// What kind of organisation it is.
	pub kind: InstitutionKind,
	/// Public display name, e.g. "Hôpital Saint-Louis" (UTF-8, bounded).
	pub name: BoundedVec<u8, MaxNameLen>,
	/// Active, suspended or removed.
	pub status: InstitutionStatus,
	/// The account that manages the institution's devices and practitioners.
	pub admin: AccountId,
	/// Block of admission.
	pub admitted_at: BlockNumber,
	/// Number of device accounts registered.
	pub devices: u32,
	/// Number of practitioners registered.
	pub practitioners: u32,
}

/// The professional role of a practitioner (FHIR PractitionerRole.code, coarse).
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
)]
pub enum PractitionerRole {
	/// A licensed physician.
	Physician,
	/// A licensed nurse.
	Nurse,
	/// A licensed pharmacist.
	Pharmacist,
}

/// A practitioner linked to one institution.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Practitioner<BlockNumber> {
	/// The institution the practitioner acts for.
	pub institution: InstitutionId,
	/// Professional role.
	pub role: PractitionerRole,
	/// Hash of the licence number (salted by the institution; the number is not stored).
	pub licence_hash: H256,
	/// Block of registration.
	pub added_at: BlockNumber,
}

/// A device's public encryption key: an X25519 public key (RFC 7748), to which other
/// institutions encrypt with HPKE (RFC 9180, DHKEM(X25519, HKDF-SHA256)). The device's signing
/// key (sr25519) cannot be used for this, hence a key of its own.
pub type EncryptionKey = [u8; 32];

/// A device (EHR server, gateway, medical device) acting for an institution.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Device<BlockNumber> {
	/// The institution the device acts for.
	pub institution: InstitutionId,
	/// Block of registration.
	pub added_at: BlockNumber,
	/// The key other institutions encrypt to for this device, once set
	/// (`set_encryption_key`); a rotated device key starts without one.
	pub encryption_key: Option<EncryptionKey>,
}

/// A registered patient (the registration was confirmed). The account is a pseudonym: the key
/// the patient's app derived for this custodian alone (docs/privacy.md).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Patient<AccountId, BlockNumber> {
	/// The hospital or clinic that checked the patient's identity (off chain), registered
	/// this pseudonym and keeps the records anchored under it: the only institution this
	/// account is a patient of.
	pub custodian: InstitutionId,
	/// A guardian who may act for the patient (minors, incapacitated patients). Never an
	/// institution's admin, device or practitioner, nor the patient.
	pub guardian: Option<AccountId>,
	/// Block the registration took effect (was confirmed by the patient or the guardian).
	pub registered_at: BlockNumber,
}

/// A registration an institution asked for, waiting for the patient (or the guardian it names)
/// to confirm it. Until then the account is not a patient and holds no role.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingRegistration<AccountId, BlockNumber> {
	/// The hospital or clinic that checked the patient's identity (off chain) and asked for the
	/// registration.
	pub custodian: InstitutionId,
	/// The guardian the institution named; the confirmation accepts exactly this guardian.
	pub guardian: Option<AccountId>,
	/// From this block on the registration can no longer be confirmed, and anyone may remove
	/// it.
	pub expires_at: BlockNumber,
}

/// A pending registration as `institutions_pendingRegistrations` shows it.
#[derive(
	Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PendingRegistrationView<AccountId, BlockNumber> {
	/// The pseudonym waiting to be confirmed.
	pub patient: AccountId,
	/// The guardian named, who may confirm instead of the patient.
	pub guardian: Option<AccountId>,
	/// From this block on it can no longer be confirmed.
	pub expires_at: BlockNumber,
}

/// A page of an institution's pending registrations, newest first (latest expiry first).
#[derive(
	Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PendingRegistrationsPage<AccountId, BlockNumber> {
	/// The institution that asked for the registrations.
	pub institution: InstitutionId,
	/// This page's number, from 0.
	pub page: u32,
	/// Registrations per page.
	pub page_size: u32,
	/// The institution's pending registrations in all (expired ones not yet removed included).
	pub total: u32,
	/// This page's registrations.
	pub registrations: alloc::vec::Vec<PendingRegistrationView<AccountId, BlockNumber>>,
}
