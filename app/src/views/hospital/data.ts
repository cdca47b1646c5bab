// What the hospital portal reads from the chain, in the shapes its views use: the institutions,
// exchange requests from the RPC and from storage (one `ExchangeRow`), and the administration
// data (devices, practitioners, prices). Split from index.ts (the view).

import type { Chain } from "../../chain";
import type { Category, ExchangeRequestView, Purpose } from "../../rpc-types";
import { recordIdText, statusFromJson, type ExchangeStatus } from "../../words";
import type { Clock } from "../common";

/** Request ids read from storage per step, newest first. */
export const SCAN_STEP = 50;

export type Kind = "Hospital" | "Clinic" | "Pharmacy" | "Insurer" | "RelayOperator";
export type InstStatus = "Active" | "Suspended" | "Removed";

export interface InstitutionEntry {
  id: number;
  name: string;
  kind: Kind;
  status: InstStatus;
  admin: string;
  admittedAt: number;
}

/** An exchange request in one shape, from the RPC or from storage. */
export interface ExchangeRow {
  id: number;
  requester: number;
  custodian: number;
  patient: string;
  records: string[];
  categories: Category[];
  purpose: Purpose;
  fee: bigint;
  relaySharePerMille: number;
  requestedAt: number;
  deadline: number;
  status: ExchangeStatus;
}

export interface Admin {
  devices: Array<{ account: string; addedAt: number; key: string | null }>;
  practitioners: Array<{ account: string; role: "Physician" | "Nurse" | "Pharmacist"; addedAt: number }>;
  prices: Array<[Category, bigint]>;
  waiting: { prices: Array<[Category, bigint]>; from: number } | null;
  defaultFee: bigint;
  /** Blocks before a new price list is in force; most prices in a list. */
  priceDelay: number;
  maxPrices: number;
  /** Blocks a patient has to confirm a registration. */
  registrationExpiry: number;
}

export interface Portal {
  institution: InstitutionEntry;
  pending: { items: ExchangeRow[]; total: number; page: number; pageSize: number };
  /** Requests read from storage that concern this institution (as requester or custodian). */
  scanned: ExchangeRow[];
  /** The next id to read going back (exclusive upper bound); 0 when all were read. */
  scanBelow: number;
  /** Requests made on the chain so far. */
  requestCount: number;
  admin: Admin;
  names: Map<number, string | null>;
  clock: Clock | null;
  ss58: number;
}

const enumType = <T extends string>(e: { type: string }) => e.type as T;
const decodeName = (bytes: Uint8Array | { asBytes(): Uint8Array }) =>
  new TextDecoder().decode(bytes instanceof Uint8Array ? bytes : bytes.asBytes());
const hexOf = (bytes: Uint8Array) => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}` as const;

export function fromRpc(r: ExchangeRequestView): ExchangeRow {
  return {
    id: r.id,
    requester: r.requester,
    custodian: r.custodian,
    patient: r.patient,
    records: r.records.map(recordIdText),
    categories: r.categories,
    purpose: r.purpose,
    fee: BigInt(r.fee),
    relaySharePerMille: r.relaySharePerMille,
    requestedAt: r.requestedAt,
    deadline: r.deadline,
    status: statusFromJson(r.status),
  };
}

type Stored = NonNullable<Awaited<ReturnType<Chain["api"]["query"]["Exchange"]["Requests"]["getValue"]>>>;

function statusFromStorage(s: Stored["status"]): ExchangeStatus {
  switch (s.type) {
    case "Requested":
      return { state: "requested" };
    case "Delivered":
      return { state: "delivered", disputeUntil: s.value.dispute_until };
    case "Disputed":
      return { state: "disputed", reason: s.value.reason.type, at: s.value.at };
    case "Completed":
      return { state: "completed", at: s.value.at, automatic: s.value.automatic };
    case "Refunded": {
      const c = s.value.cause;
      return c.type === "ConsentWithdrawn"
        ? { state: "refunded", at: s.value.at, cause: "consentWithdrawn", consentReason: c.value.type }
        : {
            state: "refunded",
            at: s.value.at,
            cause: c.type === "Expired" ? "expired" : c.type === "Declined" ? "declined" : "disputeUpheld",
          };
    }
  }
}

export function fromStorage(id: number, r: Stored): ExchangeRow {
  return {
    id,
    requester: r.requester,
    custodian: r.custodian,
    patient: r.patient,
    records: r.items.records.map((b) => recordIdText(hexOf(b))),
    categories: r.items.categories.map((c) => c.type as Category),
    purpose: r.purpose.type as Purpose,
    fee: r.fee,
    relaySharePerMille: r.relay_share_per_mille,
    requestedAt: r.requested_at,
    deadline: r.deadline,
    status: statusFromStorage(r.status),
  };
}

export async function listInstitutions(chain: Chain): Promise<InstitutionEntry[]> {
  const entries = await chain.api.query.Institutions.Institutions.getEntries({ at: "best" });
  return entries
    .map(({ keyArgs: [id], value }) => ({
      id,
      name: decodeName(value.name),
      kind: enumType<Kind>(value.kind),
      status: enumType<InstStatus>(value.status),
      admin: value.admin,
      admittedAt: value.admitted_at,
    }))
    .sort((a, b) => a.id - b.id);
}

export async function readAdmin(chain: Chain, id: number): Promise<Admin> {
  const [devices, practitioners, prices, waiting, params, maxPrices, registrationExpiry] = await Promise.all([
    chain.api.query.Institutions.Devices.getEntries({ at: "best" }),
    chain.api.query.Institutions.Practitioners.getEntries({ at: "best" }),
    chain.api.query.Exchange.Prices.getValue(id, { at: "best" }),
    chain.api.query.Exchange.PendingPrices.getValue(id, { at: "best" }),
    chain.api.query.Exchange.Params.getValue({ at: "best" }),
    chain.api.constants.Exchange.MaxPrices(),
    chain.api.constants.Institutions.RegistrationExpiry(),
  ]);
  const list = (p: Array<[{ type: string }, bigint]>) => p.map(([c, fee]) => [c.type as Category, fee] as [Category, bigint]);
  return {
    devices: devices
      .filter((d) => d.value.institution === id)
      .map((d) => ({ account: d.keyArgs[0], addedAt: d.value.added_at, key: d.value.encryption_key ?? null }))
      .sort((a, b) => a.addedAt - b.addedAt),
    practitioners: practitioners
      .filter((p) => p.value.institution === id)
      .map((p) => ({ account: p.keyArgs[0], role: p.value.role.type, addedAt: p.value.added_at }))
      .sort((a, b) => a.addedAt - b.addedAt),
    prices: list(prices),
    waiting: waiting ? { prices: list(waiting.prices), from: waiting.effective_from } : null,
    defaultFee: params.default_fee,
    priceDelay: params.price_change_delay,
    maxPrices,
    registrationExpiry,
  };
}

/** Reads `SCAN_STEP` more request ids going back, keeping those that concern the institution. */
export async function scanOlder(chain: Chain, portal: Portal): Promise<void> {
  const top = portal.scanBelow;
  const bottom = Math.max(0, top - SCAN_STEP);
  const ids: number[] = [];
  for (let id = top - 1; id >= bottom; id--) ids.push(id);
  const values = ids.length ? await chain.api.query.Exchange.Requests.getValues(ids.map((id) => [BigInt(id)]), { at: "best" }) : [];
  const us = portal.institution.id;
  values.forEach((v, i) => {
    if (v && (v.requester === us || v.custodian === us)) portal.scanned.push(fromStorage(ids[i], v));
  });
  portal.scanBelow = bottom;
}
