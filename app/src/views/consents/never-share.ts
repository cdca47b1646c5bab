// "Never share" (#never-share): the acting pseudonym's deny provisions (FHIR Consent provision
// type deny; `Consent.DenyProvisions`), a box per category, and Save = one
// `Consent.set_deny_provisions` (fee-free within the allowance) with its progress. An unchanged
// set is refused before signing; an empty one clears the list (shared by consent again). Also
// the editor's warning when a chosen category is denied (deny wins over any consent).

import { Enum } from "polkadot-api";
import type { Chain } from "../../chain";
import { CATEGORIES } from "../../consent";
import { deniedAmong, denyChange } from "../../deny";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import type { Category } from "../../rpc-types";
import { message, rerenderApp, state, type Data } from "./state";
import { actingOf } from "./acting";
import { transact, txInFlight } from "./transact";

/** Categories in words, as a list ("laboratory report, mental health record"). */
export const categoryWords = (categories: readonly Category[]): string => categories.map((c) => t(`category.${c}` as Key)).join(", ");

function save(chain: Chain, data: Data): void {
  const me = actingOf(data);
  if (!me) return;
  const change = denyChange(data.deny, state.denyDraft ?? data.deny);
  if (!change.ok) {
    state.denyNote = { key: "deny.error.unchanged" };
    rerenderApp();
    document.getElementById("never-share-save")?.focus();
    return;
  }
  state.denyNote = null;
  const what = change.clears
    ? { key: "tx.what.denyClear" as const }
    : { key: "tx.what.deny" as const, params: { categories: categoryWords(change.categories) } };
  void transact(chain, what, me.address, () =>
    chain.api.tx.Consent.set_deny_provisions({ patient: me.address, categories: change.categories.map((c) => Enum(c)) }),
  ).then(() => {
    if (state.tx?.progress.stage !== "failed") state.denyDraft = null;
    rerenderApp();
  });
}

export function neverShareCard(chain: Chain, data: Data): HTMLElement {
  const chosen = state.denyDraft ?? data.deny;
  const boxes = CATEGORIES.map((c) => {
    const box = h("input", { type: "checkbox", id: `deny-${c}`, value: c, checked: chosen.includes(c), "aria-describedby": "never-share-help" });
    box.addEventListener("change", () => {
      const now = new Set(state.denyDraft ?? data.deny);
      if (box.checked) now.add(c);
      else now.delete(c);
      state.denyDraft = CATEGORIES.filter((x) => now.has(x));
      state.denyNote = null;
      rerenderApp();
    });
    return h("label", { class: "choice", for: `deny-${c}` }, box, t(`category.${c}` as Key));
  });
  const clearing = chosen.length === 0 && data.deny.length > 0;
  const form = h(
    "form",
    { id: "never-share-form", novalidate: true, "aria-labelledby": "never-share-title" },
    h(
      "fieldset",
      { id: "never-share-categories" },
      h("legend", {}, t("deny.legend")),
      h("p", { class: "help", id: "never-share-help" }, t("deny.help")),
      h("div", { class: "choices" }, boxes),
    ),
    clearing ? h("p", { class: "note warn", id: "never-share-clearing" }, t("deny.clearing")) : null,
    state.denyNote ? h("div", { role: "alert" }, message(state.denyNote, "never-share-error")) : null,
    h("p", { class: "help" }, t("deny.fee")),
    h(
      "div",
      { class: "buttons" },
      h(
        "button",
        { type: "submit", class: "primary", id: "never-share-save", disabled: txInFlight(), "aria-describedby": state.denyNote ? "never-share-error" : null },
        t("deny.save"),
      ),
    ),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    save(chain, data);
  });
  return h(
    "section",
    { class: "card", id: "never-share", "aria-labelledby": "never-share-title", "data-deny": data.deny.join(" ") },
    h("h3", { id: "never-share-title" }, t("deny.title")),
    h("p", { class: "intro" }, t("deny.intro")),
    h(
      "p",
      { id: "never-share-current", class: `item-status tone-${data.deny.length ? "warn" : "ok"}` },
      data.deny.length ? t("deny.current.some", { categories: categoryWords(data.deny) }) : t("deny.current.none"),
    ),
    form,
  );
}

/** The editor's warning under the categories: chosen ones that "never share" lists. */
function warningLines(data: Data, categories: readonly Category[]): HTMLElement[] {
  const denied = deniedAmong(categories, data.deny);
  return denied.length ? [h("p", { class: "note warn" }, t("editor.denied", { categories: categoryWords(denied) }))] : [];
}

/** The warning's live region (always there, so that a screen reader hears it appear). */
export function denyWarning(data: Data, categories: readonly Category[]): HTMLElement {
  return h("div", { id: "consent-deny-warning", "aria-live": "polite" }, warningLines(data, categories));
}

/** Updates the warning in place as boxes are ticked (the editor is not redrawn on each tick). */
export function updateDenyWarning(data: Data, categories: readonly Category[]): void {
  document.getElementById("consent-deny-warning")?.replaceChildren(...warningLines(data, categories));
}
