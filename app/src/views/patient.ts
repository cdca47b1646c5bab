// Patient portal, read-only: one history across hospitals. A patient holds one pseudonym per
// hospital (docs/privacy.md); the view takes several and merges, per pseudonym: the records each
// custodian anchored (`records_ofPatient`), the disclosure log as one timeline, the certificates
// and the prescriptions. Lists that the node pages have a "more" button. While results are
// shown, emergency accesses opened on a shown pseudonym are announced as soon as their event is
// in a best block, and the timeline is read again.

import { getSs58AddressInfo } from "polkadot-api";
import type { Chain } from "../chain";
import { fill, h } from "../dom";
import { getLang, t, template, type Key } from "../i18n";
import { shownName } from "../shown";
import type {
  Category,
  Disclosure,
  PatientPrescription,
  PatientRecord,
  SubjectCertificate,
} from "../rpc-types";
import {
  accountKey,
  certificateState,
  certificateTone,
  disclosureWords,
  emergencyAnnouncements,
  PRESCRIPTION_TONE,
  recordIdText,
  type EmergencyAnnouncement,
  type Tone,
} from "../words";
import {
  blockTime,
  blockWhen,
  chainClock,
  field,
  formatDate,
  institutionLabel,
  moreButton,
  problemBox,
  problemOf,
  resolveNames,
  shortAddress,
  type Clock,
  type Problem,
} from "./common";
import { neverSharedLine, readNeverShared } from "./never-shared";

interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

interface Log {
  entries: Array<[number, Disclosure]>;
  kept: Array<[number, Disclosure]>;
  /** Entries the chain keeps for this pseudonym. */
  count: number;
  page: number;
  pageSize: number;
}

interface Pseudonym {
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

interface Loaded {
  pseudonyms: Pseudonym[];
  names: Map<number, string | null>;
  clock: Clock | null;
  /** The best block when read: events of later blocks are new. */
  readAt: number;
}

interface Alert extends EmergencyAnnouncement {
  id: number;
}

type ListName = "records" | "log" | "certs" | "rx";

interface State {
  addresses: string[];
  busy: boolean;
  /** The "more" button whose page is being read. */
  more: string | null;
  loaded: Loaded | null;
  problem: Problem | null;
  alerts: Alert[];
}

const state: State = { addresses: [""], busy: false, more: null, loaded: null, problem: null, alerts: [] };

/** A valid SS58 account address (32-byte public key). */
export function isAccountAddress(address: string): boolean {
  const info = getSs58AddressInfo(address.trim());
  return info.isValid && info.publicKey.length === 32;
}

/** The id of the n-th address field (0-based): the first keeps `patient-address`. */
const inputId = (i: number) => (i === 0 ? "patient-address" : `patient-address-${i + 1}`);

const hasMore = (p: { total: number; page: number; pageSize: number }) => (p.page + 1) * p.pageSize < p.total;

function capitalise(s: string): string {
  return getLang() === "en" && s ? s[0].toUpperCase() + s.slice(1) : s;
}

export function patientView(chain: Chain, rerender: () => void): HTMLElement {
  ensureWatch(chain, rerender);
  const rows = state.addresses.map((address, i) => {
    const input = h("input", { type: "text", value: address, autocomplete: "off", spellcheck: "false", class: "mono" });
    input.addEventListener("input", () => (state.addresses[i] = input.value));
    const label = i === 0 ? t("patient.address") : t("patient.addressN", { n: i + 1 });
    return h(
      "div",
      { class: "address-row" },
      field(inputId(i), label, i === 0 ? t("patient.address.help") : null, input),
      i === 0
        ? null
        : h(
            "button",
            {
              type: "button",
              class: "remove",
              id: `patient-remove-${i + 1}`,
              "aria-label": t("patient.remove.label", { n: i + 1 }),
              onclick: () => {
                state.addresses.splice(i, 1);
                rerender();
                document.getElementById("patient-add")?.focus();
              },
            },
            t("patient.remove"),
          ),
    );
  });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    rows,
    h("p", { class: "help", id: "patient-add-help" }, t("patient.add.help")),
    h(
      "div",
      { class: "buttons" },
      h(
        "button",
        {
          type: "button",
          id: "patient-add",
          "aria-describedby": "patient-add-help",
          onclick: () => {
            state.addresses.push("");
            rerender();
            document.getElementById(inputId(state.addresses.length - 1))?.focus();
          },
        },
        t("patient.add"),
      ),
      h(
        "button",
        { type: "submit", class: "primary", id: "patient-submit", disabled: state.busy },
        state.busy ? t("patient.busy") : t("patient.submit"),
      ),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load(chain, rerender);
  });
  return h(
    "section",
    { class: "view", "aria-labelledby": "patient-title" },
    h("h2", { id: "patient-title" }, t("patient.title")),
    h("p", { class: "intro" }, t("patient.intro")),
    form,
    h("div", { id: "patient-live" }, liveContent(chain, rerender)),
    h("div", { id: "patient-result", class: "result-area", "aria-live": "polite" }, resultContent(chain, rerender)),
  );
}

function resultContent(chain: Chain, rerender: () => void): Array<Node | null> {
  return [
    state.problem ? problemBox(state.problem) : null,
    state.loaded ? loadedView(state.loaded, chain, rerender) : null,
  ];
}

/** Redraws the live banners and the results in place (the form keeps its focus and input). */
function redrawResults(chain: Chain, rerender: () => void): void {
  const live = document.getElementById("patient-live");
  const result = document.getElementById("patient-result");
  if (!live || !result) return;
  live.replaceChildren(...liveContent(chain, rerender));
  result.replaceChildren(...resultContent(chain, rerender).filter((n): n is Node => n !== null));
}

async function readPseudonym(chain: Chain, address: string): Promise<Pseudonym> {
  const [records, log, certs, rx, patient, deny] = await Promise.all([
    chain.rpc("records_ofPatient", [address, 0]),
    chain.rpc("consent_disclosures", [address, 0]),
    chain.rpc("certificates_ofSubject", [address, 0]),
    chain.rpc("prescriptions_ofPatient", [address, 0]),
    chain.api.query.Institutions.Patients.getValue(address, { at: "best" }).catch(() => undefined),
    readNeverShared(chain, address),
  ]);
  return {
    address,
    custodian: patient ? patient.custodian : null,
    records: { items: records.records, total: records.total, page: records.page, pageSize: records.pageSize },
    log: {
      entries: log.entries,
      kept: log.keptEmergency,
      count: log.log.next - log.log.first,
      page: log.page,
      pageSize: log.pageSize,
    },
    certs: { items: certs.certificates, total: certs.total, page: certs.page, pageSize: certs.pageSize },
    rx: { items: rx.prescriptions, total: rx.total, page: rx.page, pageSize: rx.pageSize },
    deny,
  };
}

function institutionsOf(p: Pseudonym): number[] {
  const ids: number[] = [];
  if (p.custodian !== null) ids.push(p.custodian);
  for (const r of p.records.items) ids.push(r.custodian);
  for (const [, e] of [...p.log.entries, ...p.log.kept]) {
    ids.push(e.recipient);
    if (e.custodian !== null) ids.push(e.custodian);
  }
  for (const c of p.certs.items) ids.push(c.institution);
  for (const rx of p.rx.items) {
    ids.push(rx.institution);
    if (rx.pharmacy !== null) ids.push(rx.pharmacy);
  }
  return ids;
}

/** Adds the names of institutions not named yet. */
async function nameAll(chain: Chain, loaded: Loaded, extra: number[] = []): Promise<void> {
  const ids = [...loaded.pseudonyms.flatMap(institutionsOf), ...extra].filter((id) => !loaded.names.has(id));
  for (const [id, name] of await resolveNames(chain, ids)) loaded.names.set(id, name);
}

async function load(chain: Chain, rerender: () => void): Promise<void> {
  if (state.busy) return;
  state.loaded = null;
  state.alerts = [];
  seen.clear();
  const given = state.addresses.map((a) => a.trim());
  const bad = given.findIndex((a, i) => (a !== "" || i === 0) && !isAccountAddress(a));
  if (bad >= 0) {
    state.problem =
      given.length > 1 ? { key: "patient.addressRow", params: { n: bad + 1, error: t("error.address") } } : { key: "error.address" };
    rerender();
    document.getElementById(inputId(bad))?.focus();
    return;
  }
  // Empty extra rows are ignored; the same key given twice is read once.
  const keys = new Set<string>();
  const addresses = given.filter((a) => {
    const key = a === "" ? null : accountKey(a);
    if (key === null || keys.has(key)) return false;
    keys.add(key);
    return true;
  });
  state.problem = null;
  state.busy = true;
  rerender();
  try {
    const pseudonyms = await Promise.all(addresses.map((a) => readPseudonym(chain, a)));
    const loaded: Loaded = { pseudonyms, names: new Map(), clock: chainClock(chain), readAt: chain.current.best ?? 0 };
    await nameAll(chain, loaded);
    // What the timeline already shows is not news.
    for (const p of pseudonyms) for (const [, e] of [...p.log.entries, ...p.log.kept]) markSeen(e);
    state.loaded = loaded;
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.busy = false;
    rerender();
  }
}

/** Reads the next page of one pseudonym's list and appends it. */
async function loadMore(chain: Chain, rerender: () => void, index: number, list: ListName, button: string): Promise<void> {
  const loaded = state.loaded;
  if (!loaded || state.more) return;
  const p = loaded.pseudonyms[index];
  state.more = button;
  redrawResults(chain, rerender);
  try {
    if (list === "records") {
      const a = await chain.rpc("records_ofPatient", [p.address, p.records.page + 1]);
      p.records = { items: [...p.records.items, ...a.records], total: a.total, page: a.page, pageSize: a.pageSize };
    } else if (list === "log") {
      const a = await chain.rpc("consent_disclosures", [p.address, p.log.page + 1]);
      p.log = { ...p.log, entries: [...p.log.entries, ...a.entries], count: a.log.next - a.log.first, page: a.page };
    } else if (list === "certs") {
      const a = await chain.rpc("certificates_ofSubject", [p.address, p.certs.page + 1]);
      p.certs = { items: [...p.certs.items, ...a.certificates], total: a.total, page: a.page, pageSize: a.pageSize };
    } else {
      const a = await chain.rpc("prescriptions_ofPatient", [p.address, p.rx.page + 1]);
      p.rx = { items: [...p.rx.items, ...a.prescriptions], total: a.total, page: a.page, pageSize: a.pageSize };
    }
    await nameAll(chain, loaded);
    state.problem = null;
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.more = null;
    if (state.loaded === loaded) redrawResults(chain, rerender);
    document.getElementById(button)?.focus();
  }
}

// --- Emergency accesses announced live ---

let watch: { chain: Chain; stop: () => void } | null = null;
/** Emergency accesses already shown or announced (by access id). */
const seen = new Set<string>();
let nextAlert = 1;

function markSeen(e: Disclosure): void {
  if (typeof e.basis === "object" && "emergency" in e.basis) seen.add(String(e.basis.emergency));
}

/** Stops watching the chain's events (when leaving the view or changing the node). */
export function stopPatientWatch(): void {
  watch?.stop();
  watch = null;
}

function ensureWatch(chain: Chain, rerender: () => void): void {
  if (!state.loaded) {
    stopPatientWatch();
    return;
  }
  if (watch?.chain === chain) return;
  stopPatientWatch();
  const sub = chain.api.event.Consent.EmergencyAccessOpened.watchBest().subscribe({
    next: ({ type, block, events }) => {
      const loaded = state.loaded;
      if (type !== "new" || !loaded || block.number <= loaded.readAt) return;
      const found = emergencyAnnouncements(
        events.map((e) => ({
          access: e.payload.access,
          patient: e.payload.patient,
          institution: e.payload.institution,
          expiresAt: e.payload.expires_at,
          block: block.number,
        })),
        loaded.pseudonyms.map((p) => p.address),
        seen,
      );
      if (found.length) void announce(chain, rerender, loaded, found);
    },
    error: (e: unknown) => console.warn("emergency access events", e),
  });
  watch = { chain, stop: () => sub.unsubscribe() };
}

async function announce(chain: Chain, rerender: () => void, loaded: Loaded, found: EmergencyAnnouncement[]): Promise<void> {
  await nameAll(chain, loaded, found.map((a) => a.institution)).catch(() => undefined);
  loaded.clock = chainClock(chain) ?? loaded.clock;
  state.alerts = [...found.map((a) => ({ ...a, id: nextAlert++ })), ...state.alerts];
  redrawResults(chain, rerender);
  // The timeline read again: the access is in the pseudonym's log from the same block.
  await Promise.all(
    [...new Set(found.map((a) => a.pseudonym - 1))].map(async (i) => {
      const p = loaded.pseudonyms[i];
      try {
        const a = await chain.rpc("consent_disclosures", [p.address, 0]);
        p.log = { entries: a.entries, kept: a.keptEmergency, count: a.log.next - a.log.first, page: 0, pageSize: a.pageSize };
        for (const [, e] of [...a.entries, ...a.keptEmergency]) markSeen(e);
      } catch (e) {
        console.warn("reading the log again", e);
      }
    }),
  );
  await nameAll(chain, loaded).catch(() => undefined);
  if (state.loaded === loaded) redrawResults(chain, rerender);
}

function liveContent(chain: Chain, rerender: () => void): Node[] {
  const loaded = state.loaded;
  if (!loaded) return [];
  return state.alerts.map((a) =>
    h(
      "div",
      { class: "result tone-bad live-alert", role: "alert", "data-access": a.access },
      h(
        "p",
        { class: "result-title" },
        t(a.key, {
          institution: institutionLabel(a.institution, loaded.names),
          time: blockTime(a.block, loaded.clock),
          block: a.block,
          n: a.pseudonym,
        }),
      ),
      h("p", {}, t("live.emergency.until", { block: a.until, time: blockTime(a.until, loaded.clock) })),
      h(
        "button",
        {
          type: "button",
          id: `patient-live-dismiss-${a.id}`,
          onclick: () => {
            state.alerts = state.alerts.filter((x) => x.id !== a.id);
            redrawResults(chain, rerender);
            document.getElementById("patient-submit")?.focus();
          },
        },
        t("live.dismiss"),
      ),
    ),
  );
}

// --- The results ---

function pseudonymChip(index: number, loaded: Loaded): HTMLElement | null {
  if (loaded.pseudonyms.length < 2) return null;
  return h("span", { class: "chip chip-pseudonym" }, t("patient.pseudonymChip", { n: index + 1 }));
}

function entryView(pseudonym: number, index: number, entry: Disclosure, loaded: Loaded): HTMLElement {
  const w = disclosureWords(entry, shownName(entry.recordId, entry.basis));
  const name = (id: number) => h("strong", {}, institutionLabel(id, loaded.names));
  const sentence = fill(template(w.sentence), {
    custodian: entry.custodian === null ? null : name(entry.custodian),
    recipient: name(entry.recipient),
    category: t(`category.${entry.category}` as Key),
    purpose: t(`purpose.${entry.purpose}` as Key),
  });
  return h(
    "li",
    {
      class: `event${w.emergency ? " emergency" : ""}`,
      "data-kind": w.kind,
      "data-index": index,
      "data-pseudonym": pseudonym + 1,
    },
    h("p", { class: "event-when" }, h("time", {}, blockWhen(entry.at, loaded.clock)), " ", pseudonymChip(pseudonym, loaded)),
    h("p", { class: "event-what" }, sentence),
    h(
      "p",
      { class: "event-basis" },
      `${t("basis.label")}: `,
      h("span", { class: `chip${w.emergency ? " chip-emergency" : ""}` }, t(w.basis, w.basisParams)),
    ),
  );
}

/** Entries of every pseudonym, newest first. */
function merged(loaded: Loaded, pick: (p: Pseudonym) => Array<[number, Disclosure]>): Array<[number, number, Disclosure]> {
  return loaded.pseudonyms
    .flatMap((p, pi) => pick(p).map(([i, e]) => [pi, i, e] as [number, number, Disclosure]))
    .sort((a, b) => b[2].at - a[2].at || a[0] - b[0] || b[1] - a[1]);
}

/** "More" buttons of one list, one per pseudonym that has more. */
function moreButtons(
  chain: Chain,
  rerender: () => void,
  loaded: Loaded,
  list: ListName,
  paging: (p: Pseudonym) => { total: number; page: number; pageSize: number },
): HTMLElement[] {
  return loaded.pseudonyms.flatMap((p, i) => {
    if (!hasMore(paging(p))) return [];
    const id = `patient-${list}-more-${i + 1}`;
    const label = loaded.pseudonyms.length > 1 ? t(`more.${list}.of` as Key, { n: i + 1 }) : t(`more.${list}` as Key);
    return [moreButton(id, label, state.more === id, () => void loadMore(chain, rerender, i, list, id))];
  });
}

const RECORD_TONE: Record<PatientRecord["status"], Tone> = { Active: "ok", Retracted: "warn", Erased: "bad" };

function pseudonymsView(loaded: Loaded): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "pseudonyms-title", id: "patient-pseudonyms" },
    h("h3", { id: "pseudonyms-title" }, t("patient.pseudonyms.title")),
    h(
      "ul",
      { class: "plain" },
      loaded.pseudonyms.map((p, i) =>
        h(
          "li",
          {},
          t("patient.pseudonym.line", {
            n: i + 1,
            custodian: p.custodian === null ? t("patient.pseudonym.unregistered") : institutionLabel(p.custodian, loaded.names),
          }),
          " ",
          h("code", { class: "hash", title: p.address }, shortAddress(p.address)),
          neverSharedLine(p.deny, i + 1),
        ),
      ),
    ),
  );
}

function recordsView(chain: Chain, rerender: () => void, loaded: Loaded): HTMLElement {
  const groups = new Map<number, Array<[number, PatientRecord]>>();
  loaded.pseudonyms.forEach((p, pi) => {
    for (const r of p.records.items) {
      const group = groups.get(r.custodian) ?? [];
      group.push([pi, r]);
      groups.set(r.custodian, group);
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "records-title", id: "patient-records" },
    h("h3", { id: "records-title" }, t("patient.records.title")),
    groups.size === 0
      ? h("p", { class: "empty" }, t("patient.records.empty"))
      : [...groups].map(([custodian, records]) =>
          h(
            "section",
            { class: "custodian", "data-custodian": custodian, "aria-label": t("patient.records.at", { custodian: institutionLabel(custodian, loaded.names) }) },
            h("h4", {}, t("patient.records.at", { custodian: institutionLabel(custodian, loaded.names) })),
            h(
              "ul",
              { class: "items" },
              records.map(([pi, r]) =>
                h(
                  "li",
                  { class: `item tone-${RECORD_TONE[r.status]}`, "data-state": r.status.toLowerCase() },
                  h("p", { class: "item-title" }, capitalise(t(`category.${r.category}` as Key)), " ", pseudonymChip(pi, loaded)),
                  h("p", { class: "item-status" }, t(`records.status.${r.status}` as Key)),
                  h("p", {}, t("records.line", { id: recordIdText(r.recordId), versions: r.currentVersion })),
                ),
              ),
            ),
          ),
        ),
    moreButtons(chain, rerender, loaded, "records", (p) => p.records),
  );
}

function loadedView(loaded: Loaded, chain: Chain, rerender: () => void): HTMLElement {
  const keptEntries = merged(loaded, (p) => p.log.kept);
  const entries = merged(loaded, (p) => p.log.entries);
  const count = loaded.pseudonyms.reduce((n, p) => n + p.log.count, 0);
  const kept = keptEntries.length
    ? h(
        "section",
        { "aria-labelledby": "kept-title" },
        h("h4", { id: "kept-title" }, t("patient.log.kept")),
        h("ol", { class: "timeline" }, keptEntries.map(([p, i, e]) => entryView(p, i, e, loaded))),
      )
    : null;
  const logSection = h(
    "section",
    { class: "card", "aria-labelledby": "log-title", id: "patient-log" },
    h("h3", { id: "log-title" }, t("patient.log.title")),
    entries.length === 0 && keptEntries.length === 0
      ? h("p", { class: "empty" }, t("patient.log.empty"))
      : [
          h("p", { class: "muted" }, t("patient.log.count", { count })),
          kept,
          h("ol", { class: "timeline" }, entries.map(([p, i, e]) => entryView(p, i, e, loaded))),
        ],
    moreButtons(chain, rerender, loaded, "log", (p) => ({ total: p.log.count, page: p.log.page, pageSize: p.log.pageSize })),
  );

  const certs = loaded.pseudonyms.flatMap((p, pi) => p.certs.items.map((c) => [pi, c] as const));
  const certSection = h(
    "section",
    { class: "card", "aria-labelledby": "certs-title", id: "patient-certs" },
    h("h3", { id: "certs-title" }, t("patient.certs.title")),
    certs.length === 0
      ? h("p", { class: "empty" }, t("patient.certs.empty"))
      : h(
          "ul",
          { class: "items" },
          certs.map(([pi, c]) => {
            const st = certificateState(c.validity);
            return h(
              "li",
              { class: `item tone-${certificateTone(st)}`, "data-state": st },
              h(
                "p",
                { class: "item-title" },
                t("cert.line", { kind: t(`kind.${c.kind}` as Key), institution: institutionLabel(c.institution, loaded.names) }),
                " ",
                pseudonymChip(pi, loaded),
              ),
              h("p", { class: "item-status" }, t(`cert.${st}.title` as Key)),
              h(
                "p",
                {},
                c.validUntilMs === null
                  ? t("cert.period.open", { from: formatDate(c.validFromMs) })
                  : t("cert.period.range", { from: formatDate(c.validFromMs), until: formatDate(c.validUntilMs) }),
              ),
            );
          }),
        ),
    moreButtons(chain, rerender, loaded, "certs", (p) => p.certs),
  );

  const rx = loaded.pseudonyms.flatMap((p, pi) => p.rx.items.map((r) => [pi, r] as const));
  const rxSection = h(
    "section",
    { class: "card", "aria-labelledby": "rx-title", id: "patient-rx" },
    h("h3", { id: "rx-title" }, t("patient.rx.title")),
    rx.length === 0
      ? h("p", { class: "empty" }, t("patient.rx.empty"))
      : h(
          "ul",
          { class: "items" },
          rx.map(([pi, p]) =>
            h(
              "li",
              { class: `item tone-${PRESCRIPTION_TONE[p.status]}`, "data-state": p.status },
              h(
                "p",
                { class: "item-title" },
                t("rx.line", {
                  institution: institutionLabel(p.institution, loaded.names),
                  dispensed: p.dispensed,
                  fills: p.fills,
                }),
                " ",
                pseudonymChip(pi, loaded),
              ),
              h("p", { class: "item-status" }, t(`rx.status.${p.status}` as Key)),
              h(
                "p",
                {},
                p.pharmacy === null
                  ? t("rx.anyPharmacy")
                  : t("rx.pharmacy", { pharmacy: institutionLabel(p.pharmacy, loaded.names) }),
                " ",
                p.status === "active" || p.status === "on-hold"
                  ? t("rx.validUntil", { block: p.validUntil, time: blockTime(p.validUntil, loaded.clock) })
                  : null,
              ),
            ),
          ),
        ),
    moreButtons(chain, rerender, loaded, "rx", (p) => p.rx),
  );
  return h(
    "div",
    { class: "patient-results" },
    pseudonymsView(loaded),
    recordsView(chain, rerender, loaded),
    logSection,
    certSection,
    rxSection,
  );
}
