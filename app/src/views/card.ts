// The emergency card (docs/privacy.md, "the emergency card"; pallets/consent/src/card.rs): for
// each hospital where the patient has a pseudonym, whether a card key is registered and which
// card it belongs to; register, replace (a lost card) or withdraw it; and the card itself — a
// QR code with one entry per hospital — to show and to print.

import { AccountId } from "polkadot-api";
import { cardPublicKey, cardSeed, cardText, issueCard, pseudonymPath, qrSvg, registeredGeneration, type Hex } from "../card";
import type { Chain } from "../chain";
import { deriveKey } from "../derive";
import { h } from "../dom";
import { t } from "../i18n";
import { formatDate, institutionLabel, problemBox, problemOf, resolveNames, type Problem } from "./common";

/** What the card screen needs from the unlocked keys. */
export interface CardSession {
  /** The recovery phrase, normalised (card seeds are made from its text). */
  phrase: string;
  miniSecret: Uint8Array;
  genesis: Hex;
  /** The hospitals where the patient's pseudonym is registered. */
  custodians: number[];
  /**
   * Sends `consent.set_emergency_card` for the pseudonym at `custodian` (a card key's address,
   * or undefined to withdraw), showing its progress; resolves to whether it succeeded.
   */
  setCardKey(custodian: number, cardKey: string | undefined): Promise<boolean>;
}

/** What the chain says about one pseudonym's card key, as this card screen reads it. */
export interface CardRow {
  custodian: number;
  pseudonym: string;
  /** The card key registered on chain, if any. */
  registered: Uint8Array | null;
  /** Which generation of this patient's card the registered key is; null if none or foreign. */
  generation: number | null;
}

export type CardRowState = "none" | "current" | "foreign";

export function rowState(row: Pick<CardRow, "registered" | "generation">): CardRowState {
  if (!row.registered) return "none";
  return row.generation === null ? "foreign" : "current";
}

/** The generation a new card key gets: the next after the registered one, else 0. */
export const nextGeneration = (row: Pick<CardRow, "generation">): number => (row.generation === null ? 0 : row.generation + 1);

interface State {
  loading: boolean;
  rows: CardRow[] | null;
  names: Map<number, string | null>;
  problem: Problem | null;
  busy: number | null;
}

const state: State = { loading: false, rows: null, names: new Map(), problem: null, busy: null };
let loadedFor: string | null = null;

const ss58 = AccountId();

async function load(chain: Chain, session: CardSession): Promise<void> {
  state.loading = true;
  try {
    const rows = await Promise.all(
      session.custodians.map(async (custodian): Promise<CardRow> => {
        const pseudonym = ss58.dec(deriveKey(session.miniSecret, pseudonymPath(session.genesis, custodian)).publicKey);
        const key = await chain.api.query.Consent.CardKeys.getValue(pseudonym, { at: "best" });
        const registered = key ? ss58.enc(key) : null;
        return { custodian, pseudonym, registered, generation: registeredGeneration(session.phrase, session.genesis, custodian, registered) };
      }),
    );
    state.names = await resolveNames(chain, session.custodians);
    state.rows = rows;
    state.problem = null;
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.loading = false;
  }
}

async function change(chain: Chain, session: CardSession, row: CardRow, generation: number | null, rerender: () => void): Promise<void> {
  if (state.busy !== null) return;
  state.busy = row.custodian;
  rerender();
  const key = generation === null ? undefined : ss58.dec(cardPublicKey(cardSeed(session.phrase, session.genesis, row.custodian, generation)));
  const ok = await session.setCardKey(row.custodian, key);
  state.busy = null;
  if (ok) await load(chain, session);
  rerender();
}

function rowView(chain: Chain, session: CardSession, row: CardRow, rerender: () => void): HTMLElement {
  const s = rowState(row);
  const busy = state.busy !== null;
  const words =
    s === "current"
      ? t("card.row.current", { n: (row.generation ?? 0) + 1 })
      : s === "foreign"
        ? t("card.row.foreign")
        : t("card.row.none");
  const button = (id: string, label: string, generation: number | null) =>
    h(
      "button",
      { type: "button", id: `${id}-${row.custodian}`, disabled: busy, onclick: () => void change(chain, session, row, generation, rerender) },
      label,
    );
  return h(
    "li",
    { class: `card-row state-${s}`, "data-state": s, "data-custodian": row.custodian },
    h("p", { class: "card-row-name" }, institutionLabel(row.custodian, state.names)),
    h("p", {}, words),
    h(
      "div",
      { class: "buttons no-print" },
      s === "none" ? button("card-register", t("card.register"), nextGeneration(row)) : null,
      s !== "none" ? button("card-replace", t("card.replace"), nextGeneration(row)) : null,
      s !== "none" ? button("card-withdraw", t("card.withdraw"), null) : null,
    ),
    state.busy === row.custodian ? h("p", { class: "note" }, t("card.busy")) : null,
  );
}

/** The printable card: a QR code of the entries whose registered key this patient holds. */
function printable(session: CardSession, rows: CardRow[]): HTMLElement {
  const current = rows.filter((r) => rowState(r) === "current");
  if (current.length === 0) return h("p", { class: "note", id: "card-empty" }, t("card.empty"));
  const card = issueCard(
    session.phrase,
    session.miniSecret,
    session.genesis,
    current.map((r) => ({ custodian: r.custodian, generation: r.generation ?? 0 })),
  );
  const text = cardText(card);
  return h(
    "section",
    { id: "emergency-card", class: "emergency-card", "aria-labelledby": "card-print-title", "data-entries": current.length },
    h("h3", { id: "card-print-title" }, t("card.print.title")),
    h("div", { class: "qr-box" }, qrSvg(text, t("card.qr.label"))),
    h("p", { class: "card-instructions" }, t("card.print.instructions")),
    h("ul", { class: "card-hospitals" }, current.map((r) => h("li", {}, institutionLabel(r.custodian, state.names)))),
    h("p", { class: "card-date" }, t("card.print.date", { date: formatDate(Date.now()) })),
    h(
      "details",
      { class: "no-print" },
      h("summary", {}, t("card.text.show")),
      h("pre", { class: "mono card-text", id: "card-text" }, text),
    ),
  );
}

export function cardView(chain: Chain, session: CardSession | null, rerender: () => void): HTMLElement {
  const section = h(
    "section",
    { class: "view", "aria-labelledby": "card-title" },
    h("h2", { id: "card-title" }, t("card.title")),
    h("p", { class: "intro" }, t("card.intro")),
    h("p", { class: "note warn" }, t("card.warning")),
  );
  if (!session) {
    section.appendChild(h("p", { class: "note", id: "card-locked" }, t("card.locked")));
    return section;
  }
  const key = `${chain.url}|${session.genesis}|${session.custodians.join(",")}|${session.phrase.length}`;
  if (loadedFor !== key && !state.loading) {
    loadedFor = key;
    state.rows = null;
    void load(chain, session).then(rerender);
  }
  const area = h("div", { id: "card-result", class: "result-area", "aria-live": "polite" });
  if (state.problem) area.appendChild(problemBox(state.problem));
  if (!state.rows) {
    area.appendChild(h("p", { class: "note" }, t("card.loading")));
  } else if (state.rows.length === 0) {
    area.appendChild(h("p", { class: "note", id: "card-no-hospital" }, t("card.noHospital")));
  } else {
    area.append(
      h("ul", { class: "card-rows", id: "card-rows" }, state.rows.map((r) => rowView(chain, session, r, rerender))),
      printable(session, state.rows),
    );
    if (state.rows.some((r) => rowState(r) === "current")) {
      area.appendChild(
        h("div", { class: "buttons no-print" }, h("button", { type: "button", class: "primary", id: "card-print", onclick: () => window.print() }, t("card.print"))),
      );
    }
  }
  section.appendChild(area);
  return section;
}
