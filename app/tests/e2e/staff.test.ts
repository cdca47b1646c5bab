// The hospital portal's staff actions in a real browser (Chromium via playwright-core), against
// the dev node seeded by global-setup.ts. This file's own seed, independent of portal.test.ts
// (which runs on the same chain, before or after this file): sudo admits another clinic
// ("Staff Test Clinic", admin //Ferdie//staff-admin) and funds its admin and its device
// (//Ferdie//staff-device); the clinic adds the device; the seeded patient consents to the
// clinic receiving laboratory reports; the clinic's device asks the hospital for the seeded lab
// record. So the hospital has a request of its own here to decline.
//
// What this file changes is chosen to leave portal.test.ts's checks true in either order: the
// practitioner added is a nurse (portal.test counts physicians), the price list published keeps
// the imaging price portal.test published (0.02 MED) and adds laboratory reports, and the
// request declined is this file's.

import { medchain } from "@polkadot-api/descriptors";
import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { AccountId, Enum, type PolkadotClient } from "polkadot-api";
import { createWsClient } from "polkadot-api/ws";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, launch, open, overflow, shot, staffSignIn, staffTxEnd, storedVaults, type Browser } from "./browser";
import { qrPng } from "./qr-images";
import { devKey, nonceOf, repeat, round, utf8, type Api, type Seeded } from "./seed";

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let onChain: (publicKey: Uint8Array) => string;
let clinic2: number;
let request: number;
let fee: bigint;

const bob = devKey("//Bob"); // the hospital's admin
const dave = devKey("//Dave"); // the hospital's device
const clinicAdmin = devKey("//Ferdie//staff-admin");
const clinicDevice = devKey("//Ferdie//staff-device");
const nurse = devKey("//Ferdie//staff-nurse");
const newPatient = devKey("//Ferdie//staff-patient"); // stands for a pseudonym the patient's app made
const otherDesk = devKey("//Ferdie//staff-waiting-patient"); // registered by the hospital's device
const otherGuardian = devKey("//Ferdie//staff-waiting-guardian");
const PASS = "correct horse battery";

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  const prefix = await api.constants.System.SS58Prefix();
  onChain = (publicKey) => AccountId(prefix).dec(publicKey);
  const alice = devKey("//Alice");
  const patient = devKey("//Eve");
  const MED = 1_000_000_000_000n;

  const [admitted] = await round(client, [
    [
      "admit the staff test clinic",
      alice,
      api.tx.Sudo.sudo({
        call: api.tx.Institutions.admit({ admin: clinicAdmin.address, kind: Enum("Clinic"), name: utf8("Staff Test Clinic") }).decodedCall,
      }),
    ],
    ["fund its admin", alice, api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", clinicAdmin.address), value: 10n * MED })],
    ["fund its device", alice, api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", clinicDevice.address), value: 10n * MED })],
  ]);
  clinic2 = api.event.Institutions.InstitutionAdmitted.filter(admitted)[0].payload.institution;
  await round(client, [
    ["add the clinic's device", clinicAdmin, api.tx.Institutions.add_device({ device: clinicDevice.address })],
    [
      "consent to the staff test clinic",
      patient,
      api.tx.Consent.grant({
        patient: patient.address,
        grantee: clinic2,
        categories: [Enum("Laboratory")],
        records: [],
        purposes: [Enum("Treatment")],
        valid_from: undefined,
        valid_until: (await client.getFinalizedBlock()).number + 14_400,
        custodian: undefined,
      }),
    ],
  ]);
  const recordId = `0x${Buffer.from(seeded.record.recordId).toString("hex")}`;
  fee = BigInt(await client._request<string>("exchange_quote", [seeded.hospital, patient.address, [recordId], []]));
  const [requested] = await round(client, [
    [
      "the staff test clinic requests the lab record",
      clinicDevice,
      api.tx.Exchange.request({
        custodian: seeded.hospital,
        patient: patient.address,
        record_ids: [utf8(seeded.record.recordId)],
        categories: [],
        purpose: Enum("Treatment"),
        max_fee: fee,
      }),
    ],
  ]);
  request = Number(api.event.Exchange.ExchangeRequested.filter(requested)[0].payload.request);
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

/** The sealed staff and patient vaults in this browser's IndexedDB, as JSON. */
const stored = () => storedVaults(page);

const signIn = (uri: string) => staffSignIn(page, uri, PASS);
const txEnd = () => staffTxEnd(page);

describe("hospital portal: staff actions", () => {
  test("Bob signs in with the admin key; a wrong passphrase changes nothing; the admin's actions are offered", async () => {
    await open(page, "hospital");
    await page.locator("#staff-form").waitFor({ timeout: WAIT });
    // A malformed key is refused next to the field, nothing stored.
    await page.locator("#staff-uri").fill("//Bob");
    await page.locator("#staff-pass").fill(PASS);
    await page.locator("#staff-pass2").fill(PASS);
    await page.locator("#staff-save").click();
    expect(await page.locator("#staff-uri-error").innerText()).toBe(en["staff.error.uri"]);
    expect((await stored()).staff).toBeNull();

    await signIn(`${DEV_PHRASE}//Bob`);
    expect(await page.locator("#staff-address").innerText()).toBe(onChain(bob.publicKey));
    expect(await page.locator("#staff-role").getAttribute("data-role")).toBe("admin");
    expect(await page.locator("#staff-role").innerText()).toContain("서울 중앙 병원");
    const sealed = await stored();
    expect(sealed.staff).not.toContain("bottom drive"); // encrypted
    expect(sealed.patient).toBeNull(); // the patient's vault is untouched
    // The hospital's page opens by itself.
    await page.locator("#hospital-summary").waitFor({ timeout: WAIT });

    await page.locator("#staff-lock").click();
    await page.locator("#staff-unlock-pass").fill("not the passphrase");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#staff-unlock-pass-error").count(), { timeout: WAIT }).toBe(1);
    expect(await page.locator("#staff-unlock-pass-error").innerText()).toBe(en["staff.error.wrong"]);
    expect(await page.locator("#staff-unlock-pass").getAttribute("aria-invalid")).toBe("true");
    expect(await stored()).toEqual(sealed);

    await page.locator("#staff-unlock-pass").fill(PASS);
    await page.keyboard.press("Enter");
    await page.locator("#staff-role[data-role=admin]").waitFor({ timeout: WAIT });
    // The hospital's page opens by itself, with the admin's forms and no device actions.
    await page.locator("#hospital-summary").waitFor({ timeout: WAIT });
    expect(await page.locator("#hospital-summary-title").innerText()).toContain("서울 중앙 병원");
    for (const id of ["#practitioner-add", "#device-add", "#prices-form", "#handover-details", "#register"]) {
      expect(await page.locator(id).count(), id).toBe(1);
    }
    expect(await page.locator(`#decline-${request}`).count()).toBe(0);
  });

  test("adds a practitioner (a nurse, by role and licence fingerprint) and it appears in the list", async () => {
    const before = await page.locator("#hospital-practitioners li[data-role=Nurse]").count();
    await page.locator("#practitioner-add-account").fill(AccountId(42).dec(nurse.publicKey)); // generic prefix: converted
    await page.locator("#practitioner-add-role").selectOption("Nurse");
    await page.locator("#practitioner-add-licence").fill(repeat(0x5e));
    await page.locator("#practitioner-add-submit").click();
    expect(await txEnd()).toBe("finalized");
    await expect
      .poll(() => page.locator(`#hospital-practitioners li[data-account="${onChain(nurse.publicKey)}"]`).count(), { timeout: WAIT })
      .toBe(1);
    expect(await page.locator("#hospital-practitioners li[data-role=Nurse]").count()).toBe(before + 1);
    const entry = await api.query.Institutions.Practitioners.getValue(nurse.address, { at: "best" });
    expect(entry?.role.type).toBe("Nurse");
    expect(entry?.licence_hash).toBe(repeat(0x5e));
  });

  test("registers a patient's pseudonym at the desk: it waits for the patient's confirmation", async () => {
    // The patient's app shows its address as a QR code; the desk reads a photo of it.
    await page.locator("#register-account-photo").setInputFiles({ name: "patient.png", mimeType: "image/png", buffer: qrPng(newPatient.address) });
    await expect.poll(() => page.locator("#register-account").inputValue(), { timeout: WAIT }).toBe(newPatient.address);
    await page.locator("#register-guardian-photo").setInputFiles({ name: "other.png", mimeType: "image/png", buffer: qrPng("MEDCHAIN-NOT-AN-ADDRESS") });
    await expect.poll(() => page.locator("#register-guardian-scan-error").innerText(), { timeout: WAIT }).toBe(en["qr.error.notAddress"]);
    expect(await page.locator("#register-guardian").inputValue()).toBe("");
    await page.locator("#register-guardian").fill("not a key");
    await page.locator("#register-submit").click();
    expect(await page.locator("#register-guardian-error").innerText()).toBe(en["staff.error.address"]);
    await page.locator("#register-guardian").fill("");
    await page.locator("#register-submit").click();
    expect(await txEnd()).toBe("finalized");
    const item = page.locator(`#hospital-patients li[data-account="${onChain(newPatient.publicKey)}"]`);
    await expect.poll(() => item.getAttribute("data-state"), { timeout: WAIT }).toBe("pending");
    expect(await item.innerText()).toMatch(/Waiting for the patient's confirmation until block #\d+/);
    const pending = await api.query.Institutions.PendingRegistrations.getValue(newPatient.address, { at: "best" });
    expect(pending?.custodian).toBe(seeded.hospital);
    expect(pending?.guardian).toBeUndefined();
    // The institution's list of waiting registrations (the chain's index) has it too.
    const waiting = page.locator(`#hospital-waiting li[data-account="${onChain(newPatient.publicKey)}"]`);
    await expect.poll(() => waiting.getAttribute("data-state"), { timeout: WAIT }).toBe("waiting");
    expect(await waiting.innerText()).toContain(`#${pending?.expires_at}`);
  });

  test("the desk sees every registration waiting at its institution, made from any desk, until it is confirmed", async () => {
    // Another desk of the hospital (its device, not this browser) registers a pseudonym with a
    // guardian.
    await round(client, [
      ["another desk registers a pseudonym", dave, api.tx.Institutions.register_patient({ patient: otherDesk.address, guardian: otherGuardian.address })],
    ]);
    const reopen = async () => {
      await page.locator("#hospital-number").fill(String(seeded.hospital));
      await page.locator("#hospital-submit").click();
      await page.locator("#hospital-waiting").waitFor({ timeout: WAIT });
    };
    await reopen();
    const item = page.locator(`#hospital-waiting li[data-account="${onChain(otherDesk.publicKey)}"]`);
    await expect.poll(() => item.count(), { timeout: WAIT }).toBe(1);
    expect(await item.getAttribute("data-state")).toBe("waiting");
    expect(await item.innerText()).toContain(onChain(otherGuardian.publicKey));
    // Listed by the chain, not by this browser: not among the pseudonyms registered here.
    expect(await page.locator(`#hospital-patients li[data-account="${onChain(otherDesk.publicKey)}"]`).count()).toBe(0);
    const answer = await client._request<{ total: number; registrations: Array<{ patient: string }> }>("institutions_pendingRegistrations", [seeded.hospital, 0]);
    expect(await page.locator("#hospital-waiting-count").innerText()).toBe(en["waiting.count"].replace("{count}", String(answer.total)));
    // The RPC's addresses are in the generic format: the same public key.
    expect(answer.registrations.map((r) => onChain(AccountId().enc(r.patient)))).toContain(onChain(otherDesk.publicKey));
    // The guardian confirms (fee-free): the registration leaves the list.
    await round(client, [
      ["the guardian confirms", otherGuardian, api.tx.Institutions.confirm_registration({ patient: otherDesk.address, guardian: otherGuardian.address })],
    ]);
    await reopen();
    await expect.poll(() => item.count(), { timeout: WAIT }).toBe(0);
    expect(await page.locator(`#hospital-waiting li[data-account="${onChain(newPatient.publicKey)}"]`).count()).toBe(1);
  });

  test("publishes a price list and it appears as waiting, exact to the smallest unit", async () => {
    // The editor starts from the newest list: portal.test's imaging price stays if it was set.
    await page.locator("#prices-Laboratory").fill("0.015");
    await page.locator("#prices-submit").click();
    expect(await txEnd()).toBe("finalized");
    const waiting = page.locator("#hospital-prices-waiting");
    await expect.poll(() => waiting.innerText(), { timeout: WAIT }).toContain("0.015 MED");
    const pending = await api.query.Exchange.PendingPrices.getValue(seeded.hospital, { at: "best" });
    expect(pending?.prices.find(([c]) => c.type === "Laboratory")?.[1]).toBe(15_000_000_000n);
    await shot(page, "staff-admin-desktop");
    expect(await axeViolations(page)).toEqual([]);
  });

  test("a refusal of the chain is said in words: the pallet error's doc line", async () => {
    await page.locator("#device-add-account").fill(dave.address); // already the hospital's device
    await page.locator("#device-add-submit").click();
    expect(await txEnd()).toBe("failed");
    const problem = await page.locator("#staff-tx-problem").innerText();
    expect(problem).toBe(en["tx.error.module"].replace("{doc}", "The account already has a role (admin, device, practitioner or patient)."));
  });

  test("bad input shows the message next to the field and submits nothing (the nonce stays)", async () => {
    await page.setViewportSize(PHONE);
    const nonce = await nonceOf(client, bob);
    await page.locator("#device-add-account").fill("5NotAnAddress");
    await page.locator("#device-add-submit").click();
    expect(await page.locator("#device-add-account-error").innerText()).toBe(en["staff.error.address"]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("device-add-account");
    await page.locator("#prices-Laboratory").fill("-1");
    await page.locator("#prices-submit").click();
    expect(await page.locator("#prices-Laboratory-error").innerText()).toBe(en["staff.error.amountNegative"]);
    expect(await page.locator("#prices-invalid").innerText()).toBe(en["staff.invalid"]);
    await page.locator("#prices-Laboratory").fill("0.0000000000001");
    await page.locator("#prices-submit").click();
    expect(await page.locator("#prices-Laboratory-error").innerText()).toBe(en["staff.error.amountDecimals"]);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "staff-invalid-phone");
    await new Promise((r) => setTimeout(r, 3_000)); // a block or so: nothing may arrive
    expect(await nonceOf(client, bob)).toBe(nonce);
    await page.setViewportSize(DESKTOP);
  });

  test("Dave, the hospital's device, declines the waiting request: refunded to the requester", async () => {
    // Another key: sign out, remove Bob's key, sign in with the device's.
    await page.locator("#staff-forget").click();
    await page.locator("#staff-forget").click();
    await page.locator("#staff-form").waitFor({ timeout: WAIT });
    expect((await stored()).staff).toBeNull();
    await signIn(`${DEV_PHRASE}//Dave`);
    expect(await page.locator("#staff-role").getAttribute("data-role")).toBe("device");
    // The device may decline and set its own key, not administer.
    await page.locator(`#decline-${request}`).waitFor({ timeout: WAIT });
    expect(await page.locator("#device-add").count()).toBe(0);
    expect(await page.locator("#prices-form").count()).toBe(0);

    await page.locator(`#decline-${request}`).focus();
    await page.keyboard.press("Enter"); // armed: a second, explicit button
    expect(await page.locator(`#decline-${request}`).innerText()).toBe(en["staff.decline.confirm"].replace("{id}", String(request)));
    await page.keyboard.press("Enter");
    expect(await txEnd()).toBe("finalized");
    await expect.poll(() => page.locator(`#hospital-incoming li[data-request="${request}"]`).count(), { timeout: WAIT }).toBe(0);

    const entry = await api.query.Exchange.Requests.getValue(BigInt(request), { at: "best" });
    expect(entry?.status.type).toBe("Refunded");
    const account = await api.query.System.Account.getValue(clinicDevice.address, { at: "best" });
    expect(account.data.reserved).toBe(0n); // the fee is no longer held from the requester

    // The requester's page says it in words, and the fee is back with it.
    await page.locator("#hospital-number").fill(String(clinic2));
    await page.locator("#hospital-submit").click();
    await expect.poll(() => page.locator("#hospital-summary-title").innerText(), { timeout: WAIT }).toContain("Staff Test Clinic");
    const item = page.locator(`#hospital-outgoing li[data-request="${request}"]`);
    expect(await item.getAttribute("data-state")).toBe("refunded");
    const text = await item.innerText();
    expect(text).toContain(en["exchange.refunded"]);
    expect(text).toContain(en["refund.declined"].split(" in block")[0]);
    expect(await page.locator("#fees-refunded-to-us").innerText()).toContain(`${Number(fee) / 1e12} MED`);
    // Signed in for another institution: its actions are not offered here.
    expect(await page.locator("#staff-open-own").count()).toBe(1);
    await page.locator("#staff-open-own").click();
    await expect.poll(() => page.locator("#hospital-summary-title").innerText(), { timeout: WAIT }).toContain("서울 중앙 병원");
  });

  test("the device's view: no overflow at 390 px, no serious axe violation, in Korean too", async () => {
    for (const [lang, viewport, size] of [
      ["en", PHONE, "phone"],
      ["ko", PHONE, "phone"],
      ["ko", DESKTOP, "desktop"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.locator(`#lang-${lang}`).click();
      await page.locator("#hospital-summary").waitFor({ timeout: WAIT });
      expect(await page.locator("#staff-title").innerText()).toBe((lang === "ko" ? ko : en)["staff.title"]);
      expect(await overflow(page), `${lang} ${size}`).toEqual([]);
      expect(await axeViolations(page), `${lang} ${size}`).toEqual([]);
      await shot(page, `staff-device-${lang}-${size}`);
    }
    await page.locator("#lang-en").click();
  });
});
