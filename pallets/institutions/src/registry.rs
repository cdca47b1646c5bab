//! The questions other pallets ask the registry. Records, consent and exchange depend on this
//! trait, not on the pallet, so each can be tested with a simple mock.

use crate::types::{InstitutionId, InstitutionKind, PractitionerRole};

/// Who may act on the chain, and as what.
pub trait Registry<AccountId> {
	/// The institution a device account acts for, if the device is registered and its
	/// institution is active.
	fn active_institution_of_device(device: &AccountId) -> Option<InstitutionId>;

	/// The kind of an institution, if it is active.
	fn active_kind(institution: InstitutionId) -> Option<InstitutionKind>;

	/// Whether an institution exists and is active.
	fn is_active(institution: InstitutionId) -> bool {
		Self::active_kind(institution).is_some()
	}

	/// Whether an institution is an active hospital.
	fn is_active_hospital(institution: InstitutionId) -> bool {
		Self::active_kind(institution) == Some(InstitutionKind::Hospital)
	}

	/// The institution and role of a practitioner, if registered at an active institution.
	fn active_practitioner(account: &AccountId) -> Option<(InstitutionId, PractitionerRole)>;

	/// The admin account of an institution (any status): where payments to it go.
	fn admin_of(institution: InstitutionId) -> Option<AccountId>;

	/// Whether an account is a registered patient.
	fn is_patient(account: &AccountId) -> bool;

	/// The guardian of a registered patient, if any.
	fn guardian_of(patient: &AccountId) -> Option<AccountId>;

	/// Whether `who` may act for `patient`: the patient themself or their guardian.
	fn may_act_for_patient(who: &AccountId, patient: &AccountId) -> bool
	where
		AccountId: PartialEq,
	{
		Self::is_patient(patient)
			&& (who == patient || Self::guardian_of(patient).as_ref() == Some(who))
	}

	/// Benchmarks of other pallets: makes `device` a device of a new active hospital and
	/// returns the hospital's id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_hospital_with_device(device: &AccountId) -> InstitutionId;

	/// Benchmarks of other pallets: admits an active institution of `kind` managed by `admin`
	/// and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_institution(kind: InstitutionKind, admin: &AccountId) -> InstitutionId;

	/// Benchmarks of other pallets: registers `patient` at `institution`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_patient(patient: &AccountId, institution: InstitutionId);

	/// Benchmarks of other pallets: registers a practitioner of `institution`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_practitioner(
		account: &AccountId,
		institution: InstitutionId,
		role: PractitionerRole,
	);
}
