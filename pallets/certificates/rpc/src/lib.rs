//! JSON-RPC methods of the certificates pallet:
//!
//! - `certificates_verify(documentHash, at?)`: is this document a certificate, and is it in
//!   force? (issuer, institution, kind, validity, status; `found: false` if unknown)
//! - `certificates_statusList(institution, purpose, at?)`: the institution's revocation or
//!   suspension list as a W3C Bitstring Status List credential (unsigned: its authority is the
//!   chain at the block `at`, named in the answer), so verifiers can check certificates
//!   offline from a copy.
//! - `certificates_ofSubject(subject, page?, at?)`: a page of a pseudonym's certificates.
//!
//! Hashes are `0x`-prefixed 32-byte hex; accounts are SS58 addresses; `purpose` is
//! `"revocation"` or `"suspension"`. Errors carry a code and a message; nothing panics.

mod bitstring;

pub use bitstring::{decode_list, encode_list, MIN_LIST_BITS};
use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use pallet_certificates::{CertificateVerification, StatusPurpose, SubjectCertificatesPage};
pub use pallet_certificates_runtime_api::CertificatesApi as CertificatesRuntimeApi;
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;

/// The runtime could not answer (e.g. the block is unknown or lacks the API).
pub const RUNTIME_ERROR: i32 = 8101;

/// The answer of `certificates_verify`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse<AccountId, BlockNumber> {
	/// Whether a certificate was issued under this document hash at all.
	pub found: bool,
	/// What the chain knows of it, when found.
	#[serde(flatten)]
	pub verification: Option<CertificateVerification<AccountId, BlockNumber>>,
}

/// The answer of `certificates_statusList`: a W3C `BitstringStatusListCredential` (JSON-LD,
/// without a proof) and the block it was read at.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatusListResponse<BlockHash> {
	/// The block whose state the list shows.
	pub at: BlockHash,
	/// Status indices the institution has issued (the list is padded beyond them).
	pub issued: u32,
	/// The credential.
	pub credential: serde_json::Value,
}

/// The certificates JSON-RPC methods.
#[rpc(client, server)]
pub trait CertificatesApi<BlockHash, AccountId, BlockNumber> {
	/// Whether `document_hash` is a certificate, and whether it is in force.
	#[method(name = "certificates_verify")]
	fn verify(
		&self,
		document_hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<VerifyResponse<AccountId, BlockNumber>>;

	/// `institution`'s `purpose` list as a W3C Bitstring Status List credential.
	#[method(name = "certificates_statusList")]
	fn status_list(
		&self,
		institution: u32,
		purpose: StatusPurpose,
		at: Option<BlockHash>,
	) -> RpcResult<StatusListResponse<BlockHash>>;

	/// Page `page` (default 0) of `subject`'s certificates.
	#[method(name = "certificates_ofSubject")]
	fn of_subject(
		&self,
		subject: AccountId,
		page: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<SubjectCertificatesPage<BlockNumber>>;
}

/// Serves the certificates methods from a client.
pub struct Certificates<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Certificates<C, B> {
	/// Serves from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("the runtime could not answer: {e}"), None::<()>)
}

/// The W3C `statusPurpose` value of a list.
pub fn purpose_name(purpose: StatusPurpose) -> &'static str {
	match purpose {
		StatusPurpose::Revocation => "revocation",
		StatusPurpose::Suspension => "suspension",
	}
}

/// The credential for `institution`'s `purpose` list with the raw bits `bits`.
pub fn status_list_credential(
	institution: u32,
	purpose: StatusPurpose,
	bits: &[u8],
) -> serde_json::Value {
	let purpose = purpose_name(purpose);
	let id = format!("urn:medchain:institution:{institution}:status-list:{purpose}");
	serde_json::json!({
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"id": id,
		"type": ["VerifiableCredential", "BitstringStatusListCredential"],
		"issuer": format!("urn:medchain:institution:{institution}"),
		"credentialSubject": {
			"id": format!("{id}#list"),
			"type": "BitstringStatusList",
			"statusPurpose": purpose,
			"encodedList": encode_list(bits),
		},
	})
}

impl<C, Block, AccountId, BlockNumber>
	CertificatesApiServer<<Block as BlockT>::Hash, AccountId, BlockNumber> for Certificates<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CertificatesRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	BlockNumber: Codec + Clone + Send + Sync + Serialize + 'static,
{
	fn verify(
		&self,
		document_hash: H256,
		at: Option<Block::Hash>,
	) -> RpcResult<VerifyResponse<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let verification =
			self.client.runtime_api().verify(at, document_hash).map_err(runtime_error)?;
		Ok(VerifyResponse { found: verification.is_some(), verification })
	}

	fn status_list(
		&self,
		institution: u32,
		purpose: StatusPurpose,
		at: Option<Block::Hash>,
	) -> RpcResult<StatusListResponse<Block::Hash>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let list = self
			.client
			.runtime_api()
			.status_list(at, institution, purpose)
			.map_err(runtime_error)?;
		Ok(StatusListResponse {
			at,
			issued: list.issued,
			credential: status_list_credential(institution, purpose, &list.bits),
		})
	}

	fn of_subject(
		&self,
		subject: AccountId,
		page: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<SubjectCertificatesPage<BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.certificates_of(at, subject, page.unwrap_or(0))
			.map_err(runtime_error)
	}
}
