//! Medical certificates (docs/certificates.md). The practitioner signs `Certificates::issue`,
//! never the gateway: a certificate names the clinician who made it. The gateway checks the
//! document and the call's arguments, stores the document with a fresh salt and answers the
//! call for the practitioner's own signer; whoever is shown the certificate verifies it with
//! `POST /certificates/verify`.

use super::{
	calls::{self, CERTIFICATE_KINDS},
	documents::Service,
	input::{invalid, Fields, PSEUDONYM},
};
use crate::api::{ApiError, ApiState};
use axum::{body::Bytes, extract::State, response::Response, Json};
use medchain_client::to_hex;
use serde_json::{json, Value};

const FIELDS: &[&str] = &["document", "subject", "kind", "validFromMs", "validUntilMs"];

/// The FHIR resources a certificate of `kind` may be (docs/certificates.md, "Kinds").
fn resources_of(kind: &str) -> &'static [&'static str] {
	match kind {
		"Vaccination" => &["Immunization", "DocumentReference"],
		_ => &["DocumentReference"],
	}
}

/// `POST /certificates`: → 201 `{hash, salt, call}`.
pub(crate) async fn prepare(
	State(state): State<ApiState>,
	body: Bytes,
) -> Result<Response, ApiError> {
	let fields = Fields::parse(&body, FIELDS)?;
	let kind_name: String = fields.required("kind", "a certificate kind (SickLeave, …)")?;
	let kind = calls::index_of(&CERTIFICATE_KINDS, &kind_name).ok_or_else(|| {
		invalid("kind", format!("kind must be one of {}", CERTIFICATE_KINDS.join(", ")))
	})?;
	let document = fields.document("document")?;
	let allowed = resources_of(&kind_name);
	crate::fhir::check_resource(&document, allowed).map_err(|e| {
		if e.field == "resourceType" {
			let what = format!("a {kind_name} certificate is a {}", allowed.join(" or "));
			invalid("document.resourceType", what)
		} else {
			super::fhir_refusal("document", e)
		}
	})?;
	let subject = fields.bytes32("subject", PSEUDONYM)?;
	let valid_from_ms: u64 = fields.required("validFromMs", "milliseconds since the Unix epoch")?;
	let valid_until_ms: Option<u64> =
		fields.optional("validUntilMs", "milliseconds since the Unix epoch")?;
	if valid_until_ms.is_some_and(|until| until <= valid_from_ms) {
		return Err(invalid("validUntilMs", "validUntilMs must be after validFromMs"));
	}
	super::ensure_our_patient(&state, "subject", &subject).await?;

	let (hash, salt) = super::store(&state, Service::Certificate, subject, document).await?;
	let call = calls::certificates_issue(&calls::Certify {
		subject,
		hash,
		kind,
		valid_from_ms,
		valid_until_ms,
	});
	let signer = "a practitioner of this hospital whose role may issue this kind";
	super::prescriptions::prepared(&state, hash, salt, call, "Certificates::issue", signer).await
}

/// The verdict in words on a certificate from `certificates_verify`'s answer.
pub fn verdict(answer: &Value) -> Value {
	if answer["found"] != json!(true) {
		return json!({"verdict": "unknown", "note": "no certificate has this hash: an altered document, another salt, or never issued"});
	}
	let words = match answer["validity"].as_str() {
		Some("Valid") => "valid",
		Some("Suspended") => "suspended",
		Some("Revoked") => "revoked",
		Some("Superseded") => "superseded",
		Some("Expired") => "expired",
		Some("NotYetValid") => "not yet valid",
		_ => "unknown",
	};
	json!({
		"verdict": words,
		"institution": answer["institution"],
		"issuer": answer["issuer"],
		"kind": answer["kind"],
		"subject": answer["subject"],
		"validFromMs": answer["validFromMs"],
		"validUntilMs": answer["validUntilMs"],
		"checkedAtMs": answer["checkedAtMs"],
		"supersededBy": answer["status"]["Superseded"]["by"],
		"supersedes": answer["supersedes"],
	})
}

/// `POST /certificates/verify`: `{document, salt}` → `valid`, `suspended`, `revoked`,
/// `superseded`, `expired`, `not yet valid` or `unknown`, with the issuing institution and the
/// kind.
pub(crate) async fn verify(
	State(state): State<ApiState>,
	body: Bytes,
) -> Result<Json<Value>, ApiError> {
	let fields = Fields::parse(&body, &["document", "salt"])?;
	let hash = super::verified_hash(&fields)?;
	let answer = super::ask(&state, "certificates_verify", &hash).await?;
	let mut body = verdict(&answer);
	body["contentHash"] = json!(to_hex(&hash));
	body["chain"] = answer;
	Ok(Json(body))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_verdict_is_in_words() {
		assert_eq!(verdict(&json!({"found": false}))["verdict"], "unknown");
		for (validity, words) in [
			("Valid", "valid"),
			("Suspended", "suspended"),
			("Revoked", "revoked"),
			("Superseded", "superseded"),
			("Expired", "expired"),
			("NotYetValid", "not yet valid"),
		] {
			let answer =
				json!({"found": true, "validity": validity, "institution": 3, "kind": "SickLeave"});
			let v = verdict(&answer);
			assert_eq!((v["verdict"].as_str(), v["institution"].as_u64()), (Some(words), Some(3)));
			assert_eq!(v["kind"], "SickLeave");
		}
		let replaced = json!({"found": true, "validity": "Superseded", "status": {"Superseded": {"by": "0xab"}}});
		assert_eq!(verdict(&replaced)["supersededBy"], "0xab");
	}
}
