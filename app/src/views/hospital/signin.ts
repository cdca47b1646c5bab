// Staff sign-in for the hospital portal (docs/app.md, "Staff sign-in"): the institution's admin
// key or a device key as a secret URI, sealed in this browser (staff.ts), unlocked with the
// passphrase, locked by hand or after 15 minutes idle — or an account of a signing extension
// (extension.ts), which keeps the key and asks its user before every transaction. Once signed
// in, what the key is on chain (`Institutions.AdminOf`, `Institutions.Devices`) decides which
// actions the portal offers.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { connect, extensionsPresent, type ExtensionAccount } from "../../extension";
import { address, IndexedDbStore, isSecretUri, WrongPassphrase } from "../../keyring";
import { STAFF_ENTRY, StaffKeyring } from "../../staff";

type Message = { key: Key; params?: Record<string, string | number> };

export interface Who {
  address: string;
  role: "admin" | "device" | "none";
  institution: number | null;
  name: string | null;
  active: boolean;
  /** Hospital or clinic: keeps records, so it has a price list. */
  keepsRecords: boolean;
}

export const staffKeyring = new StaffKeyring(new IndexedDbStore(STAFF_ENTRY));

interface SignInState {
  vaultKnown: boolean | null;
  uri: string;
  pass: string;
  pass2: string;
  busy: boolean;
  errors: Partial<Record<"uri" | "pass" | "pass2" | "unlock", Message>>;
  forgetArmed: boolean;
  who: Who | null;
  reading: boolean;
  /** The passphrase being typed to unlock (kept across re-renders, cleared once tried). */
  unlockPass: string;
}

const s: SignInState = {
  vaultKnown: null,
  uri: "",
  pass: "",
  pass2: "",
  busy: false,
  errors: {},
  forgetArmed: false,
  who: null,
  reading: false,
  unlockPass: "",
};

/** The extension sign-in: the extensions found, the one asked, its accounts, a failure. */
const ext: {
  found: string[] | null;
  connecting: string | null;
  offer: { name: string; accounts: ExtensionAccount[]; disconnect: () => void } | null;
  error: Message | null;
} = { found: null, connecting: null, offer: null, error: null };

let rerenderApp: () => void = () => {};
let checking = false;
let onSignedIn: (who: Who) => void = () => {};

staffKeyring.onChange(() => {
  if (!staffKeyring.unlocked) s.who = null;
  rerenderApp();
});
for (const event of ["pointerdown", "keydown"]) {
  document.addEventListener(event, () => staffKeyring.touch(), { passive: true, capture: true });
}

/** The signed-in key's role, or null (locked, or still reading). */
export function signedIn(): Who | null {
  return staffKeyring.unlocked ? s.who : null;
}

/** Reads what the unlocked key is on chain. */
export async function readWho(chain: Chain): Promise<void> {
  const key = staffKeyring.current;
  if (!key) return;
  s.reading = true;
  rerenderApp();
  try {
    const prefix = await chain.api.constants.System.SS58Prefix();
    const me = address(key.publicKey, prefix);
    const [admin, device] = await Promise.all([
      chain.api.query.Institutions.AdminOf.getValue(me, { at: "best" }),
      chain.api.query.Institutions.Devices.getValue(me, { at: "best" }),
    ]);
    const id = admin ?? device?.institution ?? null;
    const inst = id === null ? undefined : await chain.api.query.Institutions.Institutions.getValue(id, { at: "best" });
    if (staffKeyring.current !== key) return;
    s.who = {
      address: me,
      role: admin !== undefined ? "admin" : device ? "device" : "none",
      institution: id,
      name: inst ? new TextDecoder().decode(inst.name) : null,
      active: inst?.status.type === "Active",
      keepsRecords: inst?.kind.type === "Hospital" || inst?.kind.type === "Clinic",
    };
  } catch (e) {
    console.warn("staff role", e);
    s.who = { address: address(key.publicKey), role: "none", institution: null, name: null, active: false, keepsRecords: false };
  } finally {
    s.reading = false;
  }
  rerenderApp();
  if (s.who) onSignedIn(s.who);
}

async function save(chain: Chain): Promise<void> {
  if (s.busy) return;
  const errors: SignInState["errors"] = {};
  if (!isSecretUri(s.uri)) errors.uri = { key: "staff.error.uri" };
  if (s.pass.length < 8) errors.pass = { key: "keys.error.passShort" };
  else if (s.pass !== s.pass2) errors.pass2 = { key: "keys.error.passMismatch" };
  s.errors = errors;
  if (Object.keys(errors).length) {
    rerenderApp();
    document.querySelector<HTMLElement>("#staff-card [aria-invalid=true]")?.focus();
    return;
  }
  s.busy = true;
  rerenderApp();
  try {
    await staffKeyring.create(s.uri, s.pass);
    s.vaultKnown = true;
    s.uri = "";
  } catch (e) {
    console.warn("staff keyring", e);
    s.errors = { pass: { key: "keys.error.storage" } };
  } finally {
    s.busy = false;
    s.pass = "";
    s.pass2 = "";
  }
  rerenderApp();
  if (staffKeyring.unlocked) {
    document.getElementById("staff-title")?.focus();
    await readWho(chain);
  }
}

async function unlock(chain: Chain, passphrase: string): Promise<void> {
  if (s.busy) return;
  s.busy = true;
  s.errors = {};
  rerenderApp();
  s.unlockPass = "";
  try {
    await staffKeyring.unlock(passphrase);
  } catch (e) {
    s.errors = { unlock: e instanceof WrongPassphrase ? { key: "staff.error.wrong" } : { key: "keys.error.storage" } };
  } finally {
    s.busy = false;
  }
  rerenderApp();
  if (staffKeyring.unlocked) {
    document.getElementById("staff-title")?.focus();
    await readWho(chain);
  } else {
    document.getElementById("staff-unlock-pass")?.focus();
  }
}

function find(): void {
  ext.offer?.disconnect();
  ext.offer = null;
  ext.error = null;
  ext.found = extensionsPresent();
  rerenderApp();
  document.getElementById(ext.found.length > 0 ? "staff-ext-connect-0" : "staff-ext-none")?.focus();
}

async function connectTo(name: string): Promise<void> {
  if (ext.connecting) return;
  ext.offer?.disconnect();
  ext.offer = null;
  ext.error = null;
  ext.connecting = name;
  rerenderApp();
  const result = await connect(name);
  ext.connecting = null;
  if (result.ok) {
    const extension = result.extension;
    ext.offer = { name, accounts: result.accounts, disconnect: () => extension.disconnect() };
  } else {
    ext.error = { key: result.error, params: { name } };
  }
  rerenderApp();
  document.getElementById(ext.offer ? "staff-ext-use-0" : "staff-ext-error")?.focus();
}

async function useAccount(chain: Chain, account: ExtensionAccount): Promise<void> {
  const offer = ext.offer;
  if (!offer) return;
  ext.offer = null;
  ext.found = null;
  staffKeyring.useExtension(offer.name, account.publicKey, account.signer, offer.disconnect);
  document.getElementById("staff-title")?.focus();
  await readWho(chain);
}

/** "Or sign with a browser extension": find the extensions, connect one, choose an account. */
function extensionBlock(chain: Chain): HTMLElement {
  const parts: Array<HTMLElement | null> = [
    h("h4", { id: "staff-ext-title" }, t("extension.title")),
    h("p", { class: "help" }, t("extension.intro")),
    h("div", { class: "buttons" }, h("button", { type: "button", id: "staff-ext-find", onclick: find }, t("extension.find"))),
  ];
  if (ext.found && ext.found.length === 0) parts.push(h("p", { class: "note", id: "staff-ext-none", tabindex: -1 }, t("extension.none")));
  if (ext.found && ext.found.length > 0) {
    parts.push(
      h(
        "div",
        { class: "buttons", id: "staff-ext-list" },
        ext.found.map((name, i) =>
          h(
            "button",
            { type: "button", id: `staff-ext-connect-${i}`, "data-extension": name, disabled: ext.connecting !== null, onclick: () => void connectTo(name) },
            ext.connecting === name ? t("extension.connecting", { name }) : t("extension.connect", { name }),
          ),
        ),
      ),
    );
  }
  if (ext.error) parts.push(h("p", { class: "field-error", id: "staff-ext-error", role: "alert", tabindex: -1 }, t(ext.error.key, ext.error.params)));
  if (ext.offer) {
    const offer = ext.offer;
    parts.push(
      h("p", { class: "help", id: "staff-ext-choose" }, t("extension.choose", { name: offer.name })),
      h(
        "ul",
        { id: "staff-ext-accounts" },
        offer.accounts.map((account, i) => {
          const label = account.name ?? t("extension.unnamed");
          return h(
            "li",
            { "data-address": account.address },
            h("span", { class: "item-title" }, label),
            " ",
            h("code", { class: "address" }, account.address),
            " ",
            h(
              "button",
              { type: "button", id: `staff-ext-use-${i}`, class: "primary", "aria-label": t("extension.use.label", { account: label }), onclick: () => void useAccount(chain, account) },
              t("extension.use"),
            ),
          );
        }),
      ),
    );
  }
  return h("section", { id: "staff-extension", "aria-labelledby": "staff-ext-title" }, parts);
}

function errorLine(m: Message | undefined, id: string): HTMLElement | null {
  return m ? h("p", { class: "field-error", id }, t(m.key, m.params)) : null;
}

function secretField(id: string, label: Key, value: string, set: (v: string) => void, help: Key | null, error: Message | undefined, autocomplete: string): HTMLElement {
  const input = h("input", {
    type: "password",
    id,
    value,
    autocomplete,
    spellcheck: "false",
    "aria-invalid": error ? "true" : null,
    "aria-describedby": [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ") || null,
  });
  input.addEventListener("input", () => set(input.value));
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, t(label)),
    input,
    help ? h("p", { class: "help", id: `${id}-help` }, t(help)) : null,
    errorLine(error, `${id}-error`),
  );
}

function whoLines(who: Who | null): Array<HTMLElement | null> {
  if (!who) return [h("p", { class: "muted" }, t("staff.role.reading"))];
  const label = who.institution !== null ? t("institution.named", { name: who.name ?? "", id: who.institution }) : "";
  return [
    h("p", { class: "small" }, `${t("staff.signedIn")}: `, h("code", { class: "address", id: "staff-address" }, who.address)),
    h(
      "p",
      { id: "staff-role", class: `item-title tone-${who.role === "none" ? "warn" : "ok"}`, "data-role": who.role, "data-institution": who.institution ?? "" },
      who.role === "admin"
        ? t("staff.role.admin", { institution: label })
        : who.role === "device"
          ? t("staff.role.device", { institution: label })
          : t("staff.role.none"),
    ),
    who.role !== "none" && !who.active ? h("p", { class: "note warn" }, t("staff.role.inactive", { institution: label })) : null,
    who.role !== "none" ? h("p", { class: "help" }, t(who.role === "admin" ? "staff.may.admin" : "staff.may.device")) : null,
  ];
}

/** The sign-in card (#staff-card). `signedInCb` runs once the key's role is read. */
export function staffCard(chain: Chain, rerender: () => void, signedInCb: (who: Who) => void, extra: HTMLElement | null): HTMLElement {
  rerenderApp = rerender;
  onSignedIn = signedInCb;
  if (s.vaultKnown === null && !checking) {
    checking = true;
    void staffKeyring.hasVault().then(
      (known) => {
        s.vaultKnown = known;
        rerender();
      },
      () => {
        s.vaultKnown = false;
        s.errors = { pass: { key: "keys.error.storage" } };
        rerender();
      },
    );
  }
  const title = h("h3", { id: "staff-title", tabindex: -1 }, t("staff.title"));
  const body: Array<Node | null> = [h("p", { class: "help" }, t("staff.intro"))];
  const forget = h(
    "button",
    {
      type: "button",
      id: "staff-forget",
      class: "danger",
      onclick: async () => {
        if (!s.forgetArmed) {
          s.forgetArmed = true;
          rerender();
          document.getElementById("staff-forget")?.focus();
          return;
        }
        s.forgetArmed = false;
        await staffKeyring.forget();
        s.vaultKnown = false;
        rerender();
        document.getElementById("staff-uri")?.focus();
      },
    },
    s.forgetArmed ? t("staff.forgetConfirm") : t("staff.forget"),
  );

  if (staffKeyring.unlocked) {
    const from = staffKeyring.current?.extension ?? null;
    body.push(
      ...whoLines(s.reading ? null : s.who),
      from !== null ? h("p", { class: "note", id: "staff-ext-signing", "data-extension": from }, t("extension.signing", { name: from })) : null,
      extra,
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", id: "staff-lock", onclick: () => staffKeyring.lock() }, t("staff.lock")),
        // The sealed key can be removed; an extension's key is the extension's to keep.
        from === null ? forget : null,
      ),
    );
  } else if (s.vaultKnown === null) {
    // Still asking IndexedDB whether a key is stored: nothing to offer yet.
  } else if (s.vaultKnown) {
    const form = h(
      "form",
      { id: "staff-unlock", novalidate: true },
      staffKeyring.lockedBy === "idle" ? h("p", { class: "note warn", id: "staff-idle" }, t("staff.idleLocked")) : null,
      h("p", {}, t("staff.locked")),
      secretField("staff-unlock-pass", "keys.unlockPass", s.unlockPass, (v) => (s.unlockPass = v), null, s.errors.unlock, "current-password"),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "submit", class: "primary", id: "staff-unlock-submit", disabled: s.busy }, s.busy ? t("staff.unlocking") : t("staff.unlock")),
        forget,
      ),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void unlock(chain, s.unlockPass);
    });
    body.push(form, extensionBlock(chain));
  } else {
    const form = h(
      "form",
      { id: "staff-form", novalidate: true },
      secretField("staff-uri", "staff.uri", s.uri, (v) => (s.uri = v), "staff.uri.help", s.errors.uri, "off"),
      secretField("staff-pass", "keys.pass", s.pass, (v) => (s.pass = v), "staff.pass.help", s.errors.pass, "new-password"),
      secretField("staff-pass2", "keys.pass2", s.pass2, (v) => (s.pass2 = v), null, s.errors.pass2, "new-password"),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "submit", class: "primary", id: "staff-save", disabled: s.busy }, s.busy ? t("staff.saving") : t("staff.save")),
      ),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void save(chain);
    });
    body.push(form, extensionBlock(chain));
  }
  return h("section", { class: "card", id: "staff-card", "aria-labelledby": "staff-title" }, title, body);
}
