// A guardian in a real browser (#/consents, the #wards card): the guardian's secret imported;
// a bad ward address refused next to the field with nothing stored; the ward's address read
// from a QR code (a photo without a code and a code without an address refused; Chromium's
// fake camera showing the ward's code; a photo); the ward added (the
// hospital by name, the pseudonym address as the desk gives it, a label) and the guardian
// address shown for the desk; the hospital's device registers the ward naming that address and
// the guardian confirms in the app, signed with the guardian key, up to "finalized"
// (`Institutions.Patients(ward).guardian` is the guardian key); acting for the ward, the
// guardian grants a consent to the clinic through the editor (the node's consent_check
// permits) and revokes it; "See Minji's history" opens the ward's pseudonym on #/patient; an
// emergency access on the ward, opened while the consents screen shows, is announced there
// as the ward's (by its label and hospital) and its link shows it in the ward's timeline; the
// guardian ends the ward's registration (two clicks, finalized: `Institutions.Patients(ward)`
// is gone, the consent stays); layout (390 px, Korean), axe and screenshots.
//
// Seeding on top of global-setup's: the ward is a fresh key made here (a pseudonym another
// app derived); the hospital's device (//Dave) registers it naming the guardian key. No funds
// are given: the guardian key's calls are fee-free (docs/privacy.md, "No balance, no funding").
// For the emergency access the guardian registers the ward's emergency card on #/card (the
// ward's section) and the hospital's admin (//Bob) adds a physician of this test's own, funded by //Alice: the
// dev runtime allows each practitioner 5 emergency accesses a day and the other files use
// //Ferdie's.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { createWsClient } from "polkadot-api/ws";
import { medchain } from "@polkadot-api/descriptors";
import { Enum, type PolkadotClient } from "polkadot-api";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { parseCard, toHex } from "../../src/card";
import { address, deriveHard, guardianKey, miniSecretOf, wardCardSeed } from "../../src/keyring";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, importPhrase, launch, overflow, shot, type Browser } from "./browser";
import { qrPng, qrY4m } from "./qr-images";
import { cardPayload, devKey, hex, repeat, round, type Api, type Hex, type Key, type Seeded } from "./seed";

/** BIP-39's published test vector: a public phrase, never a real guardian's secret. */
// Not the phrase of any other browser test (each keyring must see only its own pseudonyms).
const PHRASE = "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong";
const PASS = "a guardian's passphrase, long enough";
const TX_WAIT = 90_000;
const LABEL = "Minji";
const HOSPITAL = "서울 중앙 병원";
/** This test's emergency physician at the hospital (its own: the per-practitioner limit). */
const physician: Key = devKey("//Ferdie//guardian-test-physician");

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let genesis: string;
let ss58: number;
/** The ward's pseudonym: a fresh key, as the ward's own app (or the hospital) made it. */
const wardKey = deriveHard(crypto.getRandomValues(new Uint8Array(32)), "");
let ward: string;
let guardian: string;
/** The seed of the ward's card, as the app's card screen shows it. */
let wardCard: Uint8Array | null = null;

const stage = () => page.locator("#tx-progress").getAttribute("data-stage");
const wardItem = () => page.locator(`#wards li[data-ward="${ward}"]`);
const stored = () => page.evaluate(() => localStorage.getItem("medchain-wards"));
const check = (category: string) =>
  client._request<Record<string, unknown>>("consent_check", [ward, seeded.clinic, { category: { category, custodian: null } }, "Treatment", null]);
const named = (name: string, id: number) => en["institution.named"].replace("{name}", name).replace("{id}", String(id));
const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

async function waitFinalized(): Promise<void> {
  await expect.poll(stage, { timeout: TX_WAIT, interval: 500 }).toMatch(/finalized|failed/);
  const text = await page.locator("#tx-progress").innerText();
  expect(await stage(), text).toBe("finalized");
}

/** Screenshots at 1280 and 390 px, with the phone width checked for overflow and both for axe. */
async function shots(name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  expect(await axeViolations(page), `${name} desktop`).toEqual([]);
  await shot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  expect(await overflow(page), `${name} phone`).toEqual([]);
  expect(await axeViolations(page), `${name} phone`).toEqual([]);
  await shot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  genesis = await client._request<string>("chain_getBlockHash", [0]);
  ss58 = await api.constants.System.SS58Prefix();
  ward = address(wardKey.publicKey, ss58);
  const pair = guardianKey(miniSecretOf(PHRASE), genesis, seeded.hospital, wardKey.publicKey);
  guardian = address(pair.publicKey, ss58);
  // The fake camera shows the QR code of the ward's address, as the hospital's desk shows it.
  const video = join(mkdtempSync(join(tmpdir(), "medchain-camera-")), "ward.y4m");
  qrY4m(ward, video);
  browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`]);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("a guardian acts for a ward", () => {
  test("the guardian imports the secret; a bad ward address is refused in words and nothing is stored", async () => {
    await importPhrase(page, PHRASE, PASS);
    await page.locator("#ward-form").waitFor({ timeout: WAIT });
    expect(await page.locator("#wards").innerText()).toContain(en["wards.none"]);

    // Nothing filled in: each field says what is missing.
    await page.locator("#ward-add").click();
    await expect.poll(() => page.locator("#ward-hospital-error").innerText()).toBe(en["wards.error.hospital"]);
    expect(await page.locator("#ward-address-error").innerText()).toBe(en["wards.error.addressMissing"]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ward-hospital");

    // A mistyped address (one character changed: the SS58 checksum fails).
    const typo = ward.slice(0, 10) + (ward[10] === "x" ? "y" : "x") + ward.slice(11);
    await page.locator("#ward-hospital").selectOption({ label: named("서울 중앙 병원", seeded.hospital) });
    await page.locator("#ward-address").fill(typo);
    await page.locator("#ward-label").fill(LABEL);
    await page.locator("#ward-add").click();
    await expect.poll(() => page.locator("#ward-address-error").innerText()).toBe(en["wards.error.address"]);
    expect(await page.locator("#ward-hospital-error").count()).toBe(0);
    expect(await page.locator("#ward-address").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#ward-address").getAttribute("aria-describedby")).toContain("ward-address-error");
    expect(await page.locator("#ward-invalid").innerText()).toBe(en["wards.invalid"]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ward-address");
    expect(await stored()).toBeNull();
    expect(await page.locator("#wards li").count()).toBe(0);
    await shots("guardian-invalid");
  });

  test("the ward's address is read from a QR code: a photo without one and a code without an address are refused, the camera reads it", async () => {
    const before = await page.locator("#ward-address").inputValue();
    // A photo without a code, then a code that is not an address: said, nothing filled in.
    await page.locator("#ward-address-photo").setInputFiles({ name: "blank.png", mimeType: "image/png", buffer: qrPng(null) });
    await expect.poll(() => page.locator("#ward-address-scan-error").innerText(), { timeout: WAIT }).toBe(en["qr.error.notFound"]);
    await page.locator("#ward-address-photo").setInputFiles({ name: "site.png", mimeType: "image/png", buffer: qrPng("https://example.org/not-an-address") });
    await expect.poll(() => page.locator("#ward-address-scan-error").innerText(), { timeout: WAIT }).toBe(en["qr.error.notAddress"]);
    expect(await page.locator("#ward-address").inputValue()).toBe(before);
    // The camera (Chromium's fake one shows the ward's code): read, the camera stops, the field is filled.
    await browser.context.grantPermissions(["camera"]);
    await page.locator("#ward-address-scan").click();
    await expect.poll(() => page.locator("#ward-address").inputValue(), { timeout: WAIT }).toBe(ward);
    expect(await page.locator("#ward-address-scanner").getAttribute("data-scanning")).toBe("false");
    expect(await page.locator("#ward-address-scan-error").count()).toBe(0);
    expect(await page.locator("#wards-note").innerText()).toBe(en["wards.scanned"]);
    // A photo of the same code fills in the same address (the substrate: form a signer app shows).
    await page.locator("#ward-address").fill("");
    await page.locator("#ward-address-photo").setInputFiles({ name: "ward.png", mimeType: "image/png", buffer: qrPng(`substrate:${ward}:${genesis}:${LABEL}`) });
    await expect.poll(() => page.locator("#ward-address").inputValue(), { timeout: WAIT }).toBe(ward);
    await shots("guardian-scanned");
  });

  test("the ward is added by hospital name and address; the guardian address for the desk is shown", async () => {
    expect(await page.locator("#ward-address").inputValue()).toBe(ward);
    await page.locator("#ward-add").click();
    await wardItem().waitFor({ timeout: WAIT });
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("none");
    expect(await wardItem().locator(".item-title").innerText()).toBe(
      en["wards.item"].replace("{ward}", LABEL).replace("{institution}", named("서울 중앙 병원", seeded.hospital)),
    );
    expect(await wardItem().locator("code[id^=ward-guardian-]").innerText()).toBe(guardian);
    // Also as a QR code for the desk to scan (not registered yet).
    const qr = wardItem().locator("details[id^=ward-guardian-qr-]");
    await qr.locator("summary").click();
    expect(await qr.locator("svg.qr").getAttribute("aria-label")).toBe(en["wards.guardianQr.label"].replace("{ward}", LABEL));
    expect(await page.locator("#ward-address").inputValue()).toBe(""); // the form starts again
    // What this browser keeps: the chain, the hospital, the ward's public key and the label; nothing secret.
    const kept = JSON.parse((await stored()) ?? "null");
    expect(kept.wards).toEqual([
      { genesis, custodian: seeded.hospital, ward: `0x${Buffer.from(wardKey.publicKey).toString("hex")}`, label: LABEL },
    ]);
    expect(JSON.stringify(kept)).not.toMatch(/letter|advice/);
    // The copy button puts the guardian address on the clipboard.
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await wardItem().locator("button[id^=ward-copy-]").click();
    await expect.poll(() => page.locator("#wards-note").innerText()).toBe(en["wards.copied"].replace("{ward}", LABEL));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(guardian);
  });

  test("the hospital registers the ward naming the guardian; the guardian confirms in the app, finalized", async () => {
    await round(client, [
      ["register the ward naming the guardian", devKey("//Dave"), api.tx.Institutions.register_patient({ patient: ward, guardian })],
    ]);
    await page.locator("#consents-refresh:not([disabled])").click();
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("pending");
    expect(await page.locator("#consent-editor").count()).toBe(0); // no pseudonym of its own to act as
    await shots("guardian-pending");
    await wardItem().locator("button[id^=ward-confirm-]").click();
    await expect.poll(stage, { timeout: WAIT }).toMatch(/signing|submitted|inBlock|finalized|failed/);
    await waitFinalized();
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("registered");
    const patient = await api.query.Institutions.Patients.getValue(ward, { at: "best" });
    expect(patient?.custodian).toBe(seeded.hospital);
    expect(patient?.guardian).toBe(guardian);
  });

  test("acting for the ward, the guardian grants a consent to the clinic; the node's check permits", async () => {
    await wardItem().locator("button[id^=ward-act-]").click();
    await page.locator("#acting-ward").waitFor({ timeout: WAIT });
    expect(await page.locator("#acting-ward").innerText()).toContain(en["acting.ward"].replace("{ward}", LABEL));
    expect(await page.locator("#acting").inputValue()).toBe(ward);
    expect(await page.locator("#acting-help").innerText()).toBe(en["acting.help.ward"].replace("{ward}", LABEL));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("acting-ward");
    expect(await page.locator("#list-ward").innerText()).toBe(en["list.ward"].replace("{ward}", LABEL));
    expect(await check("Laboratory")).toHaveProperty("deny");

    await page.locator("#consent-recipient").selectOption({ label: named("Gangnam Family Clinic", seeded.clinic) });
    await page.locator("#cat-Laboratory").check();
    await page.locator("#purpose-Treatment").check();
    await page.locator("#consent-until").fill(day(30));
    await page.locator("#consent-submit").click();
    await expect.poll(stage, { timeout: WAIT }).toMatch(/signing|submitted|inBlock|finalized|failed/);
    await waitFinalized();
    const item = page.locator("#consent-list li[data-state=active]");
    await item.first().waitFor({ timeout: WAIT });
    expect(await item.first().innerText()).toContain("Gangnam Family Clinic");
    expect(await check("Laboratory")).toHaveProperty("permit");
    expect(await check("Allergy")).toHaveProperty("deny");
    // The consent is the ward's (ConsentsOf the ward's pseudonym), granted with the guardian key.
    expect(await api.query.Consent.ConsentsOf.getValue(ward, { at: "best" })).toHaveLength(1);
    expect(await client._request<number>("system_accountNextIndex", [guardian])).toBe(2);
    await shots("guardian-acting");
  });

  test("acting for the ward, the guardian revokes it in one click; the node's check then denies", async () => {
    const id = await page.locator("#consent-list li[data-state=active]").first().getAttribute("data-consent");
    await page.locator(`#revoke-${id}`).click();
    await waitFinalized();
    await page.locator(`#consent-list li[data-consent="${id}"][data-state=revoked]`).waitFor({ timeout: WAIT });
    expect(await check("Laboratory")).toHaveProperty("deny");
  });

  test("'See Minji's history' opens the ward's pseudonym on the patient screen", async () => {
    const link = wardItem().locator("a[id^=ward-history-]");
    expect(await link.innerText()).toBe(en["wards.history"].replace("{ward}", LABEL));
    await link.focus();
    await page.keyboard.press("Enter");
    await page.locator("#patient-log").waitFor({ timeout: WAIT });
    expect(await page.locator("#patient-address").inputValue()).toBe(ward);
    // The timeline lists disclosures (none yet for the ward: the consent was granted and
    // revoked, nothing released); the pseudonym is shown with the hospital that keeps it.
    expect(await page.locator("#patient-pseudonyms").innerText()).toContain(HOSPITAL);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("log-title");
  });

  test("the ward's emergency card (#/card): registered with the guardian key, its text is the ward's card, printed alone", async () => {
    await page.locator("#nav-card").click();
    const item = page.locator(`#card-wards li.card-ward[data-ward="${ward}"]`);
    await item.waitFor({ timeout: WAIT });
    const row = item.locator("li.card-row");
    expect(await row.getAttribute("data-state")).toBe("none");
    expect(await row.innerText()).toContain(en["card.ward.row"].replace("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)));
    expect(await item.innerText()).toContain(en["card.ward.empty"].replaceAll("{ward}", LABEL));
    await item.locator("button[id^=card-register-]").click();
    await expect
      .poll(() => page.locator("#card-progress .tx-stage").getAttribute("data-stage"), { timeout: TX_WAIT, interval: 500 })
      .toMatch(/finalized|failed/);
    expect(await page.locator("#card-progress .tx-stage").getAttribute("data-stage")).toBe("finalized");
    expect(await page.locator("#card-progress").innerText()).toContain(LABEL);
    await expect.poll(() => row.getAttribute("data-state"), { timeout: WAIT }).toBe("current");
    // The card: one entry, the ward's pseudonym; its seed is the guardian's for this ward
    // (wardCardSeed), and the chain holds its key for the ward, set by the guardian key.
    const text = (await item.locator("pre.card-text").textContent()) ?? "";
    const card = parseCard(text);
    expect(card?.genesis).toBe(genesis);
    expect(card?.entries).toHaveLength(1);
    expect(card!.entries[0].custodian).toBe(seeded.hospital);
    expect(toHex(card!.entries[0].pseudonym)).toBe(toHex(wardKey.publicKey));
    expect(toHex(card!.entries[0].cardSeed)).toBe(toHex(wardCardSeed(PHRASE, genesis, seeded.hospital, wardKey.publicKey, 0)));
    const registered = await api.query.Consent.CardKeys.getValue(ward, { at: "best" });
    expect(registered).toBe(address(deriveHard(card!.entries[0].cardSeed, "").publicKey, ss58));
    wardCard = card!.entries[0].cardSeed;
    expect(await item.locator(".emergency-card h3").innerText()).toBe(en["card.ward.print.title"].replace("{ward}", LABEL));
    // Printing the ward's card shows that card only (window.print is stubbed: headless).
    await page.evaluate(() => {
      window.print = () => {};
    });
    await item.locator("button[id^=card-print-]").click();
    await page.emulateMedia({ media: "print" });
    expect(await item.locator(".emergency-card svg.qr").isVisible()).toBe(true);
    expect(await item.locator("li.card-row").isVisible()).toBe(false);
    expect(await page.locator("header.top").isVisible()).toBe(false);
    await shot(page, "guardian-card-print");
    await page.emulateMedia({ media: "screen" });
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    expect(await page.evaluate(() => document.body.dataset.printing ?? null)).toBeNull();
    await shots("guardian-card");
  });

  test("an emergency access on the ward, opened with the ward's card while the consents screen shows, is announced as the ward's", async () => {
    await page.locator("#nav-consents").click();
    await page.locator("#wards").waitFor({ timeout: WAIT });
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("registered");
    // This test's physician (funded by //Alice) opens the access with the card the app made.
    expect(wardCard).not.toBeNull();
    const card = deriveHard(wardCard!, "");
    await round(client, [
      ["add the guardian test's physician", devKey("//Bob"), api.tx.Institutions.add_practitioner({ practitioner: physician.address, role: Enum("Physician"), licence_hash: repeat(0x5b) })],
      ["fund the guardian test's physician", devKey("//Alice"), api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", physician.address), value: 10n ** 15n })],
    ]);
    const signature = card.sign(cardPayload(genesis as Hex, seeded.hospital, wardKey.publicKey, physician.publicKey));
    await round(client, [
      [
        "open an emergency access on the ward",
        physician,
        api.tx.Consent.open_emergency_access({ patient: ward, reason_commitment: repeat(0x36), card_signature: Enum("Sr25519", hex(signature)) }),
      ],
    ]);

    const alert = page.locator("#emergency-live [role=alert]");
    await alert.first().waitFor({ timeout: WAIT });
    expect(await page.locator("#wards").isVisible()).toBe(true);
    const text = await alert.first().innerText();
    expect(text).toContain(`the records of ${LABEL}, your ward, kept at ${HOSPITAL}`);
    expect(text).toMatch(/block #\d+/);
    const access = await alert.first().getAttribute("data-access");
    expect(access).toMatch(/^\d+$/);
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "guardian-emergency-phone");
    await page.setViewportSize(DESKTOP);

    // Its link: the ward's timeline with the access.
    await alert.first().locator('a[href="#/patient"]').click();
    await page.locator("#patient-log").waitFor({ timeout: WAIT });
    await expect
      .poll(() => page.locator('#patient-log li.event[data-kind="emergencyOpened"]').count(), { timeout: WAIT })
      .toBeGreaterThan(0);
    expect(await page.locator("#patient-log").innerText()).toContain(en["basis.emergency"].replace("{id}", access!));
    await alert.first().locator("button").click();
    await expect.poll(() => alert.count()).toBe(0);
    await page.locator("#nav-consents").click();
    await page.locator("#wards").waitFor({ timeout: WAIT });
  });

  test("layout: nothing overflows at 390 px, no serious axe violation, Korean", async () => {
    for (const [lang, viewport, size] of [
      ["ko", PHONE, "phone"],
      ["en", PHONE, "phone"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.locator(`#lang-${lang}`).click();
      await page.locator("#wards").waitFor();
      if (lang === "ko") expect(await page.locator("#wards-title").innerText()).toBe(ko["wards.title"]);
      expect(await overflow(page), `${lang} ${size}`).toEqual([]);
      expect(await axeViolations(page), `${lang} ${size}`).toEqual([]);
      await shot(page, `guardian-${lang}-${size}`);
    }
    await page.setViewportSize(DESKTOP);
  });

  test("the guardian ends the ward's registration: a second click confirms; finalized, the ward is no patient", async () => {
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("registered");
    const leave = wardItem().locator("button[id^=ward-leave-]:not([id*=cancel])");
    expect(await leave.innerText()).toBe(en["wards.leave"].replace("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)));
    // The first click arms and explains; nothing is sent.
    await leave.click();
    await expect.poll(() => leave.innerText()).toBe(en["wards.leave.confirm"]);
    const explain = wardItem().locator("[id^=ward-leave-explain-]");
    expect(await explain.innerText()).toContain(en["wards.leave.explain"].split("{ward}")[0]);
    expect(await leave.getAttribute("aria-describedby")).toBe(await explain.getAttribute("id"));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await leave.getAttribute("id"));
    expect(await api.query.Institutions.Patients.getValue(ward, { at: "best" })).toBeTruthy();
    await shots("guardian-leave");
    // "Keep the registration" disarms; arming again and the second click signs.
    await wardItem().locator("button[id^=ward-leave-cancel-]").click();
    await expect.poll(() => leave.innerText()).toBe(en["wards.leave"].replace("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)));
    expect(await explain.count()).toBe(0);
    await leave.click();
    await leave.click();
    await waitFinalized();
    expect(await page.locator("#tx-progress").innerText()).toContain(
      en["tx.what.leaveWard"].replace("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)),
    );
    // The ward was a patient there and is no longer: "ended" (not "not registered yet"), with
    // its history still one click away.
    await expect.poll(() => wardItem().getAttribute("data-state"), { timeout: WAIT }).toBe("ended");
    expect(await wardItem().locator("[id^=ward-state-]").innerText()).toBe(
      en["wards.state.ended"].replaceAll("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)),
    );
    expect(await wardItem().locator("a[id^=ward-history-]").count()).toBe(1);
    expect(await wardItem().locator("button[id^=ward-act-]").count()).toBe(0);
    await expect.poll(() => page.locator("#wards-note").innerText()).toContain(en["wards.left"].split(".")[0].replace("{ward}", LABEL).replace("{institution}", named(HOSPITAL, seeded.hospital)));
    expect(await api.query.Institutions.Patients.getValue(ward, { at: "best" })).toBeUndefined();
    // The history stays: the ward's consent is still on chain.
    expect(await api.query.Consent.ConsentsOf.getValue(ward, { at: "best" })).toHaveLength(1);
    // No ward to act for and no pseudonym of its own: the editor is gone.
    expect(await page.locator("#consent-editor").count()).toBe(0);
  });

  test("removing the ward forgets it in this browser only", async () => {
    await wardItem().locator("button[id^=ward-remove-]").click();
    await expect.poll(() => page.locator("#wards li").count(), { timeout: WAIT }).toBe(0);
    expect(await page.locator("#consent-editor").count()).toBe(0);
    expect(JSON.parse((await stored()) ?? "null").wards).toEqual([]);
    expect(await api.query.Consent.ConsentsOf.getValue(ward, { at: "best" })).toHaveLength(1);
  });
});
