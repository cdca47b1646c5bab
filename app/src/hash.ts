// The content-hash contract of docs/records.md: content_hash = SHA-256(salt ‖ document bytes),
// with a 32-byte salt. Computed with WebCrypto (the browser's own SHA-256).

export const SALT_BYTES = 32;
export const MAX_RECORD_ID_BYTES = 64;

/** Bytes from hex ("0x" optional, spaces and line breaks ignored); null if not hex. */
export function parseHex(input: string): Uint8Array | null {
  let s = input.replace(/\s+/g, "");
  if (s.startsWith("0x") || s.startsWith("0X")) s = s.slice(2);
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The salt as 32 bytes, or null. */
export function parseSalt(input: string): Uint8Array | null {
  const bytes = parseHex(input);
  return bytes && bytes.length === SALT_BYTES ? bytes : null;
}

export function toHex(bytes: Uint8Array): string {
  let s = "0x";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * A record id as the hospital gave it: `0x…` hex, or text (UTF-8). Null when empty, longer
 * than 64 bytes, or `0x` followed by something that is not hex.
 */
export function parseRecordId(input: string): Uint8Array | null {
  const s = input.trim();
  if (s === "") return null;
  const bytes = /^0x/i.test(s) ? parseHex(s) : new TextEncoder().encode(s);
  if (!bytes || bytes.length === 0 || bytes.length > MAX_RECORD_ID_BYTES) return null;
  return bytes;
}

export class NoWebCrypto extends Error {}

/** SHA-256(salt ‖ document) as 0x-hex. Throws NoWebCrypto where `crypto.subtle` is missing. */
export async function contentHash(salt: Uint8Array, document: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new NoWebCrypto("crypto.subtle is unavailable (not a secure context)");
  const data = new Uint8Array(salt.length + document.length);
  data.set(salt, 0);
  data.set(document, salt.length);
  return toHex(new Uint8Array(await subtle.digest("SHA-256", data)));
}
