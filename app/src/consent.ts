// The consent editor's logic, without DOM or node (unit-tested): a date as a block number,
// the form's validation, a consent's state and words, and the fee-free allowance left.

import type { Key } from "./i18n";
import type { Category, Purpose } from "./rpc-types";

/**
 * `pallet_records::Category`, in the order of its SCALE indexes (the editor's order too; the
 * log's hash chain, log-chain.ts, encodes a category as its index here).
 */
export const CATEGORIES: readonly Category[] = [
  "PatientSummary",
  "Laboratory",
  "Imaging",
  "Medication",
  "Allergy",
  "Discharge",
  "Prescription",
  "EmergencyDataSet",
  "Immunization",
  "MentalHealth",
  "Other",
];

/** `pallet_consent::Purpose`, in the order of its SCALE indexes (log-chain.ts relies on it). */
export const PURPOSES: readonly Purpose[] = [
  "Treatment",
  "EmergencyTreatment",
  "Payment",
  "Research",
  "Operations",
  "PublicHealth",
  "PatientRequest",
];

/** The chain's clock as the status bar reads it: the best block, its time, the block time. */
export interface Clock {
  best: number;
  bestTimeMs: number;
  blockMs: number;
}

/** Local midnight at the start of a `YYYY-MM-DD` day (the browser's time zone). */
export function dayStartMs(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (d.getFullYear() !== Number(m[1]) || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[3])) return null;
  return d.getTime();
}

/** Local midnight at the end of a day (the start of the next one). */
export function dayEndMs(date: string): number | null {
  const start = dayStartMs(date);
  if (start === null) return null;
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/**
 * The block reached around `ms`, from the best block and its time: rounded down for an end
 * (a consent until a day ends at or before that day's end, never later) and up for a start
 * (it begins at or after that day's start, never earlier).
 */
export function msToBlock(ms: number, clock: Clock, rounding: "down" | "up"): number {
  const blocks = (ms - clock.bestTimeMs) / clock.blockMs;
  return clock.best + (rounding === "down" ? Math.floor(blocks) : Math.ceil(blocks));
}

/** When a block is (was) made, estimated from the best block's time and the block time. */
export function blockToMs(block: number, clock: Clock): number {
  return clock.bestTimeMs + (block - clock.best) * clock.blockMs;
}

export interface Draft {
  recipient: number | null;
  categories: Category[];
  /** Specific records: (custodian, record id bytes as 0x hex). */
  records: Array<[number, string]>;
  purposes: Purpose[];
  /** `YYYY-MM-DD` or "" */
  until: string;
  /** `YYYY-MM-DD` or "" (from now) */
  from: string;
}

export type FieldName = "recipient" | "scope" | "purposes" | "until" | "from";

export interface Terms {
  grantee: number;
  categories: Category[];
  records: Array<[number, string]>;
  purposes: Purpose[];
  validFrom: number | undefined;
  validUntil: number;
}

export type Checked =
  | { ok: true; terms: Terms }
  | { ok: false; errors: Partial<Record<FieldName, { key: Key; params?: Record<string, string | number> }>> };

/**
 * Checks a draft before anything is signed. `clock` is the chain's clock (null: not read yet),
 * `maxDuration` the governance maximum of a consent's period in blocks.
 */
export function checkDraft(draft: Draft, clock: Clock | null, maxDuration: number, nowMs: number): Checked {
  const errors: Extract<Checked, { ok: false }>["errors"] = {};
  if (draft.recipient === null) errors.recipient = { key: "consent.error.recipient" };
  if (draft.categories.length === 0 && draft.records.length === 0) errors.scope = { key: "consent.error.scope" };
  if (draft.purposes.length === 0) errors.purposes = { key: "consent.error.purposes" };
  let validUntil: number | undefined;
  let validFrom: number | undefined;
  const next = clock ? clock.best + 1 : 0; // the block the transaction will be checked in
  const untilEnd = draft.until ? dayEndMs(draft.until) : null;
  if (!draft.until) errors.until = { key: "consent.error.untilMissing" };
  else if (untilEnd === null) errors.until = { key: "consent.error.date" };
  else if (untilEnd <= nowMs) errors.until = { key: "consent.error.untilPast" };
  else if (!clock) errors.until = { key: "consent.error.noClock" };
  else {
    validUntil = msToBlock(untilEnd, clock, "down");
    if (validUntil <= next) errors.until = { key: "consent.error.untilPast" };
  }
  if (draft.from) {
    const fromStart = dayStartMs(draft.from);
    if (fromStart === null) errors.from = { key: "consent.error.date" };
    else if (clock) {
      const block = msToBlock(fromStart, clock, "up");
      validFrom = block > next ? block : undefined; // a day already begun: from now
      if (validUntil !== undefined && (validFrom ?? next) >= validUntil) errors.from = { key: "consent.error.fromAfterUntil" };
    }
  }
  if (validUntil !== undefined && !errors.until && !errors.from && clock) {
    if (validUntil - (validFrom ?? next) > maxDuration) {
      errors.until = { key: "consent.error.tooLong", params: { days: Math.floor((maxDuration * clock.blockMs) / 86_400_000) } };
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    terms: {
      grantee: draft.recipient!,
      categories: draft.categories,
      records: draft.records,
      purposes: draft.purposes,
      validFrom,
      validUntil: validUntil!,
    },
  };
}

export type ConsentState = "active" | "notYetValid" | "expired" | "revoked";

export interface ConsentFacts {
  validFrom: number;
  validUntil: number;
  revokedFrom?: number;
}

/**
 * A consent's state at block `at` (the block the next check is made in, best + 1, as
 * `consent_check` assumes): revoked (from the block after the revocation), expired (from
 * `valid_until` on), not yet valid (before `valid_from`), else active.
 */
export function consentState(c: ConsentFacts, at: number): ConsentState {
  if (c.revokedFrom !== undefined) return "revoked";
  if (at >= c.validUntil) return "expired";
  if (at < c.validFrom) return "notYetValid";
  return "active";
}

export interface AllowanceParams {
  patientAllowance: number;
  allowancePeriod: number;
}

/**
 * Fee-free actions left, computed as allowance.rs does for a transaction in block `at`: a
 * period that is over starts again with the whole allowance; else what is not used yet.
 */
export function allowanceLeft(stored: [number, number], params: AllowanceParams, at: number): { left: number; total: number; resetsAt: number } {
  const [start, used] = stored;
  const total = params.patientAllowance;
  if (at >= start + params.allowancePeriod) return { left: total, total, resetsAt: at + params.allowancePeriod };
  return { left: Math.max(0, total - used), total, resetsAt: start + params.allowancePeriod };
}

/** A record id for people: its text when it is printable UTF-8, else its hex. */
export function recordIdText(hex: string): string {
  const bytes = Uint8Array.from((hex.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text && /^[\x20-\x7e\u00a0-\uffff]+$/.test(text)) return text;
  } catch {
    // not UTF-8
  }
  return hex;
}

/** `YYYY-MM-DD` of a time, in the browser's time zone (for the date inputs' `min`). */
export function isoDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
