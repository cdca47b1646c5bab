// The consent editor (#consent-editor): which of the patient's pseudonyms acts, the fee-free
// actions left, and the form of a new consent (who, which categories or records, for which
// purposes, until and from when), checked before anything is signed (src/consent.ts's
// `checkDraft`), then granted (`Consent.grant`). A guardian may act for a ward: acting.ts.

import { Enum } from "polkadot-api";
import type { Chain } from "../../chain";
import { allowanceLeft, blockToMs, CATEGORIES, checkDraft, isoDay, PURPOSES, recordIdText, type FieldName } from "../../consent";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import { chainClock, formatDateTime, problemOf } from "../common";
import { actingOf, actsFor, wardAt, wardName } from "./acting";
import { loadActing } from "./load";
import { denyWarning, updateDenyWarning } from "./never-share";
import { describedBy, emptyDraft, institutionName, message, rerenderApp, state, type Data, type Message } from "./state";
import { transact, txInFlight } from "./transact";

const fromHex = (hex: string) => Uint8Array.from((hex.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));

function grant(chain: Chain): void {
  const data = state.data;
  const me = data && actingOf(data);
  if (!data || !me) return;
  const checked = checkDraft(state.draft, chainClock(chain), data.params.maxDuration, Date.now());
  if (!checked.ok) {
    state.errors = checked.errors;
    rerenderApp();
    const first = (["recipient", "scope", "purposes", "until", "from"] as FieldName[]).find((f) => checked.errors[f]);
    document.querySelector<HTMLElement>(`[data-field=${first}]`)?.focus();
    return;
  }
  state.errors = {};
  const terms = checked.terms;
  const recipient = institutionName(data, terms.grantee);
  void transact(chain, { key: "tx.what.grant", params: { recipient } }, me.address, () =>
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

/** Said plainly when the guardian acts for a ward: whose consents these are, and which key signs. */
function guardianBanner(data: Data): HTMLElement | null {
  const ward = actingOf(data)?.ward;
  if (!ward) return null;
  return h(
    "p",
    { id: "acting-ward", class: "note warn", "data-ward": ward.address, tabindex: -1 },
    h("strong", {}, t("acting.ward", { ward: wardName(ward) })),
    " ",
    t("acting.ward.detail", { ward: wardName(ward), institution: institutionName(data, ward.ward.custodian) }),
  );
}

function allowanceLine(chain: Chain, data: Data): HTMLElement | null {
  const clock = chainClock(chain);
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
  const acting = actingOf(data)!.custodian;
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
    (v) => {
      d.categories = v;
      updateDenyWarning(data, v);
    },
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
      denyWarning(data, d.categories),
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

function actingPicker(data: Data, chain: Chain): HTMLElement | null {
  const registered = data.mine.filter((m) => m.registered);
  const wards = data.wards.filter(actsFor);
  if (registered.length === 0 && wards.length === 0) return null;
  const acting = actingOf(data);
  const select = h(
    "select",
    { id: "acting", "aria-describedby": "acting-help" },
    registered.map((m) => h("option", { value: m.address, selected: m.address === data.acting }, institutionName(data, m.custodian))),
    wards.length
      ? h(
          "optgroup",
          { label: t("acting.wards") },
          wards.map((w) => h("option", { value: w.address, selected: w.address === data.acting }, t("acting.wardOption", { ward: wardAt(data, w) }))),
        )
      : null,
  );
  select.addEventListener("change", () => void actFor(chain, data, select.value, "acting"));
  return h(
    "div",
    { class: "field" },
    h("label", { for: "acting" }, t("acting.label")),
    select,
    h("p", { class: "help", id: "acting-help" }, acting?.ward ? t("acting.help.ward", { ward: wardName(acting.ward) }) : t("acting.help")),
  );
}

/** Acts for the pseudonym at `address` (own, or a ward's as guardian): its consents and records are read, the draft starts again. */
export async function actFor(chain: Chain, data: Data, address: string, focus: string): Promise<void> {
  data.acting = address;
  state.draft = emptyDraft();
  state.errors = {};
  state.denyDraft = null;
  state.denyNote = null;
  state.shownNote = null;
  await loadActing(chain).catch((e) => (state.problem = problemOf(e, chain)));
  rerenderApp();
  document.getElementById(focus)?.focus();
}

/** The editor's card: who acts, the allowance, the form. */
export function editorCard(chain: Chain, data: Data): HTMLElement {
  return h(
    "section",
    { class: "card", id: "consent-editor", "aria-label": t("editor.title") },
    actingPicker(data, chain),
    guardianBanner(data),
    allowanceLine(chain, data),
    editor(chain, data),
  );
}
