//! E-prescriptions (docs/prescriptions.md). The physician signs `Prescriptions::issue`, never
//! the gateway: a prescription names the physician who wrote it. The gateway checks the FHIR
//! `MedicationRequest` and the call's arguments, stores the document with a fresh salt and
//! answers the call for the physician's own signer; a pharmacy (or anyone the hospital serves)
//! verifies a prescription it is shown with `POST /prescriptions/verify`.

use super::{
	calls::{self, MAX_FILLS},
	documents::Service,
	input::{invalid, Fields, PSEUDONYM},
};
use crate::api::{with_store, ApiError, ApiState};
use axum::{body::Bytes, extract::State, http::StatusCode, response::Response, Json};
use codec::Encode;
use medchain_client::to_hex;
use serde_json::{json, Value};

const FIELDS: &[&str] =
	&["medicationRequest", "patient", "pharmacy", "fills", "validUntil", "substitution"];

/// `POST /prescriptions`: → 201 `{hash, salt, call}`.
pub(crate) async fn prepare(
	State(state): State<ApiState>,
	body: Bytes,
) -> Result<Response, ApiError> {
	let fields = Fields::parse(&body, FIELDS)?;
	let document = fields.document("medicationRequest")?;
	let (resource, _) = crate::fhir::check_resource(&document, &["MedicationRequest"])
		.map_err(|e| super::fhir_refusal("medicationRequest", e))?;
	let patient = fields.bytes32("patient", PSEUDONYM)?;
	let pharmacy: Option<u32> =
		fields.optional("pharmacy", "an institution id (a whole number)")?;
	let fills: u8 = fields.required("fills", "a number of fills from 1 to 12")?;
	if fills == 0 || fills > MAX_FILLS {
		return Err(invalid("fills", format!("fills must be from 1 to {MAX_FILLS}")));
	}
	let valid_until: Option<u32> = fields.optional("validUntil", "a block number")?;
	if valid_until == Some(0) {
		return Err(invalid("validUntil", "validUntil must be a block after the current one"));
	}
	let substitution: bool = fields.required("substitution", "true or false")?;
	// What the document says must be what the chain is told (docs/prescriptions.md, "FHIR
	// mapping"), when it says it.
	let repeats = resource.get("dispenseRequest").and_then(|d| d.get("numberOfRepeatsAllowed"));
	if let Some(repeats) = repeats {
		if repeats.as_u64() != Some(u64::from(fills) - 1) {
			let field = "MedicationRequest.dispenseRequest.numberOfRepeatsAllowed";
			return Err(invalid(field, format!("{field} must be fills - 1 = {}", fills - 1)));
		}
	}
	let allowed = resource.get("substitution").and_then(|s| s.get("allowedBoolean"));
	if let Some(allowed) = allowed {
		if allowed.as_bool() != Some(substitution) {
			let field = "MedicationRequest.substitution.allowedBoolean";
			return Err(invalid(field, format!("{field} must be the request's substitution")));
		}
	}
	super::ensure_our_patient(&state, "patient", &patient).await?;

	let (hash, salt) = super::store(&state, Service::Prescription, patient, document).await?;
	let call = calls::prescriptions_issue(&calls::Issue {
		hash,
		patient,
		pharmacy,
		fills,
		valid_until,
		substitution,
	});
	prepared(&state, hash, salt, call, "Prescriptions::issue", "a physician of this hospital").await
}

/// 201 with the prepared call, or (the call could not be made) the document forgotten and 500.
pub(super) async fn prepared(
	state: &ApiState,
	hash: [u8; 32],
	salt: [u8; 32],
	call: Result<medchain_runtime::RuntimeCall, String>,
	method: &str,
	signer: &str,
) -> Result<Response, ApiError> {
	match call {
		Ok(call) => Ok(super::created(json!({
			"hash": to_hex(&hash),
			"salt": to_hex(&salt),
			"call": to_hex(&call.encode()),
			"method": method,
			"signer": signer,
		}))),
		Err(e) => {
			let _ = with_store(state, move |s| Ok(s.forget_document(&hash)?)).await;
			Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, e, None))
		},
	}
}

/// The verdict on a prescription from `prescriptions_get`'s answer, for a pharmacy
/// `pharmacy` (any other pharmacy's live claim blocks it; without `pharmacy`, any live claim).
pub fn verdict(answer: &Value, pharmacy: Option<u32>) -> Value {
	if answer["found"] != json!(true) {
		return json!({"status": "unknown", "note": "no prescription has this hash: an altered document, another salt, or never issued"});
	}
	let claim = &answer["claim"];
	let live = claim["live"] == json!(true);
	let claimed_by_another = live && pharmacy.is_none_or(|p| claim["pharmacy"] != json!(p));
	let status = answer["status"].as_str().unwrap_or("unknown");
	let remaining = answer["remaining"].as_u64().unwrap_or(0);
	json!({
		"status": status,
		"remaining": remaining,
		"fills": answer["fills"],
		"dispensed": answer["dispensed"],
		"institution": answer["institution"],
		"prescriber": answer["prescriber"],
		"designatedPharmacy": answer["pharmacy"],
		"validUntil": answer["validUntil"],
		"substitution": answer["substitution"],
		"claimedByAnotherPharmacy": claimed_by_another,
		"claim": if claim.is_object() { json!({"pharmacy": claim["pharmacy"], "live": live, "lockedUntil": claim["lockedUntil"]}) } else { Value::Null },
		"dispensable": status == "active" && remaining > 0 && !claimed_by_another,
	})
}

/// `POST /prescriptions/verify`: `{document, salt, pharmacy?}` → the prescription's status,
/// remaining fills and whether another pharmacy holds a live claim.
pub(crate) async fn verify(
	State(state): State<ApiState>,
	body: Bytes,
) -> Result<Json<Value>, ApiError> {
	let fields = Fields::parse(&body, &["document", "salt", "pharmacy"])?;
	let hash = super::verified_hash(&fields)?;
	let pharmacy: Option<u32> =
		fields.optional("pharmacy", "an institution id (a whole number)")?;
	let answer = super::ask(&state, "prescriptions_get", &hash).await?;
	let mut body = verdict(&answer, pharmacy);
	body["contentHash"] = json!(to_hex(&hash));
	body["chain"] = answer;
	Ok(Json(body))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_verdict_names_status_fills_and_other_pharmacies_claims() {
		assert_eq!(verdict(&json!({"found": false}), None)["status"], "unknown");
		let answer = json!({"found": true, "status": "active", "remaining": 2, "fills": 2,
			"dispensed": 0, "claim": {"pharmacy": 4, "live": true, "lockedUntil": 90}});
		let mine = verdict(&answer, Some(4));
		assert_eq!(
			(mine["claimedByAnotherPharmacy"].clone(), mine["dispensable"].clone()),
			(json!(false), json!(true))
		);
		let other = verdict(&answer, Some(5));
		assert_eq!(
			(other["claimedByAnotherPharmacy"].clone(), other["dispensable"].clone()),
			(json!(true), json!(false))
		);
		assert_eq!(verdict(&answer, None)["claimedByAnotherPharmacy"], json!(true));
		let lapsed = json!({"found": true, "status": "active", "remaining": 1, "claim": {"pharmacy": 4, "live": false}});
		assert_eq!(verdict(&lapsed, Some(5))["dispensable"], json!(true));
		let done = json!({"found": true, "status": "completed", "remaining": 0, "claim": null});
		assert_eq!(
			(done["status"].clone(), verdict(&done, None)["dispensable"].clone()),
			(json!("completed"), json!(false))
		);
	}
}
