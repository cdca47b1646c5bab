// Hospital portal, read-only (#/hospital): an institution chosen by name or number, and what the
// chain says about it —
//   - requests waiting for its delivery: `exchange_pending(custodian, page)`, 20 per page;
//   - its own requests to other institutions, and the fees held and paid: the requests it is a
//     party to (as requester or custodian), `exchange_ofInstitution(institution, page)`, newest
//     first, 20 per page ("look further back" reads the next page);
//   - its administration data: devices and their encryption keys (`Institutions.Devices`),
//     practitioners by role (`Institutions.Practitioners`; no personal data is on chain), and
//     its price list (`Exchange.Prices`, `Exchange.PendingPrices`, the default fee in
//     `Exchange.Params`).
//   - its registrations waiting for the patient's confirmation, from every desk
//     (`institutions_pendingRegistrations`, waiting.ts).
// Signed in with a staff key (signin.ts), the same sections offer the actions that key may
// perform for its own institution (actions.ts): declining, confirming and disputing requests,
// the price list, devices, practitioners and handing the administration over. With the token
// of a gateway that serves the institution (gateway-panel.ts), the requester's side of an
// exchange goes through that gateway (requester.ts): asking, and the records received.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { getLang, t, type Key } from "../../i18n";
import type { Category } from "../../rpc-types";
import {
  custodianShare,
  exchangeWords,
  feeHeld,
  formatAmount,
} from "../../words";
import {
  blockTime,
  blockWhen,
  chainClock,
  field,
  institutionLabel,
  moreButton,
  problemBox,
  problemOf,
  resolveNames,
  shortAddress,
  type Problem,
} from "../common";
import { gatewayPanel } from "../gateway-panel";
import { forgetReceived, requesterSections } from "./requester";
import { freshWaiting, readWaiting, registersPatients, waitingSection } from "./waiting";
import {
  addDeviceForm,
  addPractitionerForm,
  declineControls,
  deliveredControls,
  deviceControls,
  handOverForm,
  pricesEditor,
  refreshRegistrations,
  registerSection,
  removePractitioner,
  resetActions,
} from "./actions";
import { councilSection, readCouncil, refreshCouncil } from "./council";
import { progressRegion, type Ctx, type Reload } from "./forms";
import {
  fromRpc,
  listInstitutions,
  readAdmin,
  olderRemain,
  readOlder,
  type ExchangeRow,
  type InstitutionEntry,
  type Portal,
} from "./data";
import { readWho, signedIn, staffCard, type Who } from "./signin";

export { fromRpc, type ExchangeRow } from "./data";

interface State {
  institutions: InstitutionEntry[] | null;
  listedFor: Chain | null;
  selected: string;
  /** An institution number typed instead of choosing from the list. */
  number: string;
  busy: boolean;
  more: string | null;
  portal: Portal | null;
  problem: Problem | null;
}

/** The institution whose portal was shown last (its forms keep their input across reloads). */
let shownId: number | null = null;
/** Signed in before the institutions were listed: load the staff's institution once they are. */
let loadWhenListed = false;

const state: State = {
  institutions: null,
  listedFor: null,
  selected: "",
  number: "",
  busy: false,
  more: null,
  portal: null,
  problem: null,
};

export function hospitalView(chain: Chain, rerender: () => void): HTMLElement {
  if (state.listedFor !== chain) {
    state.listedFor = chain;
    state.institutions = null;
    state.portal = null;
    listInstitutions(chain).then(
      (list) => {
        if (state.listedFor !== chain) return;
        state.institutions = list;
        if (state.selected === "" && list.length) state.selected = String(list[0].id);
        rerender();
        if (loadWhenListed) {
          loadWhenListed = false;
          void load(chain, rerender, false);
        }
      },
      (e) => {
        state.problem = problemOf(e, chain);
        rerender();
      },
    );
  }
  const select = h(
    "select",
    { id: "hospital-institution", "aria-describedby": "hospital-institution-help", disabled: !state.institutions?.length },
    state.institutions === null
      ? h("option", { value: "" }, t("hospital.listing"))
      : state.institutions.map((i) =>
          h(
            "option",
            { value: String(i.id), selected: String(i.id) === state.selected },
            `${t("institution.named", { name: i.name, id: i.id })} — ${t(`kind.inst.${i.kind}` as Key)}`,
          ),
        ),
  );
  select.addEventListener("change", () => (state.selected = select.value));
  const number = h("input", { type: "text", inputmode: "numeric", autocomplete: "off", value: state.number, class: "short" });
  number.addEventListener("input", () => (state.number = number.value));
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { for: "hospital-institution" }, t("hospital.institution")),
      select,
      h("p", { class: "help", id: "hospital-institution-help" }, t("hospital.institution.help")),
    ),
    field("hospital-number", t("hospital.number"), t("hospital.number.help"), number),
    state.institutions?.length === 0 ? h("p", { class: "empty" }, t("hospital.none")) : null,
    h(
      "button",
      { type: "submit", class: "primary", id: "hospital-submit", disabled: state.busy || !state.institutions?.length },
      state.busy ? t("patient.busy") : t("hospital.submit"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load(chain, rerender);
  });
  const openOwn = (who: Who) => {
    if (who.institution === null || state.portal?.institution.id === who.institution) return;
    state.number = "";
    state.selected = String(who.institution);
    if (state.institutions) void load(chain, rerender, false);
    else loadWhenListed = true;
  };
  const who = signedIn();
  const other =
    who && who.institution !== null && state.portal && state.portal.institution.id !== who.institution
      ? h(
          "div",
          { class: "buttons" },
          h("p", { class: "help" }, t("staff.other")),
          h(
            "button",
            { type: "button", id: "staff-open-own", onclick: () => openOwn(who) },
            t("staff.openOwn", { institution: t("institution.named", { name: who.name ?? "", id: who.institution }) }),
          ),
        )
      : null;
  return h(
    "section",
    { class: "view", "aria-labelledby": "hospital-title" },
    h("h2", { id: "hospital-title" }, t("hospital.title")),
    h("p", { class: "intro" }, t("hospital.intro")),
    staffCard(chain, rerender, openOwn, other),
    form,
    h(
      "div",
      { id: "hospital-result", class: "result-area", "aria-live": "polite" },
      state.problem ? problemBox(state.problem) : null,
      state.portal ? portalView(chain, rerender, state.portal) : null,
    ),
    gatewayPanel(chain, rerender),
  );
}

async function names(chain: Chain, portal: Portal): Promise<void> {
  const ids = [...portal.pending.items, ...portal.requests].flatMap((r) => [r.requester, r.custodian]);
  for (const [id, name] of await resolveNames(chain, ids.filter((id) => !portal.names.has(id)))) portal.names.set(id, name);
}

async function load(chain: Chain, rerender: () => void, focusResult = true): Promise<void> {
  if (state.busy) return;
  const typed = state.number.trim();
  if (typed !== "" && !/^\d{1,9}$/.test(typed)) {
    state.problem = { key: "error.custodian" };
    state.portal = null;
    rerender();
    document.getElementById("hospital-number")?.focus();
    return;
  }
  const wanted = typed !== "" ? String(Number(typed)) : state.selected;
  const institution = state.institutions?.find((i) => String(i.id) === wanted);
  if (!institution) {
    if (typed !== "") {
      state.problem = { key: "hospital.unknownNumber", params: { id: wanted } };
      state.portal = null;
      rerender();
      document.getElementById("hospital-number")?.focus();
    }
    return;
  }
  // The list shows the institution read, whichever way it was chosen.
  state.selected = wanted;
  state.problem = null;
  state.portal = null;
  state.busy = true;
  rerender();
  try {
    const [pending, admin, ss58] = await Promise.all([
      chain.rpc("exchange_pending", [institution.id, 0]),
      readAdmin(chain, institution.id),
      chain.api.constants.System.SS58Prefix(),
    ]);
    const portal: Portal = {
      institution,
      pending: { items: pending.requests.map(fromRpc), total: pending.total, page: pending.page, pageSize: pending.pageSize },
      requests: [],
      requestPages: 0,
      requestTotal: 0,
      waiting: registersPatients({ institution }) ? await freshWaiting(chain, institution.id) : null,
      admin,
      names: new Map([[institution.id, institution.name]]),
      clock: chainClock(chain),
      ss58,
    };
    await readOlder(chain, portal);
    await names(chain, portal);
    refreshCouncil();
    if (shownId !== portal.institution.id) resetActions();
    shownId = portal.institution.id;
    state.portal = portal;
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.busy = false;
    rerender();
    // Focus moves to the result (its title), as on the verify screen.
    if (focusResult) document.getElementById("hospital-result")?.querySelector<HTMLElement>(".result-title, #hospital-summary-title")?.focus();
  }
}

/** Reads one part of the shown portal again after a transaction. */
async function reload(chain: Chain, rerender: () => void, what: Reload): Promise<void> {
  const portal = state.portal;
  if (!portal) return;
  const id = portal.institution.id;
  try {
    if (what === "admin") {
      portal.admin = await readAdmin(chain, id);
    } else if (what === "requests") {
      const pending = await chain.rpc("exchange_pending", [id, 0]);
      const fresh: Portal = {
        ...portal,
        pending: { items: pending.requests.map(fromRpc), total: pending.total, page: pending.page, pageSize: pending.pageSize },
        requests: [],
        requestPages: 0,
        requestTotal: 0,
        clock: chainClock(chain),
      };
      // As many pages as were shown before.
      do await readOlder(chain, fresh);
      while (fresh.requestPages < portal.requestPages && olderRemain(fresh));
      await names(chain, fresh);
      Object.assign(portal, fresh);
      forgetReceived();
    } else if (what === "registrations") {
      await refreshRegistrations(chain, id);
      if (portal.waiting) portal.waiting = await freshWaiting(chain, id, portal.waiting.pages);
    } else if (what === "council") {
      // A motion carried out changes a request: both are read again.
      await readCouncil(chain, rerender);
      await reload(chain, rerender, "requests");
    } else {
      const list = await listInstitutions(chain);
      state.institutions = list;
      portal.institution = list.find((i) => i.id === id) ?? portal.institution;
      await readWho(chain);
    }
  } catch (e) {
    state.problem = problemOf(e, chain);
  }
  if (state.portal === portal) rerender();
}

async function more(chain: Chain, rerender: () => void, button: string, step: (portal: Portal) => Promise<void>): Promise<void> {
  const portal = state.portal;
  if (!portal || state.more) return;
  state.more = button;
  rerender();
  try {
    await step(portal);
    await names(chain, portal);
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.more = null;
    rerender();
    document.getElementById(button)?.focus();
  }
}

// --- The views ---

function capitalise(s: string): string {
  return getLang() === "en" && s ? s[0].toUpperCase() + s.slice(1) : s;
}

function itemsWords(r: ExchangeRow): string {
  const parts = [
    ...r.records.map((id) => t("exchange.item.record", { id })),
    ...r.categories.map((c) => t("exchange.item.category", { category: t(`category.${c}` as Key) })),
  ];
  return parts.join(getLang() === "ko" ? ", " : "; ");
}

function requestItem(r: ExchangeRow, portal: Portal, side: "incoming" | "outgoing", ctx: Ctx | null): HTMLElement {
  const clock = portal.clock;
  const w = exchangeWords(r.status, r.deadline, clock?.best, (b) => blockTime(b, clock));
  const other = side === "incoming" ? r.requester : r.custodian;
  return h(
    "li",
    { class: `item tone-${w.tone}`, "data-state": w.state, "data-request": r.id },
    h(
      "p",
      { class: "item-title" },
      t(side === "incoming" ? "exchange.incoming.line" : "exchange.outgoing.line", {
        id: r.id,
        institution: institutionLabel(other, portal.names),
      }),
    ),
    h("p", {}, t("exchange.items", { items: itemsWords(r), purpose: t(`purpose.${r.purpose}` as Key) })),
    h(
      "p",
      {},
      t(feeHeld(r.status) ? "exchange.fee.held" : r.status.state === "completed" ? "exchange.fee.paid" : "exchange.fee.refunded", {
        fee: formatAmount(r.fee),
      }),
    ),
    h("p", { class: "item-status" }, t(w.title)),
    h("p", {}, t(w.detail, w.params)),
    h(
      "p",
      { class: "muted" },
      t("exchange.requestedAt", { when: blockWhen(r.requestedAt, clock) }),
      " ",
      t("exchange.patient"),
      " ",
      h("code", { class: "hash", title: r.patient }, shortAddress(r.patient)),
    ),
    side === "incoming" && ctx && r.status.state === "requested" ? declineControls(ctx, r.id) : null,
    side === "outgoing" && ctx && r.status.state === "delivered" ? deliveredControls(ctx, r.id) : null,
  );
}

function section(id: string, title: string, ...content: Array<Node | Node[] | null>): HTMLElement {
  return h("section", { class: "card", "aria-labelledby": `${id}-title`, id }, h("h3", { id: `${id}-title` }, title), ...content);
}

function laterNote(key: Key): HTMLElement {
  return h("p", { class: "later" }, t(key));
}

function sum(rows: ExchangeRow[], pick: (r: ExchangeRow) => bigint): bigint {
  return rows.reduce((n, r) => n + pick(r), 0n);
}

function portalView(chain: Chain, rerender: () => void, portal: Portal): HTMLElement {
  const inst = portal.institution;
  const clock = portal.clock;
  const us = inst.id;
  // The actions of the signed-in key, on its own institution's page only.
  const who = signedIn();
  const ctx: Ctx | null =
    who && who.role !== "none" && who.institution === us
      ? { chain, rerender, who, institution: { id: us, name: inst.name }, ss58: portal.ss58, reload: (what) => reload(chain, rerender, what) }
      : null;
  const isAdmin = ctx?.who.role === "admin";
  const isDevice = ctx?.who.role === "device";
  const ours = portal.requests.filter((r) => r.requester === us);
  const theirs = portal.requests.filter((r) => r.custodian === us);

  const summary = section(
    "hospital-summary",
    t("institution.named", { name: inst.name, id: inst.id }),
    h(
      "dl",
      { class: "details" },
      h("dt", {}, t("hospital.kind")),
      h("dd", {}, t(`kind.inst.${inst.kind}` as Key)),
      h("dt", {}, t("hospital.status")),
      h("dd", { "data-state": inst.status }, t(`inst.status.${inst.status}` as Key)),
      h("dt", {}, t("hospital.admitted")),
      h("dd", {}, blockWhen(inst.admittedAt, clock)),
      h("dt", {}, t("hospital.admin")),
      h("dd", {}, h("code", { class: "hash" }, inst.admin)),
    ),
    ctx ? handOverForm(ctx) : null,
    progressRegion("hospital-summary"),
  );

  const pendingMoreId = "hospital-pending-more";
  const incoming = section(
    "hospital-incoming",
    t("hospital.incoming.title"),
    h("p", { class: "muted" }, t("hospital.incoming.count", { count: portal.pending.total })),
    portal.pending.items.length === 0
      ? h("p", { class: "empty" }, t("hospital.incoming.empty"))
      : h("ul", { class: "items" }, portal.pending.items.map((r) => requestItem(r, portal, "incoming", ctx))),
    (portal.pending.page + 1) * portal.pending.pageSize < portal.pending.total
      ? moreButton(pendingMoreId, t("more.pending"), state.more === pendingMoreId, () =>
          void more(chain, rerender, pendingMoreId, async (p) => {
            const a = await chain.rpc("exchange_pending", [us, p.pending.page + 1]);
            p.pending = { items: [...p.pending.items, ...a.requests.map(fromRpc)], total: a.total, page: a.page, pageSize: a.pageSize };
          }),
        )
      : null,
    isDevice ? h("p", { class: "help" }, t("staff.deliver.note")) : laterNote("hospital.later.deliver"),
    progressRegion("hospital-incoming"),
  );

  const olderId = "hospital-requests-more";
  const requestsNote = h(
    "p",
    { class: "muted", id: "hospital-requests-note" },
    portal.requestTotal === 0
      ? t("hospital.requests.none")
      : olderRemain(portal)
        ? t("hospital.requests.some", { shown: portal.requests.length, count: portal.requestTotal })
        : t("hospital.requests.all", { count: portal.requestTotal }),
  );
  const readMore = olderRemain(portal)
    ? moreButton(olderId, t("more.requests"), state.more === olderId, () => void more(chain, rerender, olderId, (p) => readOlder(chain, p)))
    : null;

  const outgoing = section(
    "hospital-outgoing",
    t("hospital.outgoing.title"),
    ours.length === 0
      ? h("p", { class: "empty" }, t("hospital.outgoing.empty"))
      : h("ul", { class: "items" }, ours.map((r) => requestItem(r, portal, "outgoing", ctx))),
    isDevice ? null : laterNote("hospital.later.confirm"),
    progressRegion("hospital-outgoing"),
  );

  const completed = (rows: ExchangeRow[]) => rows.filter((r) => r.status.state === "completed");
  const refunded = (rows: ExchangeRow[]) => rows.filter((r) => r.status.state === "refunded");
  const open = (rows: ExchangeRow[]) => rows.filter((r) => feeHeld(r.status));
  const feeLine = (id: string, key: Key, amount: bigint, count: number) =>
    [h("dt", {}, t(key)), h("dd", { id }, t("fees.amount", { amount: formatAmount(amount), count }))];
  const fees = section(
    "hospital-fees",
    t("hospital.fees.title"),
    h("h4", {}, t("hospital.fees.asRequester")),
    h(
      "dl",
      { class: "details" },
      feeLine("fees-held-by-us", "fees.heldFromUs", sum(open(ours), (r) => r.fee), open(ours).length),
      feeLine("fees-paid-by-us", "fees.paidByUs", sum(completed(ours), (r) => r.fee), completed(ours).length),
      feeLine("fees-refunded-to-us", "fees.refundedToUs", sum(refunded(ours), (r) => r.fee), refunded(ours).length),
    ),
    h("h4", {}, t("hospital.fees.asCustodian")),
    h(
      "dl",
      { class: "details" },
      feeLine("fees-held-for-us", "fees.heldForUs", sum(open(theirs), (r) => custodianShare(r.fee, r.relaySharePerMille)), open(theirs).length),
      feeLine("fees-paid-to-us", "fees.paidToUs", sum(completed(theirs), (r) => custodianShare(r.fee, r.relaySharePerMille)), completed(theirs).length),
    ),
    h("p", { class: "muted" }, t("fees.note")),
    requestsNote,
    readMore,
  );

  const admin = portal.admin;
  const devices = section(
    "hospital-devices",
    t("hospital.devices.title"),
    admin.devices.length === 0
      ? h("p", { class: "empty" }, t("hospital.devices.empty"))
      : h(
          "ul",
          { class: "items" },
          admin.devices.map((d, i) =>
            h(
              "li",
              { class: `item tone-${d.key ? "ok" : "warn"}`, "data-state": d.key ? "key" : "nokey", "data-account": d.account },
              h("p", { class: "item-title" }, h("code", { class: "hash" }, d.account)),
              h("p", {}, t("hospital.added", { when: blockWhen(d.addedAt, clock) })),
              h(
                "p",
                { class: "item-status" },
                d.key ? t("hospital.key.set") : t("hospital.key.none"),
              ),
              d.key ? h("p", {}, h("code", { class: "hash" }, d.key)) : null,
              ctx ? deviceControls(ctx, d.account, i) : null,
            ),
          ),
        ),
    ctx ? addDeviceForm(ctx) : null,
    isAdmin ? null : laterNote("hospital.later.admin"),
    progressRegion("hospital-devices"),
  );

  const roles = new Map<string, number>();
  for (const p of admin.practitioners) roles.set(p.role, (roles.get(p.role) ?? 0) + 1);
  const practitioners = section(
    "hospital-practitioners",
    t("hospital.practitioners.title"),
    h("p", { class: "muted" }, t("hospital.practitioners.privacy")),
    admin.practitioners.length === 0
      ? h("p", { class: "empty" }, t("hospital.practitioners.empty"))
      : [
          h(
            "p",
            { id: "hospital-roles" },
            [...roles].map(([role, n]) => t("hospital.roleCount", { role: t(`role.${role}` as Key), count: n })).join(getLang() === "ko" ? ", " : "; "),
          ),
          h(
            "ul",
            { class: "items" },
            admin.practitioners.map((p, i) =>
              h(
                "li",
                { class: "item tone-ok", "data-role": p.role, "data-account": isAdmin ? p.account : null },
                h("p", { class: "item-title" }, t(`role.${p.role}` as Key)),
                // The accounts only for the administrator, who manages them.
                isAdmin ? h("p", {}, h("code", { class: "hash" }, p.account)) : null,
                h("p", {}, t("hospital.added", { when: blockWhen(p.addedAt, clock) })),
                ctx ? removePractitioner(ctx, p.account, p.role, i) : null,
              ),
            ),
          ),
        ],
    ctx ? addPractitionerForm(ctx) : null,
    progressRegion("hospital-practitioners"),
  );

  const priceRows = (list: Array<[Category, bigint]>) =>
    h(
      "dl",
      { class: "details" },
      list.flatMap(([c, fee]) => [h("dt", {}, capitalise(t(`category.${c}` as Key))), h("dd", {}, formatAmount(fee))]),
    );
  const prices = section(
    "hospital-prices",
    t("hospital.prices.title"),
    admin.prices.length === 0 ? h("p", { class: "empty" }, t("hospital.prices.empty")) : priceRows(admin.prices),
    h("p", { id: "hospital-default-fee" }, t("hospital.prices.default", { fee: formatAmount(admin.defaultFee) })),
    admin.waiting
      ? h(
          "div",
          { id: "hospital-prices-waiting" },
          h("h4", {}, t("hospital.prices.waiting", { block: admin.waiting.from, time: blockTime(admin.waiting.from, clock) })),
          admin.waiting.prices.length === 0 ? h("p", { class: "empty" }, t("hospital.prices.waitingEmpty")) : priceRows(admin.waiting.prices),
        )
      : null,
    ctx ? pricesEditor(ctx, admin.waiting ? admin.waiting.prices : admin.prices, admin.priceDelay, admin.maxPrices, admin) : null,
    isAdmin ? null : laterNote("hospital.later.prices"),
    progressRegion("hospital-prices"),
  );

  summary.querySelector("h3")?.setAttribute("tabindex", "-1");
  const patients = ctx ? registerSection(ctx, admin.registrationExpiry, (b) => blockTime(b, clock)) : null;
  const waitingMoreId = "hospital-waiting-more";
  const waiting = waitingSection(portal, {
    busy: state.more === waitingMoreId,
    read: () => void more(chain, rerender, waitingMoreId, async (p) => (p.waiting ? readWaiting(chain, us, p.waiting) : undefined)),
  });
  const councilCard = councilSection(chain, rerender, ctx, portal);
  const throughGateway = requesterSections(chain, rerender, portal, state.institutions ?? [], () => reload(chain, rerender, "requests"));
  return h("div", { class: "hospital-results" }, summary, incoming, outgoing, ...throughGateway, fees, councilCard, patients, waiting, devices, practitioners, prices);
}
