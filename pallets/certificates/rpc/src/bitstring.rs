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

#[cfg(test)]
mod tests {
	use super::*;

	/// Decodes an `encodedList` the way a verifier does, checking the GZIP frame.
	fn decode_list(encoded: &str) -> Vec<u8> {
		let compressed = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u').unwrap()).unwrap();
		assert_eq!(compressed[..4], [0x1f, 0x8b, 8, 0], "a GZIP member, DEFLATE, no flags");
		let (body, trailer) = compressed[10..].split_at(compressed.len() - 18);
		let data = miniz_oxide::inflate::decompress_to_vec(body).unwrap();
		assert_eq!(trailer[..4], crc32fast::hash(&data).to_le_bytes());
		assert_eq!(trailer[4..], (data.len() as u32).to_le_bytes());
		data
	}

	#[test]
	fn a_list_is_padded_compressed_and_decodes_to_its_bits() {
		// Indices 0 and 9 set: the leftmost bit of byte 0 and the second of byte 1.
		let encoded = encode_list(&[0b1000_0000, 0b0100_0000]);
		assert!(encoded.starts_with('u') && !encoded.contains('='));
		let bits = decode_list(&encoded);
		assert_eq!(bits.len(), MIN_LIST_BITS / 8);
		assert_eq!(bits[..2], [0x80, 0x40]);
		assert!(bits[2..].iter().all(|b| *b == 0));
		// 16 KiB of mostly zeros compress to a few dozen bytes.
		assert!(encoded.len() < 200, "{} characters", encoded.len());
	}

	#[test]
	fn a_list_longer_than_the_minimum_keeps_its_length() {
		let long = vec![0xffu8; MIN_LIST_BITS / 8 + 3];
		assert_eq!(decode_list(&encode_list(&long)), long);
	}
}
