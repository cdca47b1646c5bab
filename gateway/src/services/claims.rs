//! Insurance claims (docs/claims.md), signed by the gateway's device: a claim is the
//! institution's act, and the device key is what the gateway holds.
//!
//! Rules of `POST /claims`:
//! 1. Every field is checked, the document is a FHIR `Claim` whose `use` is the request's, the
//!    patient a pseudonym of this hospital (when the node can say), and the node reachable,
//!    before anything is stored.
//! 2. The document is stored with a fresh salt (`services/documents.rs`), then
//!    `Claims::submit` is signed by the device and followed into a block.
//! 3. A refusal by the chain (the claims pallet's error, or the consent pallet's for a release
//!    the patient did not allow) is answered with the error's name and what it means, and the
//!    document is forgotten; so is one the node's pool rejected or that could not be sent (the
//!    node lost between storing and signing). When the outcome is not known
//!    (the node went away, no block in time) the document is kept and 504 names its hash:
//!    `GET /claims/{hash}` tells whether the chain has it.

use super::{
	calls::{self, CLAIM_USES},
	documents::Service,
	input::{invalid, Fields, PSEUDONYM},
};
use crate::api::{with_store, ApiError, ApiState};
use axum::{
	body::Bytes,
	extract::{Path, State},
	http::StatusCode,
	response::{IntoResponse, Response},
	Json,
};
use medchain_client::{to_hex, ws::Until, Error as ClientError};
use pallet_records::Category;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a claim's transaction may take to reach a block.
const INCLUSION: Duration = Duration::from_secs(60);

const FIELDS: &[&str] =
	&["claim", "insurer", "patient", "category", "amount", "use", "preauthorization"];

/// Why a claim's call did not go through.
pub(crate) enum ClaimError {
	/// Refused before anything reached the chain.
	Api(ApiError),
	/// The chain refused it (`chain_error`: `Pallet::Error`).
	Refused {
		/// The HTTP status.
		status: StatusCode,
		/// The pallet and error.
		chain_error: String,
		/// What it means.
		words: String,
		/// The request's field at fault.
		field: Option<&'static str>,
	},
	/// Sent, outcome unknown: the document is kept under `hash`.
	Unknown {
		/// What happened.
		error: String,
		/// The claim's hash.
		hash: [u8; 32],
		/// Its salt.
		salt: [u8; 32],
	},
}

impl From<ApiError> for ClaimError {
	fn from(e: ApiError) -> Self {
		ClaimError::Api(e)
	}
}

impl IntoResponse for ClaimError {
	fn into_response(self) -> Response {
		match self {
			ClaimError::Api(e) => e.into_response(),
			ClaimError::Refused { status, chain_error, words, field } => {
				let mut body = json!({
					"error": format!("the chain refused the claim: {chain_error}: {words}"),
					"chainError": chain_error,
				});
				if let Some(field) = field {
					body["field"] = json!(field);
				}
				(status, Json(body)).into_response()
			},
			ClaimError::Unknown { error, hash, salt } => {
				let body = json!({
					"error": format!("the claim was sent but its outcome is not known ({error}); GET /claims/{} tells whether the chain holds it", to_hex(&hash)),
					"hash": to_hex(&hash),
					"salt": to_hex(&salt),
				});
				(StatusCode::GATEWAY_TIMEOUT, Json(body)).into_response()
			},
		}
	}
}

/// What a refusal of `Pallet::Error` means for a claim to `insurer` disclosing `category`:
/// its status, words and the field at fault.
pub fn refusal(
	pallet: &str,
	error: &str,
	insurer: Option<u32>,
	category: Option<&str>,
) -> (StatusCode, String, Option<&'static str>) {
	use StatusCode as S;
	let insurer = insurer.map(|i| format!("insurer {i}")).unwrap_or_else(|| "the insurer".into());
	let category = category.unwrap_or("this category of");
	let consent = |what: &str| (S::FORBIDDEN, what.to_string(), None);
	match (pallet, error) {
		("Consent", "NoConsent") => {
			consent(&format!("the patient has not consented to payment by {insurer}"))
		},
		("Consent", "DeniedByPatient") => {
			consent(&format!("the patient denies sharing {category} information"))
		},
		("Consent", "ConsentRevoked") => {
			consent(&format!("the patient revoked the consent to payment by {insurer}"))
		},
		("Consent", "ConsentNotYetValid") => {
			consent(&format!("the patient's consent to payment by {insurer} has not started"))
		},
		("Consent", "ConsentExpired") => {
			consent(&format!("the patient's consent to payment by {insurer} has ended"))
		},
		("Consent", "PurposeNotCovered") => {
			consent(&format!("the patient's consent to {insurer} does not cover payment"))
		},
		("Consent", "CustodianNotCovered") => {
			consent(&format!("the patient's consent to {insurer} is limited to another hospital"))
		},
		("Consent", "RecordNotCovered") => consent(&format!(
			"the patient's consent to {insurer} does not cover {category} information"
		)),
		("Consent", "InstitutionInactive") | ("Claims", "NotActiveInsurer") => (
			S::UNPROCESSABLE_ENTITY,
			format!("{insurer} is not an active insurer"),
			Some("insurer"),
		),
		("Consent", "DisclosureLogFull") => (
			S::SERVICE_UNAVAILABLE,
			"the patient's disclosure log is full of recent entries; try later".into(),
			None,
		),
		("Consent", "UnknownPatient") | ("Claims", "NotPatientsCustodian") => {
			(S::NOT_FOUND, "the patient is not registered at this hospital".into(), Some("patient"))
		},
		("Claims", "NotHospitalDevice") => (
			S::SERVICE_UNAVAILABLE,
			"this gateway's device is not a device of an active hospital or clinic".into(),
			None,
		),
		("Claims", "ZeroAmount") => {
			(S::UNPROCESSABLE_ENTITY, "the amount claimed is zero".into(), Some("amount"))
		},
		("Claims", "AlreadySubmitted") => {
			(S::CONFLICT, "a claim with this hash exists already".into(), None)
		},
		("Claims", "UnknownPreauthorization") => (
			S::UNPROCESSABLE_ENTITY,
			"no preauthorization has this hash".into(),
			Some("preauthorization"),
		),
		("Claims", "PreauthorizationMismatch") => (
			S::UNPROCESSABLE_ENTITY,
			"the preauthorization is of another patient, hospital or insurer".into(),
			Some("preauthorization"),
		),
		("Claims", "PreauthorizationNotApproved") => (
			S::UNPROCESSABLE_ENTITY,
			"the preauthorization was not approved".into(),
			Some("preauthorization"),
		),
		("Claims", "NestedPreauthorization") => (
			S::UNPROCESSABLE_ENTITY,
			"a preauthorization cannot name another preauthorization".into(),
			Some("preauthorization"),
		),
		("Claims", "InsurerQueueFull") => {
			(S::SERVICE_UNAVAILABLE, format!("{insurer}'s queue is full; try later"), None)
		},
		("Claims", "HospitalClaimsFull") => (
			S::SERVICE_UNAVAILABLE,
			"this hospital has the most open claims allowed; try later".into(),
			None,
		),
		("Claims", "TooManyClaimsForPatient") => {
			(S::CONFLICT, "the patient has the most claims allowed".into(), None)
		},
		("Claims", "TimersFull") => (
			S::SERVICE_UNAVAILABLE,
			"no deadline slot is free near the wanted block; try again in a block".into(),
			None,
		),
		("Claims", "UnknownClaim") => (S::NOT_FOUND, "no claim has this hash".into(), None),
		("Claims", "NotClaimsHospital") => {
			(S::FORBIDDEN, "the claim was submitted by another hospital".into(), None)
		},
		("Claims", "NotAwaitingInsurer") => (
			S::CONFLICT,
			"the claim no longer waits for the insurer (decided, cancelled or escalated)".into(),
			None,
		),
		("Claims", "NotAppealable") => {
			(S::CONFLICT, "only a rejection or a partial decision may be appealed".into(), None)
		},
		("Claims", "AppealWindowClosed") => {
			(S::CONFLICT, "the appeal window has closed".into(), None)
		},
		("", _) => (
			S::SERVICE_UNAVAILABLE,
			"the transaction failed (not a claims or consent error)".into(),
			None,
		),
		_ => (S::UNPROCESSABLE_ENTITY, "see the pallet's documentation of this error".into(), None),
	}
}

/// What became of a device-signed claims call: `Ok` in a block, else the error to answer.
/// `hash` and `salt`: the stored document, forgotten when the chain refused or the pool
/// rejected the call (rule 3).
async fn send(
	state: &ApiState,
	call: medchain_runtime::RuntimeCall,
	what: &str,
	context: (Option<u32>, Option<&str>),
	stored: Option<([u8; 32], [u8; 32])>,
) -> Result<medchain_client::tx::Included, ClaimError> {
	let forget = || async {
		if let Some((hash, _)) = stored {
			let _ = with_store(state, move |s| Ok(s.forget_document(&hash)?)).await;
		}
	};
	// Nothing sent yet: a failure here forgets the document.
	let ready = match (state.signer.clone(), super::node(state).await) {
		(Some(signer), Ok(ws)) => Ok((signer, ws)),
		(None, _) => Err(ApiError(
			StatusCode::SERVICE_UNAVAILABLE,
			"this gateway signs no claims (no device)".into(),
			None,
		)),
		(_, Err(e)) => Err(e),
	};
	let (signer, ws) = match ready {
		Ok(ready) => ready,
		Err(e) => {
			forget().await;
			return Err(e.into());
		},
	};
	let outcome = signer.submit(&ws, call, Until::InBlock, INCLUSION, what).await;
	match outcome {
		Ok(included) => Ok(included),
		Err(ClientError::ChainRefused { pallet, error, .. }) => {
			forget().await;
			let pallet = pallet.unwrap_or_default();
			let (status, words, field) = refusal(&pallet, &error, context.0, context.1);
			let chain_error = if pallet.is_empty() { error } else { format!("{pallet}::{error}") };
			Err(ClaimError::Refused { status, chain_error, words, field })
		},
		Err(e @ (ClientError::Rpc { .. } | ClientError::Dropped(_))) => {
			forget().await;
			Err(ApiError(
				StatusCode::SERVICE_UNAVAILABLE,
				format!("the node did not accept the transaction: {e}"),
				None,
			)
			.into())
		},
		Err(e) => match stored {
			Some((hash, salt)) => Err(ClaimError::Unknown { error: e.to_string(), hash, salt }),
			None => Err(ApiError(
				StatusCode::GATEWAY_TIMEOUT,
				format!("the outcome is not known: {e}"),
				None,
			)
			.into()),
		},
	}
}

/// `POST /claims`.
pub(crate) async fn submit(
	State(state): State<ApiState>,
	body: Bytes,
) -> Result<Response, ClaimError> {
	let fields = Fields::parse(&body, FIELDS)?;
	let document = fields.document("claim")?;
	let (resource, _) = crate::fhir::check_resource(&document, &["Claim"])
		.map_err(|e| super::fhir_refusal("claim", e))?;
	let claim_use: String = fields.required("use", "claim or preauthorization")?;
	let use_index = calls::index_of(&CLAIM_USES, &claim_use)
		.ok_or_else(|| invalid("use", "use must be claim or preauthorization"))?;
	if resource.get("use").and_then(Value::as_str) != Some(claim_use.as_str()) {
		return Err(invalid(
			"Claim.use",
			format!("the Claim's use must be the request's: {claim_use}"),
		)
		.into());
	}
	let insurer: u32 = fields.required("insurer", "an institution id (a whole number)")?;
	let patient = fields.bytes32("patient", PSEUDONYM)?;
	let category_name: String = fields.required("category", "a record category (Laboratory, …)")?;
	let (category, _) = crate::chain::chain_code::<Category>(&category_name)
		.ok_or_else(|| invalid("category", format!("unknown category {category_name}")))?;
	let amount: String = fields.required("amount", "a decimal string of plancks")?;
	let amount: u128 = amount.parse().map_err(|_| {
		invalid("amount", "amount must be a decimal string of plancks (digits only)")
	})?;
	if amount == 0 {
		return Err(invalid("amount", "the amount claimed must be above zero").into());
	}
	let preauthorization =
		fields.optional_bytes32("preauthorization", "a claim hash: 0x and 64 hex digits")?;
	if use_index == 1 && preauthorization.is_some() {
		return Err(invalid(
			"preauthorization",
			"a preauthorization cannot name another preauthorization",
		)
		.into());
	}
	if state.signer.is_none() {
		return Err(ApiError(
			StatusCode::SERVICE_UNAVAILABLE,
			"this gateway signs no claims (no device)".into(),
			None,
		)
		.into());
	}
	super::node(&state).await?;
	super::ensure_our_patient(&state, "patient", &patient).await?;

	let (hash, salt) = super::store(&state, Service::Claim, patient, document).await?;
	let call = calls::claims_submit(&calls::Submit {
		claim: hash,
		insurer,
		patient,
		category,
		amount,
		claim_use: use_index,
		preauthorization,
	});
	let call = match call {
		Ok(call) => call,
		Err(e) => {
			let _ = with_store(&state, move |s| Ok(s.forget_document(&hash)?)).await;
			return Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, e, None).into());
		},
	};
	let context = (Some(insurer), Some(category_name.as_str()));
	let included = send(&state, call, "Claims::submit", context, Some((hash, salt))).await?;
	Ok(super::created(json!({
		"hash": to_hex(&hash),
		"salt": to_hex(&salt),
		"block": included.block_number,
		"blockHash": included.block_hash,
	})))
}

/// `GET /claims/{hash}`.
pub(crate) async fn status(
	State(state): State<ApiState>,
	Path(hash): Path<String>,
) -> Result<Response, ApiError> {
	let hash = super::path_hash(&hash)?;
	let held = with_store(&state, move |s| Ok(s.service_document(&hash)?))
		.await?
		.is_some_and(|d| d.service == Service::Claim);
	let chain = super::ask(&state, "claims_get", &hash).await?;
	if chain.is_null() && !held {
		return Err(ApiError(
			StatusCode::NOT_FOUND,
			"no claim has this hash, on chain or here".into(),
			None,
		));
	}
	Ok(Json(json!({
		"hash": to_hex(&hash),
		"status": chain.get("status").cloned().unwrap_or(Value::Null),
		"held": held,
		"chain": chain,
	}))
	.into_response())
}

async fn close(state: ApiState, hash: String, appeal: bool) -> Result<Response, ClaimError> {
	let hash = super::path_hash(&hash)?;
	let call = calls::claims_close(hash, appeal)
		.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e, None))?;
	let what = if appeal { "Claims::appeal" } else { "Claims::cancel" };
	let included = send(&state, call, what, (None, None), None).await?;
	Ok(Json(json!({
		"hash": to_hex(&hash),
		"status": if appeal { "appealed" } else { "cancelled" },
		"block": included.block_number,
		"blockHash": included.block_hash,
	}))
	.into_response())
}

/// `POST /claims/{hash}/cancel`.
pub(crate) async fn cancel(
	State(state): State<ApiState>,
	Path(hash): Path<String>,
) -> Result<Response, ClaimError> {
	close(state, hash, false).await
}

/// `POST /claims/{hash}/appeal`.
pub(crate) async fn appeal(
	State(state): State<ApiState>,
	Path(hash): Path<String>,
) -> Result<Response, ClaimError> {
	close(state, hash, true).await
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn refusals_have_their_status_words_and_field() {
		let (status, words, field) = refusal("Consent", "NoConsent", Some(7), Some("Laboratory"));
		assert_eq!(status, StatusCode::FORBIDDEN);
		assert_eq!(words, "the patient has not consented to payment by insurer 7");
		assert_eq!(field, None);
		let (status, words, _) =
			refusal("Consent", "DeniedByPatient", Some(7), Some("MentalHealth"));
		assert_eq!(
			(status, words.as_str()),
			(StatusCode::FORBIDDEN, "the patient denies sharing MentalHealth information")
		);
		assert_eq!(refusal("Claims", "NotActiveInsurer", Some(3), None).2, Some("insurer"));
		assert_eq!(refusal("Claims", "NotPatientsCustodian", None, None).0, StatusCode::NOT_FOUND);
		assert_eq!(refusal("Claims", "NotAwaitingInsurer", None, None).0, StatusCode::CONFLICT);
		assert_eq!(
			refusal("Claims", "SomethingNew", None, None).0,
			StatusCode::UNPROCESSABLE_ENTITY
		);
		assert_eq!(
			refusal("", "Token(FundsUnavailable)", None, None).0,
			StatusCode::SERVICE_UNAVAILABLE
		);
	}
}
