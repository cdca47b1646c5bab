// The patient screen's results: the pseudonyms with their hospitals, the records grouped by
// custodian, one timeline of every pseudonym's disclosure log, the certificates and the
// prescriptions, each list with its "more" buttons.

import type { Chain } from "../../chain";
import { fill, h } from "../../dom";
import { t, template, type Key } from "../../i18n";
import type { Disclosure, PatientRecord } from "../../rpc-types";
import { shownName } from "../../shown";
import {
  certificateState,
  certificateTone,
  disclosureWords,
  PRESCRIPTION_TONE,
  recordIdText,
  type Tone,
} from "../../words";
import { blockTime, blockWhen, formatDate, institutionLabel, moreButton, shortAddress } from "../common";
import { neverSharedLine } from "../never-shared";
import { chainStatus } from "./chain-status";
import { loadMore } from "./load";
import { capitalise, hasMore, state, type ListName, type Loaded, type Pseudonym } from "./state";


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
  loaded: Loaded,
  list: ListName,
  paging: (p: Pseudonym) => { total: number; page: number; pageSize: number },
): HTMLElement[] {
  return loaded.pseudonyms.flatMap((p, i) => {
    if (!hasMore(paging(p))) return [];
    const id = `patient-${list}-more-${i + 1}`;
    const label = loaded.pseudonyms.length > 1 ? t(`more.${list}.of` as Key, { n: i + 1 }) : t(`more.${list}` as Key);
    return [moreButton(id, label, state.more === id, () => void loadMore(chain, i, list, id))];
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

function recordsView(chain: Chain, loaded: Loaded): HTMLElement {
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
    moreButtons(chain, loaded, "records", (p) => p.records),
  );
}

export function loadedView(loaded: Loaded, chain: Chain): HTMLElement {
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
    // Focusable from script: "See the timeline" of an emergency alert brings the focus here.
    h("h3", { id: "log-title", tabindex: -1 }, t("patient.log.title")),
    entries.length === 0 && keptEntries.length === 0
      ? [h("p", { class: "empty" }, t("patient.log.empty")), chainStatus(loaded)]
      : [
          h("p", { class: "muted" }, t("patient.log.count", { count })),
          chainStatus(loaded),
          kept,
          h("ol", { class: "timeline" }, entries.map(([p, i, e]) => entryView(p, i, e, loaded))),
        ],
    moreButtons(chain, loaded, "log", (p) => ({ total: p.log.count, page: p.log.page, pageSize: p.log.pageSize })),
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
    moreButtons(chain, loaded, "certs", (p) => p.certs),
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
    moreButtons(chain, loaded, "rx", (p) => p.rx),
  );
  return h(
    "div",
    { class: "patient-results" },
    pseudonymsView(loaded),
    recordsView(chain, loaded),
    logSection,
    certSection,
    rxSection,
  );
}
