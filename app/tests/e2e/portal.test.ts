// The hospital portal and the patient's history across hospitals in a real browser (Chromium
// via playwright-core), against the dev node seeded by global-setup.ts. On top of that seed,
// this file's beforeAll: the clinic gets a device (//Dave//stash); the hospital's admin publishes
// a price list (in force after the delay, so shown as waiting); the hospital's device sets its
// encryption key; the clinic registers a second pseudonym of the patient (//Eve//clinic) and
// anchors an imaging record under it; and the clinic asks the hospital for the seeded lab record
// through the exchange pallet (the seed's consent covers it), so the hospital has a request
// waiting. The live test opens an emergency access itself, with the patient's card.

import { medchain } from "@polkadot-api/descriptors";
import { AccountId, Enum, type PolkadotClient } from "polkadot-api";
import { createWsClient } from "polkadot-api/ws";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { checkChain, entryHash } from "../../src/log-chain";
import type { DisclosuresAnswer } from "../../src/rpc-types";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, forgeAnswers, launch, open, overflow, shot, type Browser } from "./browser";
import { cardPayload, contentHash, devKey, hex, repeat, round, utf8, type Api, type Hex, type Seeded } from "./seed";

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
/** An account as the chain writes it (its own SS58 prefix), as the app shows storage keys. */
let onChain: (publicKey: Uint8Array) => string;

const second = devKey("//Eve//clinic"); // the patient's pseudonym at the clinic
const clinicDevice = devKey("//Dave//stash");
const IMAGING_ID = "img-2026-000002";
const HOSPITAL = "서울 중앙 병원";
const CLINIC = "Gangnam Family Clinic";
/** The light client's start: it syncs from the genesis in the chain specification at each page load. */
const PROOF_WAIT = 120_000;

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  const prefix = await api.constants.System.SS58Prefix();
  onChain = (publicKey) => AccountId(prefix).dec(publicKey);
  const bob = devKey("//Bob"); // the hospital's admin
  const clinicAdmin = devKey("//Charlie//stash");
  const device = devKey("//Dave"); // the hospital's device
  const patient = devKey("//Eve");

  await round(client, [
    ["add the clinic's device", clinicAdmin, api.tx.Institutions.add_device({ device: clinicDevice.address })],
    [
      "publish the hospital's prices",
      bob,
      api.tx.Exchange.set_prices({ custodian: seeded.hospital, prices: [[Enum("Imaging"), 20_000_000_000n]] }),
    ],
    ["set the hospital device's encryption key", device, api.tx.Institutions.set_encryption_key({ device: device.address, key: repeat(0x5a) })],
  ]);
  await round(client, [
    ["register the clinic pseudonym", clinicDevice, api.tx.Institutions.register_patient({ patient: second.address, guardian: undefined })],
  ]);
  await round(client, [
    ["confirm the clinic pseudonym", second, api.tx.Institutions.confirm_registration({ patient: second.address, guardian: undefined })],
  ]);
  const recordId = hex(utf8(seeded.record.recordId));
  const fee = await client._request<string>("exchange_quote", [seeded.hospital, patient.address, [recordId], []]);
  const imaging = '{"resourceType":"ImagingStudy","status":"available"}';
  await round(client, [
    [
      "anchor the clinic's record",
      clinicDevice,
      api.tx.Records.anchor({
        patient: second.address,
        record_id: utf8(IMAGING_ID),
        category: Enum("Imaging"),
        content_hash: contentHash(new Uint8Array(32).fill(3), utf8(imaging)),
        size: BigInt(utf8(imaging).length),
        format: Enum("FhirJson"),
      }),
    ],
    [
      "the clinic requests the lab record from the hospital",
      clinicDevice,
      api.tx.Exchange.request({
        custodian: seeded.hospital,
        patient: patient.address,
        record_ids: [utf8(seeded.record.recordId)],
        categories: [],
        purpose: Enum("Treatment"),
        max_fee: BigInt(fee),
      }),
    ],
  ]);
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

async function showInstitution(id: number, by: "list" | "number" = "list"): Promise<void> {
  await page.locator(`#hospital-institution option[value="${id}"]`).waitFor({ state: "attached", timeout: WAIT });
  if (by === "list") {
    await page.locator("#hospital-number").fill("");
    await page.locator("#hospital-institution").selectOption(String(id));
    await page.locator("#hospital-submit").click();
  } else {
    await page.locator("#hospital-number").fill(String(id));
    await page.keyboard.press("Enter");
  }
  await page.locator("#hospital-summary").waitFor({ timeout: WAIT });
}

async function showPseudonyms(): Promise<void> {
  await page.locator("#patient-address").fill(seeded.patient);
  // The view keeps its rows while the page is open (a hash change does not reload it).
  if ((await page.locator("#patient-address-2").count()) === 0) {
    await page.locator("#patient-add").click();
    // The new field has the focus: typed from the keyboard.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("patient-address-2");
    await page.keyboard.type(second.address);
  } else {
    await page.locator("#patient-address-2").fill(second.address);
    await page.locator("#patient-address-2").focus();
  }
  await page.keyboard.press("Enter");
  await page.locator("#patient-records").waitFor({ timeout: WAIT });
}

describe("hospital portal", () => {
  test("the custodian sees the waiting request with the requester's name and the fee, and its administration data", async () => {
    await open(page, "hospital");
    await showInstitution(seeded.hospital);
    const incoming = page.locator("#hospital-incoming li[data-request]");
    expect(await incoming.count()).toBe(1);
    const text = await incoming.first().innerText();
    expect(text).toContain(CLINIC);
    expect(text).toContain("0.01 MED");
    expect(text).toContain("lab-2026-000001");
    expect(await incoming.first().getAttribute("data-state")).toBe("requested");
    expect(text).toContain(en["exchange.requested"]);
    // Fees: held for the hospital as custodian (its share: 95 % of 0.01 MED).
    expect(await page.locator("#fees-held-for-us").innerText()).toContain("0.0095 MED");
    // Devices: the seeded device with the key set in beforeAll.
    const devices = await page.locator("#hospital-devices").innerText();
    expect(devices).toContain(onChain(devKey("//Dave").publicKey));
    expect(devices).toContain(en["hospital.key.set"]);
    expect(devices).toContain(`0x${"5a".repeat(32)}`);
    // Practitioners by role only (other test files add physicians to this hospital too).
    expect(await page.locator("#hospital-practitioners li[data-role=Physician]").count()).toBeGreaterThanOrEqual(1);
    // Prices: none in force, the new list waiting.
    expect(await page.locator("#hospital-prices").innerText()).toContain(en["hospital.prices.empty"]);
    expect(await page.locator("#hospital-prices-waiting").innerText()).toContain("0.02 MED");
    await shot(page, "hospital-custodian-desktop");
    expect(await axeViolations(page)).toEqual([]);
  });

  test("the requester, chosen by its number, sees its own request and the fee held from it", async () => {
    await open(page, "hospital");
    await page.locator(`#hospital-institution option[value="${seeded.clinic}"]`).waitFor({ state: "attached", timeout: WAIT });
    await page.locator("#hospital-number").fill("999");
    await page.locator("#hospital-submit").click();
    await expect.poll(() => page.locator("#hospital-result").innerText(), { timeout: WAIT }).toContain(
      en["hospital.unknownNumber"].replace("{id}", "999"),
    );
    await showInstitution(seeded.clinic, "number");
    expect(await page.locator("#hospital-summary-title").innerText()).toContain(CLINIC);
    const outgoing = page.locator("#hospital-outgoing li[data-request]");
    expect(await outgoing.count()).toBe(1);
    expect(await outgoing.first().innerText()).toContain(HOSPITAL);
    expect(await outgoing.first().getAttribute("data-state")).toBe("requested");
    expect(await page.locator("#fees-held-by-us").innerText()).toContain("0.01 MED");
    expect(await page.locator("#hospital-incoming").innerText()).toContain(en["hospital.incoming.empty"]);
    expect(await page.locator("#hospital-devices").innerText()).toContain(onChain(clinicDevice.publicKey));
    expect(await page.locator("#hospital-practitioners").innerText()).toContain(en["hospital.practitioners.empty"]);
  });

  test("nothing overflows at 390 px, no serious axe violation, in both languages", async () => {
    for (const [lang, viewport, size] of [
      ["en", PHONE, "phone"],
      ["ko", PHONE, "phone"],
      ["ko", DESKTOP, "desktop"],
    ] as const) {
      await open(page, "hospital", viewport);
      await page.locator(`#lang-${lang}`).click();
      await showInstitution(seeded.hospital);
      expect(await page.locator("#hospital-incoming-title").innerText()).toBe((lang === "ko" ? ko : en)["hospital.incoming.title"]);
      expect(await overflow(page), `${lang} ${size}`).toEqual([]);
      expect(await axeViolations(page), `${lang} ${size}`).toEqual([]);
      await shot(page, `hospital-${lang}-${size}`);
    }
    await page.locator("#lang-en").click();
  });
});

describe("patient: one history across hospitals", () => {
  test("records of two custodians' pseudonyms are shown together, with the timeline", async () => {
    await open(page, "patient");
    await showPseudonyms();
    const groups = page.locator("#patient-records section.custodian");
    expect(await groups.count()).toBe(2);
    const records = await page.locator("#patient-records").innerText();
    expect(records).toContain(HOSPITAL);
    expect(records).toContain(CLINIC);
    expect(records).toContain("lab-2026-000001");
    expect(records).toContain(IMAGING_ID);
    expect(await page.locator(`#patient-records section[data-custodian="${seeded.clinic}"] li[data-state=active]`).count()).toBe(1);
    expect(await page.locator("#patient-pseudonyms").innerText()).toContain(CLINIC);
    // The seeded pseudonym's timeline is still there, marked as pseudonym 1.
    expect(await page.locator('#patient-log li.event[data-pseudonym="1"]').count()).toBeGreaterThan(0);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  test("the app recomputes every entry's hash as the node does, and the timeline says the chain is intact", { timeout: 300_000 }, async () => {
    // Real vectors: every entry the node keeps for the seeded pseudonym (releases on a consent,
    // an emergency access opened, a dispensed prescription, a shown certificate, and whatever
    // other test files logged), hashed by the runtime and by log-chain.ts.
    let answer = await client._request<DisclosuresAnswer>("consent_disclosures", [seeded.patient, 0]);
    const state = answer.log;
    const entries = [...answer.entries];
    const kept = [...answer.keptEmergency];
    while (entries.length > 0 && entries[entries.length - 1][0] > state.first) {
      answer = await client._request<DisclosuresAnswer>("consent_disclosures", [seeded.patient, answer.page + 1]);
      entries.push(...answer.entries);
    }
    expect(entries.length).toBeGreaterThanOrEqual(4);
    const bases = new Set(entries.map(([, e]) => (typeof e.basis === "string" ? e.basis : Object.keys(e.basis)[0])));
    for (const basis of ["consent", "emergency", "prescription", "holderShared"]) expect(bases, basis).toContain(basis);
    for (const [index, entry] of [...entries, ...kept]) expect(entryHash(entry), `entry #${index}`).toBe(entry.hash);
    expect(checkChain(state, entries, kept)).toEqual({ state: "intact", checked: state.next - state.first });

    await open(page, "patient");
    await showPseudonyms();
    const first = page.locator('#patient-chain li[data-pseudonym="1"]');
    await expect.poll(() => first.getAttribute("data-chain"), { timeout: WAIT }).toBe(
      state.next - state.first > answer.pageSize ? "incomplete" : "intact",
    );
    // The clinic's pseudonym has no entry: nothing to check, its head is zero.
    expect(await page.locator('#patient-chain li[data-pseudonym="2"]').getAttribute("data-chain")).toBe("intact");
    expect(await page.locator('#patient-chain li[data-pseudonym="2"]').innerText()).toContain(en["patient.chain.empty"]);
    if ((await first.getAttribute("data-chain")) === "intact") {
      expect(await first.innerText()).toContain(en["patient.chain.intact"].replace("{count}", String(state.next - state.first)));
    }
    // The head proved by this browser's light client (smoldot in a worker, started from the
    // dist/chain-spec.json that scripts/test.sh put beside the app, peering with the dev node
    // over WebSocket): at a finalized block it verified itself, each log's head is the node's.
    await expect.poll(() => first.getAttribute("data-proof"), { timeout: PROOF_WAIT }).toBe("proven");
    const clinicLine = page.locator('#patient-chain li[data-pseudonym="2"]');
    await expect.poll(() => clinicLine.getAttribute("data-proof"), { timeout: PROOF_WAIT }).toBe("proven");
    expect(await clinicLine.innerText()).toMatch(/Proved by this browser's light client: no entry at finalized block #\d+\./);
    expect(await first.innerText()).toMatch(/Proved by this browser's light client:? (up to entry #\d+|finalized block #\d+ holds this head)/);
    expect(browser.csp).toEqual([]);
  });

  test("a node that rewrites the newest entry and the head consistently passes the hash chain check; the light client's proof shows it", { timeout: 300_000 }, async () => {
    const answer = await client._request<DisclosuresAnswer>("consent_disclosures", [seeded.patient, 0]);
    const newestIndex = answer.log.next - 1;
    const newest = answer.entries.find(([i]) => i === newestIndex)?.[1];
    expect(newest, "the seeded pseudonym's newest entry").toBeDefined();
    // Final before the page reads: the light client then proves the genuine newest entry.
    const deadline = Date.now() + PROOF_WAIT;
    while ((await client.getFinalizedBlock()).number < newest!.at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));

    const forgedPage = await browser.context.newPage();
    try {
      // Between the page and the node: the node's answers to consent_disclosures for the seeded
      // pseudonym's page 0 get their newest entry's purpose changed, its hash recomputed and the
      // head set to it. No entry follows the newest, so the hash chain holds.
      const forged = await forgeAnswers<DisclosuresAnswer>(
        forgedPage,
        (r) => r.method === "consent_disclosures" && r.params?.[0] === seeded.patient && r.params?.[1] === 0,
        (result) => {
          const entry = result.entries.find(([i]) => i === result.log.next - 1)?.[1];
          if (!entry) return false;
          entry.purpose = entry.purpose === "Research" ? "Treatment" : "Research";
          entry.hash = entryHash(entry);
          result.log.head = entry.hash;
          return true;
        },
      );
      await open(forgedPage, "patient");
      await forgedPage.locator("#patient-address").fill(seeded.patient);
      await forgedPage.locator("#patient-submit").click();
      await forgedPage.locator("#patient-records").waitFor({ timeout: WAIT });
      const line = forgedPage.locator('#patient-chain li[data-pseudonym="1"]');
      await expect.poll(() => line.getAttribute("data-proof"), { timeout: PROOF_WAIT }).toBe("differs");
      expect(forged()).toBeGreaterThan(0);
      // The hash chain check alone passes the forgery.
      expect(["intact", "incomplete"]).toContain(await line.getAttribute("data-chain"));
      expect(await line.innerText()).toContain(
        en["patient.proof.differs"].replace("{block}", "").split("#")[0],
      );
      expect(await line.innerText()).toContain(`#${newestIndex}`);
      // Shown as a warning, not by colour alone: a mark and a border (the broken chain's style).
      expect(await line.getAttribute("class")).toContain("chain-broken");
      expect(await line.locator(".chain-mark").innerText()).toBe("⚠");
      expect(await axeViolations(forgedPage)).toEqual([]);
      await shot(forgedPage, "patient-proof-differs-desktop");
    } finally {
      await forgedPage.close();
    }
  });

  test("an emergency access opened now is announced without reloading, and shows in the timeline", async () => {
    await open(page, "patient", PHONE);
    await showPseudonyms();
    const opened = page.locator('#patient-log li.event[data-kind="emergencyOpened"]');
    const before = await opened.count();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const physician = devKey("//Ferdie");
    const card = devKey("//Eve//emergency-card");
    const genesis = (await client._request<Hex>("chain_getBlockHash", [0])) as Hex;
    const signature = card.sign(cardPayload(genesis, seeded.hospital, devKey("//Eve").publicKey, physician.publicKey));
    await round(client, [
      [
        "open an emergency access (test)",
        physician,
        api.tx.Consent.open_emergency_access({
          patient: seeded.patient,
          reason_commitment: repeat(0x34),
          card_signature: Enum("Sr25519", hex(signature)),
        }),
      ],
    ]);

    // The alert is in the shell's live region (on every screen), above the patient's results.
    const alert = page.locator("#emergency-live [role=alert]");
    await alert.first().waitFor({ timeout: WAIT });
    const text = await alert.first().innerText();
    expect(text).toContain(HOSPITAL);
    expect(text).toMatch(/block #\d+/);
    expect(text).toContain("pseudonym 1");
    await expect.poll(() => opened.count(), { timeout: WAIT }).toBe(before + 1);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "patient-live-emergency-phone");
    await page.setViewportSize(DESKTOP);
    await shot(page, "patient-two-pseudonyms-desktop");

    // Dismissed from the keyboard.
    await alert.first().locator("button").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => alert.count()).toBe(0);
  });

  test("an emergency access opened while another screen shows is announced there, and its link leads to the timeline", async () => {
    await open(page, "patient", PHONE);
    await showPseudonyms();
    const opened = page.locator('#patient-log li.event[data-kind="emergencyOpened"]');
    const before = await opened.count();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    // Away from the patient screen: the pseudonyms it loaded are still watched.
    await page.locator("#nav-settings").click();
    await page.locator("#settings-title").waitFor({ timeout: WAIT });

    // Ferdie's third emergency access today (the seed's, the test above's): within the
    // practitioner's limit of 5 per day.
    const physician = devKey("//Ferdie");
    const card = devKey("//Eve//emergency-card");
    const genesis = (await client._request<Hex>("chain_getBlockHash", [0])) as Hex;
    const signature = card.sign(cardPayload(genesis, seeded.hospital, devKey("//Eve").publicKey, physician.publicKey));
    await round(client, [
      [
        "open an emergency access while the settings show (test)",
        physician,
        api.tx.Consent.open_emergency_access({
          patient: seeded.patient,
          reason_commitment: repeat(0x35),
          card_signature: Enum("Sr25519", hex(signature)),
        }),
      ],
    ]);

    const alert = page.locator("#emergency-live [role=alert]");
    await alert.first().waitFor({ timeout: WAIT });
    expect(await page.locator("#settings-title").isVisible()).toBe(true);
    const text = await alert.first().innerText();
    expect(text).toContain(HOSPITAL);
    expect(text).toMatch(/block #\d+/);
    expect(text).toContain("pseudonym 1");
    expect(text).toContain(en["live.emergency.until"].split(" block")[0]);
    const access = await alert.first().getAttribute("data-access");
    expect(access).toMatch(/^\d+$/);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "live-emergency-settings-phone");

    // "See the timeline" from the keyboard: the patient screen, the access in the timeline.
    await alert.first().locator('a[href="#/patient"]').focus();
    await page.keyboard.press("Enter");
    await page.locator("#patient-log").waitFor({ timeout: WAIT });
    await expect.poll(() => opened.count(), { timeout: WAIT }).toBe(before + 1);
    expect(await page.locator("#patient-log").innerText()).toContain(en["basis.emergency"].replace("{id}", access!));
    // The focus is on the timeline's heading, so a screen reader continues there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("log-title");
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await alert.first().locator("button").click();
    await expect.poll(() => alert.count()).toBe(0);
  });
});
