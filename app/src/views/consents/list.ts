// The patient's consents (#consent-list), newest first, each in a sentence with its state and
// dates; an active or future one is revoked in one click (`Consent.revoke`).

import type { Chain } from "../../chain";
import { consentState, recordIdText, type ConsentState } from "../../consent";
import { deniedAmong } from "../../deny";
import { fill, h } from "../../dom";
import { t, template, type Key } from "../../i18n";
import { chainClock } from "../common";
import { categoryWords } from "./never-share";
import { actingOf, wardName } from "./acting";
import { institutionName, timeOf, type Data } from "./state";
import { transact, txInFlight } from "./transact";

export function consentList(chain: Chain, data: Data): HTMLElement {
  const ward = actingOf(data)?.ward;
  const clock = chainClock(chain);
  const at = clock ? clock.best + 1 : 0;
  const items = data.consents.map((c) => {
    const st: ConsentState = consentState(c, at);
    const scope = [
      ...c.categories.map((x) => t(`category.${x}` as Key)),
      ...c.records.map(([, rid]) => t("list.scope.record", { id: recordIdText(rid) })),
    ].join(", ");
    const purposes = c.purposes.map((p) => t(`purpose.${p}` as Key)).join(", ");
    const recipient = institutionName(data, c.grantee);
    const denied = deniedAmong(c.categories, data.deny);
    const tone = st === "active" ? "ok" : st === "notYetValid" ? "warn" : "bad";
    return h(
      "li",
      { class: `item tone-${tone}`, "data-state": st, "data-consent": c.id },
      h("p", { class: "item-title" }, fill(template("list.sentence"), { recipient: h("strong", {}, recipient), scope, purposes })),
      h("p", { class: "item-status" }, `${t(`list.state.${st}` as Key)} · ${t("list.number", { id: c.id })}`),
      h(
        "p",
        { class: "small" },
        c.validFrom > at ? `${t("list.from", { time: timeOf(chain, c.validFrom), block: c.validFrom })} ` : null,
        t("list.until", { time: timeOf(chain, c.validUntil), block: c.validUntil }),
        c.revokedFrom !== undefined ? ` ${t("list.revokedFrom", { block: c.revokedFrom })}` : null,
      ),
      denied.length && (st === "active" || st === "notYetValid")
        ? h("p", { class: "note warn", "data-denied": denied.join(" ") }, t("list.denied", { categories: categoryWords(denied) }))
        : null,
      st === "active" || st === "notYetValid"
        ? h(
            "button",
            {
              type: "button",
              id: `revoke-${c.id}`,
              class: "danger",
              disabled: txInFlight(),
              "aria-label": t("list.revoke.label", { id: c.id, recipient }),
              onclick: () =>
                void transact(chain, { key: "tx.what.revoke", params: { id: c.id } }, data.acting!, () =>
                  chain.api.tx.Consent.revoke({ consent: BigInt(c.id) }),
                ),
            },
            t("list.revoke"),
          )
        : null,
    );
  });
  return h(
    "section",
    { class: "card", id: "consent-list", "aria-labelledby": "list-title" },
    h("h3", { id: "list-title" }, t("list.title")),
    ward ? h("p", { class: "note warn", id: "list-ward" }, t("list.ward", { ward: wardName(ward) })) : null,
    items.length ? h("ul", { class: "items" }, items) : h("p", { class: "empty" }, t("list.empty")),
    h("p", { class: "help" }, t("list.note")),
  );
}
