// Patient portal, read-only (#/patient): one history across hospitals. A patient holds one
// pseudonym per hospital (docs/privacy.md); the screen takes several and merges, per pseudonym:
// the records each custodian anchored, the disclosure log as one timeline, the certificates and
// the prescriptions (lists.ts), read by load.ts; lists that the node pages have a "more" button.
// This file: the form of pseudonyms and the screen. Emergency accesses opened on a shown
// pseudonym are announced in the shell's region (views/emergency/) as soon as their event is in
// a best block, and the timeline is read again (live.ts).

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { field, problemBox } from "../common";
import { loadedView } from "./lists";
import { readPending } from "./live";
import { load } from "./load";
import { inputId, screen, state } from "./state";

export { isAccountAddress } from "./state";

export function patientView(chain: Chain, rerender: () => void): HTMLElement {
  screen.redraw = () => redrawResults(chain);
  if (state.loaded && state.loaded.chain !== chain) {
    // Another node (Settings): what was read is another chain's.
    state.loaded = null;
    state.problem = null;
  }
  readPending(chain, rerender);
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
    h("div", { id: "patient-result", class: "result-area", "aria-live": "polite" }, resultContent(chain)),
  );
}

function resultContent(chain: Chain): Array<Node | null> {
  return [
    state.problem ? problemBox(state.problem) : null,
    state.loaded ? loadedView(state.loaded, chain) : null,
  ];
}

/** Redraws the results in place (the form keeps its focus and input). */
function redrawResults(chain: Chain): void {
  const result = document.getElementById("patient-result");
  if (!result) return;
  result.replaceChildren(...resultContent(chain).filter((n): n is Node => n !== null));
}
