//! The Merkle tree of `anchor_root`: RFC 9162 (Certificate Transparency v2) §2.1 with SHA-256.
//!
//! - leaf hash: `SHA-256(0x00 || leaf)`, where `leaf` is a record's 32-byte content hash;
//! - interior node: `SHA-256(0x01 || left || right)`;
//! - a tree of `n > 1` leaves splits at `k`, the largest power of two smaller than `n`: the
//!   left subtree holds leaves `0..k`, the right one `k..n` (no leaf is duplicated; an odd leaf
//!   is carried up unchanged);
//! - an inclusion proof of leaf `m` is the list of sibling hashes from the leaf up to the root
//!   (RFC 9162 §2.1.3.1); the verifier needs the leaf's index and the tree size, which the chain
//!   stores with the root.
//!
//! The distinct prefixes make a leaf impossible to pass off as an interior node. Any language
//! with SHA-256 can build the same trees and proofs; `docs/records.md` has test vectors.

use alloc::vec::Vec;
use sp_core::H256;

/// The hash of a leaf.
pub fn leaf_hash(leaf: &H256) -> H256 {
	let mut data = [0u8; 33];
	data[1..].copy_from_slice(leaf.as_bytes());
	H256(sp_io::hashing::sha2_256(&data))
}

/// The hash of an interior node.
pub fn node_hash(left: &H256, right: &H256) -> H256 {
	let mut data = [0u8; 65];
	data[0] = 1;
	data[1..33].copy_from_slice(left.as_bytes());
	data[33..].copy_from_slice(right.as_bytes());
	H256(sp_io::hashing::sha2_256(&data))
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
fn split(n: usize) -> usize {
	let mut k = 1;
	while k << 1 < n {
		k <<= 1;
	}
	k
}

/// The root of a tree over `leaves` (`None` for no leaves).
pub fn root(leaves: &[H256]) -> Option<H256> {
	match leaves.len() {
		0 => None,
		1 => Some(leaf_hash(&leaves[0])),
		n => {
			let k = split(n);
			Some(node_hash(&root(&leaves[..k])?, &root(&leaves[k..])?))
		},
	}
}

/// The inclusion proof of leaf `index` (`None` if out of range).
pub fn proof(leaves: &[H256], index: usize) -> Option<Vec<H256>> {
	let n = leaves.len();
	if index >= n {
		return None;
	}
	if n == 1 {
		return Some(Vec::new());
	}
	let k = split(n);
	let (mut path, sibling) = if index < k {
		(proof(&leaves[..k], index)?, root(&leaves[k..])?)
	} else {
		(proof(&leaves[k..], index - k)?, root(&leaves[..k])?)
	};
	path.push(sibling);
	Some(path)
}

/// Whether `leaf` at `index` is in the tree of `size` leaves with `root`, by `siblings`
/// (RFC 9162 §2.1.3.2).
pub fn verify(root: &H256, leaf: &H256, index: u64, size: u64, siblings: &[H256]) -> bool {
	if index >= size {
		return false;
	}
	let (mut fn_, mut sn) = (index, size - 1);
	let mut r = leaf_hash(leaf);
	for p in siblings {
		if sn == 0 {
			return false;
		}
		if fn_ & 1 == 1 || fn_ == sn {
			r = node_hash(p, &r);
			while fn_ & 1 == 0 && fn_ != 0 {
				fn_ >>= 1;
				sn >>= 1;
			}
		} else {
			r = node_hash(&r, p);
		}
		fn_ >>= 1;
		sn >>= 1;
	}
	sn == 0 && r == *root
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaves(n: usize) -> Vec<H256> {
		(0..n).map(|i| H256(sp_io::hashing::sha2_256(&(i as u64).to_le_bytes()))).collect()
	}

	fn hex(h: H256) -> alloc::string::String {
		h.as_bytes().iter().map(|b| alloc::format!("{b:02x}")).collect()
	}

	#[test]
	fn every_leaf_of_every_small_tree_verifies() {
		for n in 1..=33usize {
			let l = leaves(n);
			let r = root(&l).unwrap();
			for i in 0..n {
				let p = proof(&l, i).unwrap();
				assert!(verify(&r, &l[i], i as u64, n as u64, &p), "n={n} i={i}");
				if n > 1 {
					let other = (i + 1) % n;
					assert!(
						!verify(&r, &l[i], other as u64, n as u64, &p),
						"wrong index n={n} i={i}"
					);
				}
				assert!(!verify(&r, &H256::repeat_byte(0xee), i as u64, n as u64, &p));
				assert!(!verify(&H256::zero(), &l[i], i as u64, n as u64, &p));
				assert!(!verify(&r, &l[i], n as u64, n as u64, &p), "index out of range");
			}
			assert!(proof(&l, n).is_none());
		}
	}

	#[test]
	fn a_tampered_proof_fails() {
		let l = leaves(10);
		let r = root(&l).unwrap();
		let mut p = proof(&l, 3).unwrap();
		p[1] = H256::repeat_byte(1);
		assert!(!verify(&r, &l[3], 3, 10, &p));
		let mut short = proof(&l, 3).unwrap();
		short.pop();
		assert!(!verify(&r, &l[3], 3, 10, &short));
		let mut long = proof(&l, 3).unwrap();
		long.push(H256::zero());
		assert!(!verify(&r, &l[3], 3, 10, &long));
		// The same proof against a tree size of another shape fails (the chain supplies the
		// size; 10 and 11 leaves have the same path shape for leaf 3, 8 leaves do not).
		assert!(!verify(&r, &l[3], 3, 8, &proof(&l, 3).unwrap()));
	}

	#[test]
	fn structure_and_test_vectors_match_the_documentation() {
		let l = leaves(3);
		let expected =
			node_hash(&node_hash(&leaf_hash(&l[0]), &leaf_hash(&l[1])), &leaf_hash(&l[2]));
		assert_eq!(root(&l), Some(expected));
		assert_eq!(root(&[]), None);

		// Test vectors of docs/records.md, computed independently (Python hashlib).
		let v = [H256::zero(), H256::repeat_byte(0x11), H256::repeat_byte(0x22)];
		assert_eq!(
			hex(leaf_hash(&v[0])),
			"7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9"
		);
		assert_eq!(
			hex(root(&v).unwrap()),
			"cfdd57c49cf0b23df41b9ff2fce70eed9d15fd0242a185dbdb5b918f8b140cce"
		);
		let p2: Vec<_> = proof(&v, 2).unwrap().into_iter().map(hex).collect();
		assert_eq!(p2, ["8ab671c69294e69917042ed794e5ea9dda18710ca307a65b986226344b87552a"]);
		let p0: Vec<_> = proof(&v, 0).unwrap().into_iter().map(hex).collect();
		assert_eq!(
			p0,
			[
				"4635e1fa62a599a7880a8d14a56f720a1d40f6e5448ab5a5e39bedc8bd87fa8e",
				"bc6f27de60abf5319d16ff4c98fe3c42022c84f6a7a2b207c8df19b0ec3d8d58"
			]
		);
	}
}
