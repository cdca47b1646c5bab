// Patient portal, signing (#/consents): the secret phrase (create, import, unlock, lock), the
// hospitals that registered the patient (confirm a waiting registration), the fee-free
// actions left, the consent editor, and the list of consents with revoke in one click. Every
// transaction shows its progress in the live region #tx-progress.

import { Enum } from "polkadot-api";
import type { Chain } from "../chain";
import {
  allowanceLeft,
  blockToMs,
  CATEGORIES,
  checkDraft,
  consentState,
  isoDay,
  PURPOSES,
  recordIdText,
  type Clock,
  type ConsentState,
  type Draft,
  type FieldName,
} from "../consent";
import { fill, h } from "../dom";
import { t, template, type Key } from "../i18n";
import { address, IndexedDbStore, isValidPhrase, Keyring, newPhrase, WrongPassphrase } from "../keyring";
import type { Category, Purpose } from "../rpc-types";
import { send, type Progress } from "../tx";
import { errorDocs, formatDateTime, problemBox, problemOf, type Problem } from "./common";

// ---------------------------------------------------------------------------------------------
// State

type Message = { key: Key; params?: Record<string, string | number> };

interface Institution {
  id: number;
  name: string;
  kind: string;
  active: boolean;
}

interface Mine {
  custodian: number;
  address: string;
  registered: boolean;
  pending: { expiresAt: number; guardian: string | undefined } | null;
}

interface ConsentRow {
  id: number;
  grantee: number;
  categories: Category[];
  records: Array<[number, string]>;
  purposes: Purpose[];
  validFrom: number;
  validUntil: number;
  revokedFrom: number | undefined;
}

interface PatientRecord {
  custodian: number;
  recordId: string;
  category: Category;
}

interface Data {
  genesis: string;
  ss58: number;
  institutions: Institution[];
  mine: Mine[];
  acting: number | null;
  consents: ConsentRow[];
  records: PatientRecord[];
  allowance: [number, number];
  params: { maxDuration: number; patientAllowance: number; allowancePeriod: number };
}

type KeysMode = "idle" | "create" | "import";

interface State {
  mode: KeysMode;
  phrase: string; // the new phrase shown once, or the phrase being imported
  written: boolean;
  pass: string;
  pass2: string;
  busy: boolean;
  keysErrors: Partial<Record<"phrase" | "pass" | "pass2" | "written" | "unlock", Message>>;
  keysNote: Message | null;
  forgetArmed: boolean;
  data: Data | null;
  loading: boolean;
  problem: Problem | null;
  draft: Draft;
  errors: Partial<Record<FieldName, Message>>;
  tx: { what: Message; progress: Progress } | null;
}

const emptyDraft = (): Draft => ({ recipient: null, categories: [], records: [], purposes: [], until: "", from: "" });

const state: State = {
  mode: "idle",
  phrase: "",
  written: false,
  pass: "",
  pass2: "",
  busy: false,
  keysErrors: {},
  keysNote: null,
  forgetArmed: false,
  data: null,
  loading: false,
  problem: null,
  draft: emptyDraft(),
  errors: {},
  tx: null,
};

export const keyring = new Keyring(new IndexedDbStore());
let vaultKnown: boolean | null = null;
let renderApp: () => void = () => {};

/** Re-renders the app, keeping the focus on the control that had it (data arrive any time). */
function rerenderApp(): void {
  const id = document.activeElement?.id;
  renderApp();
  if (id && document.activeElement?.id !== id) document.getElementById(id)?.focus({ preventScroll: true });
}

keyring.onChange(() => {
  if (!keyring.unlocked) {
    state.data = null;
    state.draft = emptyDraft();
    state.errors = {};
  }
  rerenderApp();
});
// Coming back to the screen reads the chain again (another device may have changed things).
let currentChain: Chain | null = null;
let loadedFor: Chain | null = null;
window.addEventListener("hashchange", () => {
  if (/^#\/?consents$/.test(location.hash) && currentChain && keyring.unlocked && !state.loading) void loadAll(currentChain);
});
for (const event of ["pointerdown", "keydown"]) {
  document.addEventListener(event, () => keyring.touch(), { passive: true, capture: true });
}

function clockOf(chain: Chain): Clock | null {
  const s = chain.current;
  return s.best !== undefined && s.bestTimeMs !== undefined && s.blockMs !== undefined
    ? { best: s.best, bestTimeMs: s.bestTimeMs, blockMs: s.blockMs }
    : null;
}

const toHex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
const fromHex = (hex: string) => Uint8Array.from((hex.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));

// ---------------------------------------------------------------------------------------------
// Reading the chain

/** The latest read: an older one that finishes later must not overwrite its answer. */
let readSeq = 0;

async function loadAll(chain: Chain): Promise<void> {
  if (!keyring.unlocked) return;
  const seq = ++readSeq;
  state.loading = true;
  state.problem = null;
  rerenderApp();
  try {
    const api = chain.api;
    const [spec, ss58, entries, params] = await Promise.all([
      chain.client.getChainSpecData(),
      api.constants.System.SS58Prefix(),
      api.query.Institutions.Institutions.getEntries({ at: "best" }),
      api.query.Consent.Params.getValue({ at: "best" }),
    ]);
    const institutions: Institution[] = entries
      .map((e) => ({
        id: e.keyArgs[0],
        name: new TextDecoder().decode(e.value.name),
        kind: e.value.kind.type,
        active: e.value.status.type === "Active",
      }))
      .sort((a, b) => a.id - b.id);
    if (!keyring.unlocked) return;
    const keepers = institutions.filter((i) => i.kind === "Hospital" || i.kind === "Clinic");
    const addresses = keepers.map((i) => address(keyring.pseudonym(spec.genesisHash, i.id).publicKey, ss58));
    const [patients, pendings] = await Promise.all([
      api.query.Institutions.Patients.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
      api.query.Institutions.PendingRegistrations.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
    ]);
    const mine: Mine[] = [];
    keepers.forEach((inst, i) => {
      const registered = patients[i] !== undefined && patients[i]!.custodian === inst.id;
      const pending = pendings[i] && pendings[i]!.custodian === inst.id ? { expiresAt: pendings[i]!.expires_at, guardian: pendings[i]!.guardian } : null;
      if (registered || pending) mine.push({ custodian: inst.id, address: addresses[i], registered, pending });
    });
    const previous = state.data?.acting ?? null;
    const acting = mine.find((m) => m.registered && m.custodian === previous)?.custodian ?? mine.find((m) => m.registered)?.custodian ?? null;
    const next: Data = {
      genesis: spec.genesisHash,
      ss58,
      institutions,
      mine,
      acting,
      consents: [],
      records: [],
      allowance: [0, 0],
      params: { maxDuration: params.max_consent_duration, patientAllowance: params.patient_allowance, allowancePeriod: params.allowance_period },
    };
    await loadActing(chain, next);
    // The node was changed meanwhile, the keyring locked, or a newer read runs: drop this one.
    if ((loadedFor !== null && loadedFor !== chain) || seq !== readSeq || !keyring.unlocked) return;
    state.data = next;
  } catch (e) {
    console.warn("consents", e);
    if (seq === readSeq) state.problem = problemOf(e, chain);
  } finally {
    if (seq === readSeq) {
      state.loading = false;
      rerenderApp();
    }
  }
}

/** The consents, records and allowance of the pseudonym the patient acts as. */
async function loadActing(chain: Chain, data: Data | null = state.data): Promise<void> {
  if (!data) return;
  const me = data.mine.find((m) => m.custodian === data.acting && m.registered);
  if (!me) {
    data.consents = [];
    data.records = [];
    return;
  }
  const api = chain.api;
  const [ids, allowance, records] = await Promise.all([
    api.query.Consent.ConsentsOf.getValue(me.address, { at: "best" }),
    api.query.Consent.Allowance.getValue(me.address, { at: "best" }),
    chain.rpc("records_ofPatient", [me.address, 0]),
  ]);
  const values = await api.query.Consent.Consents.getValues(ids.map((id) => [id] as [bigint]), { at: "best" });
  data.consents = values
    .map((c, i): ConsentRow | null =>
      c
        ? {
            id: Number(ids[i]),
            grantee: c.grantee,
            categories: c.scope.categories.map((x) => x.type as Category),
            records: c.scope.records.map(([cu, rid]) => [cu, toHex(rid)] as [number, string]),
            purposes: c.purposes.map((p) => p.type as Purpose),
            validFrom: c.valid_from,
            validUntil: c.valid_until,
            revokedFrom: c.revoked_from,
          }
        : null,
    )
    .filter((c): c is ConsentRow => c !== null)
    .sort((a, b) => b.id - a.id);
  data.allowance = [allowance[0], allowance[1]];
  data.records = records.records.map((r) => ({ custodian: r.custodian, recordId: r.recordId, category: r.category }));
}

// ---------------------------------------------------------------------------------------------
// Transactions

function showProgress(): void {
  const region = document.getElementById("tx-progress");
  if (region) region.replaceChildren(...progressContent());
  if (region) region.dataset.stage = state.tx?.progress.stage ?? "";
}

function progressContent(): Node[] {
  const tx = state.tx;
  if (!tx) return [];
  const p = tx.progress;
  const stageText =
    p.stage === "inBlock" && p.finalityLate
      ? t("tx.finalityLate", { block: p.block ?? "" })
      : t(`tx.stage.${p.stage}` as Key, { block: p.block ?? "" });
  return [
    h("p", { class: "tx-what" }, t(tx.what.key, tx.what.params)),
    h("p", { class: `tx-stage tone-${p.stage === "failed" ? "bad" : p.stage === "finalized" ? "ok" : "warn"}`, "data-stage": p.stage }, stageText),
    p.problem ? h("p", { class: "tx-problem", id: "tx-problem" }, t(p.problem.key, p.problem.params)) : null,
  ].filter((n): n is HTMLParagraphElement => n !== null);
}

/** A transaction is on its way (signing, sent, or in a block and not yet finalized). */
function txInFlight(): boolean {
  const p = state.tx?.progress;
  return !!p && p.stage !== "finalized" && p.stage !== "failed" && !p.finalityLate;
}

async function transact(chain: Chain, what: Message, signerOf: number, build: () => Parameters<typeof send>[0]): Promise<void> {
  const data = state.data;
  if (!data || !keyring.unlocked || txInFlight()) return;
  let tx: Parameters<typeof send>[0];
  let signer: ReturnType<Keyring["pseudonym"]>["signer"];
  try {
    signer = keyring.pseudonym(data.genesis, signerOf).signer;
    tx = build();
  } catch (e) {
    console.warn("transaction", e);
    state.tx = { what, progress: { stage: "failed", problem: { key: "tx.error.unknown" } } };
    rerenderApp();
    return;
  }
  state.tx = { what, progress: { stage: "signing" } };
  rerenderApp();
  document.getElementById("tx-progress")?.focus();
  let refreshedAt: number | undefined;
  const last = await send(
    tx,
    signer,
    (progress) => {
      state.tx = { what, progress };
      showProgress();
      if (progress.stage === "inBlock" && refreshedAt !== progress.block) {
        refreshedAt = progress.block;
        void loadAll(chain);
      }
    },
    { docs: () => errorDocs(chain) },
  );
  state.tx = { what, progress: last };
  await loadAll(chain);
}

function grant(chain: Chain): void {
  const data = state.data;
  if (!data || data.acting === null) return;
  const checked = checkDraft(state.draft, clockOf(chain), data.params.maxDuration, Date.now());
  if (!checked.ok) {
    state.errors = checked.errors;
    rerenderApp();
    const first = (["recipient", "scope", "purposes", "until", "from"] as FieldName[]).find((f) => checked.errors[f]);
    document.querySelector<HTMLElement>(`[data-field=${first}]`)?.focus();
    return;
  }
  state.errors = {};
  const me = data.mine.find((m) => m.custodian === data.acting)!;
  const terms = checked.terms;
  const recipient = institutionName(data, terms.grantee);
  void transact(chain, { key: "tx.what.grant", params: { recipient } }, me.custodian, () =>
    chain.api.tx.Consent.grant({
      patient: me.address,
      grantee: terms.grantee,
      categories: terms.categories.map((c) => Enum(c)),
      records: terms.records.map(([cu, rid]) => [cu, fromHex(rid)] as [number, Uint8Array]),
      purposes: terms.purposes.map((p) => Enum(p)),
      valid_from: terms.validFrom,
      valid_until: terms.validUntil,
      custodian: undefined,
    }),
  ).then(() => {
    if (state.tx?.progress.stage !== "failed") state.draft = emptyDraft();
    rerenderApp();
  });
}

// ---------------------------------------------------------------------------------------------
// Keys

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
    vaultKnown = true;
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

// ---------------------------------------------------------------------------------------------
// Rendering

function message(m: Message | undefined | null, id: string): HTMLElement | null {
  return m ? h("p", { class: "field-error", id }, t(m.key, m.params)) : null;
}

/** aria-describedby of a control: its help and, when invalid, its error. */
function describedBy(...ids: Array<string | null | false | undefined>): string | null {
  const list = ids.filter(Boolean) as string[];
  return list.length ? list.join(" ") : null;
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

function keysCard(chain: Chain): HTMLElement {
  const e = state.keysErrors;
  const title = h("h3", { id: "keys-title", tabindex: -1 }, t("keys.title"));
  const body: Array<Node | null> = [];
  if (keyring.unlocked) {
    body.push(
      h("p", { id: "keys-state", "data-state": "unlocked" }, t("keys.unlocked")),
      h("div", { class: "buttons" }, h("button", { type: "button", id: "keys-lock", onclick: () => keyring.lock() }, t("keys.lock"))),
    );
  } else if (vaultKnown === null) {
    // Not known yet whether a secret is stored: offer nothing that could replace it.
    body.push(h("p", { class: "muted", id: "keys-state", "data-state": "reading" }, t("keys.reading")));
  } else if (vaultKnown && state.mode === "idle") {
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
              vaultKnown = false;
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

function institutionName(data: Data, id: number): string {
  const inst = data.institutions.find((i) => i.id === id);
  return inst ? t("institution.named", { name: inst.name, id }) : t("institution.numbered", { id });
}

function timeOf(chain: Chain, block: number): string {
  const clock = clockOf(chain);
  return clock ? formatDateTime(blockToMs(block, clock)) : `#${block}`;
}

function hospitalsCard(chain: Chain, data: Data): HTMLElement {
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
    const clock = clockOf(chain);
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

function allowanceLine(chain: Chain, data: Data): HTMLElement | null {
  const clock = clockOf(chain);
  if (!clock) return null;
  const a = allowanceLeft(data.allowance, data.params, clock.best + 1);
  const periodMs = data.params.allowancePeriod * clock.blockMs;
  const params = { left: a.left, total: a.total, hours: Math.round(periodMs / 3_600_000) };
  return h(
    "p",
    { id: "allowance", class: `allowance tone-${a.left > 0 ? "ok" : "warn"}`, "data-left": a.left, "data-total": a.total },
    h("strong", {}, t(periodMs === 86_400_000 ? "allowance.today" : "allowance.period", params)),
    " ",
    t("allowance.resets", { time: formatDateTime(blockToMs(a.resetsAt, clock)) }),
  );
}

function checkboxGroup<T extends string>(
  id: string,
  field: FieldName,
  legend: string,
  options: Array<{ value: T; label: string; id: string }>,
  selected: T[],
  onChange: (values: T[]) => void,
  error: Message | undefined,
  help: string | null,
  extraDescribedBy: string | null = null,
): HTMLElement {
  const boxes = options.map((o, i) => {
    const box = h("input", {
      type: "checkbox",
      id: o.id,
      value: o.value,
      checked: selected.includes(o.value),
      "aria-invalid": error ? "true" : null,
      "aria-describedby": error ? `${field}-error` : null,
      "data-field": i === 0 ? field : null,
    });
    box.addEventListener("change", () => {
      const now = new Set(selected);
      if (box.checked) now.add(o.value);
      else now.delete(o.value);
      selected.splice(0, selected.length, ...options.map((x) => x.value).filter((v) => now.has(v)));
      onChange(selected);
    });
    return h("label", { class: "choice", for: o.id }, box, o.label);
  });
  return h(
    "fieldset",
    { id, "aria-describedby": describedBy(help && `${id}-help`, extraDescribedBy, error && `${field}-error`) },
    h("legend", {}, legend),
    help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
    h("div", { class: "choices" }, boxes),
  );
}

function editor(chain: Chain, data: Data): HTMLElement {
  const d = state.draft;
  const e = state.errors;
  const acting = data.acting!;
  // Who: every active institution but the custodian itself, by name.
  const recipient = h(
    "select",
    {
      id: "consent-recipient",
      "data-field": "recipient",
      "aria-invalid": e.recipient ? "true" : null,
      "aria-describedby": describedBy("consent-recipient-help", e.recipient && "recipient-error"),
    },
    h("option", { value: "" }, t("editor.recipient.choose")),
    data.institutions
      .filter((i) => i.active && i.id !== acting)
      .map((i) => h("option", { value: i.id, selected: d.recipient === i.id }, institutionName(data, i.id))),
  );
  recipient.addEventListener("change", () => (d.recipient = recipient.value === "" ? null : Number(recipient.value)));

  const categories = checkboxGroup(
    "consent-categories",
    "scope",
    t("editor.categories"),
    CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}` as Key), id: `cat-${c}` })),
    d.categories,
    (v) => (d.categories = v),
    e.scope,
    null,
  );
  const recordOptions = data.records
    .filter((r) => r.custodian === acting)
    .map((r) => ({
      value: `${r.custodian}:${r.recordId}`,
      label: t("editor.record", { category: t(`category.${r.category}` as Key), id: recordIdText(r.recordId) }),
      id: `rec-${r.recordId.slice(2)}`,
    }));
  const selectedRecords = d.records.map(([cu, rid]) => `${cu}:${rid}`);
  const records = recordOptions.length
    ? checkboxGroup("consent-records", "scope", t("editor.records"), recordOptions, selectedRecords, (v) => {
        d.records = v.map((s) => {
          const [cu, rid] = s.split(":");
          return [Number(cu), rid] as [number, string];
        });
      }, e.scope, null)
    : h("p", { class: "help" }, t("editor.records.none"));
  // The records group's first box must not steal the scope's focus target.
  records.querySelector("[data-field]")?.removeAttribute("data-field");

  const purposes = checkboxGroup(
    "consent-purposes",
    "purposes",
    t("editor.purposes"),
    PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}` as Key), id: `purpose-${p}` })),
    d.purposes,
    (v) => (d.purposes = v),
    e.purposes,
    null,
  );

  const today = isoDay(Date.now());
  const dateField = (id: string, field: "until" | "from", label: Key, help: Key) => {
    const input = h("input", {
      type: "date",
      id,
      value: d[field],
      min: today,
      "data-field": field,
      "aria-invalid": e[field] ? "true" : null,
      "aria-describedby": describedBy(`${id}-help`, e[field] && `${field}-error`),
    });
    input.addEventListener("input", () => (d[field] = input.value));
    input.addEventListener("change", () => (d[field] = input.value));
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, t(label)),
      input,
      h("p", { class: "help", id: `${id}-help` }, t(help)),
      message(e[field], `${field}-error`),
    );
  };

  const invalid = Object.keys(e).length > 0;
  const form = h(
    "form",
    { id: "consent-form", novalidate: true, "aria-labelledby": "editor-title" },
    h("h3", { id: "editor-title" }, t("editor.title")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "consent-recipient" }, t("editor.recipient")),
      recipient,
      h("p", { class: "help", id: "consent-recipient-help" }, t("editor.recipient.help")),
      message(e.recipient, "recipient-error"),
    ),
    h(
      "fieldset",
      { class: "group", id: "consent-scope", "aria-describedby": describedBy("consent-scope-help", e.scope && "scope-error") },
      h("legend", {}, t("editor.scope")),
      h("p", { class: "help", id: "consent-scope-help" }, t("editor.scope.help")),
      categories,
      records,
      message(e.scope, "scope-error"),
    ),
    h("div", { class: "group" }, purposes, message(e.purposes, "purposes-error")),
    h("div", { class: "row-2" }, dateField("consent-until", "until", "editor.until", "editor.until.help"), dateField("consent-from", "from", "editor.from", "editor.from.help")),
    invalid ? h("p", { class: "note bad", id: "consent-invalid", role: "alert" }, t("editor.invalid")) : null,
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: "consent-submit", disabled: txInFlight() }, t("editor.submit"))),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    grant(chain);
  });
  return form;
}

function consentList(chain: Chain, data: Data): HTMLElement {
  const clock = clockOf(chain);
  const at = clock ? clock.best + 1 : 0;
  const items = data.consents.map((c) => {
    const st: ConsentState = consentState(c, at);
    const scope = [
      ...c.categories.map((x) => t(`category.${x}` as Key)),
      ...c.records.map(([, rid]) => t("list.scope.record", { id: recordIdText(rid) })),
    ].join(", ");
    const purposes = c.purposes.map((p) => t(`purpose.${p}` as Key)).join(", ");
    const recipient = institutionName(data, c.grantee);
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
    items.length ? h("ul", { class: "items" }, items) : h("p", { class: "empty" }, t("list.empty")),
    h("p", { class: "help" }, t("list.note")),
  );
}

function actingPicker(data: Data, chain: Chain): HTMLElement | null {
  const registered = data.mine.filter((m) => m.registered);
  if (registered.length === 0) return null;
  const select = h(
    "select",
    { id: "acting", "aria-describedby": "acting-help" },
    registered.map((m) => h("option", { value: m.custodian, selected: m.custodian === data.acting }, institutionName(data, m.custodian))),
  );
  select.addEventListener("change", async () => {
    data.acting = Number(select.value);
    state.draft = emptyDraft();
    state.errors = {};
    await loadActing(chain).catch((e) => (state.problem = problemOf(e, chain)));
    rerenderApp();
    document.getElementById("acting")?.focus();
  });
  return h(
    "div",
    { class: "field" },
    h("label", { for: "acting" }, t("acting.label")),
    select,
    h("p", { class: "help", id: "acting-help" }, t("acting.help")),
  );
}

export function consentsView(chain: Chain, rerender: () => void): HTMLElement {
  renderApp = rerender;
  currentChain = chain;
  if (vaultKnown === null) {
    void keyring.hasVault().then(
      (known) => {
        vaultKnown = known;
        rerender();
      },
      () => {
        vaultKnown = false;
        state.keysErrors = { pass: { key: "keys.error.storage" } };
        rerender();
      },
    );
  }
  if (loadedFor !== chain) {
    // Another node (Settings): what was read may be another chain's.
    loadedFor = chain;
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
    signing.push(hospitalsCard(chain, data));
    if (data.acting !== null) {
      signing.push(
        h(
          "section",
          { class: "card", id: "consent-editor", "aria-label": t("editor.title") },
          actingPicker(data, chain),
          allowanceLine(chain, data),
          editor(chain, data),
        ),
        consentList(chain, data),
      );
    }
  }
  const region = h(
    "div",
    { id: "tx-progress", class: "tx-progress", role: "status", "aria-live": "polite", "aria-label": t("tx.label"), tabindex: -1, "data-stage": state.tx?.progress.stage ?? "" },
    progressContent(),
  );
  return h(
    "section",
    { class: "view consents", "aria-labelledby": "consents-title" },
    h("h2", { id: "consents-title" }, t("consents.title")),
    h("p", { class: "intro" }, t("consents.intro")),
    keysCard(chain),
    region,
    signing,
  );
}
