// The hospitals that registered the patient (#hospitals): for each, the pseudonym registered, a
// registration waiting for the patient's confirmation (confirm it: `Institutions.confirm_registration`),
// or one that expired; and the button that reads the chain again.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { chainClock } from "../common";
import { loadAll } from "./load";
import { institutionName, state, timeOf, type Data } from "./state";
import { transact, txInFlight } from "./transact";

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
  );
}
