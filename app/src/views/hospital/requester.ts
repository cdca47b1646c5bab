// The requester's side of an exchange, through the institution's own gateway (docs/app.md,
// "Asking through the gateway"), on the institution's page once the gateway panel holds a token
// of a gateway that serves this institution:
//   - "Ask another institution" (#hospital-ask): custodian by name, the patient's pseudonym at
//     that custodian, record ids and/or categories, purpose. The fee is quoted first
//     (`exchange_quote`) and becomes the request's most (`maxFee`), so nothing more can be held;
//     then `POST /exchanges`: the gateway's device signs `Exchange.request`. Refusals in words
//     (the quote's reason, the pallet error's doc line).
//   - "Records received through this gateway" (#hospital-received): for each of our requests
//     the gateway took part in, where it stands at the gateway (`GET /exchanges/{id}`:
//     waiting, received and verified, confirmed, disputed…) and the documents received, each
//     with its provenance. A document can be saved, and checked again here: the browser hashes
//     it with its salt and asks `records_verify` itself (the gateway's own check is not taken
//     on trust). "Ask the gateway again" reads our requests again from the chain, then each
//     one's state at the gateway.

import type { Chain } from "../../chain";
import { CATEGORIES, PURPOSES } from "../../consent";
import { h } from "../../dom";
import {
  GatewayError,
  askExchange,
  gatewayExchange,
  receivedDocument,
  type Asked,
  type GatewayExchange,
  type ReceivedDocument,
} from "../../gateway";
import { contentHash, parseSalt, toHex } from "../../hash";
import { t, type Key } from "../../i18n";
import type { Category, Purpose } from "../../rpc-types";
import { parseAddress, parseRecordIds } from "../../staff";
import { formatAmount, recordVerdict, accountKey, type Verdict } from "../../words";
import { errorDocs, institutionLabel, problemOf, type Problem } from "../common";
import { connectedGateway } from "../gateway-panel";
import type { InstitutionEntry, Portal } from "./data";
import { a, checked, invalidNote, selectField, textField } from "./forms";

const FORM = "ask";

/** What the requester's side keeps between renders (one institution at a time). */
const r: {
  institution: number | null;
  stage: "quoting" | "asking" | null;
  asked: Asked | null;
  problem: Problem | null;
  /** Per request: the gateway's view, `none` (it took no part), or why it could not be read. */
  exchanges: Map<number, GatewayExchange | "none" | "loading" | Problem>;
  /** Per document (`request:index`): the check made in this browser. */
  checks: Map<string, Verdict | Problem | "checking">;
} = { institution: null, stage: null, asked: null, problem: null, exchanges: new Map(), checks: new Map() };

function forget(institution: number): void {
  if (r.institution === institution) return;
  r.institution = institution;
  r.stage = null;
  r.asked = null;
  r.problem = null;
  r.exchanges.clear();
  r.checks.clear();
}

/** Reads the gateway's view of every request again (after our requests were read again). */
export function forgetReceived(): void {
  r.exchanges.clear();
  r.checks.clear();
}

/** The gateway of this tab when it serves `institution`, else null. */
function ourGateway(institution: number): { base: string; token: string } | null {
  const g = connectedGateway();
  return g && g.session.custodian === institution ? g : null;
}

/** The gateway's refusal in words: the chain's `Pallet::Error` becomes its doc line. */
async function refusalWords(chain: Chain, e: GatewayError): Promise<Problem> {
  const named = /refused the request: (\w+)::(\w+)/.exec(e.message);
  if (named) {
    const doc = (await errorDocs(chain).catch(() => new Map<string, string>())).get(`${named[1]}.${named[2]}`);
    return { key: "ask.refused.chain", params: { doc: doc ?? `${named[1]}::${named[2]}` } };
  }
  return { key: e.kind === "refused" ? "gateway.error.refused" : e.kind === "unavailable" ? "gateway.error.unavailable" : "ask.error.gateway", params: { detail: e.message } };
}

/** The quote's refusal (`exchange_quote` error 8203: "no quote: Name: words") in words. */
function quoteWords(e: unknown, chain: Chain): Problem {
  const m = /no quote: \w+: ([^"]+)/.exec(e instanceof Error ? e.message : String(e));
  return m ? { key: "ask.refused.quote", params: { reason: m[1].trim() } } : problemOf(e, chain);
}

async function ask(chain: Chain, rerender: () => void, us: number, ss58: number, reloadRequests: () => Promise<void>): Promise<void> {
  const gateway = ourGateway(us);
  if (!gateway || r.stage) return;
  const categories = CATEGORIES.filter((c) => a.values[`${FORM}-cat-${c}`] === "yes");
  const custodianText = a.values[`${FORM}-custodian`] ?? "";
  const ok = checked<[number, string, string[], Purpose]>(FORM, [
    [`${FORM}-custodian`, /^\d+$/.test(custodianText) ? { ok: true, value: Number(custodianText) } : { ok: false, error: "ask.error.custodian" }],
    [`${FORM}-patient`, parseAddress(a.values[`${FORM}-patient`] ?? "", ss58)],
    [`${FORM}-records`, parseRecordIds(a.values[`${FORM}-records`] ?? "")],
    [`${FORM}-purpose`, { ok: true, value: (a.values[`${FORM}-purpose`] || "Treatment") as Purpose }],
  ]);
  if (ok && ok[2].length === 0 && categories.length === 0) {
    a.errors[`${FORM}-records`] = { key: "ask.error.empty" };
    a.invalid = FORM;
  }
  if (!ok || a.invalid === FORM) {
    rerender();
    document.querySelector<HTMLElement>(`[id^="${FORM}-"][aria-invalid=true]`)?.focus();
    return;
  }
  const [custodian, patient, records, purpose] = ok;
  const key = accountKey(patient);
  if (!key) return;
  r.problem = null;
  r.asked = null;
  r.stage = "quoting";
  rerender();
  let fee: string;
  try {
    const recordsHex = records.map((id) => toHex(new TextEncoder().encode(id)));
    fee = await chain.rpc("exchange_quote", [custodian, patient, recordsHex, categories]);
  } catch (e) {
    r.problem = quoteWords(e, chain);
    r.stage = null;
    rerender();
    document.getElementById("ask-result")?.focus();
    return;
  }
  r.stage = "asking";
  rerender();
  try {
    r.asked = await askExchange(gateway.base, gateway.token, { custodian, patient: `0x${key}`, records, categories: categories as Category[], purpose, maxFee: fee });
    for (const id of [`${FORM}-patient`, `${FORM}-records`]) delete a.values[id];
    for (const c of CATEGORIES) delete a.values[`${FORM}-cat-${c}`];
    await reloadRequests();
  } catch (e) {
    r.problem = e instanceof GatewayError ? await refusalWords(chain, e) : problemOf(e, chain);
  } finally {
    r.stage = null;
    rerender();
    document.getElementById("ask-result")?.focus();
  }
}

function categoryBoxes(): HTMLElement {
  return h(
    "fieldset",
    { class: "field", id: `${FORM}-categories` },
    h("legend", {}, t("ask.categories")),
    CATEGORIES.map((c) => {
      const id = `${FORM}-cat-${c}`;
      const box = h("input", { type: "checkbox", id, checked: a.values[id] === "yes" });
      box.addEventListener("change", () => (a.values[id] = box.checked ? "yes" : ""));
      return h("label", { class: "choice", for: id }, box, t(`category.${c}` as Key));
    }),
  );
}

function askSection(chain: Chain, rerender: () => void, portal: Portal, institutions: InstitutionEntry[], reloadRequests: () => Promise<void>): HTMLElement {
  const us = portal.institution.id;
  const custodians = institutions.filter((i) => i.id !== us && i.status === "Active" && (i.kind === "Hospital" || i.kind === "Clinic"));
  const form = h(
    "form",
    { id: FORM, novalidate: true, class: "action-form", "aria-describedby": `${FORM}-help` },
    h("p", { class: "help", id: `${FORM}-help` }, t("ask.help")),
    selectField(`${FORM}-custodian`, t("ask.custodian"), [["", t("ask.custodian.choose")], ...custodians.map((i) => [String(i.id), t("institution.named", { name: i.name, id: i.id })] as [string, string])]),
    textField(`${FORM}-patient`, t("ask.patient"), t("ask.patient.help"), { mono: true }),
    textField(`${FORM}-records`, t("ask.records"), t("ask.records.help")),
    categoryBoxes(),
    selectField(`${FORM}-purpose`, t("ask.purpose"), PURPOSES.map((p) => [p, t(`purpose.${p}` as Key)] as [string, string])),
    invalidNote(FORM),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${FORM}-submit`, disabled: r.stage !== null }, t("ask.submit"))),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void ask(chain, rerender, us, portal.ss58, reloadRequests);
  });
  const result = h(
    "div",
    { id: "ask-result", tabindex: -1, role: "status", "aria-live": "polite" },
    r.stage ? h("p", { class: "note", "data-state": r.stage }, t(r.stage === "quoting" ? "ask.quoting" : "ask.asking")) : null,
    r.asked
      ? h(
          "p",
          { class: "note ok", "data-state": "asked", "data-request": r.asked.request },
          t("ask.asked", { id: r.asked.request, block: r.asked.block, fee: formatAmount(BigInt(r.asked.fee)), deadline: r.asked.deadline }),
        )
      : null,
    r.problem ? h("p", { class: "note bad", role: "alert", "data-state": "refused" }, t(r.problem.key, r.problem.params)) : null,
  );
  return h(
    "section",
    { class: "card", id: "hospital-ask", "aria-labelledby": "hospital-ask-title" },
    h("h3", { id: "hospital-ask-title" }, t("ask.title")),
    form,
    result,
  );
}

/** The gateway's progress in words. */
function progressWords(x: GatewayExchange): string {
  const p = x.progress;
  switch (p.status) {
    case "requested":
      return t("received.requested", { deadline: x.deadline });
    case "received":
      return t("received.received");
    case "confirmed":
      return t("received.confirmed", { block: p.block ?? "" });
    case "disputed":
      return t("received.disputed", { reason: p.reason ?? "", detail: p.detail ?? "" });
    case "refunded":
      return t("received.refunded", { cause: p.cause ?? "" });
    case "completed":
      return t("received.completed");
    default:
      return p.status;
  }
}

async function readExchange(id: number, gateway: { base: string; token: string }, chain: Chain, rerender: () => void): Promise<void> {
  r.exchanges.set(id, "loading");
  try {
    r.exchanges.set(id, await gatewayExchange(gateway.base, gateway.token, id));
  } catch (e) {
    r.exchanges.set(id, e instanceof GatewayError && e.kind === "notFound" ? "none" : e instanceof GatewayError ? await refusalWords(chain, e) : problemOf(e, chain));
  }
  rerender();
}

function save(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function saveDocument(chain: Chain, rerender: () => void, request: number, doc: ReceivedDocument): Promise<void> {
  const gateway = ourGateway(r.institution ?? -1);
  if (!gateway) return;
  try {
    const got = await receivedDocument(gateway.base, gateway.token, request, doc.index);
    save(got.bytes, `${got.recordId}-v${got.version}`);
  } catch (e) {
    r.checks.set(`${request}:${doc.index}`, e instanceof GatewayError ? await refusalWords(chain, e) : problemOf(e, chain));
    rerender();
  }
}

/** Hashes the document with its salt here and asks the chain itself. */
async function checkDocument(chain: Chain, rerender: () => void, request: number, doc: ReceivedDocument): Promise<void> {
  const gateway = ourGateway(r.institution ?? -1);
  const key = `${request}:${doc.index}`;
  if (!gateway || r.checks.get(key) === "checking") return;
  r.checks.set(key, "checking");
  rerender();
  try {
    const got = await receivedDocument(gateway.base, gateway.token, request, doc.index);
    const salt = parseSalt(got.salt);
    if (!salt) throw new GatewayError("notGateway", "the document's salt is not 32 bytes of hex");
    const hash = await contentHash(salt, got.bytes);
    const answer = await chain.rpc("records_verify", [got.custodian, toHex(new TextEncoder().encode(got.recordId)), hash]);
    r.checks.set(key, recordVerdict(answer, { custodian: got.custodian, recordId: got.recordId }));
  } catch (e) {
    r.checks.set(key, e instanceof GatewayError ? await refusalWords(chain, e) : problemOf(e, chain));
  }
  rerender();
  document.getElementById(`received-${request}-${doc.index}-check`)?.focus();
}

function documentItem(chain: Chain, rerender: () => void, portal: Portal, request: number, doc: ReceivedDocument): HTMLElement {
  const key = `${request}:${doc.index}`;
  const check = r.checks.get(key);
  const base = `received-${request}-${doc.index}`;
  return h(
    "li",
    { class: "item tone-ok", "data-record": doc.recordId, id: base },
    h("p", { class: "item-title" }, t("received.document", { recordId: doc.recordId, version: doc.version, custodian: institutionLabel(doc.custodian, portal.names) })),
    h("p", {}, t("received.documentDetail", { category: t(`category.${doc.category}` as Key), format: doc.format, size: doc.size, block: doc.verifiedAt })),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", id: `${base}-save`, onclick: () => void saveDocument(chain, rerender, request, doc) }, t("received.save")),
      h("button", { type: "button", id: `${base}-check`, disabled: check === "checking", onclick: () => void checkDocument(chain, rerender, request, doc) }, t("received.check")),
    ),
    check === undefined
      ? null
      : check === "checking"
        ? h("p", { class: "note" }, t("received.checking"))
        : "tone" in check
          ? h("p", { class: `note ${check.tone}`, id: `${base}-verdict`, "data-state": check.state }, `${t(check.title, check.params)} ${t(check.body, check.params)}`)
          : h("p", { class: "note bad", role: "alert", id: `${base}-verdict`, "data-state": "error" }, t(check.key, check.params)),
  );
}

function receivedSection(
  chain: Chain,
  rerender: () => void,
  portal: Portal,
  gateway: { base: string; token: string },
  reloadRequests: () => Promise<void>,
): HTMLElement {
  const us = portal.institution.id;
  const ours = portal.requests.filter((x) => x.requester === us);
  for (const x of ours) if (!r.exchanges.has(x.id)) void readExchange(x.id, gateway, chain, rerender);
  const shown = ours.filter((x) => {
    const seen = r.exchanges.get(x.id);
    return seen !== undefined && seen !== "none";
  });
  return h(
    "section",
    { class: "card", id: "hospital-received", "aria-labelledby": "hospital-received-title" },
    h("h3", { id: "hospital-received-title" }, t("received.title")),
    h("p", { class: "help" }, t("received.help")),
    shown.length === 0
      ? h("p", { class: "empty" }, t("received.empty"))
      : h(
          "ul",
          { class: "items" },
          shown.map((x) => {
            const seen = r.exchanges.get(x.id);
            if (seen === "loading" || seen === undefined || seen === "none") {
              return h("li", { class: "item", "data-request": x.id, "data-state": "loading" }, t("received.loading", { id: x.id }));
            }
            if (!("progress" in seen)) {
              return h("li", { class: "item tone-bad", "data-request": x.id, "data-state": "error" }, t(seen.key, seen.params));
            }
            return h(
              "li",
              { class: `item tone-${seen.progress.status === "disputed" ? "bad" : seen.progress.status === "requested" ? "warn" : "ok"}`, "data-request": x.id, "data-state": seen.progress.status },
              h("p", { class: "item-title" }, t("received.request", { id: x.id, custodian: institutionLabel(x.custodian, portal.names) })),
              h("p", { class: "item-status" }, progressWords(seen)),
              seen.problem ? h("p", { class: "note warn" }, t("received.problem", { problem: seen.problem })) : null,
              seen.received && seen.received.length
                ? h("ul", { class: "items" }, seen.received.map((doc) => documentItem(chain, rerender, portal, x.id, doc)))
                : null,
            );
          }),
        ),
    // Our requests are read again from the chain too (their state and the fees), then each
    // one's state at the gateway.
    h("div", { class: "buttons" }, h("button", { type: "button", id: "received-refresh", onclick: () => void reloadRequests() }, t("received.refresh"))),
  );
}

/** The requester's sections for `portal`'s institution, when this tab's gateway serves it. */
export function requesterSections(
  chain: Chain,
  rerender: () => void,
  portal: Portal,
  institutions: InstitutionEntry[],
  reloadRequests: () => Promise<void>,
): HTMLElement[] {
  const us = portal.institution.id;
  forget(us);
  const gateway = ourGateway(us);
  if (!gateway) return [];
  return [askSection(chain, rerender, portal, institutions, reloadRequests), receivedSection(chain, rerender, portal, gateway, reloadRequests)];
}
