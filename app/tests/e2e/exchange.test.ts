// An exchange through a real delivery, in a real browser (Chromium via playwright-core): the
// hospital gateway global-setup.ts started ("Busan Gateway Hospital") is the custodian, and it
// delivers by itself through the relay global-setup.ts started (docs/relay.md §1).
//
// This file's own seed, independent of the other files: sudo admits a requesting clinic
// ("Exchange Test Clinic", admin //Ferdie//exchange-admin, device //Ferdie//exchange-device,
// which publishes an X25519 encryption key: the custodian's gateway seals the package to it);
// a fresh patient pseudonym is registered at the gateway's hospital (signed as the gateway's
// device, whose key global-setup.ts hands over) and confirmed by the patient; two laboratory
// records go into the gateway's store through its HTTP API (it anchors them); the patient
// consents to the clinic receiving laboratory reports held by the gateway's hospital; the
// clinic's device asks for each record (`Exchange.request`, two requests). Then the gateway sees
// each request final, seals the records, uploads the package to the relay and posts
// `Exchange.deliver` (one `ReleaseLogged` per record); the test waits for both deliveries.
//
// In the browser: the patient's timeline shows the releases (to whom, on which consent, when);
// the clinic's device signs in to the hospital portal, sees both requests delivered, confirms
// one (the custodian and the relay operator are paid) and disputes the other.

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { medchain } from "@polkadot-api/descriptors";
import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { AccountId, Enum, type PolkadotClient } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import { createWsClient } from "polkadot-api/ws";
import type { Page } from "playwright-core";
import type { Subscription } from "rxjs";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en } from "../../src/i18n";
import { DESKTOP, NODE, PHONE, WAIT, axeViolations, launch, open, overflow, shot, staffSignIn, staffTxEnd, type Browser } from "./browser";
import type { GatewayInfo } from "./global-setup";
import { devKey, hex, round, utf8, type Api, type Hex, type Key } from "./seed";

let browser: Browser;
let page: Page;
let gateway: GatewayInfo;
let client: PolkadotClient;
let api: Api;
let onChain: (publicKey: Uint8Array) => string;
let clinic: number;
let consent: bigint;
/** The two requests: the first is confirmed in the portal, the second disputed. */
let toConfirm: number;
let toDispute: number;
let fee: bigint;

const clinicAdmin = devKey("//Ferdie//exchange-admin");
const clinicDevice = devKey("//Ferdie//exchange-device");
const gatewayAdmin = devKey("//Ferdie//gateway-admin"); // global-setup.ts: the custodian's admin, paid
const relayAdmin = devKey("//Ferdie//relay-admin"); // global-setup.ts: the relay operator's admin, paid
const patient = keyFromSeed(randomBytes(32)); // a fresh pseudonym, as the patient's app makes one
const CLINIC = "Exchange Test Clinic";
const CUSTODIAN = "Busan Gateway Hospital";
const RECORDS = ["xchg-lab-1", "xchg-lab-2"];
/** A third record, asked for at the end from the portal of the requesting clinic's gateway. */
const ASKED = "xchg-lab-3";
const REQUESTER = "Daegu Requesting Clinic";
/** The documents as posted to the custodian's gateway, by record id. */
const documents = new Map<string, string>();
const PASS = "correct horse battery";
/** Written into each record: it must never reach the relay in plaintext. */
const MARKER = `MARKER-${randomBytes(8).toString("hex")}-plaintext-must-not-reach-the-relay`;
const MED = 1_000_000_000_000n;
/** Bounds of the waits on the chain and the gateway (each step waits for finality). */
const DELIVERY_MS = 180_000;

/** Events seen in finalized blocks since beforeAll subscribed. */
const seen = {
  delivered: [] as Array<{ request: bigint; relay: number; block: number }>,
  released: [] as Array<{ recipient: number; custodian: number; basis: { type: string; value: unknown }; block: number }>,
  completed: [] as Array<{ request: bigint; custodian_amount: bigint; relay_amount: bigint; automatic: boolean }>,
  disputed: [] as Array<{ request: bigint; reason: string }>,
  /** The council's closes: how each motion ended (its hash, and the dispatch result in words). */
  council: [] as Array<{ hash: string; outcome: string }>,
};
const subscriptions: Subscription[] = [];

function keyFromSeed(seed: Uint8Array): Key {
  // The mini-secret itself, no derivation: what sp_core's sr25519::Pair::from_seed makes of it.
  const pair = sr25519CreateDerive(seed)("");
  return {
    address: AccountId().dec(pair.publicKey),
    publicKey: pair.publicKey,
    signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign),
    sign: pair.sign,
  };
}

/** A fresh X25519 public key (the requesting device's `encryption_key`). */
function x25519Public(): Hex {
  const der = generateKeyPairSync("x25519").publicKey.export({ format: "der", type: "spki" });
  return hex(der.subarray(der.length - 32));
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function gatewayApi(method: string, path: string, body?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${gateway.origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${gateway.token}` },
    body,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The relay's open health answer: packages held (ciphertext only) and uploads under way. */
async function relayHealth(): Promise<{ institution: number; packages: number; uploading: number }> {
  return (await fetch(`${gateway.relay.origin}/health`)).json();
}

/** Files under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => readFileSync(f).includes(bytes));
}

const requestStatus = async (id: number, at: "best" | "finalized" = "best") =>
  (await api.query.Exchange.Requests.getValue(BigInt(id), { at }))?.status.type;

const free = async (who: string) => (await api.query.System.Account.getValue(who, { at: "finalized" })).data.free;

beforeAll(async () => {
  gateway = inject("gateway");
  client = createWsClient(NODE);
  api = client.getTypedApi(medchain);
  const prefix = await api.constants.System.SS58Prefix();
  onChain = (publicKey) => AccountId(prefix).dec(publicKey);
  const alice = devKey("//Alice");
  const gatewayDevice = keyFromSeed(Buffer.from(gateway.deviceSeed.slice(2), "hex"));
  expect(gatewayDevice.address).toBe(gateway.device);
  const t0 = Date.now();
  const log = (line: string) => console.log(`exchange: ${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  subscriptions.push(
    api.event.Exchange.ExchangeDelivered.watch().subscribe(({ block, events }) =>
      events.forEach((e) => seen.delivered.push({ request: e.payload.request, relay: e.payload.relay, block: block.number })),
    ),
    api.event.Consent.ReleaseLogged.watch().subscribe(({ block, events }) =>
      events
        .filter((e) => e.payload.patient === onChain(patient.publicKey))
        .forEach((e) => seen.released.push({ ...e.payload, basis: e.payload.basis as { type: string; value: unknown }, block: block.number })),
    ),
    api.event.Exchange.ExchangeCompleted.watch().subscribe(({ events }) => events.forEach((e) => seen.completed.push(e.payload))),
    api.event.Exchange.ExchangeDisputed.watch().subscribe(({ events }) =>
      events.forEach((e) => seen.disputed.push({ request: e.payload.request, reason: e.payload.reason.type })),
    ),
    api.event.Council.Executed.watch().subscribe(({ events }) =>
      events.forEach((e) =>
        seen.council.push({ hash: String(e.payload.proposal_hash), outcome: e.payload.result.success ? "executed" : `failed: ${JSON.stringify(e.payload.result.value, (_, v) => (typeof v === "bigint" ? v.toString() : v))}` }),
      ),
    ),
    api.event.Council.Disapproved.watch().subscribe(({ events }) => events.forEach((e) => seen.council.push({ hash: String(e.payload.proposal_hash), outcome: "disapproved" }))),
  );

  const fund = (dest: string) => api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", dest), value: 10n * MED });
  const [admitted] = await round(client, [
    [
      "admit the exchange test clinic",
      alice,
      api.tx.Sudo.sudo({
        call: api.tx.Institutions.admit({ admin: clinicAdmin.address, kind: Enum("Clinic"), name: utf8(CLINIC) }).decodedCall,
      }),
    ],
    ["fund its admin", alice, fund(clinicAdmin.address)],
    ["fund its device", alice, fund(clinicDevice.address)],
    ["fund the patient", alice, fund(patient.address)],
    // The gateway's device signs nothing else now: no record and no request for it yet.
    ["register the patient at the gateway's hospital", gatewayDevice, api.tx.Institutions.register_patient({ patient: patient.address, guardian: undefined })],
  ]);
  clinic = api.event.Institutions.InstitutionAdmitted.filter(admitted)[0].payload.institution;
  await round(client, [
    ["add the clinic's device", clinicAdmin, api.tx.Institutions.add_device({ device: clinicDevice.address })],
    ["confirm the registration", patient, api.tx.Institutions.confirm_registration({ patient: patient.address, guardian: undefined })],
  ]);
  log("clinic admitted, patient registered");

  // The records, through the gateway's API (it checks the pseudonym with the chain, then anchors).
  const pseudonym = hex(patient.publicKey);
  for (const [i, recordId] of [...RECORDS, ASKED].entries()) {
    const doc = JSON.stringify({ resourceType: "Observation", status: "final", code: { text: ["CBC", "HbA1c", "Ferritin"][i] }, note: [{ text: MARKER }] });
    documents.set(recordId, doc);
    const posted = await until(`POST /records ${recordId}`, 60_000, async () => {
      const r = await gatewayApi("POST", `/records?patient=${pseudonym}&category=Laboratory&format=FhirJson&recordId=${recordId}`, doc);
      if (r.status === 404) return null; // the registration not seen yet
      return r;
    });
    expect(posted.status, JSON.stringify(posted.json)).toBe(202);
  }
  const consentEnds = (await client.getFinalizedBlock()).number + 14_400;
  /** The patient's consent to `grantee` receiving the gateway hospital's laboratory reports. */
  const consentTo = (grantee: number, validUntil: number) =>
    api.tx.Consent.grant({
      patient: patient.address,
      grantee,
      categories: [Enum("Laboratory")],
      records: [],
      purposes: [Enum("Treatment")],
      valid_from: undefined,
      valid_until: validUntil,
      custodian: gateway.institution,
    });
  const [, granted] = await round(client, [
    ["publish the clinic device's encryption key", clinicDevice, api.tx.Institutions.set_encryption_key({ device: clinicDevice.address, key: x25519Public() })],
    ["consent to the clinic", patient, consentTo(clinic, consentEnds)],
    ["consent to the requesting clinic (the second gateway's)", patient, consentTo(gateway.requester.institution, consentEnds)],
  ]);
  consent = api.event.Consent.ConsentGranted.filter(granted)[0].payload.consent;
  for (const recordId of [...RECORDS, ASKED]) {
    await until(`${recordId} anchored in a final block`, 120_000, async () => {
      const r = await gatewayApi("GET", `/records/${recordId}`);
      return r.status === 200 && r.json.versions.every((v: any) => v.anchor?.status === "finalized");
    });
  }
  log(`records anchored and final, consent no. ${consent}`);

  fee = BigInt(await client._request<string>("exchange_quote", [gateway.institution, patient.address, [hex(utf8(RECORDS[0]))], []]));
  const asked = await round(
    client,
    RECORDS.map((recordId): [string, Key, any] => [
      `the clinic asks for ${recordId}`,
      clinicDevice,
      api.tx.Exchange.request({
        custodian: gateway.institution,
        patient: patient.address,
        record_ids: [utf8(recordId)],
        categories: [],
        purpose: Enum("Treatment"),
        max_fee: fee,
      }),
    ]),
  );
  [toConfirm, toDispute] = asked.map((events) => Number(api.event.Exchange.ExchangeRequested.filter(events)[0].payload.request));
  log(`requests ${toConfirm} and ${toDispute} in a block`);

  // The gateway serves both by itself: package sealed, uploaded to the relay, `deliver` final.
  await until("both deliveries final", DELIVERY_MS, async () => {
    const ids = seen.delivered.map((d) => Number(d.request));
    if (ids.includes(toConfirm) && ids.includes(toDispute)) return true;
    for (const id of [toConfirm, toDispute]) {
      const status = await requestStatus(id);
      if (status !== "Requested" && status !== "Delivered") {
        const view = await gatewayApi("GET", `/exchanges/${id}`);
        throw new Error(`request ${id} ended ${status}: the gateway says ${JSON.stringify(view.json)}`);
      }
    }
    return false;
  });
  log("both delivered and final");

  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  subscriptions.forEach((s) => s.unsubscribe());
  await browser?.close();
  client?.destroy();
});

async function showPatient(viewport = DESKTOP): Promise<void> {
  await open(page, "patient", viewport);
  await page.locator("#patient-address").fill(patient.address);
  await page.locator("#patient-submit").click();
  await page.locator("#patient-log").waitFor({ timeout: WAIT });
}

const signIn = (uri: string) => staffSignIn(page, uri, PASS);
const txEnd = () => staffTxEnd(page);

describe("an exchange delivered through the relay", () => {
  test("the chain has the delivery: through the relay global-setup started, one release logged per record", async () => {
    for (const id of [toConfirm, toDispute]) {
      const delivered = seen.delivered.find((d) => Number(d.request) === id);
      expect(delivered?.relay).toBe(gateway.relay.institution);
      expect(await requestStatus(id, "finalized")).toBe("Delivered");
      const receipt = await api.query.Exchange.Deliveries.getValue(BigInt(id), { at: "finalized" });
      expect(receipt?.relay).toBe(gateway.relay.institution);
      expect(receipt?.versions.map(([r]) => Buffer.from(r).toString())).toEqual([RECORDS[id === toConfirm ? 0 : 1]]);
    }
    expect(seen.released).toHaveLength(2);
    for (const r of seen.released) {
      expect(r).toMatchObject({ recipient: clinic, custodian: gateway.institution, basis: { type: "Consent", value: consent } });
    }
    // The relay holds both packages (ciphertext) until the chain closes the exchanges.
    expect(await relayHealth()).toMatchObject({ institution: gateway.relay.institution, packages: 2, uploading: 0 });
    // Sealed to the clinic's device: no file of the relay holds the records' text.
    const relayDir = process.env.MEDCHAIN_RELAY_DIR;
    expect(relayDir, "MEDCHAIN_RELAY_DIR (scripts/test.sh)").toBeTruthy();
    expect(readdirSync(join(relayDir!, "packages")).filter((f) => f.endsWith(".mcpk"))).toHaveLength(2);
    expect(filesContaining(relayDir!, MARKER)).toEqual([]);
    // The gateway's own view of what it delivered.
    const view = await gatewayApi("GET", `/exchanges/${toConfirm}`);
    expect(view.json.role).toBe("custodian");
    expect(view.json.progress?.status ?? view.json.status).toBe("delivered");
  });

  test("a patient sees a disclosure after an exchange: released to the requester, on the consent, when", async () => {
    await showPatient();
    const releases = page.locator('#patient-log li.event[data-kind="release"]');
    await expect.poll(() => releases.count(), { timeout: WAIT }).toBe(2);
    for (const item of await releases.all()) {
      const what = await item.locator(".event-what").innerText();
      expect(what).toBe(
        en["log.release"]
          .replace("{custodian}", en["institution.named"].replace("{name}", CUSTODIAN).replace("{id}", String(gateway.institution)))
          .replace("{category}", en["category.Laboratory"])
          .replace("{recipient}", en["institution.named"].replace("{name}", CLINIC).replace("{id}", String(clinic)))
          .replace("{purpose}", en["purpose.Treatment"]),
      );
      expect(await item.locator(".event-basis").innerText()).toContain(en["basis.consent"].replace("{id}", String(consent)));
      // When: the delivery's block.
      const when = await item.locator(".event-when time").innerText();
      expect(when).toMatch(/#[\d,]+/);
      const block = Number(when.match(/#([\d,]+)/)![1].replace(/,/g, ""));
      expect(seen.released.map((r) => r.block)).toContain(block);
    }
    await shot(page, "patient-exchange-release-desktop");
    expect(await axeViolations(page)).toEqual([]);
    await showPatient(PHONE);
    await expect.poll(() => releases.count(), { timeout: WAIT }).toBe(2);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "patient-exchange-release-phone");
  });

  test("the requester's device sees both requests delivered and confirms one: the custodian and the relay are paid", async () => {
    await open(page, "hospital");
    await page.locator("#staff-form").waitFor({ timeout: WAIT });
    await signIn(`${DEV_PHRASE}//Ferdie//exchange-device`);
    expect(await page.locator("#staff-address").innerText()).toBe(onChain(clinicDevice.publicKey));
    expect(await page.locator("#staff-role").getAttribute("data-role")).toBe("device");
    expect(await page.locator("#staff-role").innerText()).toContain(CLINIC);
    await page.locator("#hospital-summary").waitFor({ timeout: WAIT });
    for (const id of [toConfirm, toDispute]) {
      const item = page.locator(`#hospital-outgoing li[data-request="${id}"]`);
      await expect.poll(() => item.getAttribute("data-state"), { timeout: WAIT }).toBe("delivered");
      const text = await item.innerText();
      expect(text).toContain(en["exchange.outgoing.line"].replace("{id}", String(id)).replace("{institution}", CUSTODIAN));
      expect(text).toContain(en["exchange.delivered"]);
      expect(await page.locator(`#confirm-${id}`).count()).toBe(1);
    }
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "hospital-exchange-delivered-desktop");

    const custodianBefore = await free(gatewayAdmin.address);
    const relayBefore = await free(relayAdmin.address);
    await page.locator(`#confirm-${toConfirm}`).click();
    expect(await txEnd()).toBe("finalized");
    const item = page.locator(`#hospital-outgoing li[data-request="${toConfirm}"]`);
    await expect.poll(() => item.getAttribute("data-state"), { timeout: WAIT }).toBe("completed");
    expect(await item.innerText()).toContain(en["exchange.completed"]);
    expect(await page.locator(`#confirm-${toConfirm}`).count()).toBe(0);

    // The chain agrees: completed, the fee split between the custodian and the relay operator.
    expect(await requestStatus(toConfirm, "finalized")).toBe("Completed");
    const paid = await until("ExchangeCompleted", WAIT, async () => seen.completed.find((c) => Number(c.request) === toConfirm));
    expect(paid.automatic).toBe(false);
    expect(paid.custodian_amount + paid.relay_amount).toBe(fee);
    expect(paid.relay_amount).toBeGreaterThan(0n);
    expect(await free(gatewayAdmin.address)).toBe(custodianBefore + paid.custodian_amount);
    expect(await free(relayAdmin.address)).toBe(relayBefore + paid.relay_amount);
    await expect.poll(() => page.locator("#fees-paid-by-us").innerText(), { timeout: WAIT }).toContain(`${Number(fee) / 1e12} MED`);
    // Paid, the package is deleted at the relay; the other one waits for its confirmation.
    await expect.poll(async () => (await relayHealth()).packages, { timeout: WAIT }).toBe(1);
  });

  test("the other delivery is disputed from the portal: the fee stays held, the chain records the reason", async () => {
    const form = `dispute-${toDispute}`;
    // No reason chosen: said next to the field, nothing signed.
    await page.locator(`#${form}-submit`).click();
    expect(await page.locator(`#${form}-reason-error`).innerText()).toBe(en["staff.error.reason"]);
    await page.locator(`#${form}-reason`).selectOption("MissingRecords");
    await page.locator(`#${form}-submit`).click();
    expect(await txEnd()).toBe("finalized");
    const item = page.locator(`#hospital-outgoing li[data-request="${toDispute}"]`);
    await expect.poll(() => item.getAttribute("data-state"), { timeout: WAIT }).toBe("disputed");
    expect(await item.innerText()).toContain(en["exchange.disputed"]);
    expect(await requestStatus(toDispute, "finalized")).toBe("Disputed");
    const disputed = await until("ExchangeDisputed", WAIT, async () => seen.disputed.find((d) => Number(d.request) === toDispute));
    expect(disputed.reason).toBe("MissingRecords");
    expect(seen.completed.some((c) => Number(c.request) === toDispute)).toBe(false);
    // A disputed package stays at the relay as evidence until the council settles.
    expect((await relayHealth()).packages).toBe(1);
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "hospital-exchange-settled-phone");
    await page.setViewportSize(DESKTOP);
  });

  test("the council settles the dispute from the portal: put to it by the custodian's admin, voted by a second seat, closed and carried out", async () => {
    // The seats are the hospitals' admins (global-setup.ts admits two hospitals).
    const members = await api.query.Council.Members.getValue({ at: "best" });
    const seat = (k: Key) => members.includes(onChain(k.publicKey));
    expect(seat(gatewayAdmin)).toBe(true);
    // Two seats at least, so a proposal is a motion to vote on (with one, it is carried out at once).
    expect(members.length).toBeGreaterThanOrEqual(2);
    const needed = Math.floor(members.length / 2) + 1;
    const voters = [devKey("//Bob")].filter(seat);
    expect(voters.length).toBeGreaterThanOrEqual(needed - 1);

    // The custodian's admin signs in (the clinic's device key removed first).
    await page.locator("#staff-forget").click();
    await page.locator("#staff-forget").click();
    await page.locator("#staff-form").waitFor({ timeout: WAIT });
    await signIn(`${DEV_PHRASE}//Ferdie//gateway-admin`);
    expect(await page.locator("#staff-role").getAttribute("data-role")).toBe("admin");
    const dispute = page.locator(`#council-disputes li[data-request="${toDispute}"]`);
    await dispute.waitFor({ timeout: WAIT });
    expect(await dispute.innerText()).toContain(en["council.dispute.theirs"].replace("{id}", String(toDispute)));
    expect(await page.locator("#hospital-council").innerText()).toContain(
      en["council.intro"].replace("{institution}", CUSTODIAN).replace("{seats}", String(members.length)).replace("{majority}", String(needed)).split(" Motions")[0],
    );

    // Put to the council: "reject the dispute" (the custodian says it delivered).
    await page.locator(`#council-reject-${toDispute}`).click();
    expect(await txEnd()).toBe("finalized");
    const motion = page.locator(`#council-motions li[data-request="${toDispute}"]`);
    await motion.waitFor({ timeout: WAIT });
    expect(await motion.innerText()).toContain(en["council.motion.rejected"].replace("{id}", String(toDispute)));
    // Proposing is not voting (pallet-collective): no ayes yet; this seat votes aye in the list.
    expect(await motion.getAttribute("data-stage")).toBe("open");
    expect(await motion.innerText()).toContain(
      en["council.votes"].replace("{ayes}", "0").replace("{nays}", "0").replace("{seats}", String(members.length)).replace("{threshold}", String(needed)),
    );
    expect(await dispute.innerText()).toContain(en["council.dispute.open"]);
    await motion.locator("button[id$=-aye]").click();
    expect(await txEnd()).toBe("finalized");
    await expect.poll(() => motion.innerText(), { timeout: WAIT }).toContain(en["council.voted.aye"]);
    expect(await motion.locator("button[id$=-aye]").count()).toBe(0);
    expect(await requestStatus(toDispute)).toBe("Disputed");
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "hospital-council-motion-phone");
    await page.setViewportSize(DESKTOP);

    // The other seats needed vote aye (their hospitals' admins, outside this browser).
    const hash = await motion.getAttribute("data-motion");
    const voting = await api.query.Council.Voting.getValue(hash as never, { at: "best" });
    expect(voting?.threshold).toBe(needed);
    await round(
      client,
      voters.slice(0, needed - 1).map((k) => ["vote aye on the settlement", k, api.tx.Council.vote({ proposal: hash as never, index: voting!.index, approve: true })] as const),
    );
    // Read again, the motion has its ayes; closing it carries it out.
    await page.locator("#hospital-submit").click();
    await expect.poll(() => motion.getAttribute("data-stage"), { timeout: WAIT }).toBe("passing");
    await motion.locator("button[id$=-close]").click();
    expect(await txEnd()).toBe("finalized");
    // Closed: approved and carried out (the motion's end in the council's events, then the request's state).
    const closed = await until("the council's close of the motion", WAIT, async () => seen.council.find((c) => c.hash === hash));
    expect(closed.outcome).toBe("executed");
    await expect.poll(() => requestStatus(toDispute, "finalized"), { timeout: WAIT }).toBe("Completed");
    const paid = await until("ExchangeCompleted of the settled request", WAIT, async () => seen.completed.find((c) => Number(c.request) === toDispute));
    expect(paid.automatic).toBe(false);
    await expect.poll(() => page.locator(`#council-motions li[data-request="${toDispute}"]`).count(), { timeout: WAIT }).toBe(0);
    await expect.poll(() => page.locator(`#council-disputes li[data-request="${toDispute}"]`).count(), { timeout: WAIT }).toBe(0);
    // Settled, the evidence package is deleted at the relay too.
    await expect.poll(async () => (await relayHealth()).packages, { timeout: WAIT }).toBe(0);
    await shot(page, "hospital-council-settled-desktop");
  });

  test("the requesting clinic asks from the portal its own gateway serves: the gateway fetches, checks and confirms; the browser checks the document again and saves it", async () => {
    const req = gateway.requester;
    const ss58 = await api.constants.System.SS58Prefix();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${req.origin}/app/?node=${encodeURIComponent(NODE)}#/hospital`, { timeout: WAIT });
    await page.locator("#status-connection[data-state=connected]").waitFor({ timeout: WAIT });
    await page.locator("#gateway-token").fill(req.token);
    await page.locator("#gateway-connect").click();
    await page.locator("#gateway-result .result").waitFor({ timeout: WAIT });
    await page.locator(`#hospital-institution option[value="${req.institution}"]`).waitFor({ state: "attached", timeout: WAIT });
    await page.locator("#hospital-number").fill(String(req.institution));
    await page.locator("#hospital-submit").click();
    await expect.poll(() => page.locator("#hospital-summary-title").innerText(), { timeout: WAIT }).toContain(REQUESTER);
    const form = page.locator("#ask");
    await form.waitFor({ timeout: WAIT });

    // Bad input is said next to the field; nothing is asked.
    await page.locator("#ask-submit").click();
    expect(await page.locator("#ask-custodian-error").innerText()).toBe(en["ask.error.custodian"]);
    await page.locator("#ask-custodian").selectOption(String(gateway.institution));
    await page.locator("#ask-patient").fill(AccountId(ss58).dec(patient.publicKey));
    await page.locator("#ask-submit").click();
    expect(await page.locator("#ask-records-error").innerText()).toBe(en["ask.error.empty"]);
    expect(await page.locator("#ask-result").innerText()).toBe("");

    // A purpose the patient did not consent to: the chain refuses, in words, and holds nothing.
    await page.locator("#ask-records").fill(ASKED);
    await page.locator("#ask-purpose").selectOption("Research");
    await page.locator("#ask-submit").click();
    const refused = page.locator('#ask-result [data-state="refused"]');
    await refused.waitFor({ timeout: DELIVERY_MS });
    expect(await refused.innerText()).toMatch(new RegExp(`^${en["ask.refused.chain"].replace("{doc}", "")}[A-Z]`));
    expect(await refused.innerText()).not.toMatch(/::/); // the doc line, not the error's name
    const reserved = (await api.query.System.Account.getValue(req.device, { at: "best" })).data.reserved;
    expect(reserved).toBe(0n);

    // For treatment: quoted, asked, signed by the clinic gateway's device.
    await page.locator("#ask-records").fill(ASKED);
    await page.locator("#ask-purpose").selectOption("Treatment");
    await page.locator("#ask-submit").click();
    const asked = page.locator('#ask-result [data-state="asked"]');
    await asked.waitFor({ timeout: DELIVERY_MS });
    const id = Number(await asked.getAttribute("data-request"));
    const entry = await api.query.Exchange.Requests.getValue(BigInt(id), { at: "best" });
    expect(entry?.requester).toBe(req.institution);
    expect(entry?.payer).toBe(onChain(AccountId().enc(req.device)));
    expect(entry?.patient).toBe(onChain(patient.publicKey));
    expect(entry?.items.records.map((r) => Buffer.from(r).toString())).toEqual([ASKED]);
    expect(await asked.innerText()).toContain(`${Number(entry?.fee) / 1e12} MED`);
    await expect.poll(async () => (await api.query.System.Account.getValue(req.device, { at: "best" })).data.reserved, { timeout: WAIT }).toBe(entry?.fee);
    // Our requests list it (the chain's index of the clinic's requests).
    await page.locator(`#hospital-outgoing li[data-request="${id}"]`).waitFor({ timeout: WAIT });

    // The custodian's gateway delivers; this clinic's gateway downloads, checks, opens and
    // confirms by itself: the fee is paid out.
    await until(`request ${id} completed`, DELIVERY_MS, async () => (await requestStatus(id, "finalized")) === "Completed");
    const item = page.locator(`#hospital-received li[data-request="${id}"]`);
    await expect
      .poll(
        async () => {
          await page.locator("#received-refresh").click();
          return item.getAttribute("data-state");
        },
        { timeout: WAIT, interval: 1_000 },
      )
      .toMatch(/^(confirmed|completed)$/);
    const doc = item.locator(`li[data-record="${ASKED}"]`);
    expect(await doc.innerText()).toContain(
      en["received.document"].replace("{recordId}", ASKED).replace("{version}", "1").replace("{custodian}", en["institution.named"].replace("{name}", CUSTODIAN).replace("{id}", String(gateway.institution))),
    );

    // Checked again in this browser: hashed with its salt, `records_verify` asked here.
    await doc.locator("button[id$=-check]").click();
    const verdict = doc.locator("[id$=-verdict]");
    await verdict.waitFor({ timeout: WAIT });
    expect(await verdict.getAttribute("data-state")).toBe("current");

    // Saved: the very document the custodian holds.
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: WAIT }), doc.locator("button[id$=-save]").click()]);
    expect(download.suggestedFilename()).toBe(`${ASKED}-v1`);
    const saved = readFileSync((await download.path())!, "utf8");
    expect(saved).toBe(documents.get(ASKED));
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "hospital-received-desktop");
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    await shot(page, "hospital-received-phone");
    await page.setViewportSize(DESKTOP);
  });
});
