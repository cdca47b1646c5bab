//! The W3C Bitstring Status List v1.0 encoding of a list (§ "Bitstring Encoding"): the
//! bitstring, at least 131,072 bits long (16 KiB, so that one certificate's index says little
//! about how many an institution issued), GZIP-compressed (RFC 1952), base64url without
//! padding (RFC 4648 §5), with the multibase prefix `u`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// The shortest bitstring the specification allows, in bits.
pub const MIN_LIST_BITS: usize = 131_072;

/// GZIP (RFC 1952) of `data`: a member with no name, no time and an unknown OS, the DEFLATE
/// stream, the CRC-32 and the length.
fn gzip(data: &[u8]) -> Vec<u8> {
	let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
	out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, 9));
	out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
	out.extend_from_slice(&(data.len() as u32).to_le_bytes());
	out
}

/// The `encodedList` of a list whose bits (index 0 = the most significant bit of byte 0) are
/// `bits`, padded with zero bits to at least [`MIN_LIST_BITS`].
pub fn encode_list(bits: &[u8]) -> String {
	let mut padded = bits.to_vec();
	if padded.len() < MIN_LIST_BITS / 8 {
		padded.resize(MIN_LIST_BITS / 8, 0);
	}
	format!("u{}", URL_SAFE_NO_PAD.encode(gzip(&padded)))
}

/// The bits of an `encodedList`, decoded the way an offline verifier does: the multibase
/// prefix `u`, base64url without padding, one GZIP member (DEFLATE, no optional fields) whose
/// CRC-32 and length match. The inverse of [`encode_list`]; the error says what is wrong.
pub fn decode_list(encoded: &str) -> Result<Vec<u8>, String> {
	let body = encoded.strip_prefix('u').ok_or("no multibase prefix `u` (base64url)")?;
	let compressed = URL_SAFE_NO_PAD.decode(body).map_err(|e| format!("not base64url: {e}"))?;
	if compressed.len() < 18 || compressed[..4] != [0x1f, 0x8b, 8, 0] {
		return Err("not a GZIP member with DEFLATE and no optional fields".into());
	}
	let (deflate, trailer) = compressed[10..].split_at(compressed.len() - 18);
	let data = miniz_oxide::inflate::decompress_to_vec(deflate)
		.map_err(|e| format!("DEFLATE data is corrupt: {e:?}"))?;
	if trailer[..4] != crc32fast::hash(&data).to_le_bytes() {
		return Err("GZIP CRC-32 does not match".into());
	}
	if trailer[4..] != (data.len() as u32).to_le_bytes() {
		return Err("GZIP length does not match".into());
	}
	Ok(data)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn decode_ok(encoded: &str) -> Vec<u8> {
		decode_list(encoded).expect("the list decodes")
	}

	#[test]
	fn a_list_is_padded_compressed_and_decodes_to_its_bits() {
		// Indices 0 and 9 set: the leftmost bit of byte 0 and the second of byte 1.
		let encoded = encode_list(&[0b1000_0000, 0b0100_0000]);
		assert!(encoded.starts_with('u') && !encoded.contains('='));
		let bits = decode_ok(&encoded);
		assert_eq!(bits.len(), MIN_LIST_BITS / 8);
		assert_eq!(bits[..2], [0x80, 0x40]);
		assert!(bits[2..].iter().all(|b| *b == 0));
		// 16 KiB of mostly zeros compress to a few dozen bytes.
		assert!(encoded.len() < 200, "{} characters", encoded.len());
	}

	#[test]
	fn a_list_longer_than_the_minimum_keeps_its_length() {
		let long = vec![0xffu8; MIN_LIST_BITS / 8 + 3];
		assert_eq!(decode_ok(&encode_list(&long)), long);
	}

	#[test]
	fn a_damaged_list_is_refused_with_the_reason() {
		let encoded = encode_list(&[0x80]);
		assert!(decode_list(&encoded[1..]).unwrap_err().contains("multibase"));
		assert!(decode_list("u!!").unwrap_err().contains("base64url"));
		assert!(decode_list(&format!("u{}", URL_SAFE_NO_PAD.encode([0u8; 20])))
			.unwrap_err()
			.contains("GZIP member"));
		// A flipped bit in the CRC-32 of the trailer.
		let mut gzip = URL_SAFE_NO_PAD.decode(&encoded[1..]).unwrap();
		let crc = gzip.len() - 8;
		gzip[crc] ^= 1;
		let damaged = format!("u{}", URL_SAFE_NO_PAD.encode(&gzip));
		assert!(decode_list(&damaged).unwrap_err().contains("CRC-32"));
	}
}
