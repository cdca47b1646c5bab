//! Reading the services' JSON bodies: each field checked on its own, a refusal naming the field
//! (HTTP 422 with `field`, as the rest of the API), nothing stored before every field passed.
//! A FHIR document inside a body is kept as the exact bytes of its JSON value as sent: those
//! bytes are what is stored and hashed.

use crate::api::ApiError;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A refusal of `field`: 422 with `what`.
pub fn invalid(field: &str, what: impl Into<String>) -> ApiError {
	ApiError(StatusCode::UNPROCESSABLE_ENTITY, what.into(), Some(field.into()))
}

/// A JSON object body, its fields kept as the raw JSON text sent.
pub struct Fields(BTreeMap<String, Box<RawValue>>);

impl Fields {
	/// The body's fields; an unknown field or a body that is not a JSON object is refused.
	pub fn parse(body: &[u8], known: &[&str]) -> Result<Self, ApiError> {
		let map: BTreeMap<String, Box<RawValue>> = serde_json::from_slice(body)
			.map_err(|e| invalid("(body)", format!("the body must be a JSON object: {e}")))?;
		if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
			return Err(invalid(unknown, format!("unknown field {unknown}")));
		}
		Ok(Fields(map))
	}

	fn present(&self, name: &str) -> Option<&RawValue> {
		self.0.get(name).map(|v| &**v).filter(|v| v.get() != "null")
	}

	/// Field `name`, which must be present and a `what`.
	pub fn required<T: DeserializeOwned>(&self, name: &str, what: &str) -> Result<T, ApiError> {
		self.optional(name, what)?
			.ok_or_else(|| invalid(name, format!("{name} is required ({what})")))
	}

	/// Field `name` if present (and not `null`): a `what`.
	pub fn optional<T: DeserializeOwned>(
		&self,
		name: &str,
		what: &str,
	) -> Result<Option<T>, ApiError> {
		self.present(name)
			.map(|raw| {
				serde_json::from_str(raw.get())
					.map_err(|_| invalid(name, format!("{name} must be {what}")))
			})
			.transpose()
	}

	/// Field `name`, a FHIR resource as a JSON object: the exact bytes of its value as sent.
	pub fn document(&self, name: &str) -> Result<Vec<u8>, ApiError> {
		let raw = self.present(name).ok_or_else(|| {
			invalid(name, format!("{name} is required (a FHIR resource as a JSON object)"))
		})?;
		if !raw.get().starts_with('{') {
			return Err(invalid(name, format!("{name} must be a FHIR resource as a JSON object")));
		}
		Ok(raw.get().as_bytes().to_vec())
	}

	/// Field `name` of a verification: the document as base64 of its exact bytes (a JSON
	/// string), or as the JSON object itself (its bytes as sent).
	pub fn document_bytes(&self, name: &str) -> Result<Vec<u8>, ApiError> {
		let what = "the document: base64 of its exact bytes, or its JSON object";
		let raw = self
			.present(name)
			.ok_or_else(|| invalid(name, format!("{name} is required ({what})")))?;
		let bytes = match raw.get().as_bytes().first() {
			Some(b'{') => raw.get().as_bytes().to_vec(),
			Some(b'"') => {
				let text: String = serde_json::from_str(raw.get())
					.map_err(|_| invalid(name, format!("{name} must be {what}")))?;
				base64(&text).ok_or_else(|| invalid(name, format!("{name} is not valid base64")))?
			},
			_ => return Err(invalid(name, format!("{name} must be {what}"))),
		};
		if bytes.is_empty() {
			return Err(invalid(name, format!("{name} is empty")));
		}
		Ok(bytes)
	}

	/// Field `name`: 32 bytes in hex (`0x` + 64 hex digits), named `what` in a refusal.
	pub fn bytes32(&self, name: &str, what: &str) -> Result<[u8; 32], ApiError> {
		let text: String = self.required(name, what)?;
		crate::chain::bytes32(&text).ok_or_else(|| invalid(name, format!("{name} must be {what}")))
	}

	/// Field `name` if present: 32 bytes in hex.
	pub fn optional_bytes32(&self, name: &str, what: &str) -> Result<Option<[u8; 32]>, ApiError> {
		let text: Option<String> = self.optional(name, what)?;
		text.map(|t| {
			crate::chain::bytes32(&t).ok_or_else(|| invalid(name, format!("{name} must be {what}")))
		})
		.transpose()
	}
}

/// A pseudonym, as the API names patients elsewhere.
pub const PSEUDONYM: &str = "a pseudonym: 0x and 64 hex digits";

/// Standard or URL-safe base64, padding optional; `None` if it is not base64.
pub fn base64(text: &str) -> Option<Vec<u8>> {
	let text = text.trim_end_matches('=');
	if text.len() % 4 == 1 {
		return None;
	}
	let mut out = Vec::with_capacity(text.len() * 3 / 4);
	let (mut bits, mut count) = (0u32, 0u32);
	for c in text.bytes() {
		let value = match c {
			b'A'..=b'Z' => c - b'A',
			b'a'..=b'z' => c - b'a' + 26,
			b'0'..=b'9' => c - b'0' + 52,
			b'+' | b'-' => 62,
			b'/' | b'_' => 63,
			_ => return None,
		};
		bits = (bits << 6) | u32::from(value);
		count += 6;
		if count >= 8 {
			count -= 8;
			out.push((bits >> count) as u8);
			bits &= (1 << count) - 1;
		}
	}
	Some(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn base64_decodes_both_alphabets_with_or_without_padding() {
		assert_eq!(base64("aGVsbG8=").unwrap(), b"hello");
		assert_eq!(base64("aGVsbG8").unwrap(), b"hello");
		assert_eq!(base64("").unwrap(), b"");
		assert_eq!(base64("+/8=").unwrap(), [0xfb, 0xff]);
		assert_eq!(base64("-_8").unwrap(), [0xfb, 0xff]);
		assert_eq!(base64("eyJhIjoxfQ==").unwrap(), br#"{"a":1}"#);
		assert!(base64("a").is_none());
		assert!(base64("aGVs bG8=").is_none());
		assert!(base64("aé==").is_none());
	}

	#[test]
	fn fields_are_checked_one_by_one_and_documents_kept_as_sent() {
		let body = br#"{"doc": {"resourceType" : "Claim"}, "n": 7, "s": "x", "z": null}"#;
		let fields = Fields::parse(body, &["doc", "n", "s", "z"]).unwrap();
		assert_eq!(fields.document("doc").unwrap(), br#"{"resourceType" : "Claim"}"#);
		assert_eq!(fields.required::<u32>("n", "a number").unwrap(), 7);
		assert_eq!(fields.optional::<u32>("z", "a number").unwrap(), None);
		let refused = |e: ApiError| (e.0, e.2);
		let field = |name: &str| (StatusCode::UNPROCESSABLE_ENTITY, Some(name.to_string()));
		assert_eq!(refused(fields.required::<u32>("s", "a number").unwrap_err()), field("s"));
		assert_eq!(refused(fields.required::<u32>("z", "a number").unwrap_err()), field("z"));
		assert_eq!(refused(fields.document("n").unwrap_err()), field("n"));
		assert_eq!(refused(fields.bytes32("s", PSEUDONYM).unwrap_err()), field("s"));
		assert_eq!(fields.document_bytes("doc").unwrap(), br#"{"resourceType" : "Claim"}"#);
		let encoded = Fields::parse(br#"{"d": "eyJhIjoxfQ"}"#, &["d"]).unwrap();
		assert_eq!(encoded.document_bytes("d").unwrap(), br#"{"a":1}"#);
		assert!(Fields::parse(br#"{"other": 1}"#, &["doc"]).is_err());
		assert!(Fields::parse(b"[1]", &["doc"]).is_err());
	}
}
