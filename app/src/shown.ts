// "I showed this certificate" (Certificates.log_verification), without DOM or node
// (unit-tested): the verifier commitment the chain gets, SHA-256(salt ‖ UTF-8 name) with a fresh
// random 32-byte salt, and this browser's memory of to whom (the name and the salt, keyed by the
// certificate's document hash and the commitment), which the timeline reads back. The name and
// the salt never leave the browser; the chain learns only the commitment.

import { contentHash, SALT_BYTES } from "./hash";
import type { Hex } from "./rpc-types";

/** The name as committed to: NFC, trimmed, inner white space as one space. */
export function normaliseName(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ");
}

/** A fresh salt from the browser's CSPRNG. */
export function freshSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/** SHA-256(salt ‖ UTF-8(normalised name)) as 0x-hex: deterministic given both, hiding the name. */
export async function verifierCommitment(salt: Uint8Array, name: string): Promise<Hex> {
  if (salt.length !== SALT_BYTES) throw new Error(`a salt is ${SALT_BYTES} bytes`);
  return (await contentHash(salt, new TextEncoder().encode(normaliseName(name)))) as Hex;
}

/** What the browser keeps (localStorage's two methods; a Map-backed stand-in in tests). */
export interface Memory {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface Shown {
  name: string;
  salt: Hex;
}

const PREFIX = "medchain-shown:";
const keyOf = (documentHash: string, commitment: string) => `${PREFIX}${documentHash.toLowerCase()}:${commitment.toLowerCase()}`;

/** Remembers to whom a certificate was shown (nothing is kept for an empty name). */
export function rememberShown(memory: Memory, documentHash: string, commitment: string, shown: Shown): void {
  const name = normaliseName(shown.name);
  if (!name) return;
  memory.setItem(keyOf(documentHash, commitment), JSON.stringify({ name, salt: shown.salt.toLowerCase() }));
}

/** What this browser remembers of a showing, or null (another browser, or no name given). */
export function recallShown(memory: Memory, documentHash: string, commitment: string): Shown | null {
  const raw = memory.getItem(keyOf(documentHash, commitment));
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === "object" && v !== null && "name" in v && "salt" in v && typeof v.name === "string" && typeof v.salt === "string") {
      return { name: v.name, salt: v.salt as Hex };
    }
  } catch {
    // not ours: ignored
  }
  return null;
}

/** localStorage, or null where the browser refuses it (private modes, blocked storage). */
export function browserMemory(): Memory | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The name a timeline entry of basis HolderShared was shown to, if this browser knows it. */
export function shownName(recordId: string, basis: unknown, memory: Memory | null = browserMemory()): string | null {
  if (!memory || typeof basis !== "object" || basis === null || !("holderShared" in basis)) return null;
  const commitment = (basis as { holderShared: unknown }).holderShared;
  if (typeof commitment !== "string") return null;
  return recallShown(memory, recordId, commitment)?.name ?? null;
}
