// The spacing setting (#/settings, spacing.ts): how long the app waits before sending a
// transaction for another hospital than the last one — off, short, standard (the default) or
// long — as radio buttons in a fieldset, saved in localStorage at once.

import { h } from "../dom";
import { t, type Key } from "../i18n";
import { saveSpacing, SPACING_CHOICES, spacingChoice, type SpacingChoice } from "../spacing";

function current(): SpacingChoice {
  try {
    return spacingChoice(localStorage);
  } catch {
    return spacingChoice(null);
  }
}

export function spacingSettings(rerender: () => void): HTMLElement {
  const chosen = current();
  return h(
    "form",
    { class: "card", id: "spacing-form", novalidate: true },
    h(
      "fieldset",
      { "aria-describedby": "spacing-help" },
      h("legend", {}, t("spacing.legend")),
      h("p", { class: "help", id: "spacing-help" }, t("spacing.help")),
      SPACING_CHOICES.map((choice) => {
        const input = h("input", { type: "radio", name: "spacing", id: `spacing-${choice}`, value: choice, checked: choice === chosen });
        input.addEventListener("change", () => {
          try {
            saveSpacing(localStorage, choice);
          } catch {
            // Storage refused: the default stays in force; the next render shows it.
          }
          rerender();
          document.getElementById(`spacing-${choice}`)?.focus();
        });
        return h("div", { class: "choice" }, input, h("label", { for: `spacing-${choice}` }, t(`spacing.${choice}` as Key)));
      }),
      chosen === "off" ? h("p", { class: "note warn", id: "spacing-off-warning" }, t("spacing.offWarning")) : null,
    ),
  );
}
