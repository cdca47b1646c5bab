// Patient portal, signing (#/consents): the secret phrase (create, import, unlock, lock:
// keys.ts), the hospitals that registered the patient (confirm a waiting registration:
// hospitals.ts), the fee-free actions left and the consent editor (editor.ts), the list of
// consents with revoke in one click (list.ts), "never share" (never-share.ts) and the
// certificates with "I showed this certificate" (certificates.ts). Every transaction shows its
// progress in the live region #tx-progress (transact.ts). The state and the reading of the
// chain: state.ts, load.ts. A guardian's wards (wards.ts, ward-chain.ts); whom the editor and
// the list act for: acting.ts.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { problemBox } from "../common";
import { keyring } from "../patient-keys";
import { certificatesCard } from "./certificates";
import { editorCard } from "./editor";
import { hospitalsCard } from "./hospitals";
import { keysCard } from "./keys";
import { consentList } from "./list";
import { loadAll } from "./load";
import { neverShareCard } from "./never-share";
import { emptyDraft, rerenderApp, screen, state } from "./state";
import { progressRegion } from "./transact";
import { resetWardForm, wardsCard } from "./wards";

keyring.onChange(() => {
  if (!keyring.unlocked) {
    state.data = null;
    state.draft = emptyDraft();
    state.errors = {};
    state.denyDraft = null;
    state.denyNote = null;
    state.shownTo = {};
    state.shownNote = null;
    resetWardForm();
  }
  rerenderApp();
});
// Coming back to the screen reads the chain again (another device may have changed things).
window.addEventListener("hashchange", () => {
  if (/^#\/?consents$/.test(location.hash) && screen.chain && keyring.unlocked && !state.loading) void loadAll(screen.chain);
});

export function consentsView(chain: Chain, rerender: () => void): HTMLElement {
  screen.render = rerender;
  screen.chain = chain;
  if (screen.vaultKnown === null) {
    void keyring.hasVault().then(
      (known) => {
        screen.vaultKnown = known;
        rerender();
      },
      () => {
        screen.vaultKnown = false;
        state.keysErrors = { pass: { key: "keys.error.storage" } };
        rerender();
      },
    );
  }
  if (screen.loadedFor !== chain) {
    // Another node (Settings): what was read may be another chain's.
    screen.loadedFor = chain;
    state.data = null;
    state.problem = null;
    state.tx = null;
  }
  if (keyring.unlocked && !state.data && !state.loading && !state.problem) void loadAll(chain);

  const data = state.data;
  const signing: Array<Node | null> = [];
  if (!keyring.unlocked) {
    signing.push(h("p", { class: "muted", id: "keys-needed" }, t("keys.needed")));
  } else if (state.problem) {
    signing.push(
      problemBox(state.problem),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", id: "consents-retry", onclick: () => void loadAll(chain) }, t("consents.refresh")),
      ),
    );
  } else if (!data) {
    signing.push(h("p", { class: "muted" }, t("hospitals.loading")));
  } else {
    signing.push(hospitalsCard(chain, data), wardsCard(chain, data));
    if (data.acting !== null) {
      signing.push(editorCard(chain, data), consentList(chain, data), neverShareCard(chain, data), certificatesCard(chain, data));
    }
  }
  return h(
    "section",
    { class: "view consents", "aria-labelledby": "consents-title" },
    h("h2", { id: "consents-title" }, t("consents.title")),
    h("p", { class: "intro" }, t("consents.intro")),
    keysCard(chain),
    progressRegion(),
    signing,
  );
}
