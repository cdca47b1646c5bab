// Answers of the node turned into words: which message, in which tone, with which values.
// Pure functions (no DOM, no node), so the unit tests cover every case.

import type { Key } from "./i18n";
import type {
  CertificateVerifyAnswer,
  Disclosure,
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

/** What `records_verify` said about a document (docs/records.md, "How a client verifies"). */
export function recordVerdict(
  answer: RecordVerifyAnswer,
  asked: { custodian: number; recordId: string },
): Verdict & { state: RecordState } {
  const base = { custodian: asked.custodian, recordId: asked.recordId };
  if (!answer.found) {
    return { state: "unknown", tone: "bad", title: "record.unknown.title", body: "record.unknown.body", params: base };
  }
  const params = {
    ...base,
    version: answer.matchedVersion ?? "",
    current: answer.currentVersion,
    block: answer.matched?.anchoredAt ?? answer.current.anchoredAt,
  };
  if (answer.status === "Erased") {
    return { state: "erased", tone: "bad", title: "record.erased.title", body: "record.erased.body", params };
  }
  if (answer.matchesCurrent) {
    return { state: "current", tone: "ok", title: "record.current.title", body: "record.current.body", params };
  }
  if (answer.matchedVersion === null) {
    return { state: "altered", tone: "bad", title: "record.altered.title", body: "record.altered.body", params };
  }
  if (answer.status === "Retracted") {
    return { state: "retracted", tone: "warn", title: "record.retracted.title", body: "record.retracted.body", params };
  }
  return { state: "older", tone: "warn", title: "record.older.title", body: "record.older.body", params };
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
export function disclosureWords(entry: Disclosure): DisclosureWords {
  const b = entry.basis;
  if (b === "prescription") {
    return { kind: "dispensed", emergency: false, sentence: "log.dispensed", basis: "basis.prescription", basisParams: {} };
  }
  if ("holderShared" in b) {
    return { kind: "shared", emergency: false, sentence: "log.shared", basis: "basis.holderShared", basisParams: {} };
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
