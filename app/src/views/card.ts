// The emergency card (docs/privacy.md, "the emergency card"; pallets/consent/src/card.rs): for
// each hospital where the patient's pseudonym is registered, whether a card key is registered
// and which card it belongs to; register, replace (a lost card) or withdraw it
// (`consent.set_emergency_card`, fee-free within the allowance); and the card itself — a QR
// code with one entry per hospital — to show and to print.

import { AccountId } from "polkadot-api";
import { cardPublicKey, cardText, nextGeneration, qrSvg, registeredGeneration, rowState, type CardRow, type EmergencyCard, type Hex } from "../card";
import type { Chain } from "../chain";
import { h } from "../dom";
import { t } from "../i18n";
import { send, type Progress } from "../tx";
import { errorDocs, formatDate, institutionLabel, problemBox, problemOf, resolveNames, type Problem } from "./common";
import { keyring } from "./patient-keys";
import { progressLines, underWay, type Message } from "./progress";

interface State {
  loading: boolean;
  genesis: Hex | null;
  rows: CardRow[] | null;
  names: Map<number, string | null>;
  problem: Problem | null;
  tx: { what: Message; progress: Progress } | null;
}

const state: State = { loading: false, genesis: null, rows: null, names: new Map(), problem: null, tx: null };
let loadedFor: Chain | null = null;
let rerenderApp: () => void = () => {};

keyring.onChange(() => {
  if (!keyring.unlocked) {
    state.rows = null;
    state.genesis = null;
    loadedFor = null;
    state.tx = null;
  }
});

const ss58 = AccountId();

/** The patient's registered pseudonyms and their card keys. */
async function load(chain: Chain): Promise<void> {
  if (!keyring.unlocked) return;
  state.loading = true;
  rerenderApp();
  try {
    const api = chain.api;
    const [spec, institutions] = await Promise.all([chain.client.getChainSpecData(), api.query.Institutions.Institutions.getEntries({ at: "best" })]);
    const genesis = spec.genesisHash as Hex;
    const keepers = institutions
      .filter((e) => e.value.kind.type === "Hospital" || e.value.kind.type === "Clinic")
      .map((e) => e.keyArgs[0])
      .sort((a, b) => a - b);
    if (!keyring.unlocked) return;
    const pseudonyms = keepers.map((c) => ss58.dec(keyring.pseudonym(genesis, c).publicKey));
    const patients = await api.query.Institutions.Patients.getValues(pseudonyms.map((p) => [p] as [string]), { at: "best" });
    const mine = keepers.map((custodian, i) => ({ custodian, pseudonym: pseudonyms[i] })).filter((_, i) => patients[i]?.custodian === keepers[i]);
    const keys = await api.query.Consent.CardKeys.getValues(mine.map((m) => [m.pseudonym] as [string]), { at: "best" });
    if (!keyring.unlocked) return;
    state.rows = mine.map((m, i) => {
      const registered = keys[i] ? ss58.enc(keys[i]!) : null;
      return { ...m, registered, generation: registeredGeneration((n) => keyring.cardSeed(genesis, m.custodian, n), registered) };
    });
    state.genesis = genesis;
    state.names = await resolveNames(chain, mine.map((m) => m.custodian));
    state.problem = null;
  } catch (e) {
    console.warn("emergency card", e);
    state.problem = problemOf(e, chain);
  } finally {
    state.loading = false;
    rerenderApp();
  }
}

async function change(chain: Chain, row: CardRow, generation: number | null): Promise<void> {
  const genesis = state.genesis;
  if (!genesis || !keyring.unlocked || underWay(state.tx?.progress)) return;
  const name = institutionLabel(row.custodian, state.names);
  const what: Message =
    generation === null
      ? { key: "card.tx.withdraw", params: { institution: name } }
      : { key: row.registered ? "card.tx.replace" : "card.tx.register", params: { institution: name, n: generation + 1 } };
  const cardKey = generation === null ? undefined : ss58.dec(cardPublicKey(keyring.cardSeed(genesis, row.custodian, generation)));
  const tx = chain.api.tx.Consent.set_emergency_card({ patient: row.pseudonym, card_key: cardKey });
  state.tx = { what, progress: { stage: "signing" } };
  rerenderApp();
  document.getElementById("card-progress")?.focus();
  const last = await send(
    tx,
    keyring.pseudonym(genesis, row.custodian).signer,
    (progress) => {
      state.tx = { what, progress };
      const region = document.getElementById("card-progress");
      if (region) region.replaceChildren(...progressLines(what, progress));
    },
    { docs: () => errorDocs(chain) },
  );
  state.tx = { what, progress: last };
  await load(chain);
}

function rowView(chain: Chain, row: CardRow): HTMLElement {
  const s = rowState(row);
  const busy = underWay(state.tx?.progress);
  const words =
    s === "current" ? t("card.row.current", { n: (row.generation ?? 0) + 1 }) : s === "foreign" ? t("card.row.foreign") : t("card.row.none");
  const button = (id: string, label: string, generation: number | null) =>
    h("button", { type: "button", id: `${id}-${row.custodian}`, disabled: busy, onclick: () => void change(chain, row, generation) }, label);
  return h(
    "li",
    { class: `card-row state-${s}`, "data-state": s, "data-custodian": row.custodian },
    h("p", { class: "card-row-name" }, institutionLabel(row.custodian, state.names)),
    h("p", {}, words),
    h(
      "div",
      { class: "buttons no-print" },
      s === "none" ? button("card-register", t("card.register"), nextGeneration(row)) : button("card-replace", t("card.replace"), nextGeneration(row)),
      s !== "none" ? button("card-withdraw", t("card.withdraw"), null) : null,
    ),
  );
}

/** The printable card: a QR code of the entries whose registered key this patient holds. */
function printable(genesis: Hex, rows: CardRow[]): HTMLElement {
  const current = rows.filter((r) => rowState(r) === "current");
  if (current.length === 0) return h("p", { class: "note", id: "card-empty" }, t("card.empty"));
  const card: EmergencyCard = {
    genesis,
    entries: current.map((r) => ({
      custodian: r.custodian,
      pseudonym: ss58.enc(r.pseudonym),
      cardSeed: keyring.cardSeed(genesis, r.custodian, r.generation ?? 0),
    })),
  };
  const text = cardText(card);
  return h(
    "section",
    { id: "emergency-card", class: "emergency-card", "aria-labelledby": "card-print-title", "data-entries": current.length },
    h("h3", { id: "card-print-title" }, t("card.print.title")),
    h("div", { class: "qr-box" }, qrSvg(text, t("card.qr.label"))),
    h("p", { class: "card-instructions" }, t("card.print.instructions")),
    h("ul", { class: "card-hospitals" }, current.map((r) => h("li", {}, institutionLabel(r.custodian, state.names)))),
    h("p", { class: "card-date" }, t("card.print.date", { date: formatDate(Date.now()) })),
    h("details", { class: "no-print" }, h("summary", {}, t("card.text.show")), h("pre", { class: "mono card-text", id: "card-text" }, text)),
  );
}

export function cardView(chain: Chain, rerender: () => void): HTMLElement {
  rerenderApp = rerender;
  const section = h(
    "section",
    { class: "view", "aria-labelledby": "card-title" },
    h("h2", { id: "card-title" }, t("card.title")),
    h("p", { class: "intro" }, t("card.intro")),
    h("p", { class: "note warn" }, t("card.warning")),
  );
  if (!keyring.unlocked) {
    section.appendChild(h("p", { class: "note", id: "card-locked" }, t("card.locked"), " ", h("a", { href: "#/consents" }, t("nav.consents"))));
    return section;
  }
  if (loadedFor !== chain && !state.loading) {
    loadedFor = chain;
    void load(chain);
  }
  const area = h("div", { id: "card-result", class: "result-area", "aria-live": "polite" });
  if (state.problem) area.appendChild(problemBox(state.problem));
  if (!state.rows || !state.genesis) {
    area.appendChild(h("p", { class: "note" }, t("card.loading")));
  } else if (state.rows.length === 0) {
    area.appendChild(h("p", { class: "note", id: "card-no-hospital" }, t("card.noHospital")));
  } else {
    area.append(h("ul", { class: "card-rows", id: "card-rows" }, state.rows.map((r) => rowView(chain, r))), printable(state.genesis, state.rows));
    if (state.rows.some((r) => rowState(r) === "current")) {
      area.appendChild(
        h("div", { class: "buttons no-print" }, h("button", { type: "button", class: "primary", id: "card-print", onclick: () => window.print() }, t("card.print"))),
      );
    }
  }
  section.append(
    h(
      "div",
      { id: "card-progress", class: "tx-progress no-print", role: "status", "aria-live": "polite", tabindex: -1, "aria-label": t("tx.label") },
      state.tx ? progressLines(state.tx.what, state.tx.progress) : [],
    ),
    area,
  );
  return section;
}
