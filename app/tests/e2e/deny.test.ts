// "Never share" (deny provisions) and "I showed this certificate" in a real browser (#/consents,
// #/patient): the patient ticks a category a consent in force covers, saves (one
// Consent.set_deny_provisions, progress up to "finalized", one fee-free action spent), and the
// node's consent_check then denies that category (DeniedByPatient) while another still
// permits; an unchanged set is refused before signing; the editor warns when a denied category
// is chosen; the read-only history lists what is never shared; clearing permits again. Then a
// certificate the hospital issued in this test is logged as shown (Certificates.log_verification,
// signed by the pseudonym), the node's consent_disclosures has the entry with basis
// holderShared, the timeline says to whom, and the name never left the page.
//
// Its own patient, so that consent.test.ts's counts and lists are untouched: the pseudonym that
// BIP-39's published test phrase "letter advice …" derives at `seeded.hospital`, registered by
// the hospital's device (//Dave) and confirmed, with one consent to the clinic (laboratory and
// mental health, treatment) given from "another device" (the test's own signer). Like every
// pseudonym it holds no tokens: logging a showing is fee-free within the patient allowance.

import type { Page } from "playwright-core";
import { createWsClient } from "polkadot-api/ws";
import { medchain } from "@polkadot-api/descriptors";
import type { PolkadotClient } from "polkadot-api";
import { Enum } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en, ko } from "../../src/i18n";
import { address, miniSecretOf, pseudonymKey } from "../../src/keyring";
import type { DisclosuresAnswer } from "../../src/rpc-types";
import { DESKTOP, NODE, PHONE, SHOTS, WAIT, axeViolations, importPhrase, launch, overflow, recordSent, shot, type Browser } from "./browser";
import { contentHash, devKey, round, utf8, type Api, type Key, type Seeded } from "./seed";

/** BIP-39's published test vector (entropy 0x80…80): a public phrase, never a real patient's. */
const PHRASE = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above";
const PASS = "a long passphrase for the deny test";
const TX_WAIT = 90_000;
const VERIFIER = "Hanbit Insurance, HR office";

let browser: Browser;
let page: Page;
let seeded: Seeded;
let client: PolkadotClient;
let api: Api;
let pseudonym: string;
let certificate: `0x${string}`;
const sent: string[] = [];

function patientKey(genesis: string): Key {
  const pair = pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital);
  return { address: pseudonym, publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign), sign: pair.sign };
}

const nonce = () => client._request<number>("system_accountNextIndex", [pseudonym]);
const check = (category: string) =>
  client._request<{ permit?: unknown; deny?: { reason: string } }>("consent_check", [
    pseudonym,
    seeded.clinic,
    { category: { category, custodian: null } },
    "Treatment",
    null,
  ]);
const stage = () => page.locator("#tx-progress").getAttribute("data-stage");
const allowanceLeft = async () => Number(await page.locator("#allowance").getAttribute("data-left"));
const denied = () => page.locator("#never-share").getAttribute("data-deny");

async function waitFinalized(): Promise<void> {
  await expect.poll(stage, { timeout: TX_WAIT, interval: 500 }).toMatch(/finalized|failed/);
  expect(await page.locator("#tx-progress").innerText()).toContain(en["tx.stage.finalized"].split(":")[0]);
}

beforeAll(async () => {
  seeded = inject("seeded");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  const genesis = await client._request<string>("chain_getBlockHash", [0]);
  pseudonym = address(pseudonymKey(miniSecretOf(PHRASE), genesis, seeded.hospital).publicKey);
  const key = patientKey(genesis);
  await round(client, [
    ["register the deny test's pseudonym", devKey("//Dave"), api.tx.Institutions.register_patient({ patient: pseudonym, guardian: undefined })],
  ]);
  await round(client, [["confirm the registration", key, api.tx.Institutions.confirm_registration({ patient: pseudonym, guardian: undefined })]]);
  certificate = contentHash(randomBytes(32), utf8('{"resourceType":"DocumentReference","type":{"text":"fitness to work"}}'));
  const now = Date.now();
  await round(client, [
    [
      "consent to the clinic (laboratory, mental health)",
      key,
      api.tx.Consent.grant({
        patient: pseudonym,
        grantee: seeded.clinic,
        categories: [Enum("Laboratory"), Enum("MentalHealth")],
        records: [],
        purposes: [Enum("Treatment")],
        valid_from: undefined,
        valid_until: (await client.getFinalizedBlock()).number + 2000,
        custodian: undefined,
      }),
    ],
    [
      "issue a fitness certificate to the pseudonym",
      devKey("//Ferdie"),
      api.tx.Certificates.issue({
        subject: pseudonym,
        document_hash: certificate,
        kind: Enum("Fitness"),
        valid_from_ms: BigInt(now - 86_400_000),
        valid_until_ms: BigInt(now + 90 * 86_400_000),
      }),
    ],
  ]);
  browser = await launch();
  page = browser.page;
  recordSent(page, sent);
});

afterAll(async () => {
  await browser?.close();
  client?.destroy();
});

describe("never share, and logging a shown certificate", () => {
  test("the patient imports the phrase and sees the empty \"never share\" card; the consent permits", async () => {
    await importPhrase(page, PHRASE, PASS);
    await page.locator("#never-share").waitFor({ timeout: WAIT });
    expect(await page.locator("#never-share-current").innerText()).toBe(en["deny.current.none"]);
    expect(await denied()).toBe("");
    expect(await check("MentalHealth")).toHaveProperty("permit");
    expect(await check("Laboratory")).toHaveProperty("permit");
  });

  test("saving an unchanged set is refused before signing", async () => {
    const before = await nonce();
    await page.locator("#never-share-save").click();
    await expect.poll(() => page.locator("#never-share-error").innerText()).toBe(en["deny.error.unchanged"]);
    expect(await page.locator("#tx-progress").getAttribute("data-stage")).toBe("");
    expect(await nonce()).toBe(before);
  });

  test("\"never share\" mental health: finalized, one fee-free action spent; the node's check denies it, laboratory still permits", async () => {
    const left = await allowanceLeft();
    await page.locator("#deny-MentalHealth").check();
    expect(await page.locator("#never-share-error").count()).toBe(0);
    await page.locator("#never-share-save").click();
    await expect.poll(stage, { timeout: WAIT }).toMatch(/signing|submitted|inBlock|finalized/);
    await waitFinalized();
    await expect.poll(denied, { timeout: WAIT }).toBe("MentalHealth");
    expect(await page.locator("#never-share-current").innerText()).toBe(en["deny.current.some"].replace("{categories}", en["category.MentalHealth"]));
    await expect.poll(allowanceLeft, { timeout: WAIT }).toBe(left - 1);
    expect((await check("MentalHealth")).deny?.reason).toBe("DeniedByPatient");
    expect(await check("Laboratory")).toHaveProperty("permit");
    // The list marks the consent it overrides.
    expect(await page.locator("#consent-list li[data-state=active] [data-denied]").first().getAttribute("data-denied")).toBe("MentalHealth");
    expect((await api.query.Consent.DenyProvisions.getValue(pseudonym, { at: "best" })).map((c) => c.type)).toEqual(["MentalHealth"]);
  });

  test("the editor warns (does not block) when a denied category is chosen", async () => {
    await page.locator("#cat-MentalHealth").check();
    await expect.poll(() => page.locator("#consent-deny-warning").innerText()).toContain(en["category.MentalHealth"]);
    await page.locator("#cat-Laboratory").check();
    expect(await page.locator("#consent-deny-warning").innerText()).not.toContain(en["category.Laboratory"]);
    await page.locator("#cat-MentalHealth").uncheck();
    await expect.poll(() => page.locator("#consent-deny-warning").innerText()).toBe("");
    await page.locator("#cat-Laboratory").uncheck();
  });

  test("layout of the cards: nothing overflows at 390 px, no serious axe violation (English, Korean)", async () => {
    for (const [lang, viewport, size] of [
      ["en", PHONE, "phone"],
      ["ko", PHONE, "phone"],
      ["en", DESKTOP, "desktop"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.locator(`#lang-${lang}`).click();
      await page.locator("#never-share").waitFor();
      if (lang === "ko") expect(await page.locator("#never-share-title").innerText()).toBe(ko["deny.title"]);
      expect(await overflow(page), `${lang} ${size}`).toEqual([]);
      expect(await axeViolations(page), `${lang} ${size}`).toEqual([]);
      await page.locator("#never-share").screenshot({ path: join(SHOTS, `never-share-${lang}-${size}.png`) });
    }
    await page.locator("#my-certificates").screenshot({ path: join(SHOTS, "my-certificates-desktop.png") });
  });

  test("the read-only history lists what is never shared", async () => {
    await page.locator("#nav-patient").click();
    await page.locator("#patient-address").fill(pseudonym);
    await page.locator("#patient-submit").click();
    const line = page.locator("#patient-pseudonyms .never-shared");
    await line.waitFor({ timeout: WAIT });
    expect(await line.getAttribute("data-deny")).toBe("MentalHealth");
    expect(await line.innerText()).toBe(en["patient.neverShared"].replace("{categories}", en["category.MentalHealth"]));
    await shot(page, "patient-never-shared-desktop");
  });

  test("clearing the list (nothing ticked) shares by consent again: the node's check permits", async () => {
    await page.locator("#nav-consents").click();
    await page.locator("#never-share").waitFor({ timeout: WAIT });
    await page.locator("#deny-MentalHealth").uncheck();
    expect(await page.locator("#never-share-clearing").innerText()).toBe(en["deny.clearing"]);
    await page.locator("#never-share-save").click();
    await waitFinalized();
    expect(await page.locator("#tx-progress").innerText()).toContain(en["tx.what.denyClear"]);
    await expect.poll(denied, { timeout: WAIT }).toBe("");
    expect(await check("MentalHealth")).toHaveProperty("permit");
    expect(await api.query.Consent.DenyProvisions.getValue(pseudonym, { at: "best" })).toEqual([]);
  });

  test("\"I showed this certificate\" to a named verifier: fee-free, finalized, on chain as holderShared, the timeline says to whom", async () => {
    const item = page.locator(`#my-certificates li[data-document="${certificate}"]`);
    await item.waitFor({ timeout: WAIT });
    expect(await item.innerText()).toContain(en["kind.Fitness"]);
    const id = certificate.slice(2, 18);
    const left = await allowanceLeft();
    await page.locator(`#shown-to-${id}`).fill(VERIFIER);
    await page.locator(`#shown-${id}`).click();
    await waitFinalized();
    // Fee-free within the patient allowance: one action spent, and the pseudonym holds nothing.
    await expect.poll(allowanceLeft, { timeout: WAIT }).toBe(left - 1);
    expect((await api.query.System.Account.getValue(pseudonym, { at: "best" })).data.free).toBe(0n);
    const log = await client._request<DisclosuresAnswer>("consent_disclosures", [pseudonym, 0]);
    const shown = log.entries.map(([, e]) => e).filter((e) => typeof e.basis === "object" && "holderShared" in e.basis);
    expect(shown).toHaveLength(1);
    expect(shown[0].recordId).toBe(certificate);
    expect(shown[0].purpose).toBe("PatientRequest");
    // The field is emptied once logged; the name stays in this browser's memory only.
    await expect.poll(() => page.locator(`#shown-to-${id}`).inputValue()).toBe("");

    await page.locator("#nav-patient").click();
    await page.locator("#patient-address").fill(pseudonym);
    await page.locator("#patient-submit").click();
    const entry = page.locator("#patient-log li[data-kind=shared]");
    await entry.first().waitFor({ timeout: WAIT });
    expect(await entry.first().innerText()).toContain(en["basis.holderSharedTo"].replace("{name}", VERIFIER));
    expect(await entry.first().innerText()).not.toContain(en["log.shared"].split(";")[1].trim()); // not "only you know to whom"
    await shot(page, "patient-shown-desktop");
    // What the chain got is the commitment; nothing the page sent holds the name.
    expect(sent.filter((p) => p.includes(VERIFIER) || p.includes(Buffer.from(VERIFIER).toString("hex")))).toEqual([]);
  });
});
