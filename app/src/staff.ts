// The hospital portal's staff key (docs/app.md, "Staff sign-in"): the institution's admin key or
// one of its device keys, given as a secret URI (keyring.ts, `parseSecretUri`), sealed in this
// browser exactly as the patient's secret (PBKDF2-SHA256 600,000, AES-256-GCM) under its own
// IndexedDB key, so the patient's vault is never touched. Unlocked, only the derived key pair is
// held in memory; it locks by itself after 15 minutes without activity.
//
// And the checks every staff action makes before signing (pure, unit-tested): amounts in MED
// with decimals to the chain's smallest unit (exact, as bigint), 32-byte hex, SS58 addresses.

import { getSs58AddressInfo, type PolkadotSigner } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import type { Key } from "./i18n";
import {
  address,
  AUTO_LOCK_MS,
  KDF_ITERATIONS,
  keyOfSecretUri,
  normalizeSecretUri,
  open,
  parseSecretUri,
  seal,
  type VaultStore,
} from "./keyring";

/** The IndexedDB key of the staff vault (the patient's is "patient-secret"). */
export const STAFF_ENTRY = "staff-secret";

export type Check<T> = { ok: true; value: T } | { ok: false; error: Key };

// ---------------------------------------------------------------------------------------------
// Checks

export const U128_MAX = (1n << 128n) - 1n;

/**
 * "1.5" MED → 1_500_000_000_000n with 12 decimals, exactly (no floating point). Accepts digits
 * with an optional "." or "," and up to `decimals` fraction digits, and spaces or "_" as digit
 * group separators; refuses negatives, more decimals than the token has, and amounts beyond the
 * chain's balance type (u128).
 */
export function parseAmount(text: string, decimals = 12): Check<bigint> {
  const s = text.trim().replace(/[\s_]/g, "");
  if (s === "") return { ok: false, error: "staff.error.amountEmpty" };
  if (/^-/.test(s)) return { ok: false, error: "staff.error.amountNegative" };
  const m = /^\+?(\d*)(?:[.,](\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return { ok: false, error: "staff.error.amountFormat" };
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) return { ok: false, error: "staff.error.amountDecimals" };
  const value = BigInt(m[1] || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (value > U128_MAX) return { ok: false, error: "staff.error.amountTooLarge" };
  return { ok: true, value };
}

/** An amount in the smallest unit as MED text for an input field ("0.015"; "" for none). */
export function amountText(planck: bigint, decimals = 12): string {
  const unit = 10n ** BigInt(decimals);
  const fraction = (planck % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${planck / unit}${fraction ? `.${fraction}` : ""}`;
}

/** 32 bytes as 0x and 64 hex digits (a licence hash, an X25519 public key). */
export function parseHex32(text: string): Check<`0x${string}`> {
  const s = text.trim();
  if (s === "") return { ok: false, error: "staff.error.hexEmpty" };
  if (!/^0x[0-9a-fA-F]{64}$/.test(s)) return { ok: false, error: "staff.error.hex" };
  return { ok: true, value: s.toLowerCase() as `0x${string}` };
}

/** An X25519 key: 32 bytes, not all zeros (the pallet's `InvalidEncryptionKey`). */
export function parseEncryptionKey(text: string): Check<`0x${string}`> {
  const h = parseHex32(text);
  if (h.ok && /^0x0{64}$/.test(h.value)) return { ok: false, error: "staff.error.keyZero" };
  return h;
}

/** An account as SS58 text (any prefix, 32-byte key), written in the chain's own prefix. */
/** Record ids as typed at the desk: separated by commas, spaces or lines; each 1-64 bytes of
 * text, none twice (none at all is allowed: the caller may ask for categories instead). */
export function parseRecordIds(text: string): Check<string[]> {
  const ids = text.split(/[\s,]+/).filter((s) => s !== "");
  if (ids.some((id) => new TextEncoder().encode(id).length > 64)) return { ok: false, error: "ask.error.recordId" };
  if (new Set(ids).size !== ids.length) return { ok: false, error: "ask.error.duplicate" };
  return { ok: true, value: ids };
}

export function parseAddress(text: string, ss58Prefix: number): Check<string> {
  const s = text.trim();
  if (s === "") return { ok: false, error: "staff.error.addressEmpty" };
  const info = getSs58AddressInfo(s);
  if (!info.isValid || info.publicKey.length !== 32) return { ok: false, error: "staff.error.address" };
  return { ok: true, value: address(info.publicKey, ss58Prefix) };
}

// ---------------------------------------------------------------------------------------------
// The staff keyring

export interface StaffKey {
  publicKey: Uint8Array;
  signer: PolkadotSigner;
  /** The signing extension that holds the key (it asks its user for every transaction), or null for the key sealed in this browser. */
  extension: string | null;
}

export class StaffKeyring {
  private key: StaffKey | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();
  lockedBy: "user" | "idle" | null = null;

  constructor(
    readonly store: VaultStore,
    readonly autoLockMs = AUTO_LOCK_MS,
    readonly iterations = KDF_ITERATIONS,
  ) {}

  get unlocked(): boolean {
    return this.key !== null;
  }

  get current(): StaffKey | null {
    return this.key;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async hasVault(): Promise<boolean> {
    return (await this.store.load()) !== null;
  }

  /** Seals `uri` (replacing a stored staff key) and signs in with it. */
  async create(uri: string, passphrase: string): Promise<void> {
    if (!parseSecretUri(uri)) throw new Error("not a secret URI");
    await this.store.save(await seal(uri, passphrase, this.iterations, normalizeSecretUri));
    this.hold(uri);
  }

  /** Opens the stored key; WrongPassphrase leaves everything as it was. */
  async unlock(passphrase: string): Promise<void> {
    const vault = await this.store.load();
    if (!vault) throw new Error("no staff key is stored in this browser");
    this.hold(await open(vault, passphrase));
  }

  /**
   * Signs in with an account of a signing extension (nothing is sealed or stored here);
   * `disconnect` runs when the session ends (sign out, or idle).
   */
  useExtension(extension: string, publicKey: Uint8Array, signer: PolkadotSigner, disconnect: () => void): void {
    this.release();
    this.key = { publicKey, signer, extension };
    this.release = disconnect;
    this.lockedBy = null;
    this.touch();
    this.changed();
  }

  /** Ends an extension's session (nothing for the sealed key). */
  private release: () => void = () => {};

  lock(by: "user" | "idle" = "user"): void {
    this.release();
    this.release = () => {};
    this.key = null;
    clearTimeout(this.timer);
    this.lockedBy = by;
    this.changed();
  }

  async forget(): Promise<void> {
    this.lock();
    await this.store.remove();
    this.lockedBy = null;
    this.changed();
  }

  touch(): void {
    if (!this.key) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lock("idle"), this.autoLockMs);
  }

  private hold(uri: string): void {
    const pair = keyOfSecretUri(uri);
    this.release();
    this.release = () => {};
    this.key = { publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign), extension: null };
    this.lockedBy = null;
    this.touch();
    this.changed();
  }
}
