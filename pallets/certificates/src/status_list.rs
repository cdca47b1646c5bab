//! Each institution's two status lists, revocation and suspension, as bitstrings in the layout
//! of the W3C Bitstring Status List v1.0 (docs/certificates.md).
//!
//! - Every certificate gets the next **status index** of its institution when it is issued
//!   (`NextStatusIndex`, at most `MaxCertificatesPerInstitution`): its W3C `statusListIndex`.
//!   Indices are never reused, so a verifier's cached list never points at another certificate.
//! - Bit `index` of the revocation list is set exactly while the certificate is revoked or
//!   superseded (either way its document is no longer in force; which of the two, and the
//!   correction, are visible on chain through [`crate::Pallet::verify`]); bit `index` of the
//!   suspension list exactly while it is suspended.
//! - Bits are kept in chunks of 256 (`StatusChunks`, keyed by institution and `index / 256`),
//!   most significant bit first within each byte: index 0 is the leftmost bit of byte 0, as
//!   the W3C specification requires. The list of an institution is the concatenation of its
//!   chunks, a missing chunk being all zeros; a chunk whose bits are all clear is removed.
//!
//! The chain keeps the raw bits only. Padding to the W3C minimum of 131,072 entries, GZIP
//! compression and multibase base64url encoding (`encodedList`) are done off chain by the
//! RPC layer, from [`crate::Pallet::status_list`].

use crate::{
	pallet::{Config, Pallet, StatusChunks},
	StatusChunk, StatusPurpose,
};
use pallet_institutions::InstitutionId;

/// Status indices per chunk.
pub const BITS_PER_CHUNK: u32 = 256;

/// Bytes of one list in a chunk.
pub const BYTES_PER_CHUNK: usize = 32;

/// Where status index `index` lives: its chunk, the byte within the chunk's list, and the
/// byte's mask for it (most significant bit first).
pub fn position(index: u32) -> (u32, usize, u8) {
	let chunk = index / BITS_PER_CHUNK;
	let bit = index % BITS_PER_CHUNK;
	(chunk, (bit / 8) as usize, 0x80u8 >> (bit % 8))
}

impl StatusChunk {
	/// The chunk's bits of one list.
	pub fn bits(&self, purpose: StatusPurpose) -> &[u8; BYTES_PER_CHUNK] {
		match purpose {
			StatusPurpose::Revocation => &self.revoked,
			StatusPurpose::Suspension => &self.suspended,
		}
	}

	/// The chunk's bits of one list, to change.
	pub fn bits_mut(&mut self, purpose: StatusPurpose) -> &mut [u8; BYTES_PER_CHUNK] {
		match purpose {
			StatusPurpose::Revocation => &mut self.revoked,
			StatusPurpose::Suspension => &mut self.suspended,
		}
	}

	/// How many bits of one list are set.
	pub fn count(&self, purpose: StatusPurpose) -> u32 {
		self.bits(purpose).iter().map(|byte| byte.count_ones()).sum()
	}

	/// Whether no bit of either list is set (such a chunk is not stored).
	pub fn is_empty(&self) -> bool {
		self.revoked.iter().chain(self.suspended.iter()).all(|byte| *byte == 0)
	}
}

impl<T: Config> Pallet<T> {
	/// Whether bit `index` of `institution`'s `purpose` list is set.
	pub fn status_bit(institution: InstitutionId, index: u32, purpose: StatusPurpose) -> bool {
		let (chunk, byte, mask) = position(index);
		StatusChunks::<T>::get(institution, chunk)
			.and_then(|c| c.bits(purpose).get(byte).copied())
			.is_some_and(|b| b & mask != 0)
	}

	/// Sets (`value`) or clears bit `index` of `institution`'s `purpose` list; creates the
	/// chunk when its first bit is set, removes it when its last bit is cleared.
	pub(crate) fn set_status_bit(
		institution: InstitutionId,
		index: u32,
		purpose: StatusPurpose,
		value: bool,
	) {
		let (chunk, byte, mask) = position(index);
		StatusChunks::<T>::mutate_exists(institution, chunk, |entry| {
			let mut bits = entry.take().unwrap_or_default();
			if let Some(b) = bits.bits_mut(purpose).get_mut(byte) {
				if value {
					*b |= mask;
				} else {
					*b &= !mask;
				}
			}
			*entry = (!bits.is_empty()).then_some(bits);
		});
	}
}
