// Substrate-compatible sr25519 key derivation for the patient's keys (docs/privacy.md, "The
// identity model"; the Rust reference is client/src/identity.rs, which uses sp_core).
//
// Why not @polkadot-labs/hdkd's path parser: it turns a junction into a chain code differently
// from sp_core's `DeriveJunction` — a junction that reads as a JavaScript number ("0x07…", the
// genesis hash in our paths) becomes a u32, and a string longer than 30 bytes is not hashed —
// so it derives other keys than medchain-client for our paths. Here the chain code follows
// sp_core exactly: a junction of decimal digits that fits a u64 is that u64 (8 bytes, little
// endian), anything else is the SCALE-encoded string (compact length ‖ UTF-8 bytes); encodings
// longer than 32 bytes are replaced by their BLAKE2b-256, shorter ones padded with zeros.
// The sr25519 arithmetic is hdkd-helpers' (`sr25519Derive`, over @scure/sr25519).

import {
  blake2b256,
  mnemonicToEntropy,
  entropyToMiniSecret,
  sr25519,
  sr25519Derive,
  validateMnemonic,
  type KeyPair,
} from "@polkadot-labs/hdkd-helpers";

const U64_MAX = (1n << 64n) - 1n;

/** SCALE compact encoding of a length (< 2^30). */
function compactLength(n: number): Uint8Array {
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  if (n < 1 << 30) {
    const v = (n << 2) | 2;
    return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  throw new RangeError("junction too long");
}

/** The 32-byte chain code of one junction's text, as sp_core's `DeriveJunction::from`. */
export function chainCode(junction: string): Uint8Array {
  let encoded: Uint8Array;
  if (/^\+?[0-9]+$/.test(junction) && BigInt(junction) <= U64_MAX) {
    encoded = new Uint8Array(8);
    new DataView(encoded.buffer).setBigUint64(0, BigInt(junction), true);
  } else {
    const text = new TextEncoder().encode(junction);
    const prefix = compactLength(text.length);
    encoded = new Uint8Array(prefix.length + text.length);
    encoded.set(prefix);
    encoded.set(text, prefix.length);
  }
  if (encoded.length > 32) return blake2b256(encoded);
  const code = new Uint8Array(32);
  code.set(encoded);
  return code;
}

/** The junctions of a derivation path: `//hard` and `/soft`, in order. */
export function parsePath(path: string): Array<["hard" | "soft", Uint8Array]> {
  const out: Array<["hard" | "soft", Uint8Array]> = [];
  const re = /(\/\/?)([^/]+)/g;
  let consumed = 0;
  for (const m of path.matchAll(re)) {
    if (m.index !== consumed) throw new Error(`malformed derivation path: ${path}`);
    out.push([m[1] === "//" ? "hard" : "soft", chainCode(m[2])]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== path.length) throw new Error(`malformed derivation path: ${path}`);
  return out;
}

/** The recovery phrase as the app keeps it: lower case, words separated by one space. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().toLowerCase().split(/\s+/).join(" ");
}

/** Whether `phrase` is a valid BIP-39 English recovery phrase (12–24 words, checksum). */
export function isPhrase(phrase: string): boolean {
  try {
    return validateMnemonic(normalizePhrase(phrase));
  } catch {
    return false;
  }
}

/** The 32-byte mini secret of a BIP-39 phrase, as sp_core's `Pair::from_phrase` (no password). */
export function miniSecretOf(phrase: string): Uint8Array {
  return entropyToMiniSecret(mnemonicToEntropy(normalizePhrase(phrase)));
}

/** The sr25519 key at `path` below a mini secret (an empty path: the key of the seed itself). */
export function deriveKey(miniSecret: Uint8Array, path: string): KeyPair {
  return sr25519Derive(miniSecret, sr25519, parsePath(path));
}
