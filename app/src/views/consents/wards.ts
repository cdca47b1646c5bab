// A guardian's wards (#wards): add a ward (the hospital that registers it, chosen by name, and
// the ward's pseudonym address as the hospital gives it, with an optional label), kept in this
// browser (wards.ts); for each ward the guardian address to give to the hospital desk (with a
// copy button) and what the chain says: waiting for this guardian's confirmation ("Confirm",
// `Institutions.confirm_registration` signed with the guardian key), registered with this
// guardian ("Act for …": the editor and the list then work on the ward; "See …'s history" opens
// the ward's timeline on #/patient; "End …'s registration", `Institutions.leave` signed with the
// guardian key after a second click confirms), or something the guardian cannot act on, in
// words. Removing a ward forgets it in this browser only.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { publicKeyText } from "../../keyring";
import { addWard, checkWard, LABEL_MAX, removeWard, wardState, type WardDraft, type WardField, type WardState } from "../../wards";
import { chainClock } from "../common";
import { keyring } from "../patient-keys";
import { actFor } from "./editor";
import { actsFor, wardAt, wardName } from "./acting";
import { loadAll } from "./load";
import { qrSvg } from "../../card";
import { addressFromQr } from "../../qr-scan";
import { qrScanner } from "../qr-scanner";
import { showTimeline } from "../timeline-link";
import { describedBy, institutionName, message, rerenderApp, state, timeOf, type Data, type Message, type WardRow } from "./state";
import { transact, txInFlight } from "./transact";
import { storedWards } from "./ward-chain";

/**
 * The add-a-ward form, the card's last note and the ward whose "End the registration" was
 * clicked once (its address; a second click confirms) — kept across re-renders.
 */
const form: { draft: WardDraft; errors: Partial<Record<WardField, Message>>; note: Message | null; leaveArmed: string | null } = {
  draft: { custodian: null, address: "", label: "" },
  errors: {},
  note: null,
  leaveArmed: null,
};

/** A short stable id for a ward's controls: its custodian and the start of its public key. */
const idOf = (row: WardRow) => `${row.ward.custodian}-${row.ward.ward.slice(2, 18)}`;

const TONE: Record<WardState, "ok" | "warn" | "bad"> = {
  registered: "ok",
  pending: "warn",
  expired: "bad",
  otherGuardian: "bad",
  pendingOther: "warn",
  otherCustodian: "bad",
  ended: "warn",
  none: "warn",
};

function add(chain: Chain, data: Data): void {
  // The guardian's own pseudonyms at every institution (registered or not) are not wards.
  const own = data.institutions.map((i) => publicKeyText(keyring.pseudonym(data.genesis, i.id).publicKey));
  const checked = checkWard(form.draft, data.genesis, storedWards(data.genesis), own);
  if (!checked.ok) {
    form.errors = Object.fromEntries(Object.entries(checked.errors).map(([f, key]) => [f, { key, params: { max: LABEL_MAX } }]));
    form.note = null;
    rerenderApp();
    const first = (["hospital", "address", "label"] as WardField[]).find((f) => checked.errors[f]);
    document.getElementById(`ward-${first}`)?.focus();
    return;
  }
  try {
    addWard(localStorage, checked.ward);
  } catch {
    form.errors = { address: { key: "wards.error.storage" } };
    rerenderApp();
    return;
  }
  const name = checked.ward.label !== "" ? checked.ward.label : form.draft.address.trim();
  form.errors = {};
  form.draft = { custodian: null, address: "", label: "" };
  form.note = { key: "wards.added", params: { ward: name } };
  void loadAll(chain);
}

function remove(chain: Chain, data: Data, row: WardRow): void {
  try {
    removeWard(localStorage, row.ward);
  } catch {
    return;
  }
  if (data.acting === row.address) data.acting = null;
  form.note = { key: "wards.removed", params: { ward: wardName(row) } };
  void loadAll(chain);
}

/** "End the registration": the first click arms (and explains), the second signs `Institutions.leave` with the guardian key. */
async function leave(chain: Chain, data: Data, row: WardRow): Promise<void> {
  const params = { ward: wardName(row), institution: institutionName(data, row.ward.custodian) };
  if (form.leaveArmed !== row.address) {
    form.leaveArmed = row.address;
    rerenderApp();
    document.getElementById(`ward-leave-${idOf(row)}`)?.focus();
    return;
  }
  form.leaveArmed = null;
  form.note = null;
  await transact(chain, { key: "tx.what.leaveWard", params }, row.address, () => chain.api.tx.Institutions.leave({ patient: row.address }));
  if (state.tx?.progress.stage === "finalized") {
    form.note = { key: "wards.left", params };
    rerenderApp();
  }
}

function disarm(row: WardRow): void {
  form.leaveArmed = null;
  rerenderApp();
  document.getElementById(`ward-leave-${idOf(row)}`)?.focus();
}

/** "See Minji's history": the ward's timeline on #/patient (also once its registration ended). */
function historyLink(row: WardRow, id: string, ward: string): HTMLElement {
  return h(
    "a",
    {
      href: "#/patient",
      class: "button-link",
      id: `ward-history-${id}`,
      "aria-label": t("wards.history.label", { ward }),
      onclick: () => showTimeline(row.address),
    },
    t("wards.history", { ward }),
  );
}

/** The registered ward's history link and "End the registration" (with its confirmation). */
function registeredActions(chain: Chain, data: Data, row: WardRow, id: string, ward: string, institution: string): HTMLElement[] {
  const armed = form.leaveArmed === row.address;
  return [
    historyLink(row, id, ward),
    h(
      "button",
      {
        type: "button",
        class: armed ? "danger" : null,
        id: `ward-leave-${id}`,
        disabled: txInFlight(),
        "aria-describedby": armed ? `ward-leave-explain-${id}` : null,
        onclick: () => void leave(chain, data, row),
      },
      armed ? t("wards.leave.confirm") : t("wards.leave", { ward, institution }),
    ),
    ...(armed ? [h("button", { type: "button", id: `ward-leave-cancel-${id}`, onclick: () => disarm(row) }, t("wards.leave.cancel"))] : []),
  ];
}

async function copy(row: WardRow): Promise<void> {
  try {
    await navigator.clipboard.writeText(row.guardian);
    form.note = { key: "wards.copied", params: { ward: wardName(row) } };
  } catch {
    form.note = { key: "wards.copyFailed" };
  }
  const note = document.getElementById("wards-note");
  if (note) note.textContent = t(form.note.key, form.note.params);
}

function wardItem(chain: Chain, data: Data, row: WardRow): HTMLElement {
  const clock = chainClock(chain);
  const st = wardState(row.ward, row, row.guardian, clock ? clock.best + 1 : 0);
  const id = idOf(row);
  const ward = wardName(row);
  const institution = institutionName(data, row.ward.custodian);
  const params = { ward, institution, time: row.pending ? timeOf(chain, row.pending.expiresAt) : "" };
  const actions: Array<HTMLElement | null> = [];
  if (st === "pending") {
    actions.push(
      h(
        "button",
        {
          type: "button",
          class: "primary",
          id: `ward-confirm-${id}`,
          disabled: txInFlight(),
          onclick: () =>
            void transact(chain, { key: "tx.what.confirmWard", params: { ward, institution } }, row.address, () =>
              chain.api.tx.Institutions.confirm_registration({ patient: row.address, guardian: row.guardian }),
            ),
        },
        t("wards.confirm", { ward }),
      ),
    );
  }
  if (actsFor(row)) {
    const acting = data.acting === row.address;
    actions.push(
      h(
        "button",
        {
          type: "button",
          class: acting ? null : "primary",
          id: `ward-act-${id}`,
          "aria-pressed": acting ? "true" : "false",
          onclick: () => void actFor(chain, data, row.address, "acting-ward"),
        },
        t(acting ? "wards.acting" : "wards.act", { ward }),
      ),
      ...registeredActions(chain, data, row, id, ward, institution),
    );
  } else if (st === "ended") {
    actions.push(historyLink(row, id, ward));
  }
  actions.push(
    h(
      "button",
      { type: "button", id: `ward-remove-${id}`, "aria-label": t("wards.remove.label", { ward }), onclick: () => remove(chain, data, row) },
      t("wards.remove"),
    ),
  );
  return h(
    "li",
    { class: `item tone-${TONE[st]}`, "data-state": st, "data-ward": row.address, "data-custodian": row.ward.custodian },
    h("p", { class: "item-title" }, wardAt(data, row)),
    h("p", { class: "item-status", id: `ward-state-${id}` }, t(`wards.state.${st}` as Key, params)),
    h("p", { class: "small" }, `${t("wards.pseudonym")}: `, h("code", { class: "address" }, row.address)),
    h(
      "p",
      { class: "small" },
      `${t("wards.guardianAddress", { ward, institution })}: `,
      h("code", { class: "address", id: `ward-guardian-${id}` }, row.guardian),
    ),
    // For the desk to scan: the guardian address as a QR code (the text is the address alone).
    st === "none" || st === "expired" || st === "pendingOther"
      ? h(
          "details",
          { class: "qr-details", id: `ward-guardian-qr-${id}` },
          h("summary", {}, t("wards.guardianQr", { ward })),
          h("div", { class: "qr-box small-qr" }, qrSvg(row.guardian, t("wards.guardianQr.label", { ward }))),
        )
      : null,
    form.leaveArmed === row.address && actsFor(row)
      ? h("p", { class: "note warn", id: `ward-leave-explain-${id}` }, t("wards.leave.explain", { ward, institution }))
      : null,
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", id: `ward-copy-${id}`, "aria-label": t("wards.copy.label", { ward }), onclick: () => void copy(row) }, t("wards.copy")),
      actions,
    ),
  );
}

function addForm(chain: Chain, data: Data): HTMLElement {
  const d = form.draft;
  const e = form.errors;
  const hospital = h(
    "select",
    {
      id: "ward-hospital",
      "aria-invalid": e.hospital ? "true" : null,
      "aria-describedby": describedBy(e.hospital && "ward-hospital-error"),
    },
    h("option", { value: "" }, t("wards.hospital.choose")),
    data.institutions
      .filter((i) => i.active && (i.kind === "Hospital" || i.kind === "Clinic"))
      .map((i) => h("option", { value: i.id, selected: d.custodian === i.id }, institutionName(data, i.id))),
  );
  hospital.addEventListener("change", () => (d.custodian = hospital.value === "" ? null : Number(hospital.value)));
  const field = (id: string, name: "address" | "label", label: Key, help: Key, extra: Record<string, string>) => {
    const input = h("input", {
      type: "text",
      id,
      value: d[name],
      autocomplete: "off",
      spellcheck: "false",
      "aria-invalid": e[name] ? "true" : null,
      "aria-describedby": describedBy(`${id}-help`, e[name] && `${id}-error`),
      ...extra,
    });
    input.addEventListener("input", () => (d[name] = input.value));
    return h("div", { class: "field" }, h("label", { for: id }, t(label)), input, h("p", { class: "help", id: `${id}-help` }, t(help)), message(e[name], `${id}-error`));
  };
  const el = h(
    "form",
    { id: "ward-form", novalidate: true, "aria-labelledby": "ward-form-title" },
    h("h4", { id: "ward-form-title" }, t("wards.add.title")),
    h("div", { class: "field" }, h("label", { for: "ward-hospital" }, t("wards.hospital")), hospital, message(e.hospital, "ward-hospital-error")),
    field("ward-address", "address", "wards.address", "wards.address.help", {}),
    qrScanner(
      "ward-address",
      (text) => {
        const found = addressFromQr(text);
        if (!found) return "qr.error.notAddress";
        d.address = found;
        delete form.errors.address;
        form.note = { key: "wards.scanned" };
        queueMicrotask(() => document.getElementById("ward-address")?.focus());
        return null;
      },
      rerenderApp,
    ),
    field("ward-label", "label", "wards.label", "wards.label.help", { maxlength: String(LABEL_MAX + 20) }),
    Object.keys(e).length ? h("p", { class: "note bad", id: "ward-invalid", role: "alert" }, t("wards.invalid")) : null,
    h("div", { class: "buttons" }, h("button", { type: "submit", id: "ward-add" }, t("wards.add"))),
  );
  el.addEventListener("submit", (ev) => {
    ev.preventDefault();
    add(chain, data);
  });
  return el;
}

/** The wards card: the wards of this browser with their state and actions, and the form to add one. */
export function wardsCard(chain: Chain, data: Data): HTMLElement {
  return h(
    "section",
    { class: "card", id: "wards", "aria-labelledby": "wards-title" },
    h("h3", { id: "wards-title" }, t("wards.title")),
    h("p", { class: "help" }, t("wards.intro")),
    data.wards.length ? h("ul", { class: "items" }, data.wards.map((w) => wardItem(chain, data, w))) : h("p", { class: "empty" }, t("wards.none")),
    h("p", { id: "wards-note", role: "status", "aria-live": "polite", class: "small" }, form.note ? t(form.note.key, form.note.params) : ""),
    addForm(chain, data),
    h("p", { class: "help" }, t("wards.stored")),
  );
}

/** Clears the form when the keyring locks (nothing of it is secret, but it is the holder's). */
export function resetWardForm(): void {
  form.draft = { custodian: null, address: "", label: "" };
  form.errors = {};
  form.note = null;
  form.leaveArmed = null;
}
