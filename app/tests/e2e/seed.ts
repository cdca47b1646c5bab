// Puts real data on a fresh dev chain (`--dev --tmp`) with the development keys, over
// polkadot-api, as node/tests/dev_node/records.rs, certificates.rs and prescriptions.rs do:
// sudo (Alice) admits a hospital (admin Bob), a pharmacy (admin Charlie) and a clinic; the
// hospital adds a device (Dave) and a physician (Ferdie); the device registers a patient
// pseudonym (Eve), who confirms; then a record is anchored, a certificate issued, a
// prescription issued and dispensed, the patient consents to the clinic receiving laboratory
// reports and the hospital releases the record to it, an emergency access is opened with the
// patient's card, and the patient logs showing the certificate. The browser tests verify these
// through the app.

import { createHash } from "node:crypto";
import { medchain } from "@polkadot-api/descriptors";
import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy } from "@polkadot-labs/hdkd-helpers";
import { AccountId, Enum, type PolkadotClient, type PolkadotSigner, type TypedApi } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";
import { createWsClient } from "polkadot-api/ws";

export type Api = TypedApi<typeof medchain>;
export type Hex = `0x${string}`;

const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)));

export interface Key {
  address: string;
  publicKey: Uint8Array;
  signer: PolkadotSigner;
  sign: (message: Uint8Array) => Uint8Array;
}

export function devKey(path: string): Key {
  const pair = derive(path);
  return {
    address: AccountId().dec(pair.publicKey),
    publicKey: pair.publicKey,
    signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign),
    sign: pair.sign,
  };
}

export const hex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString("hex")}`;
export const utf8 = (s: string) => new TextEncoder().encode(s);
export const repeat = (byte: number): Hex => hex(new Uint8Array(32).fill(byte));

/** SHA-256(salt ‖ document), the content-hash contract (docs/records.md). */
export function contentHash(salt: Uint8Array, document: Uint8Array): Hex {
  return hex(createHash("sha256").update(salt).update(document).digest());
}

export interface Seeded {
  hospital: number;
  pharmacy: number;
  clinic: number;
  patient: string;
  record: { custodian: number; recordId: string; salt: Hex; document: string };
  certificate: { salt: Hex; document: string };
}

const TX_TIMEOUT_MS = 60_000;

/** Sends `tx` signed by `key` (with `nonce`), resolving once it is in a best block and succeeded. */
export function send(
  what: string,
  tx: {
    signSubmitAndWatch: (s: PolkadotSigner, o?: { nonce?: number }) => {
      subscribe: (o: { next: (e: any) => void; error: (e: unknown) => void }) => { unsubscribe(): void };
    };
  },
  key: Key,
  nonce: number,
): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`${what}: not included within ${TX_TIMEOUT_MS / 1000} s`));
    }, TX_TIMEOUT_MS);
    const sub = tx.signSubmitAndWatch(key.signer, { nonce }).subscribe({
      next: (event: any) => {
        if (event.type === "txBestBlocksState" && event.found) {
          clearTimeout(timer);
          sub.unsubscribe();
          if (!event.ok) reject(new Error(`${what}: ${JSON.stringify(event.dispatchError, bigints)}`));
          else resolve(event.events);
        }
      },
      error: (e: unknown) => {
        clearTimeout(timer);
        reject(new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`));
      },
    });
  });
}

const bigints = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

export async function nonceOf(client: PolkadotClient, key: Key): Promise<number> {
  return client._request<number>("system_accountNextIndex", [key.address]);
}

/** Sends one round of transactions (independent of each other) and waits for all of them. */
export async function round(
  client: PolkadotClient,
  txs: Array<[string, Key, any]>,
): Promise<any[][]> {
  const nonces = new Map<string, number>();
  for (const [, key] of txs) {
    if (!nonces.has(key.address)) nonces.set(key.address, await nonceOf(client, key));
  }
  return Promise.all(
    txs.map(([what, key, tx]) => {
      const nonce = nonces.get(key.address)!;
      nonces.set(key.address, nonce + 1);
      return send(what, tx, key, nonce);
    }),
  );
}

export function admitted(api: Api, events: any[], what: string): number {
  const sudid = api.event.Sudo.Sudid.filter(events);
  if (sudid.length && !sudid[0].payload.sudo_result.success) {
    throw new Error(`${what}: sudo call failed: ${JSON.stringify(sudid[0].payload.sudo_result.value, bigints)}`);
  }
  const found = api.event.Institutions.InstitutionAdmitted.filter(events);
  if (!found.length) throw new Error(`${what}: no InstitutionAdmitted event`);
  return found[0].payload.institution;
}

/** SCALE compact length of a small byte string (< 64 bytes). */
function compactLen(n: number): Uint8Array {
  if (n >= 64) throw new Error("compactLen: small lengths only");
  return new Uint8Array([n << 2]);
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** What the card key signs (pallets/consent/src/card.rs, `signing_payload`). */
export function cardPayload(genesis: Hex, custodian: number, pseudonym: Uint8Array, practitioner: Uint8Array): Uint8Array {
  const context = utf8("medchain/emergency-card/v1");
  return Buffer.concat([
    compactLen(context.length),
    context,
    Buffer.from(genesis.slice(2), "hex"),
    u32le(custodian),
    pseudonym,
    practitioner,
  ]);
}

export async function seed(wsUrl: string, log: (line: string) => void = () => {}): Promise<Seeded> {
  const client = createWsClient(wsUrl);
  const api = client.getTypedApi(medchain);
  try {
    const alice = devKey("//Alice");
    const bob = devKey("//Bob"); // the hospital's admin
    const charlie = devKey("//Charlie"); // the pharmacy's admin
    const clinicAdmin = devKey("//Charlie//stash");
    const device = devKey("//Dave"); // the hospital's device
    const physician = devKey("//Ferdie");
    const pharmacist = devKey("//Alice//stash");
    const patient = devKey("//Eve"); // stands for a pseudonym the patient's app derived
    const card = devKey("//Eve//emergency-card");

    log("admitting a hospital, a pharmacy and a clinic (sudo)");
    const admit = (admin: Key, kind: "Hospital" | "Pharmacy" | "Clinic", name: string) =>
      api.tx.Sudo.sudo({
        call: api.tx.Institutions.admit({ admin: admin.address, kind: Enum(kind), name: utf8(name) }).decodedCall,
      });
    const [h, p, c] = await round(client, [
      ["admit the hospital", alice, admit(bob, "Hospital", "서울 중앙 병원")],
      ["admit the pharmacy", alice, admit(charlie, "Pharmacy", "Jongno Pharmacy")],
      ["admit the clinic", alice, admit(clinicAdmin, "Clinic", "Gangnam Family Clinic")],
    ]);
    const hospital = admitted(api, h, "admit the hospital");
    const pharmacy = admitted(api, p, "admit the pharmacy");
    const clinic = admitted(api, c, "admit the clinic");

    log("adding the device, the physician and the pharmacist");
    await round(client, [
      ["add the device", bob, api.tx.Institutions.add_device({ device: device.address })],
      [
        "add the physician",
        bob,
        api.tx.Institutions.add_practitioner({ practitioner: physician.address, role: Enum("Physician"), licence_hash: repeat(0x11) }),
      ],
      [
        "add the pharmacist",
        charlie,
        api.tx.Institutions.add_practitioner({ practitioner: pharmacist.address, role: Enum("Pharmacist"), licence_hash: repeat(0x22) }),
      ],
    ]);

    log("registering the patient");
    await round(client, [["register the patient", device, api.tx.Institutions.register_patient({ patient: patient.address, guardian: undefined })]]);
    await round(client, [["confirm the registration", patient, api.tx.Institutions.confirm_registration({ patient: patient.address, guardian: undefined })]]);

    // The documents: what the hospital keeps and hands over with their salts.
    const recordDoc = '{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"}}';
    const recordSalt = new Uint8Array(32).fill(7);
    const recordId = "lab-2026-000001";
    const certDoc = '{"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"MMR"}}';
    const certSalt = new Uint8Array(32).fill(9);
    const certHash = contentHash(certSalt, utf8(certDoc));
    const prescription = repeat(0xd1);
    const now = Date.now();

    log("anchoring a record, issuing a certificate and a prescription, setting the emergency card, consenting");
    await round(client, [
      [
        "anchor the record",
        device,
        api.tx.Records.anchor({
          patient: patient.address,
          record_id: utf8(recordId),
          category: Enum("Laboratory"),
          content_hash: contentHash(recordSalt, utf8(recordDoc)),
          size: BigInt(utf8(recordDoc).length),
          format: Enum("FhirJson"),
        }),
      ],
      [
        "issue the certificate",
        physician,
        api.tx.Certificates.issue({
          subject: patient.address,
          document_hash: certHash,
          kind: Enum("Vaccination"),
          valid_from_ms: BigInt(now - 86_400_000),
          valid_until_ms: BigInt(now + 365 * 86_400_000),
        }),
      ],
      [
        "issue the prescription",
        physician,
        api.tx.Prescriptions.issue({ hash: prescription, patient: patient.address, pharmacy: pharmacy, fills: 1, valid_until: undefined, substitution: true }),
      ],
      ["set the emergency card", patient, api.tx.Consent.set_emergency_card({ patient: patient.address, card_key: card.address })],
      [
        "consent to the clinic",
        patient,
        api.tx.Consent.grant({
          patient: patient.address,
          grantee: clinic,
          categories: [Enum("Laboratory")],
          records: [],
          purposes: [Enum("Treatment")],
          valid_from: undefined,
          valid_until: (await client.getFinalizedBlock()).number + 14_400,
          custodian: undefined,
        }),
      ],
    ]);

    log("claiming the prescription, opening an emergency access, logging a shown certificate, releasing the record");
    const genesis = (await client._request<Hex>("chain_getBlockHash", [0])) as Hex;
    const signature = card.sign(cardPayload(genesis, hospital, patient.publicKey, physician.publicKey));
    await round(client, [
      ["claim the prescription", pharmacist, api.tx.Prescriptions.claim({ hash: prescription })],
      [
        "open an emergency access",
        physician,
        api.tx.Consent.open_emergency_access({ patient: patient.address, reason_commitment: repeat(0x33), card_signature: Enum("Sr25519", hex(signature)) }),
      ],
      ["log showing the certificate", patient, api.tx.Certificates.log_verification({ document_hash: certHash, verifier: repeat(0x44) })],
      [
        "release the record to the clinic",
        device,
        api.tx.Consent.log_release({ patient: patient.address, recipient: clinic, record_id: utf8(recordId), purpose: Enum("Treatment") }),
      ],
    ]);
    log("dispensing the prescription");
    await round(client, [["dispense", pharmacist, api.tx.Prescriptions.dispense({ hash: prescription, dispense_hash: repeat(0xe0) })]]);

    return {
      hospital,
      pharmacy,
      clinic,
      patient: patient.address,
      record: { custodian: hospital, recordId, salt: hex(recordSalt), document: recordDoc },
      certificate: { salt: hex(certSalt), document: certDoc },
    };
  } finally {
    client.destroy();
  }
}
