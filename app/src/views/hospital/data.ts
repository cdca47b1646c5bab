// What the hospital portal reads from the chain, in the shapes its views use: the institutions,
// exchange requests from the RPC (`ExchangeRow`), and the administration data (devices,
// practitioners, prices). Split from index.ts (the view).

import type { Chain } from "../../chain";
import type { Category, ExchangeRequestView, Purpose } from "../../rpc-types";
import { recordIdText, statusFromJson, type ExchangeStatus } from "../../words";
import type { Clock } from "../common";
import type { WaitingList } from "./waiting";

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

/** An exchange request as the portal shows it (from `exchange_pending`, `exchange_ofInstitution`). */
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
  /** The requests this institution is a party to (as requester or custodian), newest first,
   * as read so far (`exchange_ofInstitution`, a page at a time). */
  requests: ExchangeRow[];
  /** Pages of `exchange_ofInstitution` read so far. */
  requestPages: number;
  /** Requests this institution is a party to, in all. */
  requestTotal: number;
  /** Its registrations waiting for confirmation (hospitals and clinics; null for the others). */
  waiting: WaitingList | null;
  admin: Admin;
  names: Map<number, string | null>;
  clock: Clock | null;
  ss58: number;
}

const enumType = <T extends string>(e: { type: string }) => e.type as T;
const decodeName = (bytes: Uint8Array | { asBytes(): Uint8Array }) =>
  new TextDecoder().decode(bytes instanceof Uint8Array ? bytes : bytes.asBytes());

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

/** Reads the next page of the requests the institution is a party to
 * (`exchange_ofInstitution`, newest first). A request made since the last page shifts the pages
 * by one: a request already listed is not listed twice. */
export async function readOlder(chain: Chain, portal: Portal): Promise<void> {
  const a = await chain.rpc("exchange_ofInstitution", [portal.institution.id, portal.requestPages]);
  const listed = new Set(portal.requests.map((r) => r.id));
  for (const r of a.requests) if (!listed.has(r.id)) portal.requests.push(fromRpc(r));
  portal.requestPages = a.page + 1;
  portal.requestTotal = a.total;
}

/** Whether older requests than those listed remain to be read. */
export function olderRemain(portal: Portal): boolean {
  return portal.requests.length < portal.requestTotal;
}
