// The hospital portal's signing actions (docs/app.md, "What staff may do"), offered only to the
// key that may perform them (the pallets' rules):
//   - a device of the custodian declines a waiting request (`Exchange.decline`);
//   - a device of the requester confirms or disputes a delivery (`Exchange.confirm`, `dispute`);
//   - the admin of a hospital or clinic publishes its price list (`Exchange.set_prices`);
//   - the admin adds, replaces and removes devices, sets their encryption keys, adds and removes
//     practitioners, and hands the administration over (`Institutions.*`); a device sets its own
//     encryption key.
// Every input is checked before signing (a message next to the field, nothing sent); progress
// and failures (the pallet error's doc line) show in #staff-tx next to the action; after a
// success the affected section is read again. The forms' fields, checks and signing: forms.ts.

import { Enum } from "polkadot-api";
import type { Chain } from "../../chain";
import { CATEGORIES } from "../../consent";
import { h } from "../../dom";
import { getLang, t, type Key } from "../../i18n";
import { addressFromQr } from "../../qr-scan";
import { qrScanner } from "../qr-scanner";
import type { Category } from "../../rpc-types";
import { amountText, parseAddress, parseAmount, parseEncryptionKey, parseHex32, type Check } from "../../staff";
import { shortAddress } from "../common";
import { a, afterInvalid, armedButton, busy, checked, errorLine, invalidNote, progressRegion, resetForms, selectField, textField, transact, type Ctx } from "./forms";

/** What the actions keep besides their forms. */
const kept: {
  pricesFrom: unknown;
  /** Pseudonyms registered from this browser for the institution shown, newest first. */
  registered: Array<{ account: string; state: "pending" | "confirmed" | "gone"; expiresAt?: number }>;
} = { pricesFrom: null, registered: [] };

export function resetActions(): void {
  resetForms();
  kept.pricesFrom = null;
  kept.registered = [];
}

// ---------------------------------------------------------------------------------------------
// Requests: decline (custodian's device), confirm and dispute (requester's device)

export function declineControls(ctx: Ctx, request: number): HTMLElement | null {
  if (ctx.who.role !== "device") return null;
  const id = `decline-${request}`;
  return h(
    "div",
    { class: "buttons" },
    armedButton(ctx, id, t("staff.decline"), t("staff.decline.confirm", { id: request }), t("staff.decline.label", { id: request }), () =>
      void transact(ctx, "hospital-incoming", { key: "staff.what.decline", params: { id: request } }, "requests", () =>
        ctx.chain.api.tx.Exchange.decline({ request: BigInt(request) }),
      ),
    ),
  );
}

const REASONS = ["PackageMismatch", "MissingRecords", "RecordMismatch", "Undecryptable"] as const;

export function deliveredControls(ctx: Ctx, request: number): HTMLElement | null {
  if (ctx.who.role !== "device") return null;
  const form = `dispute-${request}`;
  const reasonId = `${form}-reason`;
  const el = h(
    "form",
    { class: "inline-form", id: form, novalidate: true, "aria-label": t("staff.dispute.label", { id: request }) },
    h(
      "div",
      { class: "buttons" },
      h(
        "button",
        {
          type: "button",
          class: "primary",
          id: `confirm-${request}`,
          "aria-label": t("staff.confirm.label", { id: request }),
          disabled: busy(),
          onclick: () =>
            void transact(ctx, "hospital-outgoing", { key: "staff.what.confirm", params: { id: request } }, "requests", () =>
              ctx.chain.api.tx.Exchange.confirm({ request: BigInt(request) }),
            ),
        },
        t("staff.confirm"),
      ),
    ),
    selectField(reasonId, t("staff.dispute.reason"), [["", t("staff.dispute.choose")], ...REASONS.map((r): [string, string] => [r, t(`staff.reason.${r}` as Key)])]),
    h("div", { class: "buttons" }, h("button", { type: "submit", id: `${form}-submit`, disabled: busy() }, t("staff.dispute"))),
    invalidNote(form),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const reason = a.values[reasonId] ?? "";
    const ok = checked<[string]>(form, [[reasonId, REASONS.includes(reason as never) ? { ok: true, value: reason } : { ok: false, error: "staff.error.reason" }]]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-outgoing", { key: "staff.what.dispute", params: { id: request } }, "requests", () =>
      ctx.chain.api.tx.Exchange.dispute({ request: BigInt(request), reason: Enum(ok[0] as (typeof REASONS)[number]) }),
    );
  });
  return el;
}

// ---------------------------------------------------------------------------------------------
// Price list (admin of a hospital or clinic)

export function pricesEditor(ctx: Ctx, newest: Array<[Category, bigint]>, delay: number, maxPrices: number, source: unknown): HTMLElement | null {
  if (ctx.who.role !== "admin" || !ctx.who.keepsRecords) return null;
  const form = "prices";
  // The editor starts from the newest list (waiting, else in force), again after each reload.
  if (kept.pricesFrom !== source) {
    kept.pricesFrom = source;
    for (const c of CATEGORIES) {
      const fee = newest.find(([cat]) => cat === c)?.[1];
      a.values[`${form}-${c}`] = fee === undefined ? "" : amountText(fee);
    }
  }
  const cap = (s: string) => (getLang() === "en" && s ? s[0].toUpperCase() + s.slice(1) : s);
  const el = h(
    "form",
    { id: "prices-form", novalidate: true, "aria-labelledby": "prices-form-title" },
    h("h4", { id: "prices-form-title" }, t("staff.prices.title")),
    h("p", { class: "help", id: "prices-form-help" }, t("staff.prices.help", { blocks: delay })),
    h(
      "div",
      { class: "price-grid" },
      CATEGORIES.map((c) => textField(`${form}-${c}`, t("staff.prices.field", { category: cap(t(`category.${c}` as Key)) }), null, { inputmode: "decimal", placeholder: "—" })),
    ),
    errorLine(form),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: "prices-submit", disabled: busy() }, t("staff.prices.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const filled = CATEGORIES.filter((c) => (a.values[`${form}-${c}`] ?? "").trim() !== "");
    const checks = filled.map((c): [string, Check<bigint>] => [`${form}-${c}`, parseAmount(a.values[`${form}-${c}`])]);
    const ok = checked<bigint[]>(form, checks as never);
    if (!ok) return afterInvalid(ctx, form);
    if (filled.length > maxPrices) {
      a.errors[form] = { key: "staff.error.tooManyPrices", params: { max: maxPrices } };
      a.invalid = form;
      return afterInvalid(ctx, form);
    }
    const prices = filled.map((c, i) => [Enum(c), ok[i]]);
    void transact(ctx, "hospital-prices", { key: "staff.what.prices" }, "admin", () =>
      ctx.chain.api.tx.Exchange.set_prices({ custodian: ctx.institution.id, prices: prices as never }),
    );
  });
  return el;
}

// ---------------------------------------------------------------------------------------------
// Devices

export function addDeviceForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "device-add";
  const field = `${form}-account`;
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-labelledby": `${form}-title` },
    h("h4", { id: `${form}-title` }, t("staff.devices.add")),
    textField(field, t("staff.devices.account"), t("staff.devices.account.help"), { mono: true }),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.devices.addSubmit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[string]>(form, [[field, parseAddress(a.values[field] ?? "", ctx.ss58)]]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-devices", { key: "staff.what.addDevice", params: { account: shortAddress(ok[0]) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.add_device({ device: ok[0] }), [field]);
  });
  return el;
}

/** Per device: set its encryption key (admin, or the device itself), replace or remove it (admin). */
export function deviceControls(ctx: Ctx, device: string, index: number): HTMLElement | null {
  const own = ctx.who.role === "device" && ctx.who.address === device;
  if (ctx.who.role !== "admin" && !own) return null;
  const keyForm = `device-${index}-key`;
  const keyField = `${keyForm}-value`;
  const setKey = h(
    "form",
    { id: keyForm, novalidate: true, class: "action-form" },
    textField(keyField, t("staff.devices.key"), t("staff.devices.key.help"), { mono: true }),
    invalidNote(keyForm),
    h("div", { class: "buttons" }, h("button", { type: "submit", id: `${keyForm}-submit`, disabled: busy() }, t("staff.devices.setKey"))),
  );
  setKey.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[`0x${string}`]>(keyForm, [[keyField, parseEncryptionKey(a.values[keyField] ?? "")]]);
    if (!ok) return afterInvalid(ctx, keyForm);
    void transact(ctx, "hospital-devices", { key: "staff.what.setKey", params: { account: shortAddress(device) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.set_encryption_key({ device, key: ok[0] as never }), [keyField]);
  });
  const parts: HTMLElement[] = [setKey];
  if (ctx.who.role === "admin") {
    const rotForm = `device-${index}-rotate`;
    const rotField = `${rotForm}-account`;
    const rotate = h(
      "form",
      { id: rotForm, novalidate: true, class: "action-form" },
      textField(rotField, t("staff.devices.rotate"), t("staff.devices.rotate.help"), { mono: true }),
      invalidNote(rotForm),
      h("div", { class: "buttons" }, h("button", { type: "submit", id: `${rotForm}-submit`, disabled: busy() }, t("staff.devices.rotateSubmit"))),
    );
    rotate.addEventListener("submit", (e) => {
      e.preventDefault();
      const ok = checked<[string]>(rotForm, [[rotField, parseAddress(a.values[rotField] ?? "", ctx.ss58)]]);
      if (!ok) return afterInvalid(ctx, rotForm);
      void transact(
        ctx,
        "hospital-devices",
        { key: "staff.what.rotateDevice", params: { old: shortAddress(device), account: shortAddress(ok[0]) } },
        "admin",
        () => ctx.chain.api.tx.Institutions.rotate_device({ old_device: device, new_device: ok[0] }),
        [rotField],
      );
    });
    parts.push(
      rotate,
      h(
        "div",
        { class: "buttons" },
        armedButton(ctx, `device-${index}-remove`, t("staff.devices.remove"), t("staff.devices.removeConfirm"), null, () =>
          void transact(ctx, "hospital-devices", { key: "staff.what.removeDevice", params: { account: shortAddress(device) } }, "admin", () =>
            ctx.chain.api.tx.Institutions.remove_device({ device }),
          ),
        ),
      ),
    );
  }
  const details = h("details", { class: "manage", id: `device-${index}-manage` }, h("summary", {}, t("staff.devices.manage")), parts);
  // Open while one of its forms has something to say.
  if ([keyForm, `device-${index}-rotate`, `device-${index}-remove`].some((f) => a.invalid === f || a.armed === f)) details.open = true;
  return details;
}

// ---------------------------------------------------------------------------------------------
// Practitioners

const ROLES = ["Physician", "Nurse", "Pharmacist"] as const;

export function addPractitionerForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "practitioner-add";
  const account = `${form}-account`;
  const role = `${form}-role`;
  const licence = `${form}-licence`;
  a.values[role] ??= "Physician";
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-labelledby": `${form}-title` },
    h("h4", { id: `${form}-title` }, t("staff.practitioners.add")),
    textField(account, t("staff.practitioners.account"), t("staff.practitioners.account.help"), { mono: true }),
    selectField(role, t("staff.practitioners.role"), ROLES.map((r): [string, string] => [r, t(`role.${r}` as Key)])),
    textField(licence, t("staff.practitioners.licence"), t("staff.practitioners.licence.help"), { mono: true }),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.practitioners.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const r = a.values[role] ?? "";
    const ok = checked<[string, string, `0x${string}`]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [role, ROLES.includes(r as never) ? { ok: true, value: r } : { ok: false, error: "staff.error.reason" }],
      [licence, parseHex32(a.values[licence] ?? "")],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    const chosen = ok[1] as (typeof ROLES)[number];
    void transact(ctx, "hospital-practitioners", { key: "staff.what.addPractitioner", params: { role: t(`role.${chosen}` as Key) } }, "admin", () =>
      ctx.chain.api.tx.Institutions.add_practitioner({ practitioner: ok[0], role: Enum(chosen), licence_hash: ok[2] as never }),
      [account, licence],
    );
  });
  return el;
}

export function removePractitioner(ctx: Ctx, account: string, role: string, index: number): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  return h(
    "div",
    { class: "buttons" },
    armedButton(
      ctx,
      `practitioner-${index}-remove`,
      t("staff.practitioners.remove"),
      t("staff.practitioners.removeConfirm"),
      t("staff.practitioners.remove.label", { account: shortAddress(account) }),
      () =>
        void transact(ctx, "hospital-practitioners", { key: "staff.what.removePractitioner", params: { role: t(`role.${role}` as Key) } }, "admin", () =>
          ctx.chain.api.tx.Institutions.remove_practitioner({ practitioner: account }),
        ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Handing the administration over (admin)

export function handOverForm(ctx: Ctx): HTMLElement | null {
  if (ctx.who.role !== "admin") return null;
  const form = "handover";
  const account = `${form}-account`;
  const understood = `${form}-understood`;
  const box = h("input", {
    type: "checkbox",
    id: understood,
    checked: a.values[understood] === "yes",
    "aria-invalid": a.errors[understood] ? "true" : null,
    "aria-describedby": a.errors[understood] ? `${understood}-error` : null,
  });
  box.addEventListener("change", () => (a.values[understood] = box.checked ? "yes" : ""));
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form" },
    textField(account, t("staff.admin.account"), t("staff.admin.account.help"), { mono: true }),
    h("div", { class: "field" }, h("label", { class: "choice", for: understood }, box, t("staff.admin.understand", { institution: ctx.institution.name })), errorLine(understood)),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "danger", id: `${form}-submit`, disabled: busy() }, t("staff.admin.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const ok = checked<[string, boolean]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [understood, a.values[understood] === "yes" ? { ok: true, value: true } : { ok: false, error: "staff.error.handover" }],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    void transact(ctx, "hospital-summary", { key: "staff.what.setAdmin", params: { account: shortAddress(ok[0]) } }, "institution", () =>
      ctx.chain.api.tx.Institutions.set_admin({ new_admin: ok[0] }),
      [account, understood],
    );
  });
  const details = h("details", { class: "manage", id: "handover-details" }, h("summary", {}, t("staff.admin.title")), el);
  if (a.invalid === form) details.open = true;
  return details;
}

// ---------------------------------------------------------------------------------------------
// Registering a patient's pseudonym (admin or device of an active hospital or clinic)

/** Reads again where the pseudonyms registered from this browser stand. */
export async function refreshRegistrations(chain: Chain, custodian: number): Promise<void> {
  if (!kept.registered.length) return;
  const keys = kept.registered.map((r) => [r.account] as [string]);
  const [patients, pending] = await Promise.all([
    chain.api.query.Institutions.Patients.getValues(keys, { at: "best" }),
    chain.api.query.Institutions.PendingRegistrations.getValues(keys, { at: "best" }),
  ]);
  kept.registered = kept.registered.map((r, i) =>
    patients[i]?.custodian === custodian
      ? { account: r.account, state: "confirmed" }
      : pending[i]?.custodian === custodian
        ? { account: r.account, state: "pending", expiresAt: pending[i]!.expires_at }
        : { account: r.account, state: "gone" },
  );
}

/** A QR code read at the desk into the field `id`: its address, or why not (nothing filled in). */
function scanned(id: string, text: string): "qr.error.notAddress" | null {
  const found = addressFromQr(text);
  if (!found) return "qr.error.notAddress";
  a.values[id] = found;
  delete a.errors[id];
  queueMicrotask(() => document.getElementById(id)?.focus());
  return null;
}

export function registerSection(ctx: Ctx, expiry: number, when: (block: number) => string): HTMLElement | null {
  if (ctx.who.role === "none" || !ctx.who.keepsRecords) return null;
  const form = "register";
  const account = `${form}-account`;
  const guardian = `${form}-guardian`;
  const el = h(
    "form",
    { id: form, novalidate: true, class: "action-form", "aria-describedby": `${form}-help` },
    h("p", { class: "help", id: `${form}-help` }, t("staff.patients.help", { blocks: expiry })),
    textField(account, t("staff.patients.account"), t("staff.patients.account.help"), { mono: true }),
    qrScanner(account, (text) => scanned(account, text), ctx.rerender),
    textField(guardian, t("staff.patients.guardian"), t("staff.patients.guardian.help"), { mono: true }),
    qrScanner(guardian, (text) => scanned(guardian, text), ctx.rerender),
    invalidNote(form),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", id: `${form}-submit`, disabled: busy() }, t("staff.patients.submit"))),
  );
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const g = (a.values[guardian] ?? "").trim();
    const ok = checked<[string, string | undefined]>(form, [
      [account, parseAddress(a.values[account] ?? "", ctx.ss58)],
      [guardian, g === "" ? { ok: true, value: undefined } : parseAddress(g, ctx.ss58)],
    ]);
    if (!ok) return afterInvalid(ctx, form);
    const [patient, guard] = ok;
    const before = kept.registered;
    kept.registered = [{ account: patient, state: "pending" as const }, ...before.filter((r) => r.account !== patient)];
    void transact(ctx, "hospital-patients", { key: "staff.what.register", params: { account: shortAddress(patient) } }, "registrations", () =>
      ctx.chain.api.tx.Institutions.register_patient({ patient, guardian: guard }),
      [account, guardian],
    ).then((last) => {
      if (last?.stage === "failed" || last === null) {
        kept.registered = before;
        ctx.rerender();
      }
    });
  });
  const made = kept.registered.filter((r) => r.expiresAt !== undefined || r.state !== "pending");
  return h(
    "section",
    { class: "card", id: "hospital-patients", "aria-labelledby": "hospital-patients-title" },
    h("h3", { id: "hospital-patients-title" }, t("staff.patients.title")),
    el,
    made.length
      ? [
          h("h4", {}, t("staff.patients.made")),
          h(
            "ul",
            { class: "items" },
            made.map((r) =>
              h(
                "li",
                { class: `item tone-${r.state === "confirmed" ? "ok" : r.state === "pending" ? "warn" : "bad"}`, "data-account": r.account, "data-state": r.state },
                h("p", { class: "item-title" }, h("code", { class: "hash" }, r.account)),
                h(
                  "p",
                  {},
                  r.state === "pending"
                    ? t("staff.patients.pending", { block: r.expiresAt ?? "", time: when(r.expiresAt ?? 0) })
                    : t(r.state === "confirmed" ? "staff.patients.confirmed" : "staff.patients.gone"),
                ),
              ),
            ),
          ),
        ]
      : null,
    progressRegion("hospital-patients"),
  );
}
