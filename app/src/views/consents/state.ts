// The signing screen's state (#/consents): what was read from the chain, the secret-phrase form,
// the consent draft and the transaction under way; the screen's re-render, and the small
// helpers its parts share.

import type { Chain } from "../../chain";
import { blockToMs, type Draft, type FieldName } from "../../consent";
import { h } from "../../dom";
import { t } from "../../i18n";
import type { Category, Purpose, SubjectCertificate } from "../../rpc-types";
import type { Progress } from "../../tx";
import type { WardReading } from "../../wards";
import { chainClock, formatDateTime, type Problem } from "../common";
import type { Message } from "../progress";

export type { Message };

export interface Institution {
  id: number;
  name: string;
  kind: string;
  active: boolean;
}

export interface Mine {
  custodian: number;
  address: string;
  registered: boolean;
  pending: { expiresAt: number; guardian: string | undefined } | null;
}

/** A ward of this guardian (wards.ts): its pseudonym and this browser's guardian key for it, as addresses; what the chain says of it. */
export type WardRow = WardReading;

export interface ConsentRow {
  id: number;
  grantee: number;
  categories: Category[];
  records: Array<[number, string]>;
  purposes: Purpose[];
  validFrom: number;
  validUntil: number;
  revokedFrom: number | undefined;
}

export interface PatientRecord {
  custodian: number;
  recordId: string;
  category: Category;
}

export interface Data {
  genesis: string;
  ss58: number;
  institutions: Institution[];
  mine: Mine[];
  wards: WardRow[];
  /** The pseudonym acted for (its address): one of `mine`, or a ward registered with this guardian (acting.ts). */
  acting: string | null;
  consents: ConsentRow[];
  records: PatientRecord[];
  allowance: [number, number];
  /** The acting pseudonym's deny provisions (`Consent.DenyProvisions`), in the chain's order. */
  deny: Category[];
  /** Certificates issued to the acting pseudonym (`certificates_ofSubject`, first page). */
  certificates: SubjectCertificate[];
  params: { maxDuration: number; patientAllowance: number; allowancePeriod: number };
}

type KeysMode = "idle" | "create" | "import";

export interface State {
  mode: KeysMode;
  phrase: string; // the new phrase shown once, or the phrase being imported
  written: boolean;
  pass: string;
  pass2: string;
  busy: boolean;
  keysErrors: Partial<Record<"phrase" | "pass" | "pass2" | "written" | "unlock", Message>>;
  keysNote: Message | null;
  forgetArmed: boolean;
  data: Data | null;
  loading: boolean;
  problem: Problem | null;
  draft: Draft;
  errors: Partial<Record<FieldName, Message>>;
  tx: { what: Message; progress: Progress } | null;
  /** The "never share" boxes as ticked (null: as on chain). */
  denyDraft: Category[] | null;
  /** Why a save of "never share" was refused before signing. */
  denyNote: Message | null;
  /** The "to whom" fields of the certificates card, by document hash. */
  shownTo: Record<string, string>;
  /** Why logging a showing was refused before signing. */
  shownNote: Message | null;
}

export const emptyDraft = (): Draft => ({ recipient: null, categories: [], records: [], purposes: [], until: "", from: "" });

export const state: State = {
  mode: "idle",
  phrase: "",
  written: false,
  pass: "",
  pass2: "",
  busy: false,
  keysErrors: {},
  keysNote: null,
  forgetArmed: false,
  data: null,
  loading: false,
  problem: null,
  draft: emptyDraft(),
  errors: {},
  tx: null,
  denyDraft: null,
  denyNote: null,
  shownTo: {},
  shownNote: null,
};

/** Where the screen stands: its re-render, the node shown and the one read, whether a secret is stored. */
export const screen: {
  render: () => void;
  chain: Chain | null;
  loadedFor: Chain | null;
  /** Whether a secret is stored (null: not known yet). */
  vaultKnown: boolean | null;
} = { render: () => {}, chain: null, loadedFor: null, vaultKnown: null };

/** Re-renders the app, keeping the focus on the control that had it (data arrive any time). */
export function rerenderApp(): void {
  const id = document.activeElement?.id;
  screen.render();
  if (id && document.activeElement?.id !== id) document.getElementById(id)?.focus({ preventScroll: true });
}

export function institutionName(data: Data, id: number): string {
  const inst = data.institutions.find((i) => i.id === id);
  return inst ? t("institution.named", { name: inst.name, id }) : t("institution.numbered", { id });
}

export function timeOf(chain: Chain, block: number): string {
  const clock = chainClock(chain);
  return clock ? formatDateTime(blockToMs(block, clock)) : `#${block}`;
}

/** A field's error line. */
export function message(m: Message | undefined | null, id: string): HTMLElement | null {
  return m ? h("p", { class: "field-error", id }, t(m.key, m.params)) : null;
}

/** aria-describedby of a control: its help and, when invalid, its error. */
export function describedBy(...ids: Array<string | null | false | undefined>): string | null {
  const list = ids.filter(Boolean) as string[];
  return list.length ? list.join(" ") : null;
}
