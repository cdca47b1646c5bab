// The consent editor's pure logic: dates as blocks, validation, states, the allowance.

import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decAnyMetadata, unifyMetadata } from "@polkadot-api/substrate-bindings";
import { en } from "../../src/i18n";
import {
  allowanceLeft,
  blockToMs,
  checkDraft,
  consentState,
  dayEndMs,
  dayStartMs,
  isoDay,
  msToBlock,
  recordIdText,
  type Clock,
  type Draft,
} from "../../src/consent";

const DAY = 86_400_000;
const now = new Date(2027, 0, 10, 12, 0, 0).getTime(); // 10 January 2027, noon, local time
const clock: Clock = { best: 1000, bestTimeMs: now, blockMs: 6000 };
const draft = (patch: Partial<Draft> = {}): Draft => ({
  recipient: 2,
  categories: ["Laboratory"],
  records: [],
  purposes: ["Treatment"],
  until: "2027-01-20",
  from: "",
  ...patch,
});
const MAX = 5_256_000; // a year of 6-second blocks (the dev chain's max_consent_duration)

describe("dates and blocks", () => {
  test("a day in the browser's time zone", () => {
    expect(dayStartMs("2027-01-20")).toBe(new Date(2027, 0, 20).getTime());
    expect(dayEndMs("2027-01-20")).toBe(new Date(2027, 0, 21).getTime());
    expect(dayEndMs("2027-12-31")).toBe(new Date(2028, 0, 1).getTime());
    expect(dayStartMs("2027-02-30")).toBeNull();
    expect(dayStartMs("20.1.2027")).toBeNull();
    expect(isoDay(now)).toBe("2027-01-10");
  });

  test("rounded down for an end, up for a start", () => {
    expect(msToBlock(now + 6000 * 10 + 5999, clock, "down")).toBe(1010);
    expect(msToBlock(now + 6000 * 10 + 1, clock, "up")).toBe(1011);
    expect(msToBlock(now + 6000 * 10, clock, "up")).toBe(1010);
    expect(blockToMs(1010, clock)).toBe(now + 60_000);
  });
});

describe("validation before signing", () => {
  test("a good draft gives the terms: until the end of the day, rounded down", () => {
    const r = checkDraft(draft(), clock, MAX, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // From noon on the 10th to midnight ending the 20th: 10.5 days of 6-second blocks.
    expect(r.terms.validUntil).toBe(1000 + Math.floor((10.5 * DAY) / 6000));
    expect(r.terms.validFrom).toBeUndefined();
    expect(r.terms.grantee).toBe(2);
  });

  test("today is allowed (until tonight); yesterday is past", () => {
    expect(checkDraft(draft({ until: "2027-01-10" }), clock, MAX, now).ok).toBe(true);
    const r = checkDraft(draft({ until: "2027-01-09" }), clock, MAX, now);
    expect(r.ok ? null : r.errors.until?.key).toBe("consent.error.untilPast");
  });

  test("every missing part is named, all at once", () => {
    const r = checkDraft({ recipient: null, categories: [], records: [], purposes: [], until: "", from: "" }, clock, MAX, now);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v!.key]))).toEqual({
      recipient: "consent.error.recipient",
      scope: "consent.error.scope",
      purposes: "consent.error.purposes",
      until: "consent.error.untilMissing",
    });
  });

  test("a specific record alone is a scope", () => {
    expect(checkDraft(draft({ categories: [], records: [[0, "0x6c6162"]] }), clock, MAX, now).ok).toBe(true);
  });

  test("too long, from after until, no clock, bad date", () => {
    const long = checkDraft(draft({ until: "2029-01-01" }), clock, MAX, now);
    expect(long.ok ? null : long.errors.until).toEqual({ key: "consent.error.tooLong", params: { days: 365 } });
    const order = checkDraft(draft({ from: "2027-01-25" }), clock, MAX, now);
    expect(order.ok ? null : order.errors.from?.key).toBe("consent.error.fromAfterUntil");
    const noClock = checkDraft(draft(), null, MAX, now);
    expect(noClock.ok ? null : noClock.errors.until?.key).toBe("consent.error.noClock");
    const bad = checkDraft(draft({ until: "2027-02-31" }), clock, MAX, now);
    expect(bad.ok ? null : bad.errors.until?.key).toBe("consent.error.date");
  });

  test("a later start is rounded up; today's start means now", () => {
    const r = checkDraft(draft({ from: "2027-01-12" }), clock, MAX, now);
    expect(r.ok && r.terms.validFrom).toBe(1000 + Math.ceil((1.5 * DAY) / 6000));
    const today = checkDraft(draft({ from: "2027-01-10" }), clock, MAX, now);
    expect(today.ok && today.terms.validFrom).toBeUndefined();
  });
});

describe("consent states", () => {
  const c = { validFrom: 100, validUntil: 200 };
  test("in words at a block", () => {
    expect(consentState(c, 99)).toBe("notYetValid");
    expect(consentState(c, 100)).toBe("active");
    expect(consentState(c, 199)).toBe("active");
    expect(consentState(c, 200)).toBe("expired");
    expect(consentState({ ...c, revokedFrom: 150 }, 120)).toBe("revoked");
    expect(consentState({ ...c, revokedFrom: 150 }, 300)).toBe("revoked");
  });
});

test("the editor's categories and purposes are the runtime's enums, in order", async () => {
  const { CATEGORIES, PURPOSES } = await import("../../src/consent");
  const metadata = unifyMetadata(decAnyMetadata(new Uint8Array(readFileSync(join(import.meta.dirname, "../../.papi/metadata/medchain.scale")))));
  const variants = (path: string) => {
    const type = metadata.lookup.find((t) => t.path.join("::") === path);
    if (!type || type.def.tag !== "variant") throw new Error(`no enum ${path}`);
    return [...type.def.value].sort((a, b) => a.index - b.index).map((v) => v.name);
  };
  expect(CATEGORIES).toEqual(variants("pallet_records::types::Category"));
  expect(PURPOSES).toEqual(variants("pallet_consent::types::Purpose"));
});

test("every state, category and purpose has its words", async () => {
  const { CATEGORIES, PURPOSES } = await import("../../src/consent");
  for (const st of ["active", "notYetValid", "expired", "revoked"]) expect(en).toHaveProperty([`list.state.${st}`]);
  for (const c of CATEGORIES) expect(en).toHaveProperty([`category.${c}`]);
  for (const p of PURPOSES) expect(en).toHaveProperty([`purpose.${p}`]);
  for (const stage of ["signing", "submitted", "inBlock", "finalized", "failed"]) expect(en).toHaveProperty([`tx.stage.${stage}`]);
});

describe("the fee-free allowance, as allowance.rs", () => {
  const params = { patientAllowance: 20, allowancePeriod: 14_400 };
  test("used in the current period", () => {
    expect(allowanceLeft([0, 2], params, 500)).toEqual({ left: 18, total: 20, resetsAt: 14_400 });
    expect(allowanceLeft([100, 25], params, 500).left).toBe(0);
  });
  test("a period that is over starts again", () => {
    expect(allowanceLeft([0, 20], params, 14_400)).toEqual({ left: 20, total: 20, resetsAt: 28_800 });
  });
});

test("record ids for people", () => {
  expect(recordIdText("0x6c61622d31")).toBe("lab-1");
  expect(recordIdText("0x00ff")).toBe("0x00ff");
});
