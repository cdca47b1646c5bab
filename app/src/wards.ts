// A guardian's wards, kept in this browser (docs/app.md, "Guardians"; docs/privacy.md,
// "Guardians"): for each ward the custodian that registers it, its pseudonym's public key as
// the hospital gave it, and a label only this browser knows ("Minji"). Nothing here is secret —
// the guardian keys are derived from the keyring's secret whenever they are needed
// (`Keyring.guardian`) — but it is private: it names the ward's pseudonym, so it stays in this
// browser's localStorage and is never sent anywhere.
//
// Also the ward's state on chain in words: waiting for this guardian's confirmation, registered
// with this guardian, or something this guardian key cannot act on; and the registered wards as
// a source of the app's emergency watch.

import { getSs58AddressInfo } from "polkadot-api";
import { t } from "./i18n";
import { publicKeyText } from "./keyring";
import type { WatchedPseudonym } from "./words";

export const WARDS_STORAGE_KEY = "medchain-wards";
export const LABEL_MAX = 40;

export interface Ward {
  /** The chain the ward belongs to (its genesis hash, 0x lower-case hex). */
  genesis: string;
  /** The institution that registers the ward (its custodian). */
  custodian: number;
  /** The ward's pseudonym: its public key, 0x and 64 lower-case hex digits. */
  ward: string;
  /** The guardian's own name for the ward; may be empty. */
  label: string;
}

/** The storage the wards live in (localStorage in the browser, a map in unit tests). */
export interface WardStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const HEX32 = /^0x[0-9a-f]{64}$/;

function isWard(x: unknown): x is Ward {
  if (typeof x !== "object" || x === null) return false;
  const w = x as Record<string, unknown>;
  return (
    typeof w.genesis === "string" &&
    HEX32.test(w.genesis) &&
    typeof w.custodian === "number" &&
    Number.isInteger(w.custodian) &&
    w.custodian >= 0 &&
    typeof w.ward === "string" &&
    HEX32.test(w.ward) &&
    typeof w.label === "string"
  );
}

/** Every ward stored (of every chain); entries that are not wards are skipped. */
export function readWards(storage: WardStorage): Ward[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(WARDS_STORAGE_KEY) ?? "null");
    const list = typeof parsed === "object" && parsed !== null ? (parsed as { wards?: unknown }).wards : undefined;
    return Array.isArray(list) ? list.filter(isWard) : [];
  } catch {
    return [];
  }
}

export function writeWards(storage: WardStorage, wards: Ward[]): void {
  storage.setItem(WARDS_STORAGE_KEY, JSON.stringify({ v: 1, wards }));
}

/** The wards of the chain `genesis`, in the order they were added. */
export function wardsOf(storage: WardStorage, genesis: string): Ward[] {
  const g = genesis.toLowerCase();
  return readWards(storage).filter((w) => w.genesis === g);
}

/** The public key of an SS58 address (any network prefix), or null when it is not a 32-byte account's. */
export function publicKeyOfAddress(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  try {
    const info = getSs58AddressInfo(trimmed);
    return info.isValid && info.publicKey.length === 32 ? info.publicKey : null;
  } catch {
    return null;
  }
}

export type WardField = "hospital" | "address" | "label";
export type WardError =
  | "wards.error.hospital"
  | "wards.error.addressMissing"
  | "wards.error.address"
  | "wards.error.own"
  | "wards.error.duplicate"
  | "wards.error.label";

export interface WardDraft {
  custodian: number | null;
  address: string;
  label: string;
}

/**
 * A ward to add, checked: a hospital chosen, a valid address that is neither one of the
 * guardian's own pseudonyms (`own`, public keys as 0x hex) nor a ward already listed at that
 * hospital, and a short label. Nothing is stored when a field is wrong.
 */
export function checkWard(
  draft: WardDraft,
  genesis: string,
  existing: Ward[],
  own: string[],
): { ok: true; ward: Ward } | { ok: false; errors: Partial<Record<WardField, WardError>> } {
  const errors: Partial<Record<WardField, WardError>> = {};
  if (draft.custodian === null) errors.hospital = "wards.error.hospital";
  const key = publicKeyOfAddress(draft.address);
  const hex = key ? publicKeyText(key) : null;
  if (draft.address.trim() === "") errors.address = "wards.error.addressMissing";
  else if (!hex) errors.address = "wards.error.address";
  else if (own.includes(hex)) errors.address = "wards.error.own";
  else if (existing.some((w) => w.ward === hex && w.custodian === draft.custodian && w.genesis === genesis.toLowerCase())) errors.address = "wards.error.duplicate";
  const label = draft.label.trim().replace(/\s+/g, " ");
  if (label.length > LABEL_MAX) errors.label = "wards.error.label";
  if (Object.keys(errors).length > 0 || draft.custodian === null || !hex) return { ok: false, errors };
  return { ok: true, ward: { genesis: genesis.toLowerCase(), custodian: draft.custodian, ward: hex, label } };
}

export function addWard(storage: WardStorage, ward: Ward): void {
  writeWards(storage, [...readWards(storage), ward]);
}

export function removeWard(storage: WardStorage, ward: Ward): void {
  writeWards(
    storage,
    readWards(storage).filter((w) => !(w.genesis === ward.genesis && w.custodian === ward.custodian && w.ward === ward.ward)),
  );
}

/**
 * What the chain says of a ward, as read: `Institutions.Patients(ward)`,
 * `PendingRegistrations(ward)` and `PseudonymCustodians(ward)` (the custodian the pseudonym was
 * ever a patient of, kept after it leaves; absent when not read).
 */
export interface WardChain {
  patient: { custodian: number; guardian: string | undefined } | null;
  pending: { custodian: number; guardian: string | undefined; expiresAt: number } | null;
  everAt?: number | null;
}

export type WardState =
  /** Registered at its custodian with this guardian key: the guardian may act for it. */
  | "registered"
  /** The custodian registered it naming this guardian key: waiting for the guardian's confirmation. */
  | "pending"
  /** Such a registration expired: the hospital must register it again. */
  | "expired"
  /** Registered at its custodian with another guardian, or none. */
  | "otherGuardian"
  /** A registration waits naming another guardian key, or none. */
  | "pendingOther"
  /** The pseudonym is registered (or waits) at another institution than the one chosen. */
  | "otherCustodian"
  /** It was a patient of its custodian and is no longer (it left, or its guardian ended it). */
  | "ended"
  /** Nothing on chain yet: the hospital has not registered it. */
  | "none";

const keyOf = (address: string | undefined): string | null => {
  const k = address === undefined ? null : publicKeyOfAddress(address);
  return k ? publicKeyText(k) : null;
};

/** The ward's state for the guardian key `guardian`, for a transaction in block `nextBlock`. */
export function wardState(ward: Ward, chain: WardChain, guardian: string, nextBlock: number): WardState {
  const me = keyOf(guardian);
  const mine = (named: string | undefined) => me !== null && keyOf(named) === me;
  const { patient, pending } = chain;
  if (patient) {
    if (patient.custodian !== ward.custodian) return "otherCustodian";
    return mine(patient.guardian) ? "registered" : "otherGuardian";
  }
  if (pending) {
    if (pending.custodian !== ward.custodian) return "otherCustodian";
    if (!mine(pending.guardian)) return "pendingOther";
    return pending.expiresAt <= nextBlock ? "expired" : "pending";
  }
  if (chain.everAt !== undefined && chain.everAt !== null) return chain.everAt === ward.custodian ? "ended" : "otherCustodian";
  return "none";
}

/** The ward's name in sentences: the guardian's label, else "Ward 5Grw…utQY". */
export function wardNameOf(label: string, address: string): string {
  return label !== "" ? label : t("wards.unnamed", { address: `${address.slice(0, 6)}…${address.slice(-4)}` });
}

/** A ward as read from the chain: what is stored, its address, this browser's guardian key for it. */
export interface WardReading extends WardChain {
  ward: Ward;
  address: string;
  guardian: string;
}

/**
 * The wards the emergency watch follows: those registered with this guardian key (state
 * "registered"), named by the guardian's label and their custodian; `since` is the best block
 * when they were read (accesses of that block or older are not news).
 */
export function wardsToWatch(rows: WardReading[], since: number): WatchedPseudonym[] {
  return rows
    .filter((r) => wardState(r.ward, r, r.guardian, 0) === "registered")
    .map((r) => ({ address: r.address, whose: { from: "ward", custodian: r.ward.custodian, label: r.ward.label }, since }));
}
