// The emergency card in a real browser (#/card): the patient registers a card key for the
// hospital where the pseudonym is registered, the card's QR code and text appear, the text is
// a working card — a physician of that hospital opens an emergency access with it on chain —,
// a lost card is replaced (the old card then opens nothing), the print layout shows only the
// card, layout, axe and screenshots.
//
// Seeding on top of global-setup's: the hospital's device (//Dave) registers the pseudonym of
// a fixed public test phrase, which confirms its registration; the hospital's admin (//Bob)
// adds a physician of its own for this file, funded by //Alice for the emergency transaction.

import type { Page } from "playwright-core";
import { medchain } from "@polkadot-api/descriptors";
import { Enum, getSs58AddressInfo, type PolkadotClient } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import { createWsClient } from "polkadot-api/ws";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { parseCard, toHex } from "../../src/card";
import { en } from "../../src/i18n";
import { address, deriveHard, miniSecretOf, pseudonymKey } from "../../src/keyring";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, importPhrase, launch, overflow, shot, type Browser } from "./browser";
import { cardPayload, devKey, hex, repeat, round, type Api, type Hex, type Key, type Seeded } from "./seed";

/** BIP-39's all-zero test vector: a public phrase, never a real patient's secret. */
const PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const PASS = "a card passphrase, long enough";
const TX_WAIT = 90_000;

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let genesis: Hex;
let pseudonym: string;
const physician: Key = devKey("//Ferdie//emergency-department");

/** Opens an emergency access at the hospital with the card entry's seed, as the physician. */
async function openWithCard(cardSeed: Uint8Array, reason: number): Promise<void> {
  const card = deriveHard(cardSeed, "");
  const signature = card.sign(cardPayload(genesis, seeded.hospital, pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital).publicKey, physician.publicKey));
  await round(client, [
    [
      "open an emergency access with the card",
      physician,
      api.tx.Consent.open_emergency_access({ patient: pseudonym, reason_commitment: repeat(reason), card_signature: Enum("Sr25519", hex(signature)) }),
    ],
  ]);
}

async function waitDone(): Promise<void> {
  await expect
    .poll(() => page.locator("#card-progress .tx-stage").getAttribute("data-stage"), { timeout: TX_WAIT, interval: 500 })
    .toMatch(/finalized|failed/);
  expect(await page.locator("#card-progress .tx-stage").getAttribute("data-stage")).toBe("finalized");
}

/** The card's QR text, as the page shows it under "Show the card's text". */
async function cardText(): Promise<string> {
  return (await page.locator("#card-text").textContent({ timeout: WAIT })) ?? "";
}

function publicKeyOf(ss58: string): string {
  const info = getSs58AddressInfo(ss58);
  return info.isValid ? toHex(info.publicKey) : `invalid address ${ss58}`;
}

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  genesis = await client._request<Hex>("chain_getBlockHash", [0]);
  const pair = pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital);
  pseudonym = address(pair.publicKey);
  const patient: Key = { address: pseudonym, publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign), sign: pair.sign };
  browser = await launch();
  page = browser.page;
  // The secret is imported on the keys screen, as a patient would, before the pseudonym is
  // registered: the registration is confirmed from "another device" (signed here), and the
  // page's emergency watch, which follows every pseudonym the keyring derives, announces the
  // access opened on it without the page reading the registrations again.
  await importPhrase(page, PHRASE, PASS);
  await round(client, [
    ["register the card test's pseudonym", devKey("//Dave"), api.tx.Institutions.register_patient({ patient: pseudonym, guardian: undefined })],
    ["add the emergency physician", devKey("//Bob"), api.tx.Institutions.add_practitioner({ practitioner: physician.address, role: Enum("Physician"), licence_hash: repeat(0x5a) })],
    ["fund the emergency physician", devKey("//Alice"), api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", physician.address), value: 10n ** 15n })],
  ]);
  await round(client, [["confirm the registration", patient, api.tx.Institutions.confirm_registration({ patient: pseudonym, guardian: undefined })]]);
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("patient portal: the emergency card", () => {
  test("without a registered card key there is no card, and the hospital is listed", async () => {
    await page.locator("#nav-card").click();
    const row = page.locator(`#card-rows li[data-custodian="${seeded.hospital}"]`);
    await row.waitFor({ timeout: WAIT });
    expect(await row.getAttribute("data-state")).toBe("none");
    expect(await row.innerText()).toContain("서울 중앙 병원");
    expect(await page.locator("#card-empty").innerText()).toBe(en["card.empty"]);
    expect(await page.locator("#emergency-card").count()).toBe(0);
  });

  test("registering a card key shows the card; its text opens an emergency access on chain", async () => {
    await page.locator(`#card-register-${seeded.hospital}`).click();
    await waitDone();
    const row = page.locator(`#card-rows li[data-custodian="${seeded.hospital}"]`);
    await expect.poll(() => row.getAttribute("data-state"), { timeout: WAIT }).toBe("current");
    expect(await row.innerText()).toContain(en["card.row.current"].replace("{n}", "1"));
    expect(await page.locator("#emergency-card svg.qr path").count()).toBe(1);
    const card = parseCard(await cardText());
    expect(card).not.toBeNull();
    expect(card!.genesis).toBe(genesis);
    expect(card!.entries).toHaveLength(1);
    expect(card!.entries[0].custodian).toBe(seeded.hospital);
    expect(toHex(card!.entries[0].pseudonym)).toBe(toHex(pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital).publicKey));
    // The chain holds the card's key for the pseudonym, and the card opens an access.
    const key = await api.query.Consent.CardKeys.getValue(pseudonym, { at: "best" });
    expect(key && publicKeyOf(key)).toBe(toHex(deriveHard(card!.entries[0].cardSeed, "").publicKey));
    await openWithCard(card!.entries[0].cardSeed, 0x61);
    // The unlocked keyring's pseudonyms are watched, this one since before its registration
    // (beforeAll): the access is announced on this screen, naming the hospital that keeps it.
    const alert = page.locator("#emergency-live [role=alert]");
    await alert.first().waitFor({ timeout: WAIT });
    const text = await alert.first().innerText();
    expect(text).toContain(en["live.emergency.at"].split("{institution}")[0]);
    expect(text).toContain(`kept at 서울 중앙 병원`);
    expect(text).toMatch(/block #\d+/);
    expect(await page.locator("#emergency-card").count()).toBe(1);
    await page.setViewportSize(DESKTOP);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "card-desktop");
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "card-phone");
    await page.setViewportSize(DESKTOP);
  });

  test("the print layout shows the card and hides the rest", async () => {
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#emergency-card svg.qr").isVisible()).toBe(true);
    expect(await page.locator("#card-rows").isVisible()).toBe(false);
    expect(await page.locator("header.top").isVisible()).toBe(false);
    expect(await page.locator("#card-print").isVisible()).toBe(false);
    await shot(page, "card-print");
    await page.emulateMedia({ media: "screen" });
    expect(await page.locator("#card-rows").isVisible()).toBe(true);
  });

  test("a lost card is replaced: the new card works, the old one opens nothing", async () => {
    const old = parseCard(await cardText())!;
    await page.locator(`#card-replace-${seeded.hospital}`).click();
    await waitDone();
    const row = page.locator(`#card-rows li[data-custodian="${seeded.hospital}"]`);
    await expect.poll(() => row.innerText(), { timeout: WAIT }).toContain(en["card.row.current"].replace("{n}", "2"));
    const renewed = parseCard(await cardText())!;
    expect(toHex(renewed.entries[0].cardSeed)).not.toBe(toHex(old.entries[0].cardSeed));
    await expect(openWithCard(old.entries[0].cardSeed, 0x62)).rejects.toThrow(/InvalidEmergencyCard/);
    await openWithCard(renewed.entries[0].cardSeed, 0x63);
  });

  test("withdrawing the key leaves no card", async () => {
    await page.locator(`#card-withdraw-${seeded.hospital}`).click();
    await waitDone();
    await expect.poll(() => page.locator(`#card-rows li[data-custodian="${seeded.hospital}"]`).getAttribute("data-state"), { timeout: WAIT }).toBe("none");
    expect(await api.query.Consent.CardKeys.getValue(pseudonym, { at: "best" })).toBeUndefined();
    expect(await page.locator("#emergency-card").count()).toBe(0);
  });

  test("the announced access's link shows the keyring pseudonym's timeline with the accesses", async () => {
    // Both accesses opened by the cards above are announced, newest first.
    const alerts = page.locator("#emergency-live [role=alert]");
    await expect.poll(() => alerts.count(), { timeout: WAIT }).toBe(2);
    await alerts.first().locator('a[href="#/patient"]').click();
    await page.locator("#patient-log").waitFor({ timeout: WAIT });
    // The keyring's pseudonym, in the chain's SS58 format.
    expect(publicKeyOf(await page.locator("#patient-address").inputValue())).toBe(publicKeyOf(pseudonym));
    expect(await page.locator('#patient-log li.event[data-kind="emergencyOpened"]').count()).toBe(2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("log-title");
    // Dismissed one by one; the focus goes to the next alert's button, then to the screen.
    await alerts.first().locator("button").click();
    await expect.poll(() => alerts.count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en["live.dismiss"]);
    await page.keyboard.press("Enter");
    await expect.poll(() => alerts.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(await page.locator("#emergency-live").isHidden()).toBe(true);
  });
});
