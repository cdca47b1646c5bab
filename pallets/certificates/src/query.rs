//! Questions anyone may ask about certificates (for a runtime API and JSON-RPC): is this
//! document a certificate in force, what are an institution's status lists, which
//! certificates does a pseudonym have. Nothing here is secret: all of it can be read from
//! storage; these functions only put it in the form a verifier needs.

use crate::{
	pallet::{
		Certificates, Config, NextStatusIndex, Pallet, StatusChunks, SubjectCertificateCount,
		SubjectCertificates,
	},
	status_list::{BITS_PER_CHUNK, BYTES_PER_CHUNK},
	CertificateVerification, StatusListBits, StatusPurpose, SubjectCertificate,
	SubjectCertificatesPage,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::InstitutionId;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Is `document_hash` a certificate, and is it in force now (at the time of the block the
	/// question is asked at)? `None` if no certificate has this hash. The validity is computed,
	/// so a certificate past its end reads `Expired` without any transaction.
	pub fn verify(
		document_hash: H256,
	) -> Option<CertificateVerification<T::AccountId, BlockNumberFor<T>>> {
		let certificate = Certificates::<T>::get(document_hash)?;
		let checked_at_ms = Self::now_ms();
		let validity = certificate.validity_at(checked_at_ms);
		Some(CertificateVerification {
			validity,
			checked_at_ms,
			subject: certificate.subject,
			kind: certificate.kind,
			issuer: certificate.issuer,
			institution: certificate.institution,
			valid_from_ms: certificate.valid_from_ms,
			valid_until_ms: certificate.valid_until_ms,
			issued_at: certificate.issued_at,
			issued_at_ms: certificate.issued_at_ms,
			status: certificate.status,
			status_index: certificate.status_index,
			supersedes: certificate.supersedes,
		})
	}

	/// The raw bits of `institution`'s `purpose` list for its status indices
	/// `0..NextStatusIndex`, rounded up to whole bytes (the bits past the last index are
	/// zero), most significant bit first: index 0 is the leftmost bit of byte 0. Empty for an
	/// institution without certificates. At most `MaxCertificatesPerInstitution / 8` bytes,
	/// rounded up.
	///
	/// This is the W3C bitstring before padding, compression and encoding, which the RPC
	/// layer does (docs/certificates.md); it comes with the list's length, read once.
	pub fn status_list(institution: InstitutionId, purpose: StatusPurpose) -> StatusListBits {
		let length = NextStatusIndex::<T>::get(institution);
		let bytes = length.div_ceil(8) as usize;
		let mut list = Vec::with_capacity(bytes);
		for chunk in 0..length.div_ceil(BITS_PER_CHUNK) {
			match StatusChunks::<T>::get(institution, chunk) {
				Some(c) => list.extend_from_slice(c.bits(purpose)),
				None => list.extend_from_slice(&[0u8; BYTES_PER_CHUNK]),
			}
		}
		list.truncate(bytes);
		StatusListBits { issued: length, bits: list }
	}

	/// Page `page` (from 0) of `subject`'s certificates, `PageSize` per page, in the order
	/// they were issued, superseded and revoked ones included, each with its validity now.
	pub fn certificates_of(
		subject: &T::AccountId,
		page: u32,
	) -> SubjectCertificatesPage<BlockNumberFor<T>> {
		let total = SubjectCertificateCount::<T>::get(subject);
		let page_size = T::PageSize::get();
		let start = page.saturating_mul(page_size);
		let end = start.saturating_add(page_size).min(total);
		let now_ms = Self::now_ms();
		let certificates = (start..end)
			.filter_map(|slot| SubjectCertificates::<T>::get(subject, slot))
			.filter_map(|document_hash| {
				let c = Certificates::<T>::get(document_hash)?;
				Some(SubjectCertificate {
					document_hash,
					validity: c.validity_at(now_ms),
					kind: c.kind,
					institution: c.institution,
					valid_from_ms: c.valid_from_ms,
					valid_until_ms: c.valid_until_ms,
					status: c.status,
				})
			})
			.collect();
		SubjectCertificatesPage { total, page, page_size, certificates }
	}
}
