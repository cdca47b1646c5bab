// Answers of the node turned into words: which message, in which tone, with which values.
// Pure functions (no DOM, no node), so the unit tests cover every case.

import { getSs58AddressInfo } from "polkadot-api";
import type { Key } from "./i18n";
import type {
  CertificateVerifyAnswer,
  Disclosure,
  DisputeReason,
  ExchangeStatusJson,
  Hex,
  PrescriptionStatus,
  RecordVerifyAnswer,
  Validity,
} from "./rpc-types";

export type Tone = "ok" | "warn" | "bad";

export interface Verdict {
  /** A stable name of the outcome (also a `data-state` attribute the browser tests read). */
  state: string;
  tone: Tone;
  title: Key;
  body: Key;
  params: Record<string, string | number>;
}

export type RecordState = "current" | "older" | "retracted" | "erased" | "altered" | "unknown";

/** What decides a record's verdict: `records_verify`'s answer, or the light client's reading. */
export type RecordFacts =
  | { found: false }
  | { found: true; status: "Active" | "Retracted" | "Erased"; matchesCurrent: boolean; matchedVersion: number | null };

/** The verdict's state, by the rules of `recordVerdict`. */
export function recordState(facts: RecordFacts): RecordState {
  if (!facts.found) return "unknown";
  if (facts.status === "Erased") return "erased";
  if (facts.matchesCurrent) return "current";
  if (facts.matchedVersion === null) return "altered";
  if (facts.status === "Retracted") return "retracted";
  return "older";
}

const RECORD_TONE: Record<RecordState, Tone> = {
  current: "ok",
  older: "warn",
  retracted: "warn",
  erased: "bad",
  altered: "bad",
  unknown: "bad",
};

/** What `records_verify` said about a document (docs/records.md, "How a client verifies"). */
export function recordVerdict(
  answer: RecordVerifyAnswer,
  asked: { custodian: number; recordId: string },
): Verdict & { state: RecordState } {
  const base = { custodian: asked.custodian, recordId: asked.recordId };
  const state = recordState(answer);
  const params = answer.found
    ? { ...base, version: answer.matchedVersion ?? "", current: answer.currentVersion, block: answer.matched?.anchoredAt ?? answer.current.anchoredAt }
    : base;
  return { state, tone: RECORD_TONE[state], title: `record.${state}.title` as Key, body: `record.${state}.body` as Key, params };
}

export type CertificateState =
  | "valid"
  | "suspended"
  | "revoked"
  | "superseded"
  | "expired"
  | "notYetValid"
  | "unknown";

const VALIDITY_STATE: Record<Validity, CertificateState> = {
  Valid: "valid",
  Suspended: "suspended",
  Revoked: "revoked",
  Superseded: "superseded",
  Expired: "expired",
  NotYetValid: "notYetValid",
};

const CERT_TONE: Record<CertificateState, Tone> = {
  valid: "ok",
  suspended: "warn",
  expired: "warn",
  notYetValid: "warn",
  revoked: "bad",
  superseded: "bad",
  unknown: "bad",
};

export function certificateState(validity: Validity): CertificateState {
  return VALIDITY_STATE[validity];
}

export function certificateTone(state: CertificateState): Tone {
  return CERT_TONE[state];
}

/** What `certificates_verify` said (docs/certificates.md, the validity table). */
export function certificateVerdict(answer: CertificateVerifyAnswer): Verdict & { state: CertificateState } {
  const state: CertificateState = answer.found ? VALIDITY_STATE[answer.validity] : "unknown";
  return {
    state,
    tone: CERT_TONE[state],
    title: `cert.${state}.title` as Key,
    body: `cert.${state}.body` as Key,
    params: answer.found ? { institution: answer.institution } : {},
  };
}

export type DisclosureKind = "release" | "emergencyOpened" | "review" | "dispensed" | "shared";

export interface DisclosureWords {
  kind: DisclosureKind;
  /** Emergency entries are highlighted. */
  emergency: boolean;
  sentence: Key;
  basis: Key;
  basisParams: Record<string, string | number>;
}

/** One entry of the disclosure log in words (docs/consent.md, "The disclosure log"). */
export function disclosureWords(entry: Disclosure, shownTo: string | null = null): DisclosureWords {
  const b = entry.basis;
  if (b === "prescription") {
    return { kind: "dispensed", emergency: false, sentence: "log.dispensed", basis: "basis.prescription", basisParams: {} };
  }
  if ("holderShared" in b) {
    // To whom is known only to the browser that logged it (src/shown.ts).
    return shownTo
      ? { kind: "shared", emergency: false, sentence: "log.sharedKnown", basis: "basis.holderSharedTo", basisParams: { name: shownTo } }
      : { kind: "shared", emergency: false, sentence: "log.shared", basis: "basis.holderShared", basisParams: {} };
  }
  if ("emergencyReview" in b) {
    return {
      kind: "review",
      emergency: true,
      sentence: "log.review",
      basis: "basis.emergencyReview",
      basisParams: { id: b.emergencyReview },
    };
  }
  if ("emergency" in b) {
    return {
      kind: entry.custodian === null ? "emergencyOpened" : "release",
      emergency: true,
      sentence: entry.custodian === null ? "log.emergencyOpened" : "log.release",
      basis: "basis.emergency",
      basisParams: { id: b.emergency },
    };
  }
  return { kind: "release", emergency: false, sentence: "log.release", basis: "basis.consent", basisParams: { id: b.consent } };
}

export const PRESCRIPTION_TONE: Record<PrescriptionStatus, Tone> = {
  active: "ok",
  "on-hold": "warn",
  expired: "warn",
  completed: "ok",
  cancelled: "bad",
  stopped: "bad",
  "entered-in-error": "bad",
};

/**
 * When a block was made, estimated from the best block's time and the block time (a block's
 * own timestamp needs its state, which a pruning node no longer keeps).
 */
export function blockTimeMs(block: number, best: number, bestTimeMs: number, blockMs: number): number {
  return bestTimeMs - (best - block) * blockMs;
}

// --- Hospital portal and the patient's history across hospitals (issue 18, second part) ---

/** A record id as people read it: the UTF-8 text it usually is, else its hex. */
export function recordIdText(id: Hex): string {
  const bytes = new Uint8Array((id.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(id.slice(2 + 2 * i, 4 + 2 * i), 16);
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // Printable text only (no control characters): otherwise the hex says more.
    if (text.length > 0 && !/[\u0000-\u001f\u007f]/.test(text)) return text;
  } catch {
    // Not UTF-8: shown as hex.
  }
  return id;
}

/** An amount in the smallest unit as MED, e.g. 10_000_000_000n → "0.01 MED" (12 decimals). */
export function formatAmount(planck: bigint, decimals = 12, symbol = "MED"): string {
  const negative = planck < 0n;
  const abs = negative ? -planck : planck;
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "−" : ""}${whole}${fraction ? `.${fraction}` : ""} ${symbol}`;
}

export type ExchangeState = "requested" | "delivered" | "disputed" | "completed" | "refunded";
export type RefundCause = "expired" | "declined" | "consentWithdrawn" | "disputeUpheld";

/** Where an exchange request stands, from the RPC's JSON or from storage (one shape for both). */
export type ExchangeStatus =
  | { state: "requested" }
  | { state: "delivered"; disputeUntil: number }
  | { state: "disputed"; reason: DisputeReason; at: number }
  | { state: "completed"; at: number; automatic: boolean }
  | { state: "refunded"; at: number; cause: RefundCause; consentReason?: string };

export function statusFromJson(s: ExchangeStatusJson): ExchangeStatus {
  if (s === "requested") return { state: "requested" };
  if ("delivered" in s) return { state: "delivered", disputeUntil: s.delivered.disputeUntil };
  if ("disputed" in s) return { state: "disputed", reason: s.disputed.reason, at: s.disputed.at };
  if ("completed" in s) return { state: "completed", at: s.completed.at, automatic: s.completed.automatic };
  const c = s.refunded.cause;
  return typeof c === "string"
    ? { state: "refunded", at: s.refunded.at, cause: c }
    : { state: "refunded", at: s.refunded.at, cause: "consentWithdrawn", consentReason: c.consentWithdrawn };
}

/** Whether the fee is still held (the pallet's `Status::is_open`). */
export function feeHeld(status: ExchangeStatus): boolean {
  return status.state === "requested" || status.state === "delivered" || status.state === "disputed";
}

export interface ExchangeWords {
  state: ExchangeState;
  tone: Tone;
  title: Key;
  detail: Key;
  params: Record<string, string | number>;
}

/**
 * An exchange request's status in words (docs/exchange.md, the state machine): the title says
 * where it stands, the detail what happens next and by when. `time(block)` dates a block.
 */
export function exchangeWords(
  status: ExchangeStatus,
  deadline: number,
  best: number | undefined,
  time: (block: number) => string,
): ExchangeWords {
  switch (status.state) {
    case "requested": {
      const left = best === undefined ? null : deadline - best;
      if (left !== null && left <= 0) {
        return { state: "requested", tone: "bad", title: "exchange.requested", detail: "exchange.deadlinePassed", params: { block: deadline, time: time(deadline) } };
      }
      return {
        state: "requested",
        tone: left !== null && left <= 600 ? "warn" : "ok",
        title: "exchange.requested",
        detail: left === null ? "exchange.deadline" : "exchange.deadlineLeft",
        params: { block: deadline, time: time(deadline), left: left ?? "" },
      };
    }
    case "delivered":
      return { state: "delivered", tone: "ok", title: "exchange.delivered", detail: "exchange.disputeUntil", params: { block: status.disputeUntil, time: time(status.disputeUntil) } };
    case "disputed":
      return {
        state: "disputed",
        tone: "warn",
        title: "exchange.disputed",
        detail: `dispute.${status.reason}` as Key,
        params: { block: status.at, time: time(status.at) },
      };
    case "completed":
      return {
        state: "completed",
        tone: "ok",
        title: "exchange.completed",
        detail: status.automatic ? "exchange.completedAutomatic" : "exchange.completedConfirmed",
        params: { block: status.at, time: time(status.at) },
      };
    case "refunded":
      return {
        state: "refunded",
        tone: "bad",
        title: "exchange.refunded",
        detail: `refund.${status.cause}` as Key,
        params: { block: status.at, time: time(status.at), reason: status.consentReason ?? "" },
      };
  }
}

/** The custodian's part of a paid fee: the fee less the relay operator's share (rounded down). */
export function custodianShare(fee: bigint, relaySharePerMille: number): bigint {
  return fee - (fee * BigInt(relaySharePerMille)) / 1000n;
}

/** The public key of an SS58 address as hex, to compare addresses whatever their prefix. */
export function accountKey(address: string): string | null {
  const info = getSs58AddressInfo(address.trim());
  if (!info.isValid) return null;
  return Array.from(info.publicKey, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `Consent.EmergencyAccessOpened` as the app reads it from a block. */
export interface EmergencyOpened {
  access: bigint | number;
  patient: string;
  institution: number;
  expiresAt: number;
  block: number;
}

/** Whose pseudonym an emergency watch follows, which says how the announcement names it. */
export type Whose =
  /** The patient screen's n-th pseudonym (1-based) of `of` shown. */
  | { from: "patient"; n: number; of: number }
  /** One of the unlocked keyring's pseudonyms, registered at `custodian`. */
  | { from: "keyring"; custodian: number }
  /** A ward of the unlocked keyring's guardian, registered at `custodian`, by the guardian's label (may be empty). */
  | { from: "ward"; custodian: number; label: string };

export interface WatchedPseudonym {
  address: string;
  whose: Whose;
  /** The best block when it was read: accesses of this block or older are not news. */
  since: number;
}

export interface WatchedAccess {
  /** The access id, to announce each access once. */
  access: string;
  /** The pseudonym as watched (the first entry for its key). */
  address: string;
  whose: Whose;
  institution: number;
  block: number;
  until: number;
  key: Key;
}

/** How an announcement names the pseudonym: "your records", "pseudonym n", "kept at <hospital>", "<label>, your ward". */
export function announcementKey(whose: Whose): Key {
  if (whose.from === "keyring") return "live.emergency.at";
  if (whose.from === "ward") return "live.emergency.ward";
  return whose.of > 1 ? "live.emergency.of" : "live.emergency";
}

/**
 * The pseudonyms to watch from every source, each key once: the first source named wins (the
 * caller names the guardian's wards first, then the patient screen's, so a ward is named by
 * its label and any other pseudonym as the screen numbers it).
 */
export function mergeWatched(...sources: WatchedPseudonym[][]): WatchedPseudonym[] {
  const keys = new Set<string>();
  const out: WatchedPseudonym[] = [];
  for (const w of sources.flat()) {
    const key = accountKey(w.address);
    if (key === null || keys.has(key)) continue;
    keys.add(key);
    out.push(w);
  }
  return out;
}

/**
 * The emergency accesses to announce: those opened on a watched pseudonym after it was read and
 * not announced yet (`seen` is updated). A block seen again (best, then finalized, or after a
 * re-organisation) announces nothing twice.
 */
export function watchedAccesses(events: EmergencyOpened[], watched: WatchedPseudonym[], seen: Set<string>): WatchedAccess[] {
  const keys = watched.map((w) => accountKey(w.address));
  const out: WatchedAccess[] = [];
  for (const e of events) {
    const key = accountKey(e.patient);
    const index = key === null ? -1 : keys.indexOf(key);
    const access = String(e.access);
    if (index < 0 || e.block <= watched[index].since || seen.has(access)) continue;
    seen.add(access);
    const w = watched[index];
    out.push({ access, address: w.address, whose: w.whose, institution: e.institution, block: e.block, until: e.expiresAt, key: announcementKey(w.whose) });
  }
  return out;
}
