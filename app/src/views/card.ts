// The emergency card (docs/privacy.md, "the emergency card"; pallets/consent/src/card.rs): for
// each hospital where the patient's pseudonym is registered, whether a card key is registered
// and which card it belongs to; register, replace (a lost card) or withdraw it
// (`consent.set_emergency_card`, fee-free within the allowance); and the card itself — a QR
// code with one entry per hospital — to show and to print. Below it, a card for each ward
// registered with this browser's guardian key (docs/app.md, "Guardians"): the ward's card key
// is made from the guardian's secret (`Keyring.wardCardSeed`) and set with the guardian key;
// each ward's card is printed on its own.

import { AccountId } from "polkadot-api";
import { cardPublicKey, cardText, nextGeneration, qrSvg, registeredGeneration, rowState, type CardRow, type EmergencyCard, type Hex } from "../card";
import type { Chain } from "../chain";
import { h } from "../dom";
import { t } from "../i18n";
import { publicKeyText } from "../keyring";
import { send, type Progress } from "../tx";
import { wardNameOf, wardState } from "../wards";
import { errorDocs, formatDate, institutionLabel, problemBox, problemOf, resolveNames, type Problem } from "./common";
import { readWardRows, storedWards } from "./consents/ward-chain";
import { keyring, spacingFor } from "./patient-keys";
import { progressLines, underWay, type Message } from "./progress";

/** A ward's card row: the ward's pseudonym at its custodian, signed for with the guardian key. */
interface WardCardRow extends CardRow {
  /** The ward's public key and the guardian's name for it. */
  ward: { key: Uint8Array; name: string };
}

type Row = CardRow | WardCardRow;
const wardOf = (row: Row): WardCardRow["ward"] | null => ("ward" in row ? row.ward : null);

interface State {
  loading: boolean;
  genesis: Hex | null;
  rows: CardRow[] | null;
  /** The registered wards' rows (none when this browser keeps no ward). */
  wards: WardCardRow[];
  names: Map<number, string | null>;
  problem: Problem | null;
  tx: { what: Message; progress: Progress } | null;
}

const state: State = { loading: false, genesis: null, rows: null, wards: [], names: new Map(), problem: null, tx: null };
let loadedFor: Chain | null = null;
/** The wards this browser kept when the screen last read the chain (a ward added since reloads it). */
let loadedWards = "";
const wardsKept = (genesis: string) => JSON.stringify(storedWards(genesis));
let rerenderApp: () => void = () => {};

keyring.onChange(() => {
  if (!keyring.unlocked) {
    state.rows = null;
    state.wards = [];
    state.genesis = null;
    loadedFor = null;
    state.tx = null;
  }
});

const ss58 = AccountId();

/** The seed of a row's card key of generation `n`: the patient's own, or the guardian's for the ward. */
function seedOf(genesis: Hex, row: Row, n: number): Uint8Array {
  const ward = wardOf(row);
  return ward ? keyring.wardCardSeed(genesis, row.custodian, ward.key, n) : keyring.cardSeed(genesis, row.custodian, n);
}

/** The key that signs for a row: the pseudonym's own, or the guardian key for the ward. */
function signerOf(genesis: Hex, row: Row) {
  const ward = wardOf(row);
  return ward ? keyring.guardian(genesis, row.custodian, ward.key).signer : keyring.pseudonym(genesis, row.custodian).signer;
}

/** The wards registered with this browser's guardian keys, with their card keys. */
async function loadWards(chain: Chain, genesis: Hex): Promise<WardCardRow[]> {
  const prefix = await chain.api.constants.System.SS58Prefix();
  const registered = (await readWardRows(chain, genesis, prefix)).filter((r) => wardState(r.ward, r, r.guardian, 0) === "registered");
  if (registered.length === 0 || !keyring.unlocked) return [];
  const keys = await chain.api.query.Consent.CardKeys.getValues(registered.map((r) => [r.address] as [string]), { at: "best" });
  return registered.map((r, i) => {
    const row = {
      custodian: r.ward.custodian,
      pseudonym: r.address,
      registered: keys[i] ? ss58.enc(keys[i]!) : null,
      generation: null,
      ward: { key: ss58.enc(r.address), name: wardNameOf(r.ward.label, r.address) },
    };
    return { ...row, generation: registeredGeneration((n) => seedOf(genesis, row, n), row.registered) };
  });
}

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
    loadedWards = wardsKept(genesis);
    state.wards = await loadWards(chain, genesis);
    state.genesis = genesis;
    state.names = await resolveNames(chain, [...mine.map((m) => m.custodian), ...state.wards.map((w) => w.custodian)]);
    state.problem = null;
  } catch (e) {
    console.warn("emergency card", e);
    state.problem = problemOf(e, chain);
  } finally {
    state.loading = false;
    rerenderApp();
  }
}

async function change(chain: Chain, row: Row, generation: number | null): Promise<void> {
  const genesis = state.genesis;
  if (!genesis || !keyring.unlocked || underWay(state.tx?.progress)) return;
  const name = institutionLabel(row.custodian, state.names);
  const ward = wardOf(row);
  const params = { institution: name, ward: ward?.name ?? "" };
  const what: Message =
    generation === null
      ? { key: ward ? "card.ward.tx.withdraw" : "card.tx.withdraw", params }
      : {
          key: row.registered ? (ward ? "card.ward.tx.replace" : "card.tx.replace") : ward ? "card.ward.tx.register" : "card.tx.register",
          params: { ...params, n: generation + 1 },
        };
  const cardKey = generation === null ? undefined : ss58.dec(cardPublicKey(seedOf(genesis, row, generation)));
  const tx = chain.api.tx.Consent.set_emergency_card({ patient: row.pseudonym, card_key: cardKey });
  state.tx = { what, progress: { stage: "signing" } };
  rerenderApp();
  document.getElementById("card-progress")?.focus();
  const signer = signerOf(genesis, row);
  const last = await send(
    tx,
    signer,
    (progress) => {
      state.tx = { what, progress };
      const region = document.getElementById("card-progress");
      if (region) region.replaceChildren(...progressLines(what, progress));
    },
    { docs: () => errorDocs(chain), spacing: spacingFor(signer) },
  );
  state.tx = { what, progress: last };
  await load(chain);
}

/** The ids of a row's controls: the custodian, and for a ward the start of its public key. */
function rowId(row: Row): string {
  const ward = wardOf(row);
  return ward ? `w${row.custodian}-${publicKeyText(ward.key).slice(2, 18)}` : String(row.custodian);
}

function rowView(chain: Chain, row: Row): HTMLElement {
  const s = rowState(row);
  const busy = underWay(state.tx?.progress);
  const ward = wardOf(row);
  const words =
    s === "current" ? t("card.row.current", { n: (row.generation ?? 0) + 1 }) : s === "foreign" ? t("card.row.foreign") : t("card.row.none");
  const id = rowId(row);
  const button = (name: string, label: string, generation: number | null) =>
    h("button", { type: "button", id: `${name}-${id}`, disabled: busy, onclick: () => void change(chain, row, generation) }, label);
  return h(
    "li",
    { class: `card-row state-${s}`, "data-state": s, "data-custodian": row.custodian, "data-ward": ward ? row.pseudonym : null },
    h("p", { class: "card-row-name" }, ward ? t("card.ward.row", { ward: ward.name, institution: institutionLabel(row.custodian, state.names) }) : institutionLabel(row.custodian, state.names)),
    h("p", {}, words),
    h(
      "div",
      { class: "buttons no-print" },
      s === "none" ? button("card-register", t("card.register"), nextGeneration(row)) : button("card-replace", t("card.replace"), nextGeneration(row)),
      s !== "none" ? button("card-withdraw", t("card.withdraw"), null) : null,
    ),
  );
}

/**
 * Prints one card: the patient's own (`#emergency-card`, what the print layout shows by default)
 * or a ward's (marked `printing`, the only card the print layout then shows).
 */
function printCard(cardId: string | null): void {
  for (const el of document.querySelectorAll(".emergency-card.printing")) el.classList.remove("printing");
  if (cardId) {
    document.getElementById(cardId)?.classList.add("printing");
    document.body.dataset.printing = cardId;
  } else {
    delete document.body.dataset.printing;
  }
  window.print();
}

window.addEventListener("afterprint", () => {
  for (const el of document.querySelectorAll(".emergency-card.printing")) el.classList.remove("printing");
  delete document.body.dataset.printing;
});

/** The printable card: a QR code of the entries whose registered key this browser holds. */
function printable(genesis: Hex, rows: Row[], cardId: string, title: string): HTMLElement | null {
  const current = rows.filter((r) => rowState(r) === "current");
  if (current.length === 0) return null;
  const card: EmergencyCard = {
    genesis,
    entries: current.map((r) => ({
      custodian: r.custodian,
      pseudonym: ss58.enc(r.pseudonym),
      cardSeed: seedOf(genesis, r, r.generation ?? 0),
    })),
  };
  const text = cardText(card);
  return h(
    "section",
    { id: cardId, class: "emergency-card", "aria-labelledby": `${cardId}-title`, "data-entries": current.length },
    h("h3", { id: `${cardId}-title` }, title),
    h("div", { class: "qr-box" }, qrSvg(text, t("card.qr.label"))),
    h("p", { class: "card-instructions" }, t("card.print.instructions")),
    h("ul", { class: "card-hospitals" }, current.map((r) => h("li", {}, institutionLabel(r.custodian, state.names)))),
    h("p", { class: "card-date" }, t("card.print.date", { date: formatDate(Date.now()) })),
    h("details", { class: "no-print" }, h("summary", {}, t("card.text.show")), h("pre", { class: "mono card-text", id: cardId === "emergency-card" ? "card-text" : `${cardId}-text` }, text)),
  );
}

/** The patient's own rows and card. */
function ownArea(chain: Chain, genesis: Hex, rows: CardRow[]): HTMLElement[] {
  if (rows.length === 0) return [h("p", { class: "note", id: "card-no-hospital" }, t("card.noHospital"))];
  const card = printable(genesis, rows, "emergency-card", t("card.print.title"));
  return [
    h("ul", { class: "card-rows", id: "card-rows" }, rows.map((r) => rowView(chain, r))),
    card ?? h("p", { class: "note", id: "card-empty" }, t("card.empty")),
    card
      ? h("div", { class: "buttons no-print" }, h("button", { type: "button", class: "primary", id: "card-print", onclick: () => printCard(null) }, t("card.print")))
      : null,
  ].filter((e): e is HTMLElement => e !== null);
}

/** A ward's row and card, under the ward's name. */
function wardArea(chain: Chain, genesis: Hex, row: WardCardRow): HTMLElement {
  const id = rowId(row);
  const cardId = `card-${id}`;
  const card = printable(genesis, [row], cardId, t("card.ward.print.title", { ward: row.ward.name }));
  return h(
    "li",
    { class: "card-ward", id: `card-ward-${id}`, "data-ward": row.pseudonym },
    h("ul", { class: "card-rows" }, rowView(chain, row)),
    card ?? h("p", { class: "note" }, t("card.ward.empty", { ward: row.ward.name })),
    card
      ? h(
          "div",
          { class: "buttons no-print" },
          h("button", { type: "button", id: `card-print-${id}`, onclick: () => printCard(cardId) }, t("card.ward.print", { ward: row.ward.name })),
        )
      : null,
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
  const wardsChanged = state.genesis !== null && wardsKept(state.genesis) !== loadedWards;
  if ((loadedFor !== chain || wardsChanged) && !state.loading) {
    loadedFor = chain;
    void load(chain);
  }
  const area = h("div", { id: "card-result", class: "result-area", "aria-live": "polite" });
  if (state.problem) area.appendChild(problemBox(state.problem));
  if (!state.rows || !state.genesis) {
    area.appendChild(h("p", { class: "note" }, t("card.loading")));
  } else {
    area.append(...ownArea(chain, state.genesis, state.rows));
    if (state.wards.length > 0) {
      const genesis = state.genesis;
      area.append(
        h(
          "section",
          { id: "card-wards", "aria-labelledby": "card-wards-title" },
          h("h3", { id: "card-wards-title" }, t("card.ward.title")),
          h("p", { class: "intro" }, t("card.ward.intro")),
          h("ul", { class: "card-ward-list" }, state.wards.map((w) => wardArea(chain, genesis, w))),
        ),
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
