// Spacing between hospitals in a real browser (src/spacing.ts; docs/app.md, "Spacing between
// hospitals"): a patient registered at two institutions chooses the short spacing in #/settings,
// registers a card key at the hospital (sent at once: the first transaction) and then at the
// clinic — another pseudonym, so the app waits (5–20 s), says why and offers "Send now" and
// "Cancel", and sends by itself at least 5 s after the first; for the hospital again (the
// last was the clinic's) Cancel signs nothing and changes nothing on chain, and Send now sends
// at once; a second transaction with the same pseudonym does not wait. Layout, axe, Korean.
//
// Seeding on top of global-setup's: the hospital's device (//Dave) and the clinic's admin
// (//Charlie//stash) register the pseudonyms of a fixed public test phrase, which confirms both.

import { medchain } from "@polkadot-api/descriptors";
import { getPolkadotSigner } from "polkadot-api/signer";
import { createWsClient } from "polkadot-api/ws";
import type { PolkadotClient } from "polkadot-api";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { address, miniSecretOf, pseudonymKey } from "../../src/keyring";
import { DESKTOP, PHONE, NODE, WAIT, axeViolations, importPhrase, launch, open, overflow, shot, type Browser } from "./browser";
import { devKey, round, type Api, type Hex, type Key, type Seeded } from "./seed";

/** A BIP-39 test vector: a public phrase, never a real patient's secret; no other test's. */
const PHRASE = "jelly better achieve collect unaware mountain thought cargo oxygen act hood bridge";
const PASS = "a spacing passphrase, long enough";
const TX_WAIT = 90_000;

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let atHospital: string;
let atClinic: string;

const stage = () => page.locator("#card-progress .tx-stage").getAttribute("data-stage");

async function finalized(): Promise<void> {
  await expect.poll(stage, { timeout: TX_WAIT, interval: 250 }).toMatch(/finalized|failed/);
  expect(await stage(), await page.locator("#card-progress").innerText()).toBe("finalized");
}

const cardKey = (pseudonym: string) => api.query.Consent.CardKeys.getValue(pseudonym, { at: "best" });

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  const genesis = await client._request<Hex>("chain_getBlockHash", [0]);
  const key = (custodian: number): Key => {
    const pair = pseudonymKey(miniSecretOf(PHRASE), genesis, custodian);
    return { address: address(pair.publicKey), publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign), sign: pair.sign };
  };
  const hospitalKey = key(seeded.hospital);
  const clinicKey = key(seeded.clinic);
  atHospital = hospitalKey.address;
  atClinic = clinicKey.address;
  await round(client, [
    ["register at the hospital", devKey("//Dave"), api.tx.Institutions.register_patient({ patient: atHospital, guardian: undefined })],
    ["register at the clinic", devKey("//Charlie//stash"), api.tx.Institutions.register_patient({ patient: atClinic, guardian: undefined })],
  ]);
  await round(client, [
    ["confirm at the hospital", hospitalKey, api.tx.Institutions.confirm_registration({ patient: atHospital, guardian: undefined })],
    ["confirm at the clinic", clinicKey, api.tx.Institutions.confirm_registration({ patient: atClinic, guardian: undefined })],
  ]);
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("spacing between hospitals", () => {
  test("the setting: standard by default, off warns, short is kept", async () => {
    await open(page, "settings");
    expect(await page.locator("#spacing-standard").isChecked()).toBe(true);
    await page.locator("#spacing-off").check();
    expect(await page.locator("#spacing-off-warning").innerText()).toBe(en["spacing.offWarning"]);
    await page.locator("#spacing-short").check();
    expect(await page.locator("#spacing-off-warning").count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("medchain-spacing"))).toBe("short");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "settings-spacing-desktop");
    // Kept across a reload (the phrase is imported afterwards: a reload locks the keyring).
    await importPhrase(page, PHRASE, PASS);
    expect(await page.evaluate(() => localStorage.getItem("medchain-spacing"))).toBe("short");
  });

  test("registering at another hospital: the pseudonym for it, shown as text and QR code for its desk", async () => {
    // Busan Gateway Hospital (global-setup.ts) has not registered this patient.
    const entries = await api.query.Institutions.Institutions.getEntries({ at: "best" });
    const busan = entries.find((e) => new TextDecoder().decode(e.value.name) === "Busan Gateway Hospital")!.keyArgs[0];
    const select = page.locator("#register-at");
    await select.waitFor({ timeout: WAIT });
    // The patient's own hospitals are not offered again.
    const offered = await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain(String(busan));
    expect(offered).not.toContain(String(seeded.hospital));
    expect(offered).not.toContain(String(seeded.clinic));
    await select.selectOption(String(busan));
    const shown = page.locator("#register-at-address");
    await shown.waitFor({ timeout: WAIT });
    const genesis = await client._request<Hex>("chain_getBlockHash", [0]);
    const ss58 = await api.constants.System.SS58Prefix();
    expect(await shown.getAttribute("data-address")).toBe(address(pseudonymKey(miniSecretOf(PHRASE), genesis, busan).publicKey, ss58));
    expect(await shown.locator("svg.qr").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  test("the first transaction is sent at once; the next, for the clinic, waits and says why", async () => {
    await page.locator("#nav-card").click();
    await page.locator(`#card-rows li[data-custodian="${seeded.clinic}"]`).waitFor({ timeout: WAIT });
    const started = Date.now();
    await page.locator(`#card-register-${seeded.hospital}`).click();
    expect(await stage()).not.toBe("spacing");
    await finalized();

    await page.locator(`#card-register-${seeded.clinic}`).click();
    await expect.poll(stage, { timeout: WAIT }).toBe("spacing");
    const region = page.locator("#card-progress");
    expect(await region.innerText()).toContain(en["tx.spacing.why"]);
    expect(await region.innerText()).toContain(en["tx.stage.spacing"].split("{time}")[0]);
    expect(await region.locator("button.tx-send-now").innerText()).toBe(en["tx.spacing.now"]);
    expect(await region.locator("button.tx-cancel").innerText()).toBe(en["tx.spacing.cancel"]);
    // Nothing is sent while waiting: the clinic's pseudonym has no card key yet.
    expect(await cardKey(atClinic)).toBeUndefined();
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "spacing-waiting-phone");
    await page.setViewportSize(DESKTOP);
    // It sends by itself, at least the short range's 5 s after the first was signed.
    await expect.poll(stage, { timeout: 30_000, interval: 200 }).not.toBe("spacing");
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    await finalized();
    expect(await cardKey(atClinic)).toBeTruthy();
  });

  test("for the hospital again: Cancel signs nothing; Send now sends at once", async () => {
    const before = await cardKey(atHospital);
    expect(before).toBeTruthy();
    await page.locator(`#card-replace-${seeded.hospital}`).click();
    await expect.poll(stage, { timeout: WAIT }).toBe("spacing");
    await page.locator("#card-progress button.tx-cancel").click();
    await expect.poll(stage, { timeout: WAIT }).toBe("failed");
    expect(await page.locator("#card-progress").innerText()).toContain(en["tx.spacing.cancelled"]);
    expect(await cardKey(atHospital)).toBe(before);

    await page.locator(`#card-replace-${seeded.hospital}`).click();
    await expect.poll(stage, { timeout: WAIT }).toBe("spacing");
    const clicked = Date.now();
    await page.locator("#card-progress button.tx-send-now").click();
    await finalized();
    expect(Date.now() - clicked).toBeLessThan(TX_WAIT);
    const after = await cardKey(atHospital);
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  test("the same pseudonym again does not wait; Korean at 390 px", async () => {
    await page.locator(`#card-withdraw-${seeded.hospital}`).click();
    expect(await stage()).not.toBe("spacing");
    await finalized();
    expect(await cardKey(atHospital)).toBeUndefined();
    await page.setViewportSize(PHONE);
    await page.locator("#lang-ko").click();
    await page.locator("#nav-settings").click();
    await expect.poll(() => page.locator("#spacing-form legend").innerText()).toBe(ko["spacing.legend"]);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "settings-spacing-ko-phone");
    await page.locator("#lang-en").click();
    await page.setViewportSize(DESKTOP);
  });
});
