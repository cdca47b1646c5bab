//! Who may issue a certificate, for whom and for which dates, and who may change it
//! afterwards. The rules, in the order the calls check them (docs/certificates.md):
//!
//! 1. **Only practitioners issue.** The signer is a practitioner registered at an active
//!    institution (`Registry::active_practitioner`); anyone else, an institution's admin or
//!    device included, gets `NotPractitioner`. A certificate is a clinician's professional
//!    attestation, so it names the person who made it, not a server.
//! 2. **Only record keepers issue.** The practitioner's institution keeps medical records
//!    (`InstitutionKind::keeps_records`: a hospital or a clinic), so the evidence behind the
//!    certificate is in its custody; otherwise `InstitutionCannotIssue`.
//! 3. **The role decides the kinds** ([`role_may_issue`]): a physician issues any kind, a nurse
//!    vaccination certificates only (nurses administer and record vaccines), a pharmacist none;
//!    otherwise `RoleCannotIssueKind`.
//! 4. **Only for the institution's own patients.** The subject is a registered patient
//!    (`UnknownSubject`) whose pseudonym is registered at the issuer's institution
//!    (`Registry::custodian_of`; `NoCareRelationship`), as for records: nothing on chain
//!    joins two institutions' pseudonyms of one patient.
//! 5. **Dates.** The validity `[valid_from_ms, valid_until_ms)` is not empty
//!    (`InvalidValidity`) and lasts at most `MaxValidityMs` (`ValidityTooLong`); an open end
//!    (`None`: death, permanent disability) is allowed. The start may be in the future
//!    (`NotYetValid` until then) or in the past — a sick leave is often certified after its
//!    first day — but at most `MaxBackdatingMs` before the block's time (`BackdatedTooFar`).
//!    A correction (rule 9) may also start as early as the certificate it corrects.
//! 6. **Bounds.** A document hash is certified once, at any institution (`AlreadyIssued`); an
//!    institution issues at most `MaxCertificatesPerInstitution` certificates, the length of
//!    its status lists (`TooManyCertificatesForInstitution`); a subject has at most
//!    `MaxCertificatesPerSubject`, history included (`TooManyCertificatesForSubject`).
//! 7. **Who may change a certificate** (suspend, reinstate, revoke, supersede): the
//!    institution's admin while the institution is active, or an active practitioner of the
//!    certificate's institution who is its issuer or whose role may issue its kind (rule 3).
//!    Anyone else — another institution's staff, a former practitioner, a device, the
//!    subject — gets `NotIssuersInstitution`. The institution, not the person, stands behind
//!    a certificate: a colleague may act when the issuer is away or has left.
//! 8. **Transitions.** Issued ↔ Suspended; Issued or Suspended → Revoked or Superseded;
//!    revoked and superseded certificates are final (`AlreadyFinal`). Suspending needs an
//!    issued certificate (`NotIssued`), reinstating a suspended one (`NotSuspended`).
//! 9. **Corrections** (`supersede`) keep the subject, kind and institution of the certificate
//!    they correct and get a new document hash (`SameDocument` if it is the old one) and a new
//!    status index; the new certificate's issuer is the practitioner who made the correction,
//!    whose role may issue the kind (rules 1–3; an admin may suspend or revoke but not write a
//!    correction, which is a new attestation). The
//!    care relationship is not checked again: the correction is about the same person, who
//!    may have left the institution since.

use crate::{
	pallet::{
		CertificateOf, Certificates, Config, Error, NextStatusIndex, Pallet,
		SubjectCertificateCount, SubjectCertificates,
	},
	CertificateKind,
};
use frame_support::{ensure, traits::Get};
use pallet_institutions::{InstitutionId, PractitionerRole, Registry};
use sp_core::H256;

/// Rule 3: whether a practitioner of `role` may issue certificates of `kind` (and, at their
/// institution, change them: rule 7).
pub fn role_may_issue(role: PractitionerRole, kind: CertificateKind) -> bool {
	match role {
		PractitionerRole::Physician => true,
		PractitionerRole::Nurse => kind == CertificateKind::Vaccination,
		PractitionerRole::Pharmacist => false,
	}
}

impl<T: Config> Pallet<T> {
	/// Rules 1–3: the institution `who` issues a certificate of `kind` for.
	pub(crate) fn issuing_institution(
		who: &T::AccountId,
		kind: CertificateKind,
	) -> Result<InstitutionId, Error<T>> {
		let (institution, role) =
			T::Registry::active_practitioner(who).ok_or(Error::<T>::NotPractitioner)?;
		let keeps_records =
			T::Registry::active_kind(institution).is_some_and(|k| k.keeps_records());
		ensure!(keeps_records, Error::<T>::InstitutionCannotIssue);
		ensure!(role_may_issue(role, kind), Error::<T>::RoleCannotIssueKind);
		Ok(institution)
	}

	/// Rule 4: `subject` is a patient pseudonym registered at `institution`.
	pub(crate) fn ensure_subject(
		institution: InstitutionId,
		subject: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(T::Registry::is_patient(subject), Error::<T>::UnknownSubject);
		ensure!(
			T::Registry::custodian_of(subject) == Some(institution),
			Error::<T>::NoCareRelationship
		);
		Ok(())
	}

	/// The earliest start a new certificate may have at `now_ms` (rule 5).
	pub(crate) fn earliest_start(now_ms: u64) -> u64 {
		now_ms.saturating_sub(T::MaxBackdatingMs::get())
	}

	/// Rule 5: the validity is not empty, not longer than `MaxValidityMs`, and starts no
	/// earlier than `earliest_from_ms`.
	pub(crate) fn ensure_validity(
		valid_from_ms: u64,
		valid_until_ms: Option<u64>,
		earliest_from_ms: u64,
	) -> Result<(), Error<T>> {
		if let Some(until) = valid_until_ms {
			ensure!(until > valid_from_ms, Error::<T>::InvalidValidity);
			ensure!(
				until.saturating_sub(valid_from_ms) <= T::MaxValidityMs::get(),
				Error::<T>::ValidityTooLong
			);
		}
		ensure!(valid_from_ms >= earliest_from_ms, Error::<T>::BackdatedTooFar);
		Ok(())
	}

	/// Rule 6: the status index a new certificate of `institution` gets, if its lists have
	/// room.
	pub(crate) fn next_status_index(institution: InstitutionId) -> Result<u32, Error<T>> {
		let next = NextStatusIndex::<T>::get(institution);
		ensure!(
			next < T::MaxCertificatesPerInstitution::get(),
			Error::<T>::TooManyCertificatesForInstitution
		);
		Ok(next)
	}

	/// Rule 6: `subject` may have one more certificate.
	pub(crate) fn ensure_subject_room(subject: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(
			SubjectCertificateCount::<T>::get(subject) < T::MaxCertificatesPerSubject::get(),
			Error::<T>::TooManyCertificatesForSubject
		);
		Ok(())
	}

	/// Rule 7: whether `who` may change `certificate`.
	pub(crate) fn ensure_may_change(
		who: &T::AccountId,
		certificate: &CertificateOf<T>,
	) -> Result<(), Error<T>> {
		let institution = certificate.institution;
		if T::Registry::is_active(institution)
			&& T::Registry::admin_of(institution).as_ref() == Some(who)
		{
			return Ok(());
		}
		match T::Registry::active_practitioner(who) {
			Some((at, role))
				if at == institution
					&& (who == &certificate.issuer || role_may_issue(role, certificate.kind)) =>
			{
				Ok(())
			},
			_ => Err(Error::<T>::NotIssuersInstitution),
		}
	}

	/// Rules 7 and 8: the certificate `document_hash`, if it exists, `who` may change it, and
	/// it is not final.
	pub(crate) fn changeable_by(
		who: &T::AccountId,
		document_hash: H256,
	) -> Result<CertificateOf<T>, Error<T>> {
		let certificate =
			Certificates::<T>::get(document_hash).ok_or(Error::<T>::UnknownCertificate)?;
		Self::ensure_may_change(who, &certificate)?;
		ensure!(!certificate.status.is_final(), Error::<T>::AlreadyFinal);
		Ok(certificate)
	}

	/// Stores a new certificate and counts it in: its institution's next status index moves
	/// past it, and it is appended to its subject's list. No checks (the caller made them, or
	/// it is a benchmark or test fixture); `certificate.status_index` must be the institution's
	/// next index and its status `Issued` (no status bit to set).
	pub(crate) fn store_certificate(document_hash: H256, certificate: &CertificateOf<T>) {
		NextStatusIndex::<T>::insert(
			certificate.institution,
			certificate.status_index.saturating_add(1),
		);
		let slot = SubjectCertificateCount::<T>::get(&certificate.subject);
		SubjectCertificates::<T>::insert(&certificate.subject, slot, document_hash);
		SubjectCertificateCount::<T>::insert(&certificate.subject, slot.saturating_add(1));
		Certificates::<T>::insert(document_hash, certificate);
	}
}
