//! Runtime API of the certificates pallet: verify a certificate by its document hash, read an
//! institution's status list, list a pseudonym's certificates. Served over JSON-RPC by
//! `pallet-certificates-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use codec::Codec;
pub use pallet_certificates::{
	CertificateVerification, StatusListBits, StatusPurpose, SubjectCertificatesPage,
};
use pallet_institutions::InstitutionId;
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Questions anyone may ask about medical certificates.
	pub trait CertificatesApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The certificate issued under `document_hash`, with its validity at the block's
		/// time; `None` if there is none.
		fn verify(document_hash: H256) -> Option<CertificateVerification<AccountId, BlockNumber>>;

		/// The raw bits of `institution`'s `purpose` status list (index 0 is the most
		/// significant bit of byte 0) with the number of indices it has issued, read in one
		/// state.
		fn status_list(institution: InstitutionId, purpose: StatusPurpose) -> StatusListBits;

		/// Page `page` (from 0) of `subject`'s certificates.
		fn certificates_of(subject: AccountId, page: u32) -> SubjectCertificatesPage<BlockNumber>;
	}
}
