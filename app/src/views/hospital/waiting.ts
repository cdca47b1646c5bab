// The registrations an institution asked for that wait for the patient's (or the named
// guardian's) confirmation, from every desk and device of the institution:
// `institutions_pendingRegistrations(institution, page)` (the chain's index by institution),
// newest first, 50 per page, with the guardian named and until when each can be confirmed. An
// expired one is marked: it counts against the institution's limit until anyone removes it
// (`Institutions.remove_expired_registration`, or the desk registers the key again). Shown for
// hospitals and clinics, signed in or not (the same is public in `PendingRegistrations`).

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { blockTime, moreButton, type Clock } from "../common";
import type { Portal } from "./data";

export interface WaitingRow {
  patient: string;
  guardian: string | null;
  expiresAt: number;
}

export interface WaitingList {
  items: WaitingRow[];
  total: number;
  /** Pages read so far. */
  pages: number;
}

/** Whether the institution registers patients (a hospital or a clinic). */
export function registersPatients(portal: Pick<Portal, "institution">): boolean {
  return portal.institution.kind === "Hospital" || portal.institution.kind === "Clinic";
}

/** Reads the next page of the institution's waiting registrations into `list`. */
export async function readWaiting(chain: Chain, institution: number, list: WaitingList): Promise<void> {
  const a = await chain.rpc("institutions_pendingRegistrations", [institution, list.pages]);
  const listed = new Set(list.items.map((r) => r.patient));
  for (const r of a.registrations) if (!listed.has(r.patient)) list.items.push({ patient: r.patient, guardian: r.guardian, expiresAt: r.expiresAt });
  list.pages = a.page + 1;
  list.total = a.total;
}

/** The institution's waiting registrations read again, as many pages as were shown. */
export async function freshWaiting(chain: Chain, institution: number, pages = 1): Promise<WaitingList> {
  const list: WaitingList = { items: [], total: 0, pages: 0 };
  do await readWaiting(chain, institution, list);
  while (list.pages < pages && list.items.length < list.total);
  return list;
}

export function waitingSection(portal: Portal, more: { busy: boolean; read: () => void }): HTMLElement | null {
  const list = portal.waiting;
  if (!list || !registersPatients(portal)) return null;
  const clock: Clock | null = portal.clock;
  const best = clock?.best ?? 0;
  return h(
    "section",
    { class: "card", id: "hospital-waiting", "aria-labelledby": "hospital-waiting-title" },
    h("h3", { id: "hospital-waiting-title" }, t("waiting.title")),
    h("p", { class: "muted", id: "hospital-waiting-count" }, t("waiting.count", { count: list.total })),
    list.items.length === 0
      ? h("p", { class: "empty" }, t("waiting.empty"))
      : h(
          "ul",
          { class: "items" },
          list.items.map((r) => {
            const expired = best >= r.expiresAt;
            return h(
              "li",
              { class: `item tone-${expired ? "bad" : "warn"}`, "data-account": r.patient, "data-state": expired ? "expired" : "waiting" },
              h("p", { class: "item-title" }, h("code", { class: "hash" }, r.patient)),
              r.guardian ? h("p", {}, t("waiting.guardian"), " ", h("code", { class: "hash" }, r.guardian)) : null,
              h(
                "p",
                {},
                expired
                  ? t("waiting.expired", { block: r.expiresAt })
                  : t("waiting.until", { block: r.expiresAt, time: blockTime(r.expiresAt, clock) }),
              ),
            );
          }),
        ),
    list.items.length < list.total ? moreButton("hospital-waiting-more", t("more.waiting"), more.busy, more.read) : null,
  );
}
