//! The pallet's invariants, checked by `try-runtime` and at the end of every unit test.

use crate::{
	pallet::{
		Certificates, Config, NextStatusIndex, Pallet, StatusChunks, SubjectCertificateCount,
		SubjectCertificates,
	},
	CertificateStatus, StatusPurpose,
};
use alloc::collections::{BTreeMap, BTreeSet};
use frame_support::{ensure, traits::Get};
use pallet_institutions::InstitutionId;
use sp_core::H256;
use sp_runtime::TryRuntimeError;

/// An institution's certificates counted from `Certificates`.
#[derive(Default)]
struct Counted {
	/// All of them.
	certificates: u32,
	/// The revoked ones.
	revoked: u32,
	/// The suspended ones.
	suspended: u32,
}

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - each institution's status indices are exactly `0..NextStatusIndex` (one per
	///   certificate, none shared), within `MaxCertificatesPerInstitution`;
	/// - a certificate's revocation bit is set exactly when it is revoked or superseded, its suspension bit
	///   exactly when it is suspended, and no other bit is set (the set bits of each
	///   institution's chunks are counted against its revoked and suspended certificates); no
	///   empty chunk is stored;
	/// - a validity with an end is not empty;
	/// - corrections link both ways: `Superseded { by }` names a certificate that `supersedes`
	///   it, of the same subject, kind and institution, and the other way round;
	/// - each subject's list holds exactly its certificates, each once, in slots
	///   `0..count`, within `MaxCertificatesPerSubject`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut per_institution = BTreeMap::<InstitutionId, Counted>::new();
		let mut indices = BTreeSet::<(InstitutionId, u32)>::new();
		let mut per_subject = BTreeMap::<T::AccountId, u32>::new();
		let mut total = 0usize;
		for (hash, c) in Certificates::<T>::iter() {
			total += 1;
			ensure!(
				c.status_index < NextStatusIndex::<T>::get(c.institution),
				"a status index at or beyond its institution's next index"
			);
			ensure!(
				indices.insert((c.institution, c.status_index)),
				"two certificates share a status index"
			);
			if let Some(until) = c.valid_until_ms {
				ensure!(until > c.valid_from_ms, "a certificate ends before it starts");
			}
			// Superseded documents are no longer in force either: their revocation bit is set.
			let revoked = c.status.is_final();
			let suspended = matches!(c.status, CertificateStatus::Suspended { .. });
			ensure!(
				Self::status_bit(c.institution, c.status_index, StatusPurpose::Revocation)
					== revoked,
				"a revocation bit disagrees with its certificate's status"
			);
			ensure!(
				Self::status_bit(c.institution, c.status_index, StatusPurpose::Suspension)
					== suspended,
				"a suspension bit disagrees with its certificate's status"
			);
			let counted = per_institution.entry(c.institution).or_default();
			counted.certificates += 1;
			counted.revoked += u32::from(revoked);
			counted.suspended += u32::from(suspended);

			if let CertificateStatus::Superseded { by } = &c.status {
				let new =
					Certificates::<T>::get(by).ok_or("superseded by a missing certificate")?;
				ensure!(
					new.supersedes == Some(hash),
					"a correction does not name what it corrects"
				);
				ensure!(
					new.subject == c.subject
						&& new.kind == c.kind
						&& new.institution == c.institution,
					"a correction changed the subject, kind or institution"
				);
			}
			if let Some(old) = c.supersedes {
				let old =
					Certificates::<T>::get(old).ok_or("a correction of a missing certificate")?;
				ensure!(
					old.status == CertificateStatus::Superseded { by: hash },
					"a corrected certificate is not marked superseded by its correction"
				);
			}
			*per_subject.entry(c.subject).or_default() += 1;
		}

		let mut institutions = 0usize;
		for (institution, next) in NextStatusIndex::<T>::iter() {
			ensure!(
				next <= T::MaxCertificatesPerInstitution::get(),
				"too many certificates for an institution"
			);
			ensure!(
				per_institution.get(&institution).map_or(0, |c| c.certificates) == next,
				"an institution's next status index is not its number of certificates"
			);
			institutions += 1;
		}
		ensure!(
			institutions == per_institution.len(),
			"the next status indices and the institutions with certificates disagree"
		);

		let mut bits = BTreeMap::<InstitutionId, (u32, u32)>::new();
		for (institution, _, chunk) in StatusChunks::<T>::iter() {
			ensure!(!chunk.is_empty(), "an empty status chunk is stored");
			let (revoked, suspended) = bits.entry(institution).or_default();
			*revoked += chunk.count(StatusPurpose::Revocation);
			*suspended += chunk.count(StatusPurpose::Suspension);
		}
		for (institution, counted) in &per_institution {
			let (revoked, suspended) = bits.remove(institution).unwrap_or_default();
			ensure!(revoked == counted.revoked, "a revocation bit without a revoked certificate");
			ensure!(
				suspended == counted.suspended,
				"a suspension bit without a suspended certificate"
			);
		}
		ensure!(bits.is_empty(), "status bits of an institution without certificates");

		let mut listed = BTreeSet::<H256>::new();
		let mut subjects = 0usize;
		for (subject, count) in SubjectCertificateCount::<T>::iter() {
			ensure!(count > 0, "an empty count is stored");
			ensure!(
				count <= T::MaxCertificatesPerSubject::get(),
				"too many certificates for a subject"
			);
			ensure!(per_subject.get(&subject) == Some(&count), "a subject's count is wrong");
			for slot in 0..count {
				let hash = SubjectCertificates::<T>::get(&subject, slot)
					.ok_or("a subject's list has a gap")?;
				let c = Certificates::<T>::get(hash)
					.ok_or("a subject's list names a missing certificate")?;
				ensure!(c.subject == subject, "a subject's list names another's certificate");
				ensure!(listed.insert(hash), "a certificate is listed twice");
			}
			subjects += 1;
		}
		ensure!(subjects == per_subject.len(), "a subject with certificates has no count");
		ensure!(
			listed.len() == total && SubjectCertificates::<T>::iter().count() == total,
			"a subject list entry beyond its count"
		);
		Ok(())
	}
}
