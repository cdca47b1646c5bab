// Signing with a browser extension in the hospital portal, in a real browser: a signing
// extension that speaks `window.injectedWeb3` (test-extension.ts; a real one cannot be installed
// into the test's Chromium) holds a device key of the seeded hospital; the portal finds it,
// asks it for access (a refusal is said in words and signs nothing in), lists its account and
// signs in with it — nothing is sealed in the page, and the role on chain is read as for a typed
// key. The device sets its own encryption key through the extension: the extension's "Cancel"
// is said in words and sends nothing (the nonce stays); approved, the transaction is finalized
// and `Institutions.Devices` holds the key. The payload the extension was shown is the call
// the portal built, for this chain. Sign out ends the session; layout, axe, screenshots.
//
// Seeding on top of global-setup's: the hospital's admin (//Bob) adds a device of this file's
// own (//Ferdie//extension-device), funded by //Alice for its fee.

import { medchain } from "@polkadot-api/descriptors";
import { Enum, type PolkadotClient } from "polkadot-api";
import { createWsClient } from "polkadot-api/ws";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { DAPP_NAME } from "../../src/extension";
import { en, ko } from "../../src/i18n";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, launch, open, overflow, shot, staffTxEnd, storedVaults, type Browser } from "./browser";
import { devKey, hex, nonceOf, round, type Api, type Hex, type Seeded } from "./seed";
import { EXTENSION_NAME, installTestExtension, type TestExtension } from "./test-extension";

const device = devKey("//Ferdie//extension-device");
const ACCOUNT_NAME = "Ward 3 desk";
const ENCRYPTION_KEY = hex(Uint8Array.from({ length: 32 }, (_, i) => i + 1));

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let genesis: Hex;
let extension: TestExtension;

const words = (key: keyof typeof en, name = EXTENSION_NAME) => en[key].replace("{name}", name);

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  genesis = await client._request<Hex>("chain_getBlockHash", [0]);
  await round(client, [
    ["add the extension test's device", devKey("//Bob"), api.tx.Institutions.add_device({ device: device.address })],
    ["fund the extension test's device", devKey("//Alice"), api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", device.address), value: 10n ** 15n })],
  ]);
  browser = await launch();
  page = browser.page;
  extension = await installTestExtension(page, device, ACCOUNT_NAME);
  await open(page, "hospital");
  await page.locator("#staff-form").waitFor({ timeout: WAIT });
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("hospital portal: signing with a browser extension", () => {
  test("the portal finds the extension; a refused access is said in words and signs nobody in", async () => {
    await page.locator("#staff-ext-find").click();
    const connect = page.locator("#staff-ext-connect-0");
    expect(await connect.getAttribute("data-extension")).toBe(EXTENSION_NAME);
    expect(await connect.innerText()).toBe(words("extension.connect"));
    extension.refuseAccess = true;
    await connect.click();
    const error = page.locator("#staff-ext-error");
    await error.waitFor({ timeout: WAIT });
    expect(await error.innerText()).toBe(words("extension.error.refused"));
    expect(await error.getAttribute("role")).toBe("alert");
    expect(extension.enabledBy).toEqual([DAPP_NAME]);
    expect(await page.locator("#staff-role").count()).toBe(0);
    expect(await page.locator("#staff-ext-accounts").count()).toBe(0);
  });

  test("connected, it lists the account; signing in reads the role on chain and stores nothing", async () => {
    await page.locator("#staff-ext-connect-0").click();
    const item = page.locator(`#staff-ext-accounts li[data-address="${device.address}"]`);
    await item.waitFor({ timeout: WAIT });
    expect(await item.innerText()).toContain(ACCOUNT_NAME);
    expect(await page.locator("#staff-ext-use-0").getAttribute("aria-label")).toBe(en["extension.use.label"].replace("{account}", ACCOUNT_NAME));
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "staff-extension-accounts-phone");
    await page.setViewportSize(DESKTOP);
    await page.locator("#staff-ext-use-0").click();
    await page.locator("#staff-role[data-role]").waitFor({ timeout: WAIT });
    expect(await page.locator("#staff-role").getAttribute("data-role")).toBe("device");
    expect(Number(await page.locator("#staff-role").getAttribute("data-institution"))).toBe(seeded.hospital);
    expect(await page.locator("#staff-ext-signing").innerText()).toBe(words("extension.signing"));
    // The key is the extension's: nothing to remove here, nothing sealed in this browser.
    expect(await page.locator("#staff-forget").count()).toBe(0);
    expect((await storedVaults(page)).staff).toBeNull();
  });

  test("the extension's Cancel is said in words and sends nothing; approved, the device's key is set", async () => {
    // A device sees its own entry's controls only: one key form.
    const form = page.locator('#hospital-devices form[id^="device-"][id$="-key"]');
    await expect.poll(() => form.count(), { timeout: WAIT }).toBe(1);
    const id = await form.getAttribute("id");
    // The controls are under "Change this device" (a disclosure, closed when the page is drawn again).
    const manage = page.locator(`#${id!.replace(/-key$/, "-manage")}`);
    const openManage = async () => {
      if ((await manage.getAttribute("open")) === null) await manage.locator("summary").click();
    };
    const nonce = await nonceOf(client, device);
    await openManage();
    await page.locator(`#${id}-value`).fill(ENCRYPTION_KEY);
    extension.cancelNext = true;
    await page.locator(`#${id}-submit`).click();
    expect(await staffTxEnd(page)).toBe("failed");
    expect(await page.locator("#staff-tx").innerText()).toContain(en["tx.error.refused"]);
    expect(extension.payloads).toHaveLength(1);
    expect(await nonceOf(client, device)).toBe(nonce);
    expect((await api.query.Institutions.Devices.getValue(device.address, { at: "best" }))?.encryption_key).toBeUndefined();

    // Approved: what the extension was shown is this call, for this chain and runtime.
    await openManage();
    await page.locator(`#${id}-value`).fill(ENCRYPTION_KEY);
    await page.locator(`#${id}-submit`).click();
    expect(await staffTxEnd(page)).toBe("finalized");
    const entry = await api.query.Institutions.Devices.getValue(device.address, { at: "best" });
    expect(entry?.encryption_key).toBe(ENCRYPTION_KEY);
    expect(await nonceOf(client, device)).toBe(nonce + 1);
    const shown = extension.payloads[1];
    expect(shown.address).toBe(device.address);
    expect(shown.genesisHash).toBe(genesis);
    const call = await api.tx.Institutions.set_encryption_key({ device: device.address, key: ENCRYPTION_KEY as never }).getEncodedData();
    expect(shown.method).toBe(hex(call));
    const version = await api.constants.System.Version();
    expect(Number(shown.specVersion)).toBe(version.spec_version);
    expect(shown.signedExtensions).toContain("CheckMetadataHash");
  });

  test("layout in Korean at 390 px; sign out ends the extension's session", async () => {
    await page.setViewportSize(PHONE);
    await page.locator("#lang-ko").click();
    await expect.poll(() => page.locator("#staff-ext-signing").innerText()).toBe(ko["extension.signing"].replace("{name}", EXTENSION_NAME));
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "staff-extension-ko-phone");
    await page.locator("#lang-en").click();
    await page.setViewportSize(DESKTOP);
    await page.locator("#staff-lock").click();
    await page.locator("#staff-form").waitFor({ timeout: WAIT });
    expect(await page.locator("#staff-role").count()).toBe(0);
    // Finding and connecting again asks the extension again (a new session).
    await page.locator("#staff-ext-find").click();
    await page.locator("#staff-ext-connect-0").click();
    await page.locator("#staff-ext-accounts").waitFor({ timeout: WAIT });
    expect(extension.enabledBy).toHaveLength(3);
  });
});
