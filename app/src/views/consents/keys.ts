// The patient's secret card (#keys-card): create a secret phrase (shown once, written down) or
// import one, sealed with a passphrase; unlock, lock, and forget it (a second click confirms).
// Once unlocked the screen reads the chain.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { isValidPhrase, newPhrase, WrongPassphrase } from "../../keyring";
import { keyring } from "../patient-keys";
import { loadAll } from "./load";
import { describedBy, message, rerenderApp, screen, state, type Message, type State } from "./state";

function checkNewSecret(): boolean {
  const errors: State["keysErrors"] = {};
  if (state.mode === "import" && !isValidPhrase(state.phrase)) errors.phrase = { key: "keys.error.phrase" };
  if (state.mode === "create" && !state.written) errors.written = { key: "keys.error.written" };
  if (state.pass.length < 8) errors.pass = { key: "keys.error.passShort" };
  else if (state.pass !== state.pass2) errors.pass2 = { key: "keys.error.passMismatch" };
  state.keysErrors = errors;
  return Object.keys(errors).length === 0;
}

async function saveSecret(chain: Chain): Promise<void> {
  if (state.busy) return;
  if (!checkNewSecret()) {
    rerenderApp();
    document.querySelector<HTMLElement>("#keys-card [aria-invalid=true]")?.focus();
    return;
  }
  state.busy = true;
  rerenderApp();
  try {
    await keyring.create(state.phrase, state.pass);
    screen.vaultKnown = true;
    Object.assign(state, { mode: "idle", phrase: "", written: false, pass: "", pass2: "", keysNote: null });
  } catch (e) {
    console.warn("keyring", e);
    state.keysErrors = { pass: { key: "keys.error.storage" } };
  } finally {
    state.busy = false;
    state.pass = "";
    state.pass2 = "";
  }
  rerenderApp();
  if (keyring.unlocked) {
    document.getElementById("keys-title")?.focus();
    await loadAll(chain);
  }
}

async function unlock(chain: Chain, passphrase: string): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  state.keysErrors = {};
  rerenderApp();
  try {
    await keyring.unlock(passphrase);
    state.keysNote = null;
  } catch (e) {
    state.keysErrors = { unlock: e instanceof WrongPassphrase ? { key: "keys.error.wrong" } : { key: "keys.error.storage" } };
  } finally {
    state.busy = false;
  }
  rerenderApp();
  if (keyring.unlocked) {
    document.getElementById("keys-title")?.focus();
    await loadAll(chain);
  } else {
    document.getElementById("keys-unlock-pass")?.focus();
  }
}

function passField(id: string, label: Key, value: string, set: (v: string) => void, help: Key | null, error: Message | undefined): HTMLElement {
  const input = h("input", {
    type: "password",
    id,
    value,
    autocomplete: id === "keys-unlock-pass" ? "current-password" : "new-password",
    "aria-invalid": error ? "true" : null,
    "aria-describedby": describedBy(help && `${id}-help`, error && `${id}-error`),
  });
  input.addEventListener("input", () => set(input.value));
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, t(label)),
    input,
    help ? h("p", { class: "help", id: `${id}-help` }, t(help)) : null,
    message(error, `${id}-error`),
  );
}

export function keysCard(chain: Chain): HTMLElement {
  const e = state.keysErrors;
  const title = h("h3", { id: "keys-title", tabindex: -1 }, t("keys.title"));
  const body: Array<Node | null> = [];
  if (keyring.unlocked) {
    body.push(
      h("p", { id: "keys-state", "data-state": "unlocked" }, t("keys.unlocked")),
      h("div", { class: "buttons" }, h("button", { type: "button", id: "keys-lock", onclick: () => keyring.lock() }, t("keys.lock"))),
    );
  } else if (screen.vaultKnown === null) {
    // Not known yet whether a secret is stored: offer nothing that could replace it.
    body.push(h("p", { class: "muted", id: "keys-state", "data-state": "reading" }, t("keys.reading")));
  } else if (screen.vaultKnown && state.mode === "idle") {
    let pass = "";
    const form = h(
      "form",
      { id: "keys-unlock-form", novalidate: true },
      keyring.lockedBy === "idle" ? h("p", { class: "note", id: "keys-idle" }, t("keys.idleLocked")) : null,
      h("p", { id: "keys-state", "data-state": "locked" }, t("keys.locked")),
      passField("keys-unlock-pass", "keys.unlockPass", "", (v) => (pass = v), null, e.unlock),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "submit", class: "primary", id: "keys-unlock", disabled: state.busy }, state.busy ? t("keys.unlocking") : t("keys.unlock")),
        h(
          "button",
          {
            type: "button",
            id: "keys-forget",
            onclick: async () => {
              if (!state.forgetArmed) {
                state.forgetArmed = true;
                rerenderApp();
                document.getElementById("keys-forget")?.focus();
                return;
              }
              state.forgetArmed = false;
              await keyring.forget();
              screen.vaultKnown = false;
              state.keysNote = { key: "keys.forgotten" };
              rerenderApp();
            },
          },
          state.forgetArmed ? t("keys.forgetConfirm") : t("keys.forget"),
        ),
      ),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void unlock(chain, pass);
    });
    body.push(form);
  } else if (state.mode === "idle") {
    body.push(
      h("p", { id: "keys-state", "data-state": "none" }, t("keys.intro")),
      state.keysNote ? h("p", { class: "note" }, t(state.keysNote.key)) : null,
      h(
        "div",
        { class: "buttons" },
        h(
          "button",
          {
            type: "button",
            class: "primary",
            id: "keys-new",
            onclick: () => {
              Object.assign(state, { mode: "create", phrase: newPhrase(), written: false, keysErrors: {} });
              rerenderApp();
              document.getElementById("keys-phrase")?.focus();
            },
          },
          t("keys.new"),
        ),
        h(
          "button",
          {
            type: "button",
            id: "keys-import",
            onclick: () => {
              Object.assign(state, { mode: "import", phrase: "", keysErrors: {} });
              rerenderApp();
              document.getElementById("keys-phrase-input")?.focus();
            },
          },
          t("keys.import"),
        ),
      ),
    );
  } else {
    const parts: Array<Node | null> = [];
    if (state.mode === "create") {
      parts.push(
        h("p", { class: "phrase-label", id: "keys-phrase-label" }, t("keys.phrase.label")),
        h(
          "ol",
          { class: "phrase mono", id: "keys-phrase", tabindex: -1, "aria-labelledby": "keys-phrase-label" },
          state.phrase.split(" ").map((w) => h("li", {}, w)),
        ),
        h("p", { class: "note warn-note" }, t("keys.phrase.warning")),
      );
      const box = h("input", {
        type: "checkbox",
        id: "keys-written",
        checked: state.written,
        "aria-invalid": e.written ? "true" : null,
        "aria-describedby": e.written ? "keys-written-error" : null,
      });
      box.addEventListener("change", () => (state.written = box.checked));
      parts.push(h("div", { class: "field" }, h("label", { class: "choice" }, box, t("keys.written")), message(e.written, "keys-written-error")));
    } else {
      const area = h("textarea", {
        id: "keys-phrase-input",
        rows: 3,
        autocomplete: "off",
        spellcheck: "false",
        class: "mono",
        "aria-invalid": e.phrase ? "true" : null,
        "aria-describedby": describedBy("keys-phrase-input-help", e.phrase && "keys-phrase-input-error"),
      });
      area.value = state.phrase;
      area.addEventListener("input", () => (state.phrase = area.value));
      parts.push(
        h(
          "div",
          { class: "field" },
          h("label", { for: "keys-phrase-input" }, t("keys.phraseInput")),
          area,
          h("p", { class: "help", id: "keys-phrase-input-help" }, t("keys.phraseInput.help")),
          message(e.phrase, "keys-phrase-input-error"),
        ),
      );
    }
    parts.push(
      passField("keys-pass", "keys.pass", state.pass, (v) => (state.pass = v), "keys.pass.help", e.pass),
      passField("keys-pass2", "keys.pass2", state.pass2, (v) => (state.pass2 = v), null, e.pass2),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "submit", class: "primary", id: "keys-save", disabled: state.busy }, state.busy ? t("keys.saving") : t("keys.save")),
        h(
          "button",
          {
            type: "button",
            id: "keys-cancel",
            onclick: () => {
              Object.assign(state, { mode: "idle", phrase: "", written: false, pass: "", pass2: "", keysErrors: {} });
              rerenderApp();
            },
          },
          t("keys.cancel"),
        ),
      ),
    );
    const form = h("form", { id: "keys-form", novalidate: true }, parts);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void saveSecret(chain);
    });
    body.push(form);
  }
  return h("section", { class: "card", id: "keys-card", "aria-labelledby": "keys-title" }, title, body);
}
