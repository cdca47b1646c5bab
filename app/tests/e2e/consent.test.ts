// The patient's signing screens in a real browser (#/consents): the secret phrase imported and
// sealed with a passphrase, a wrong passphrase, the registration confirmed, a consent granted
// through the editor (the node's consent_check then permits), revoked in one click (it then
// denies), bad input refused before anything is signed (the pseudonym's nonce does not move),
// the fee-free counter, the progress up to "finalized", layout, axe and screenshots.
//
// Seeding on top of global-setup's: the hospital's device (//Dave) registers the pseudonym that
// the fixed test phrase derives at `seeded.hospital`; no funds are given (the patient's calls
// are fee-free, docs/privacy.md "No balance, no funding").

import type { Page } from "playwright-core";
import { createWsClient } from "polkadot-api/ws";
import { medchain } from "@polkadot-api/descriptors";
import type { PolkadotClient } from "polkadot-api";
import { Enum } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { address, miniSecretOf, pseudonymKey } from "../../src/keyring";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, launch, open, overflow, recordSent, shot, type Browser } from "./browser";
import { devKey, round, utf8, repeat, type Api, type Key, type Seeded } from "./seed";

/** BIP-39's published test vector: a public phrase, never a real patient's secret. */
const PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const PASS = "correct horse battery staple";
/** A transaction reaches "finalized" within this (6-second blocks, GRANDPA a few blocks behind). */
const TX_WAIT = 90_000;

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let pseudonym: string;
let genesis: string;
/** Everything the page sent over WebSockets and HTTP, to show the secret never leaves it. */
const sent: string[] = [];

/** The pseudonym's key, as another device of the patient holds it. */
function patientKey(): Key {
  const pair = pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital);
  return { address: pseudonym, publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign), sign: pair.sign };
}

const nonce = () => client._request<number>("system_accountNextIndex", [pseudonym]);
const check = (category: string) =>
  client._request<Record<string, unknown>>("consent_check", [pseudonym, seeded.clinic, { category: { category, custodian: null } }, "Treatment", null]);
const RECORD_ID = "img-2026-000777";
const RECORD_HEX = `0x${Buffer.from(RECORD_ID).toString("hex")}`;
const checkRecord = () =>
  client._request<Record<string, unknown>>("consent_check", [pseudonym, seeded.clinic, { record: { custodian: seeded.hospital, recordId: RECORD_HEX } }, "Treatment", null]);
const clinicLabel = () => en["institution.named"].replace("{name}", "Gangnam Family Clinic").replace("{id}", String(seeded.clinic));
const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};
const stage = () => page.locator("#tx-progress").getAttribute("data-stage");
const allowanceLeft = async () => Number(await page.locator("#allowance").getAttribute("data-left"));

async function waitFinalized(): Promise<void> {
  await expect.poll(stage, { timeout: TX_WAIT, interval: 500 }).toMatch(/finalized|failed/);
  expect(await page.locator("#tx-progress").innerText()).toContain(en["tx.stage.finalized"].split(":")[0]);
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

async function unlock(passphrase = PASS): Promise<void> {
  await page.locator("#keys-unlock-pass").fill(passphrase);
  await page.locator("#keys-unlock").click();
}

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  genesis = await client._request<string>("chain_getBlockHash", [0]);
  pseudonym = address(pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital).publicKey);
  await round(client, [["register the test pseudonym", devKey("//Dave"), api.tx.Institutions.register_patient({ patient: pseudonym, guardian: undefined })]]);
  browser = await launch();
  page = browser.page;
  recordSent(page, sent);
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("patient portal: keys, registration, consents", () => {
  test("a new secret is shown once and needs the written-down confirmation and a passphrase", async () => {
    await open(page, "consents");
    await page.locator("#keys-new").click();
    const words = await page.locator("#keys-phrase li").allInnerTexts();
    expect(words).toHaveLength(12);
    await page.locator("#keys-pass").fill("short");
    await page.locator("#keys-save").click();
    await expect.poll(() => page.locator("#keys-written-error").innerText()).toBe(en["keys.error.written"]);
    expect(await page.locator("#keys-pass-error").innerText()).toBe(en["keys.error.passShort"]);
    expect(await page.locator("#keys-pass").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#keys-written").getAttribute("aria-describedby")).toBe("keys-written-error");
    await shots("consents-new-secret");
    await page.locator("#keys-cancel").click();
    await page.locator("#keys-state[data-state=none]").waitFor();
  });

  test("the patient imports the secret phrase with a passphrase and sees the waiting registration", async () => {
    await page.locator("#keys-import").click();
    await page.locator("#keys-phrase-input").fill(`  ${PHRASE.toUpperCase()} `);
    await page.locator("#keys-pass").fill(PASS);
    await page.locator("#keys-pass2").fill(PASS);
    await shots("consents-import");
    await page.locator("#keys-save").click();
    await page.locator("#keys-state[data-state=unlocked]").waitFor({ timeout: WAIT });
    const pending = page.locator(`#hospitals li[data-state=pending][data-custodian="${seeded.hospital}"]`);
    await pending.waitFor({ timeout: WAIT });
    expect(await pending.locator("code").innerText()).toBe(
      // The app shows the chain's SS58 format; the same public key.
      address(patientKey().publicKey, await api.constants.System.SS58Prefix()),
    );
    // Nothing secret in localStorage; the vault in IndexedDB holds ciphertext only.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).not.toContain("legal");
    const vault = await page.evaluate(
      () =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const r = indexedDB.open("medchain-keyring");
          r.onsuccess = () => {
            const get = r.result.transaction("vault", "readonly").objectStore("vault").get("patient-secret");
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => reject(get.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );
    expect(vault).toMatchObject({ v: 1, kdf: "PBKDF2-SHA256", iterations: 600_000, cipher: "AES-256-GCM" });
    expect(JSON.stringify(vault)).not.toMatch(/legal|winner|yellow/);
  });

  test("a wrong passphrase is refused in words and changes nothing", async () => {
    const before = await nonce();
    await page.locator("#keys-lock").click();
    await page.locator("#keys-state[data-state=locked]").waitFor();
    expect(await page.locator("#hospitals").count()).toBe(0);
    await unlock("not the passphrase");
    await expect.poll(() => page.locator("#keys-unlock-pass-error").innerText(), { timeout: WAIT }).toBe(en["keys.error.wrong"]);
    expect(await page.locator("#keys-unlock-pass").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#keys-state").getAttribute("data-state")).toBe("locked");
    await shots("consents-wrong-passphrase");
    await unlock();
    await page.locator("#keys-state[data-state=unlocked]").waitFor({ timeout: WAIT });
    expect(await nonce()).toBe(before);
  });

  test("the patient confirms the registration (a signed, fee-free call) and sees it finalized", async () => {
    await page.locator(`#confirm-${seeded.hospital}`).click();
    await expect.poll(stage, { timeout: WAIT }).toMatch(/submitted|inBlock|finalized/);
    await waitFinalized();
    await page.locator(`#hospitals li[data-state=registered][data-custodian="${seeded.hospital}"]`).waitFor({ timeout: WAIT });
    expect(await api.query.Institutions.Patients.getValue(pseudonym, { at: "best" })).toBeTruthy();
    await page.locator("#consent-form").waitFor();
    // The hospital now anchors a record under the pseudonym: the editor offers it by its id.
    await round(client, [
      [
        "anchor a record for the test pseudonym",
        devKey("//Dave"),
        api.tx.Records.anchor({
          patient: pseudonym,
          record_id: utf8(RECORD_ID),
          category: Enum("Imaging"),
          content_hash: repeat(0x5a),
          size: 1234n,
          format: Enum("FhirJson"),
        }),
      ],
    ]);
  });

  test("bad input is explained next to each field and nothing is signed", async () => {
    const before = await nonce();
    await page.locator("#nav-verify").click();
    await page.locator("#nav-consents").click(); // re-read: the new record appears
    await page.locator("#consent-records").waitFor({ timeout: WAIT });
    await page.locator("#consents-refresh:not([disabled])").waitFor({ timeout: WAIT });
    await page.locator("#consent-submit").click();
    await page.locator("#consent-invalid").waitFor();
    expect(await page.locator("#recipient-error").innerText()).toBe(en["consent.error.recipient"]);
    expect(await page.locator("#scope-error").innerText()).toBe(en["consent.error.scope"]);
    expect(await page.locator("#purposes-error").innerText()).toBe(en["consent.error.purposes"]);
    expect(await page.locator("#until-error").innerText()).toBe(en["consent.error.untilMissing"]);
    expect(await page.locator("#consent-recipient").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#consent-recipient").getAttribute("aria-describedby")).toContain("recipient-error");
    expect(await page.locator("#cat-Laboratory").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("consent-recipient"); // the first bad field
    await shots("consents-invalid");

    // A past date, and still no scope.
    await page.locator("#consent-recipient").selectOption({ label: clinicLabel() });
    await page.locator("#purpose-Treatment").check();
    await page.locator("#consent-until").fill(day(-1));
    await page.locator("#consent-submit").click();
    await expect.poll(() => page.locator("#until-error").innerText()).toBe(en["consent.error.untilPast"]);
    expect(await page.locator("#scope-error").innerText()).toBe(en["consent.error.scope"]);
    expect(await page.locator("#recipient-error").count()).toBe(0);
    expect(await page.locator("#tx-progress").getAttribute("data-stage")).toBe("finalized"); // still the confirmation's
    expect(await nonce()).toBe(before);
    // The record the hospital anchored is offered by its id.
    expect(await page.locator("#consent-records").innerText()).toContain(RECORD_ID);
  });

  test("the patient grants a consent to the clinic, chosen by name; the node's check permits; one fee-free action is spent", async () => {
    await page.locator("#consent-recipient").selectOption({ label: clinicLabel() });
    await page.locator("#cat-Laboratory").check();
    await page.locator(`#rec-${RECORD_HEX.slice(2)}`).check(); // and the imaging study, by its id
    await page.locator("#purpose-Treatment").check();
    await page.locator("#consent-until").fill(day(30));
    const left = await allowanceLeft();
    expect(await page.locator("#allowance").innerText()).toContain(
      en["allowance.today"].replace("{left}", String(left)).replace("{total}", String(await page.locator("#allowance").getAttribute("data-total"))),
    );
    expect(await check("Laboratory")).toHaveProperty("deny");
    await page.keyboard.press("Enter"); // submitting from the keyboard
    await expect.poll(stage, { timeout: WAIT }).toMatch(/signing|submitted|inBlock|finalized/);
    await waitFinalized();
    const item = page.locator("#consent-list li[data-state=active]");
    await item.first().waitFor({ timeout: WAIT });
    expect(await item.first().innerText()).toContain("Gangnam Family Clinic");
    expect(await item.first().innerText()).toContain(en["category.Laboratory"]);
    await expect.poll(allowanceLeft, { timeout: WAIT }).toBe(left - 1);
    const decision = await check("Laboratory");
    expect(decision).toHaveProperty("permit");
    expect(await checkRecord()).toHaveProperty("permit");
    expect(await check("Allergy")).toHaveProperty("deny");
    await shots("consents-granted");
  });

  test("the patient revokes it in one click; the node's check then denies", async () => {
    const id = await page.locator("#consent-list li[data-state=active]").first().getAttribute("data-consent");
    await page.locator(`#revoke-${id}`).click();
    await waitFinalized();
    await page.locator(`#consent-list li[data-consent="${id}"][data-state=revoked]`).waitFor({ timeout: WAIT });
    const decision = (await check("Laboratory")) as { deny?: { reason: string } };
    expect(decision.deny?.reason).toBeTruthy();
    expect(await checkRecord()).toHaveProperty("deny");
    expect(await page.locator(`#revoke-${id}`).count()).toBe(0);
    await shots("consents-revoked");
  });

  test("a consent revoked from elsewhere: the chain's refusal is told with the error's doc line", async () => {
    // Another device of the patient grants and then revokes a consent; this page still shows
    // the first state, so its Revoke button sends a revoke the chain refuses (AlreadyRevoked).
    const key = patientKey();
    const [granted] = await round(client, [
      [
        "grant from another device",
        key,
        api.tx.Consent.grant({
          patient: pseudonym,
          grantee: seeded.clinic,
          categories: [Enum("Imaging")],
          records: [],
          purposes: [Enum("Treatment")],
          valid_from: undefined,
          valid_until: (await client.getFinalizedBlock()).number + 1000,
          custodian: undefined,
        }),
      ],
    ]);
    const id = api.event.Consent.ConsentGranted.filter(granted)[0].payload.consent;
    await page.locator("#nav-verify").click();
    await page.locator("#nav-consents").click();
    await page.locator(`#revoke-${id}`).waitFor({ timeout: WAIT });
    await round(client, [["revoke from another device", key, api.tx.Consent.revoke({ consent: id })]]);
    await page.locator(`#revoke-${id}`).click();
    await expect.poll(stage, { timeout: TX_WAIT, interval: 500 }).toBe("failed");
    expect(await page.locator("#tx-problem").innerText()).toBe(en["tx.error.module"].replace("{doc}", "The consent is revoked already."));
    await shots("consents-failed");
  });

  test("layout: nothing overflows at 390 px, no serious axe violation, Korean, screenshots", async () => {
    for (const [lang, viewport, size] of [
      ["en", PHONE, "phone"],
      ["ko", PHONE, "phone"],
      ["ko", DESKTOP, "desktop"],
      ["en", DESKTOP, "desktop"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.locator(`#lang-${lang}`).click();
      await page.locator("#consent-form").waitFor();
      if (lang === "ko") expect(await page.locator("label[for=consent-recipient]").innerText()).toBe(ko["editor.recipient"]);
      expect(await overflow(page), `${lang} ${size}`).toEqual([]);
      expect(await axeViolations(page), `${lang} ${size}`).toEqual([]);
      await shot(page, `consents-${lang}-${size}`);
    }
    // The keyboard reaches the editor's controls in order.
    await page.locator("#consent-recipient").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cat-PatientSummary");
  });

  test("on a shared computer: Lock, then remove the secret from the browser (two clicks)", async () => {
    await page.locator("#keys-lock").click();
    await page.locator("#keys-state[data-state=locked]").waitFor();
    await page.locator("#keys-forget").click();
    await expect.poll(() => page.locator("#keys-forget").innerText()).toBe(en["keys.forgetConfirm"]);
    await page.locator("#keys-forget").click();
    await page.locator("#keys-state[data-state=none]").waitFor();
    expect(await page.locator("#keys-card").innerText()).toContain(en["keys.forgotten"]);
    const stored = await page.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const r = indexedDB.open("medchain-keyring");
          r.onsuccess = () => {
            const get = r.result.transaction("vault", "readonly").objectStore("vault").count();
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => reject(get.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );
    expect(stored).toBe(0);
  });

  test("the secret never left the page: nothing sent contains the phrase, its seed or the passphrase", async () => {
    const seed = Buffer.from(miniSecretOf(PHRASE)).toString("hex");
    expect(sent.length).toBeGreaterThan(50);
    const leaks = sent.filter((p) => /legal winner|LEGAL WINNER/.test(p) || p.includes(seed) || p.includes(PASS) || p.includes("not the passphrase"));
    expect(leaks).toEqual([]);
  });
});
