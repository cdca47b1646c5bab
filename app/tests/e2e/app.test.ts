// The app in a real browser: Debian's Chromium driven by playwright-core, against the dev node
// (seeded once by global-setup.ts) and the built app that scripts/test.sh started. Every wait
// is bounded.

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { APP, DESKTOP, PHONE, WAIT, axeViolations as axe, forgeAnswers, launch, open as openOn, overflow as overflowOn, shot as shotOn, type Browser } from "./browser";
import type { Seeded } from "./seed";

let browser: Browser;
let page: Page;
let seeded: Seeded;

const open = (route: string, viewport = DESKTOP) => openOn(page, route, viewport);
const shot = (name: string) => shotOn(page, name);
const axeViolations = () => axe(page);
const overflow = () => overflowOn(page);
/** The light client's start and sync (it starts from the genesis at each page load). */
const PROOF_WAIT = 90_000;
const proofOf = (on: Page = page) => on.locator("#verify-proof").getAttribute("data-proof");

async function verifyRecord(document: string, salt: string, custodian: number, recordId: string, on: Page = page): Promise<string> {
  const page = on;
  await page.locator("#verify-kind-record").check();
  await page.locator("#verify-file").setInputFiles({ name: "report.json", mimeType: "application/json", buffer: Buffer.from(document) });
  await page.locator("#verify-salt").fill(salt);
  await page.locator("#verify-custodian").fill(String(custodian));
  await page.locator("#verify-record").fill(recordId);
  await page.locator("#verify-submit").click();
  const result = page.locator("#verify-result .result");
  await result.waitFor({ timeout: WAIT });
  return (await result.getAttribute("data-state")) ?? "";
}

async function verifyCertificate(document: string, salt: string): Promise<string> {
  await page.locator("#verify-kind-certificate").check();
  await page.locator("#verify-file").setInputFiles({ name: "certificate.json", mimeType: "application/json", buffer: Buffer.from(document) });
  await page.locator("#verify-salt").fill(salt);
  await page.locator("#verify-submit").click();
  const result = page.locator("#verify-result .result");
  await result.waitFor({ timeout: WAIT });
  return (await result.getAttribute("data-state")) ?? "";
}

beforeAll(async () => {
  seeded = inject("seeded");
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
});

describe("chain status bar", () => {
  test("shows a best block that advances, the peers and the runtime version", async () => {
    await open("verify");
    const best = async () => Number((await page.locator("#status-best").innerText()).replace(/[^0-9]/g, ""));
    await expect.poll(best, { timeout: WAIT }).toBeGreaterThan(0);
    const first = await best();
    await expect.poll(best, { timeout: WAIT, interval: 500 }).toBeGreaterThan(first);
    await expect.poll(() => page.locator("#status-finalized").innerText(), { timeout: WAIT }).toMatch(/#\d+/);
    await expect.poll(() => page.locator("#status-runtime").innerText(), { timeout: WAIT }).toMatch(/medchain \d+/);
    expect(await page.locator("#status-peers").innerText()).toMatch(/^\d+$/);
  });
});

describe("hospital portal: verify a document", () => {
  test("an unknown record is reported as unknown, in words", async () => {
    await open("verify");
    const state = await verifyRecord("some document", "ab".repeat(32), seeded.hospital, "no-such-record");
    expect(state).toBe("unknown");
    await expect.poll(() => page.locator("#verify-result").innerText()).toContain(en["record.unknown.title"]);
  });

  test("the genuine file is the current version", async () => {
    await open("verify");
    const r = seeded.record;
    expect(await verifyRecord(r.document, r.salt, r.custodian, r.recordId)).toBe("current");
    const text = await page.locator("#verify-result").innerText();
    expect(text).toContain(en["record.current.title"]);
    expect(text).toContain("서울 중앙 병원"); // the custodian's name, read from the chain
    // The same answer read by this browser's light client at a finalized block.
    await expect.poll(() => proofOf(), { timeout: PROOF_WAIT }).toBe("proven");
    expect(await page.locator("#verify-proof").innerText()).toMatch(/^Proved by this browser's light client: finalized block #\d+ holds this answer\.$/);
    await shot("verify-record-current-desktop");
    expect(await axeViolations()).toEqual([]);
  });

  test("a file dropped on the drop zone is verified as well", async () => {
    await open("verify");
    const r = seeded.record;
    const dropped = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "dropped.json", { type: "application/json" }));
      return dt;
    }, r.document);
    await page.locator("#drop-zone").dispatchEvent("drop", { dataTransfer: dropped });
    await expect.poll(() => page.locator("#verify-file-chosen").innerText()).toContain("dropped.json");
    await page.locator("#verify-salt").fill(r.salt);
    await page.locator("#verify-custodian").fill(String(r.custodian));
    await page.locator("#verify-record").fill(r.recordId);
    await page.keyboard.press("Enter"); // submitting from the keyboard
    await page.locator("#verify-result .result").waitFor({ timeout: WAIT });
    expect(await page.locator("#verify-result .result").getAttribute("data-state")).toBe("current");
  });

  test("a tampered file is reported as altered", async () => {
    await open("verify");
    const r = seeded.record;
    const tampered = r.document.replace("CBC", "CBD");
    expect(await verifyRecord(tampered, r.salt, r.custodian, r.recordId)).toBe("altered");
    expect(await page.locator("#verify-result").innerText()).toContain(en["record.altered.title"]);
    // "Altered" is proved too: the chain has no version with this content.
    await expect.poll(() => proofOf(), { timeout: PROOF_WAIT }).toBe("proven");
    await shot("verify-record-altered-desktop");
  });

  test("a node that calls a tampered file current is contradicted by the light client's proof", async () => {
    const forgedPage = await browser.context.newPage();
    try {
      // Between the page and the node: every records_verify answer claims the current version.
      const forged = await forgeAnswers<Record<string, unknown> & { found: boolean }>(
        forgedPage,
        (r) => r.method === "records_verify",
        (r) => {
          if (!r.found) return false;
          Object.assign(r, { matchesCurrent: true, matchedVersion: r.currentVersion, matched: r.current });
          return true;
        },
      );
      await openOn(forgedPage, "verify");
      const r = seeded.record;
      expect(await verifyRecord(r.document.replace("CBC", "CBD"), r.salt, r.custodian, r.recordId, forgedPage)).toBe("current");
      expect(forged()).toBe(1);
      await expect.poll(() => proofOf(forgedPage), { timeout: PROOF_WAIT }).toBe("differs");
      const line = forgedPage.locator("#verify-proof");
      expect(await line.innerText()).toContain(en["verify.proof.state.altered"]);
      expect(await line.getAttribute("class")).toContain("proof-warning");
      // The focus stays on the answer's title while the line is drawn again.
      expect(await forgedPage.evaluate(() => document.activeElement?.classList.contains("result-title"))).toBe(true);
      expect(await axe(forgedPage)).toEqual([]);
      await shotOn(forgedPage, "verify-proof-differs-desktop");
    } finally {
      await forgedPage.close();
    }
  });

  test("a genuine certificate is valid; an unknown one is unknown", async () => {
    await open("verify");
    const c = seeded.certificate;
    expect(await verifyCertificate(c.document, c.salt)).toBe("valid");
    expect(await page.locator("#verify-result").innerText()).toContain(en["kind.Vaccination"]);
    await shot("verify-certificate-valid-desktop");
    expect(await verifyCertificate(c.document, "cd".repeat(32))).toBe("unknown");
    expect(await page.locator("#verify-result").innerText()).toContain(en["cert.unknown.title"]);
  });

  test("a bad salt is explained in words", async () => {
    await open("verify");
    expect(await verifyRecord("x", "12345", 0, "r")).toBe("error");
    expect(await page.locator("#verify-result").innerText()).toContain(en["error.salt"]);
  });
});

describe("patient portal", () => {
  test("shows the disclosure log as a timeline, the certificates and the prescriptions", async () => {
    await open("patient");
    await page.locator("#patient-address").fill(seeded.patient);
    await page.locator("#patient-submit").click();
    await page.locator("#patient-log").waitFor({ timeout: WAIT });
    const kinds = await page.locator("#patient-log li.event").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(expect.arrayContaining(["release", "emergencyOpened", "dispensed", "shared"]));
    expect(await page.locator("#patient-log").innerText()).toContain("Gangnam Family Clinic");
    expect(await page.locator("#patient-log li.event.emergency").count()).toBeGreaterThan(0);
    expect(await page.locator("#patient-log").innerText()).toContain("Jongno Pharmacy");
    expect(await page.locator("#patient-certs li[data-state=valid]").count()).toBe(1);
    expect(await page.locator("#patient-rx li[data-state=completed]").count()).toBe(1);
    await shot("patient-desktop");
    expect(await axeViolations()).toEqual([]);
  });

  test("an invalid address is explained in words", async () => {
    await open("patient");
    await page.locator("#patient-address").fill("5Grwbad");
    await page.locator("#patient-submit").click();
    await expect.poll(() => page.locator("#patient-result").innerText(), { timeout: WAIT }).toContain(en["error.address"]);
  });
});

describe("language, layout and accessibility", () => {
  test("the language switch changes the labels to Korean", async () => {
    await open("verify");
    await page.locator("#lang-ko").click();
    await expect.poll(() => page.locator("label[for=verify-salt]").innerText()).toBe(ko["verify.salt"]);
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");
    expect(await page.locator("#nav-patient").innerText()).toBe(ko["nav.patient"]);
    expect(await page.locator("#lang-ko").getAttribute("aria-pressed")).toBe("true");
    await shot("verify-ko-desktop");
    // The choice is kept for the next visit; switch back for the other tests.
    await page.reload();
    await expect.poll(() => page.locator("label[for=verify-salt]").innerText()).toBe(ko["verify.salt"]);
    await page.locator("#lang-en").click();
    await expect.poll(() => page.locator("label[for=verify-salt]").innerText()).toBe(en["verify.salt"]);
  });

  test("the status bar says when the node cannot be reached", async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${APP}?node=${encodeURIComponent("ws://127.0.0.1:9")}#/verify`, { timeout: WAIT });
    await page.locator("#status-connection[data-state=disconnected]").waitFor({ timeout: WAIT });
    expect(await page.locator("#status-connection").innerText()).toBe(en["status.disconnected"]);
  });

  for (const [route, fillIn] of [
    ["verify", async () => {
      const r = seeded.record;
      await verifyRecord(r.document, r.salt, r.custodian, r.recordId);
    }],
    ["patient", async () => {
      await page.locator("#patient-address").fill(seeded.patient);
      await page.locator("#patient-submit").click();
      await page.locator("#patient-log").waitFor({ timeout: WAIT });
    }],
    ["settings", async () => {}],
  ] as Array<[string, () => Promise<void>]>) {
    test(`${route}: nothing overflows at 390 px, no serious axe violation, screenshots`, async () => {
      for (const [lang, viewport, size] of [
        ["en", PHONE, "phone"],
        ["ko", PHONE, "phone"],
        ["en", DESKTOP, "desktop"],
      ] as const) {
        await open(route, viewport);
        await page.locator(`#lang-${lang}`).click();
        await fillIn();
        expect(await overflow(), `${route} ${lang} ${size}`).toEqual([]);
        expect(await axeViolations(), `${route} ${lang} ${size}`).toEqual([]);
        await shot(`${route}-${lang}-${size}`);
      }
      await page.locator("#lang-en").click();
    });
  }
});
