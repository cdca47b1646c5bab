import { describe, expect, test } from "vitest";
import { en, ko, type Key } from "../../src/i18n";
import { isWsUrl, nodeUrl, failureKind, DEFAULT_NODE } from "../../src/chain";
import type { CertificateVerifyAnswer, Disclosure, RecordVerifyAnswer, Validity, VersionView } from "../../src/rpc-types";
import {
  blockTimeMs,
  certificateVerdict,
  disclosureWords,
  PRESCRIPTION_TONE,
  recordVerdict,
} from "../../src/words";

const version = (n: number, status: VersionView["status"]): VersionView => ({
  contentHash: `0x${String(n).repeat(64)}`,
  size: 74,
  format: "FhirJson",
  anchoredAt: 10 + n,
  anchoredAtMs: 1_763_712_345_000,
  anchoredBy: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
  status,
});

const found = (patch: Partial<Extract<RecordVerifyAnswer, { found: true }>>): RecordVerifyAnswer => ({
  found: true,
  matchesCurrent: false,
  matchedVersion: null,
  matched: null,
  currentVersion: 2,
  current: version(2, "Current"),
  category: "Laboratory",
  status: "Active",
  ...patch,
});

const asked = { custodian: 0, recordId: "lab-1" };

const keyExists = (k: Key) => {
  expect(en[k], k).toBeTruthy();
  expect(ko[k], k).toBeTruthy();
};

describe("records_verify in words (docs/records.md)", () => {
  const cases: Array<[string, RecordVerifyAnswer, string, string]> = [
    ["found: false", { found: false }, "unknown", "bad"],
    ["matchesCurrent", found({ matchesCurrent: true, matchedVersion: 2, matched: version(2, "Current") }), "current", "ok"],
    ["an older version", found({ matchedVersion: 1, matched: version(1, "Superseded") }), "older", "warn"],
    ["matchedVersion: null", found({}), "altered", "bad"],
    ["retracted", found({ status: "Retracted", matchedVersion: 2, matched: version(2, "Retracted") }), "retracted", "warn"],
    ["erased", found({ status: "Erased", matchedVersion: 1, matched: version(1, "Superseded") }), "erased", "bad"],
  ];
  for (const [what, answer, state, tone] of cases) {
    test(`${what} → ${state}`, () => {
      const v = recordVerdict(answer, asked);
      expect(v.state).toBe(state);
      expect(v.tone).toBe(tone);
      keyExists(v.title);
      keyExists(v.body);
    });
  }

  test("the words name the version and the block", () => {
    const v = recordVerdict(found({ matchedVersion: 1, matched: version(1, "Superseded") }), asked);
    expect(v.params).toMatchObject({ version: 1, current: 2, block: 11, custodian: 0, recordId: "lab-1" });
  });
});

describe("certificates_verify in words (docs/certificates.md)", () => {
  const base = {
    found: true as const,
    checkedAtMs: 0,
    subject: "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
    kind: "Vaccination" as const,
    issuer: "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
    institution: 3,
    validFromMs: 0,
    validUntilMs: null,
    issuedAt: 1,
    issuedAtMs: 0,
    status: "Issued" as const,
    statusIndex: 0,
    supersedes: null,
  };
  const expected: Record<Validity, [string, string]> = {
    Valid: ["valid", "ok"],
    Suspended: ["suspended", "warn"],
    Revoked: ["revoked", "bad"],
    Superseded: ["superseded", "bad"],
    Expired: ["expired", "warn"],
    NotYetValid: ["notYetValid", "warn"],
  };
  for (const [validity, [state, tone]] of Object.entries(expected) as Array<[Validity, [string, string]]>) {
    test(`${validity} → ${state}`, () => {
      const answer: CertificateVerifyAnswer = { ...base, validity };
      const v = certificateVerdict(answer);
      expect(v.state).toBe(state);
      expect(v.tone).toBe(tone);
      expect(v.params).toEqual({ institution: 3 });
      keyExists(v.title);
      keyExists(v.body);
    });
  }
  test("found: false → unknown", () => {
    const v = certificateVerdict({ found: false });
    expect(v.state).toBe("unknown");
    expect(v.tone).toBe("bad");
    keyExists(v.title);
    keyExists(v.body);
  });
});

describe("the disclosure log in words (docs/consent.md)", () => {
  const entry = (patch: Partial<Disclosure>): Disclosure => ({
    custodian: 0,
    recipient: 1,
    recordId: "0x6c6162",
    category: "Laboratory",
    purpose: "Treatment",
    basis: { consent: 4 },
    at: 12,
    previous: `0x${"0".repeat(64)}`,
    hash: `0x${"1".repeat(64)}`,
    ...patch,
  });
  const cases: Array<[string, Disclosure, string, boolean, Key]> = [
    ["consent", entry({}), "release", false, "basis.consent"],
    ["an emergency access opened", entry({ custodian: null, basis: { emergency: 2 }, purpose: "EmergencyTreatment" }), "emergencyOpened", true, "basis.emergency"],
    ["a release under emergency access", entry({ basis: { emergency: 2 } }), "release", true, "basis.emergency"],
    ["an emergency access flagged", entry({ custodian: null, basis: { emergencyReview: 2 } }), "review", true, "basis.emergencyReview"],
    ["a dispensed prescription", entry({ basis: "prescription", category: "Prescription" }), "dispensed", false, "basis.prescription"],
    ["a certificate the holder showed", entry({ basis: { holderShared: `0x${"4".repeat(64)}` }, recipient: 0 }), "shared", false, "basis.holderShared"],
  ];
  for (const [what, e, kind, emergency, basis] of cases) {
    test(`${what} → ${kind}${emergency ? " (highlighted)" : ""}`, () => {
      const w = disclosureWords(e);
      expect(w.kind).toBe(kind);
      expect(w.emergency).toBe(emergency);
      expect(w.basis).toBe(basis);
      keyExists(w.sentence);
      keyExists(w.basis);
    });
  }
  test("a showing this browser remembers names to whom; otherwise only that it was shown", () => {
    const e = entry({ basis: { holderShared: `0x${"4".repeat(64)}` }, recipient: 0 });
    const w = disclosureWords(e, "Hanbit Insurance");
    expect(w.kind).toBe("shared");
    expect(w.basis).toBe("basis.holderSharedTo");
    expect(w.basisParams).toEqual({ name: "Hanbit Insurance" });
    expect(w.sentence).toBe("log.sharedKnown"); // not "only you know to whom" beside the name
    keyExists(w.basis);
    keyExists(w.sentence);
    expect(disclosureWords(e, null).basis).toBe("basis.holderShared");
    // A name never turns another basis into a showing.
    expect(disclosureWords(entry({}), "Hanbit Insurance").basis).toBe("basis.consent");
  });
  test("ids are carried to the words", () => {
    expect(disclosureWords(entry({})).basisParams).toEqual({ id: 4 });
    expect(disclosureWords(entry({ basis: { emergency: 7 } })).basisParams).toEqual({ id: 7 });
  });
  test("every category, purpose, kind and prescription status has words", () => {
    for (const c of ["PatientSummary", "Laboratory", "Imaging", "Medication", "Allergy", "Discharge", "Prescription", "EmergencyDataSet", "Immunization", "MentalHealth", "Other"]) keyExists(`category.${c}` as Key);
    for (const p of ["Treatment", "EmergencyTreatment", "Payment", "Research", "Operations", "PublicHealth", "PatientRequest"]) keyExists(`purpose.${p}` as Key);
    for (const k of ["SickLeave", "Vaccination", "Fitness", "Disability", "Death", "Other"]) keyExists(`kind.${k}` as Key);
    for (const s of Object.keys(PRESCRIPTION_TONE)) keyExists(`rx.status.${s}` as Key);
  });
});

describe("dates and the node address", () => {
  test("a block's time is estimated from the best block's", () => {
    expect(blockTimeMs(90, 100, 1_000_000, 6_000)).toBe(940_000);
    expect(blockTimeMs(100, 100, 1_000_000, 6_000)).toBe(1_000_000);
  });

  test("the node: ?node= wins, then the saved setting, then the default", () => {
    expect(nodeUrl("?node=ws%3A%2F%2F10.0.0.1%3A9944", "ws://saved:1")).toBe("ws://10.0.0.1:9944");
    expect(nodeUrl("?node=http://nope", "wss://saved.example:443")).toBe("wss://saved.example:443");
    expect(nodeUrl("", null)).toBe(DEFAULT_NODE);
    expect(DEFAULT_NODE).toBe("ws://127.0.0.1:9944");
    expect(isWsUrl("ws://127.0.0.1:9944")).toBe(true);
    expect(isWsUrl("https://x")).toBe(false);
    expect(isWsUrl("not a url")).toBe(false);
  });

  test("RPC failures are sorted for their words", () => {
    expect(failureKind({ code: -32602 })).toBe("invalid");
    expect(failureKind({ code: 8002 })).toBe("invalid");
    expect(failureKind({ code: 8001 })).toBe("node");
    expect(failureKind(new Error("?"))).toBe("unknown");
  });
});
