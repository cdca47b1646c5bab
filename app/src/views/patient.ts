// Patient portal, read-only: a pseudonym's disclosure log as a timeline in words, its
// certificates and its prescriptions.

import { getSs58AddressInfo } from "polkadot-api";
import type { Chain } from "../chain";
import { fill, h } from "../dom";
import { t, template, type Key } from "../i18n";
import type {
  Disclosure,
  DisclosuresAnswer,
  PatientPrescriptionsAnswer,
  SubjectCertificatesAnswer,
} from "../rpc-types";
import { blockTimeMs, certificateState, certificateTone, disclosureWords, PRESCRIPTION_TONE } from "../words";
import {
  field,
  formatDate,
  formatDateTime,
  institutionLabel,
  problemBox,
  problemOf,
  resolveNames,
  type Problem,
} from "./common";

interface Loaded {
  log: DisclosuresAnswer;
  certs: SubjectCertificatesAnswer;
  rx: PatientPrescriptionsAnswer;
  names: Map<number, string | null>;
  /** The chain's clock when read, to date block numbers. */
  clock: { best: number; bestTimeMs: number; blockMs: number } | null;
}

interface State {
  address: string;
  busy: boolean;
  loaded: Loaded | null;
  problem: Problem | null;
}

const state: State = { address: "", busy: false, loaded: null, problem: null };

/** A valid SS58 account address (32-byte public key). */
export function isAccountAddress(address: string): boolean {
  const info = getSs58AddressInfo(address.trim());
  return info.isValid && info.publicKey.length === 32;
}

export function patientView(chain: Chain, rerender: () => void): HTMLElement {
  const input = h("input", {
    type: "text",
    value: state.address,
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
  });
  input.addEventListener("input", () => (state.address = input.value));
  const form = h(
    "form",
    { class: "card", novalidate: true },
    field("patient-address", t("patient.address"), t("patient.address.help"), input),
    h(
      "button",
      { type: "submit", class: "primary", id: "patient-submit", disabled: state.busy },
      state.busy ? t("patient.busy") : t("patient.submit"),
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
    h(
      "div",
      { id: "patient-result", class: "result-area", "aria-live": "polite" },
      state.problem ? problemBox(state.problem) : null,
      state.loaded ? loadedView(state.loaded) : null,
    ),
  );
}

async function load(chain: Chain, rerender: () => void): Promise<void> {
  if (state.busy) return;
  const address = state.address.trim();
  state.loaded = null;
  if (!isAccountAddress(address)) {
    state.problem = { key: "error.address" };
    rerender();
    return;
  }
  state.problem = null;
  state.busy = true;
  rerender();
  try {
    const [log, certs, rx] = await Promise.all([
      chain.rpc("consent_disclosures", [address, 0]),
      chain.rpc("certificates_ofSubject", [address, 0]),
      chain.rpc("prescriptions_ofPatient", [address, 0]),
    ]);
    const ids: number[] = [];
    for (const [, e] of [...log.entries, ...log.keptEmergency]) {
      ids.push(e.recipient);
      if (e.custodian !== null) ids.push(e.custodian);
    }
    for (const c of certs.certificates) ids.push(c.institution);
    for (const p of rx.prescriptions) {
      ids.push(p.institution);
      if (p.pharmacy !== null) ids.push(p.pharmacy);
    }
    const names = await resolveNames(chain, ids);
    const s = chain.current;
    const clock =
      s.best !== undefined && s.bestTimeMs !== undefined && s.blockMs !== undefined
        ? { best: s.best, bestTimeMs: s.bestTimeMs, blockMs: s.blockMs }
        : null;
    state.loaded = { log, certs, rx, names, clock };
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.busy = false;
    rerender();
  }
}

function when(block: number, loaded: Loaded): string {
  if (!loaded.clock) return `#${block}`;
  const { best, bestTimeMs, blockMs } = loaded.clock;
  return t("patient.when", { time: formatDateTime(blockTimeMs(block, best, bestTimeMs, blockMs)), block });
}

function entryView(index: number, entry: Disclosure, loaded: Loaded): HTMLElement {
  const w = disclosureWords(entry);
  const name = (id: number) => h("strong", {}, institutionLabel(id, loaded.names));
  const sentence = fill(template(w.sentence), {
    custodian: entry.custodian === null ? null : name(entry.custodian),
    recipient: name(entry.recipient),
    category: t(`category.${entry.category}` as Key),
    purpose: t(`purpose.${entry.purpose}` as Key),
  });
  return h(
    "li",
    { class: `event${w.emergency ? " emergency" : ""}`, "data-kind": w.kind, "data-index": index },
    h("p", { class: "event-when" }, h("time", {}, when(entry.at, loaded))),
    h("p", { class: "event-what" }, sentence),
    h(
      "p",
      { class: "event-basis" },
      `${t("basis.label")}: `,
      h("span", { class: `chip${w.emergency ? " chip-emergency" : ""}` }, t(w.basis, w.basisParams)),
    ),
  );
}

function loadedView(loaded: Loaded): HTMLElement {
  const { log, certs, rx } = loaded;
  const kept = log.keptEmergency.length
    ? h(
        "section",
        { "aria-labelledby": "kept-title" },
        h("h4", { id: "kept-title" }, t("patient.log.kept")),
        h("ol", { class: "timeline" }, log.keptEmergency.map(([i, e]) => entryView(i, e, loaded))),
      )
    : null;
  const logSection = h(
    "section",
    { class: "card", "aria-labelledby": "log-title", id: "patient-log" },
    h("h3", { id: "log-title" }, t("patient.log.title")),
    log.entries.length === 0 && log.keptEmergency.length === 0
      ? h("p", { class: "empty" }, t("patient.log.empty"))
      : [
          h("p", { class: "muted" }, t("patient.log.count", { count: log.log.next - log.log.first })),
          kept,
          h("ol", { class: "timeline" }, log.entries.map(([i, e]) => entryView(i, e, loaded))),
        ],
  );

  const certSection = h(
    "section",
    { class: "card", "aria-labelledby": "certs-title", id: "patient-certs" },
    h("h3", { id: "certs-title" }, t("patient.certs.title")),
    certs.certificates.length === 0
      ? h("p", { class: "empty" }, t("patient.certs.empty"))
      : h(
          "ul",
          { class: "items" },
          certs.certificates.map((c) => {
            const st = certificateState(c.validity);
            return h(
              "li",
              { class: `item tone-${certificateTone(st)}`, "data-state": st },
              h(
                "p",
                { class: "item-title" },
                t("cert.line", { kind: t(`kind.${c.kind}` as Key), institution: institutionLabel(c.institution, loaded.names) }),
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
  );

  const rxSection = h(
    "section",
    { class: "card", "aria-labelledby": "rx-title", id: "patient-rx" },
    h("h3", { id: "rx-title" }, t("patient.rx.title")),
    rx.prescriptions.length === 0
      ? h("p", { class: "empty" }, t("patient.rx.empty"))
      : h(
          "ul",
          { class: "items" },
          rx.prescriptions.map((p) =>
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
                  ? t("rx.validUntil", { block: p.validUntil, time: loaded.clock ? formatDateTime(blockTimeMs(p.validUntil, loaded.clock.best, loaded.clock.bestTimeMs, loaded.clock.blockMs)) : "—" })
                  : null,
              ),
            ),
          ),
        ),
  );
  return h("div", { class: "patient-results" }, logSection, certSection, rxSection);
}
