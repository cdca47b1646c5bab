// The hospitals that registered the patient (#hospitals): for each, the pseudonym registered, a
// registration waiting for the patient's confirmation (confirm it: `Institutions.confirm_registration`),
// or one that expired; the button that reads the chain again; and "Register at another
// hospital": the patient's pseudonym for a hospital chosen by name, derived in this browser,
// shown as text and as a QR code for that hospital's desk (nothing is sent).

import type { Chain } from "../../chain";
import { qrSvg } from "../../card";
import { h } from "../../dom";
import { t } from "../../i18n";
import { address } from "../../keyring";
import { keyring } from "../patient-keys";
import { chainClock } from "../common";
import { loadAll } from "./load";
import { institutionName, rerenderApp, state, timeOf, type Data } from "./state";
import { transact, txInFlight } from "./transact";

/** The hospital chosen in "Register at another hospital" (kept across re-renders). */
let chosen: number | null = null;

/** "Register at another hospital": choose it by name; the pseudonym for it as text and QR code. */
function newHospital(data: Data): HTMLElement | null {
  const known = new Set(data.mine.map((m) => m.custodian));
  const options = data.institutions.filter((i) => i.active && (i.kind === "Hospital" || i.kind === "Clinic") && !known.has(i.id));
  if (options.length === 0 || !keyring.unlocked) return null;
  if (chosen !== null && !options.some((i) => i.id === chosen)) chosen = null;
  const select = h(
    "select",
    { id: "register-at", "aria-describedby": "register-at-help" },
    h("option", { value: "" }, t("hospitals.new.choose")),
    options.map((i) => h("option", { value: i.id, selected: chosen === i.id }, institutionName(data, i.id))),
  );
  select.addEventListener("change", () => {
    chosen = select.value === "" ? null : Number(select.value);
    rerenderApp();
    document.getElementById("register-at")?.focus();
  });
  const shown = chosen === null ? null : address(keyring.pseudonym(data.genesis, chosen).publicKey, data.ss58);
  return h(
    "div",
    { id: "register-new", class: "sub-section" },
    h("h4", {}, t("hospitals.new.title")),
    h("div", { class: "field" }, h("label", { for: "register-at" }, t("hospitals.new.hospital")), select, h("p", { class: "help", id: "register-at-help" }, t("hospitals.new.help"))),
    shown === null || chosen === null
      ? null
      : h(
          "div",
          { id: "register-at-address", "data-custodian": chosen, "data-address": shown },
          h("p", { class: "small" }, t("hospitals.new.address", { institution: institutionName(data, chosen) }), " ", h("code", { class: "address" }, shown)),
          h("div", { class: "qr-box small-qr" }, qrSvg(shown, t("hospitals.new.qr", { institution: institutionName(data, chosen) }))),
        ),
  );
}

export function hospitalsCard(chain: Chain, data: Data): HTMLElement {
  const items = data.mine.map((m) => {
    const name = institutionName(data, m.custodian);
    if (m.registered) {
      return h(
        "li",
        { class: "item tone-ok", "data-custodian": m.custodian, "data-state": "registered" },
        h("p", { class: "item-title" }, t("hospitals.registered", { institution: name })),
        h("p", { class: "small" }, `${t("hospitals.pseudonym")}: `, h("code", { class: "address" }, m.address)),
      );
    }
    const clock = chainClock(chain);
    if (clock && m.pending!.expiresAt <= clock.best + 1) {
      // Expired: confirming would fail (RegistrationExpired); the hospital must ask again.
      return h(
        "li",
        { class: "item tone-bad", "data-custodian": m.custodian, "data-state": "expired" },
        h("p", { class: "item-title" }, t("hospitals.expired", { institution: name })),
      );
    }
    return h(
      "li",
      { class: "item tone-warn", "data-custodian": m.custodian, "data-state": "pending" },
      h("p", { class: "item-title" }, t("hospitals.pending", { institution: name, time: timeOf(chain, m.pending!.expiresAt) })),
      h("p", { class: "small" }, `${t("hospitals.pseudonym")}: `, h("code", { class: "address" }, m.address)),
      h(
        "button",
        {
          type: "button",
          class: "primary",
          id: `confirm-${m.custodian}`,
          disabled: txInFlight(),
          onclick: () =>
            void transact(chain, { key: "tx.what.confirm", params: { institution: name } }, m.custodian, () =>
              chain.api.tx.Institutions.confirm_registration({ patient: m.address, guardian: m.pending!.guardian }),
            ),
        },
        t("hospitals.confirm", { institution: name }),
      ),
    );
  });
  return h(
    "section",
    { class: "card", id: "hospitals", "aria-labelledby": "hospitals-title" },
    h("h3", { id: "hospitals-title" }, t("hospitals.title")),
    items.length ? h("ul", { class: "items" }, items) : h("p", { class: "empty" }, t("hospitals.none")),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", id: "consents-refresh", onclick: () => void loadAll(chain), disabled: state.loading }, t("consents.refresh")),
    ),
    newHospital(data),
  );
}
