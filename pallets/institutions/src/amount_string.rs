//! Balances in JSON as decimal strings: amounts of a 12-decimal token exceed what JavaScript
//! numbers hold exactly. For `#[serde(with = "amount_string")]` on the runtime APIs' answers of
//! every pallet that shows amounts (exchange, claims).

use alloc::string::String;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes the amount as a decimal string.
pub fn serialize<S: Serializer, B: core::fmt::Display>(b: &B, s: S) -> Result<S::Ok, S::Error> {
	s.collect_str(b)
}

/// Reads a decimal string.
pub fn deserialize<'de, D: Deserializer<'de>, B: core::str::FromStr>(d: D) -> Result<B, D::Error> {
	let text = String::deserialize(d)?;
	text.parse().map_err(|_| serde::de::Error::custom("not a decimal amount"))
}
