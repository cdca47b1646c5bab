//! FHIR JSON checks (R4/R5 element names) for the documents the gateway accepts, and the
//! `DocumentReference` view of a stored record.
//!
//! Hand-written on purpose: full FHIR crates are too heavy for our CI. A document is accepted
//! when it is a JSON object whose `resourceType` is one we accept and whose required elements
//! (cardinality 1..) are present and of the right JSON kind; anything else is refused with the
//! element that failed (`FhirError`, an HTTP 422 with that field). Other formats (CDA, PDF,
//! DICOM) are stored as they come.

use serde_json::{json, Map, Value};

/// Why a FHIR JSON document was refused: the element (a FHIRPath-like name) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhirError {
	/// The element, e.g. `Observation.status`.
	pub field: String,
	/// What is wrong with it.
	pub problem: &'static str,
}

impl core::fmt::Display for FhirError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{}: {}", self.field, self.problem)
	}
}

/// The JSON kind an element must have.
#[derive(Clone, Copy)]
enum Kind {
	/// A string (code, id, dateTime).
	Text,
	/// An object (CodeableConcept, Reference, ...).
	Object,
	/// A non-empty array.
	List,
}

/// The resources we accept and their required elements. A `name[x]` element is a choice:
/// any key starting with `name` followed by an upper-case letter satisfies it.
const REQUIRED: &[(&str, &[(&str, Kind)])] = &[
	("Observation", &[("status", Kind::Text), ("code", Kind::Object)]),
	("DiagnosticReport", &[("status", Kind::Text), ("code", Kind::Object)]),
	("AllergyIntolerance", &[("patient", Kind::Object)]),
	("Condition", &[("subject", Kind::Object)]),
	(
		"MedicationStatement",
		&[("status", Kind::Text), ("medication[x]", Kind::Object), ("subject", Kind::Object)],
	),
	(
		"MedicationRequest",
		&[
			("status", Kind::Text),
			("intent", Kind::Text),
			("medication[x]", Kind::Object),
			("subject", Kind::Object),
		],
	),
	(
		"Immunization",
		&[
			("status", Kind::Text),
			("vaccineCode", Kind::Object),
			("patient", Kind::Object),
			("occurrence[x]", Kind::Text),
		],
	),
	("Procedure", &[("status", Kind::Text), ("subject", Kind::Object)]),
	(
		"Composition",
		&[
			("status", Kind::Text),
			("type", Kind::Object),
			("date", Kind::Text),
			("author", Kind::List),
			("title", Kind::Text),
		],
	),
	("Bundle", &[("type", Kind::Text)]),
];

/// Resources the gateway accepts only as the document of a service (`POST /claims`,
/// `POST /certificates`), never as a record: their required elements, in both R4 and R5.
const SERVICE_ONLY: &[(&str, &[(&str, Kind)])] = &[
	(
		"Claim",
		&[
			("status", Kind::Text),
			("type", Kind::Object),
			("use", Kind::Text),
			("patient", Kind::Object),
			("created", Kind::Text),
		],
	),
	("DocumentReference", &[("status", Kind::Text), ("content", Kind::List)]),
];

/// Checks a FHIR JSON document; returns its resource type.
pub fn check(document: &[u8]) -> Result<&'static str, FhirError> {
	let (_, name) = check_against(document, REQUIRED, "not a resource type this gateway accepts")?;
	Ok(name)
}

/// Checks a FHIR JSON document that must be one of the resource types `allowed` (records' and
/// services' types); returns the parsed object and its resource type.
pub fn check_resource(
	document: &[u8],
	allowed: &[&str],
) -> Result<(Map<String, Value>, &'static str), FhirError> {
	let known: Vec<(&'static str, &'static [(&'static str, Kind)])> = REQUIRED
		.iter()
		.chain(SERVICE_ONLY)
		.filter(|(name, _)| allowed.contains(name))
		.copied()
		.collect();
	check_against(document, &known, "not the resource type expected here")
}

fn check_against(
	document: &[u8],
	table: &[(&'static str, &'static [(&'static str, Kind)])],
	unknown: &'static str,
) -> Result<(Map<String, Value>, &'static str), FhirError> {
	let err = |field: &str, problem| FhirError { field: field.to_string(), problem };
	let value: Value =
		serde_json::from_slice(document).map_err(|_| err("(document)", "not JSON"))?;
	let Value::Object(object) = value else {
		return Err(err("(document)", "not a JSON object"));
	};
	let rt = object
		.get("resourceType")
		.and_then(Value::as_str)
		.ok_or_else(|| err("resourceType", "missing or not a string"))?;
	let (name, required) =
		table.iter().find(|(name, _)| *name == rt).ok_or_else(|| err("resourceType", unknown))?;
	for (element, kind) in *required {
		let field = format!("{name}.{element}");
		let found = match element.strip_suffix("[x]") {
			Some(stem) => choice(&object, stem),
			None => object.get(*element),
		};
		let value = found.ok_or_else(|| err(&field, "required element missing"))?;
		let ok = match kind {
			Kind::Text => value.is_string() || (value.is_object() && element.ends_with("[x]")),
			Kind::Object => value.is_object() || (element.ends_with("[x]") && value.is_string()),
			Kind::List => value.as_array().is_some_and(|a| !a.is_empty()),
		};
		if !ok {
			return Err(err(&field, "wrong JSON kind"));
		}
	}
	Ok((object, name))
}

/// The value of a choice element `stem[x]` (e.g. `medicationCodeableConcept`).
fn choice<'a>(object: &'a Map<String, Value>, stem: &str) -> Option<&'a Value> {
	object.iter().find_map(|(key, value)| {
		let rest = key.strip_prefix(stem)?;
		rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()).then_some(value)
	})
}

/// What the `DocumentReference` view shows of one record version.
pub struct DocumentView<'a> {
	/// The record id (the custodian's).
	pub record_id: &'a str,
	/// The version.
	pub version: u32,
	/// The patient's pseudonym at this custodian, hex.
	pub patient: String,
	/// The chain's category name (e.g. `Laboratory`), shown as the DocumentReference class.
	pub category: &'a str,
	/// The document's MIME type.
	pub content_type: &'a str,
	/// Its size in bytes.
	pub size: u64,
	/// Its content hash (SHA-256 of salt and document), hex.
	pub content_hash: String,
	/// `current` or `superseded`/`entered-in-error` (FHIR DocumentReference.status).
	pub status: &'a str,
}

/// A FHIR R4 `DocumentReference` for one record version (IHE MHD style): identifier, status,
/// subject, category, content with size and hash. The hash is the anchored one
/// (`SHA-256(salt || document)`, not FHIR's `attachment.hash` of the bare document), so it
/// goes in an extension, in hex as the chain shows it.
pub fn document_reference(view: &DocumentView) -> Value {
	json!({
		"resourceType": "DocumentReference",
		"id": format!("{}-{}", view.record_id, view.version),
		"identifier": [{"system": "urn:medchain:record", "value": view.record_id}],
		"status": view.status,
		"subject": {"identifier": {"system": "urn:medchain:pseudonym", "value": view.patient}},
		"category": [{"coding": [{"system": "urn:medchain:category", "code": view.category}]}],
		"content": [{"attachment": {
			"contentType": view.content_type,
			"size": view.size,
			"url": format!("records/{}/versions/{}", view.record_id, view.version),
		}}],
		"extension": [{"url": "urn:medchain:content-hash", "valueString": view.content_hash}],
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accepted_resources_pass_and_name_their_type() {
		let obs = br#"{"resourceType":"Observation","status":"final","code":{"text":"K"}}"#;
		assert_eq!(check(obs), Ok("Observation"));
		let rx = br#"{"resourceType":"MedicationRequest","status":"active","intent":"order",
			"medicationCodeableConcept":{"text":"amoxicillin"},"subject":{"reference":"Patient/1"}}"#;
		assert_eq!(check(rx), Ok("MedicationRequest"));
		let comp =
			br#"{"resourceType":"Composition","status":"final","type":{},"date":"2026-12-01",
			"author":[{"reference":"Practitioner/7"}],"title":"Discharge summary"}"#;
		assert_eq!(check(comp), Ok("Composition"));
		let no_author = br#"{"resourceType":"Composition","status":"final","type":{},"date":"x",
			"author":[],"title":"t"}"#;
		assert_eq!(check(no_author).unwrap_err().field, "Composition.author");
		let imm = br#"{"resourceType":"Immunization","status":"completed","vaccineCode":{},
			"patient":{},"occurrenceDateTime":"2026-11-30"}"#;
		assert_eq!(check(imm), Ok("Immunization"));
	}

	#[test]
	fn refusals_name_the_field() {
		let field = |doc: &[u8]| check(doc).unwrap_err().field;
		assert_eq!(field(b"not json"), "(document)");
		assert_eq!(field(b"[1,2]"), "(document)");
		assert_eq!(field(br#"{"status":"final"}"#), "resourceType");
		assert_eq!(field(br#"{"resourceType":"Patient","name":[]}"#), "resourceType");
		assert_eq!(field(br#"{"resourceType":"Observation","code":{}}"#), "Observation.status");
		assert_eq!(
			field(br#"{"resourceType":"Observation","status":"final","code":"K"}"#),
			"Observation.code"
		);
		assert_eq!(
			field(br#"{"resourceType":"MedicationRequest","status":"active","intent":"order","subject":{}}"#),
			"MedicationRequest.medication[x]"
		);
		// `medication` alone is not a choice value (the type suffix is required).
		assert_eq!(
			field(br#"{"resourceType":"MedicationRequest","status":"active","intent":"order","medication":{},"subject":{}}"#),
			"MedicationRequest.medication[x]"
		);
	}

	#[test]
	fn service_resources_are_checked_only_where_asked_for() {
		let claim = br#"{"resourceType":"Claim","status":"active","type":{},"use":"claim",
			"patient":{},"created":"2026-12-01"}"#;
		assert_eq!(check_resource(claim, &["Claim"]).unwrap().1, "Claim");
		assert_eq!(check(claim).unwrap_err().field, "resourceType", "a Claim is no record");
		let rx = br#"{"resourceType":"MedicationRequest","status":"active","intent":"order",
			"medicationCodeableConcept":{},"subject":{}}"#;
		assert_eq!(check_resource(rx, &["Claim"]).unwrap_err().field, "resourceType");
		let no_use =
			br#"{"resourceType":"Claim","status":"active","type":{},"patient":{},"created":"x"}"#;
		assert_eq!(check_resource(no_use, &["Claim"]).unwrap_err().field, "Claim.use");
		let note = br#"{"resourceType":"DocumentReference","status":"current",
			"content":[{"attachment":{"contentType":"application/pdf"}}]}"#;
		assert_eq!(check_resource(note, &["DocumentReference"]).unwrap().1, "DocumentReference");
		let empty = br#"{"resourceType":"DocumentReference","status":"current","content":[]}"#;
		let refused = check_resource(empty, &["DocumentReference"]).unwrap_err();
		assert_eq!(refused.field, "DocumentReference.content");
	}

	#[test]
	fn the_document_reference_view_carries_the_anchored_hash() {
		let view = DocumentView {
			record_id: "lab-1",
			version: 2,
			patient: "0xab".into(),
			category: "Laboratory",
			content_type: "application/fhir+json",
			size: 120,
			content_hash: "0x88d7".into(),
			status: "current",
		};
		let doc = document_reference(&view);
		assert_eq!(doc["resourceType"], "DocumentReference");
		assert_eq!(doc["content"][0]["attachment"]["size"], 120);
		assert_eq!(doc["extension"][0]["valueString"], "0x88d7");
		assert_eq!(doc["id"], "lab-1-2");
		assert_eq!(check(doc.to_string().as_bytes()).unwrap_err().field, "resourceType");
	}
}
