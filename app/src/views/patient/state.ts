// The patient screen's state (#/patient): the addresses typed, what was read for each pseudonym,
// the page being read, the problem to show; and the small helpers its parts share.

import { getSs58AddressInfo } from "polkadot-api";
import type { Chain } from "../../chain";
import { getLang } from "../../i18n";
import type {
  Category,
  Disclosure,
  DisclosuresAnswer,
  PatientPrescription,
  PatientRecord,
  SubjectCertificate,
} from "../../rpc-types";
import { emergencyWatch } from "../../emergency-watch";
import type { Clock, Problem } from "../common";

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Log {
  entries: Array<[number, Disclosure]>;
  kept: Array<[number, Disclosure]>;
  /** Entries the chain keeps for this pseudonym. */
  count: number;
  /** The log's range and hashes when page 0 was read: what the hash chain is checked against. */
  state: DisclosuresAnswer["log"];
  page: number;
  pageSize: number;
}

export interface Pseudonym {
  address: string;
  /** The hospital or clinic that registered it (`Institutions.Patients`), if registered. */
  custodian: number | null;
  records: Paged<PatientRecord>;
  log: Log;
  certs: Paged<SubjectCertificate>;
  rx: Paged<PatientPrescription>;
  /** Categories never shared (deny provisions). */
  deny: Category[];
}

export interface Loaded {
  /** The node it was read from: another node's answers are not shown. */
  chain: Chain;
  pseudonyms: Pseudonym[];
  names: Map<number, string | null>;
  clock: Clock | null;
  /** The best block when read: events of later blocks are new. */
  readAt: number;
}

export type ListName = "records" | "log" | "certs" | "rx";

export interface State {
  addresses: string[];
  busy: boolean;
  /** The "more" button whose page is being read. */
  more: string | null;
  loaded: Loaded | null;
  problem: Problem | null;
}

export const state: State = { addresses: [""], busy: false, more: null, loaded: null, problem: null };

/** The emergency watch follows the shown pseudonyms (numbered as the form numbers them), or none. */
export function watchShown(loaded: Loaded | null): void {
  emergencyWatch.set(
    "patient",
    (loaded?.pseudonyms ?? []).map((p, i) => ({
      address: p.address,
      whose: { from: "patient", n: i + 1, of: loaded!.pseudonyms.length },
      since: loaded!.readAt,
    })),
  );
}

/** An emergency access the timeline shows is not news for the app's emergency watch. */
export function markSeen(e: Disclosure): void {
  if (typeof e.basis === "object" && "emergency" in e.basis) emergencyWatch.markSeen(e.basis.emergency);
}

/** The screen's redraw of its results in place (set by index.ts when the screen is drawn). */
export const screen: { redraw: () => void } = { redraw: () => {} };

/** A valid SS58 account address (32-byte public key). */
export function isAccountAddress(address: string): boolean {
  const info = getSs58AddressInfo(address.trim());
  return info.isValid && info.publicKey.length === 32;
}

/** The id of the n-th address field (0-based): the first keeps `patient-address`. */
export const inputId = (i: number) => (i === 0 ? "patient-address" : `patient-address-${i + 1}`);

export const hasMore = (p: { total: number; page: number; pageSize: number }) => (p.page + 1) * p.pageSize < p.total;

export function capitalise(s: string): string {
  return getLang() === "en" && s ? s[0].toUpperCase() + s.slice(1) : s;
}
