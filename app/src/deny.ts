// Deny provisions ("never share", FHIR Consent provision type deny), without DOM or node
// (unit-tested): the categories a patient excludes from sharing in the chain's order, what a
// save would change (an unchanged set is refused before signing; an empty one clears), and
// which categories of a consent a deny provision overrides.

import { CATEGORIES } from "./consent";
import type { Category } from "./rpc-types";

/** Unique categories in the chain's order (the pallet stores them sorted by its enum's order). */
export function canonicalDeny(categories: readonly Category[]): Category[] {
  const chosen = new Set(categories);
  return CATEGORIES.filter((c) => chosen.has(c));
}

export type DenyChange =
  | { ok: false; reason: "unchanged" }
  | { ok: true; categories: Category[]; clears: boolean; added: Category[]; removed: Category[] };

/**
 * What saving `chosen` over the chain's `current` deny provisions does: refused when nothing
 * changes (no transaction for nothing, the fee-free allowance is limited); an empty choice
 * clears the list (the patient's consents decide again).
 */
export function denyChange(current: readonly Category[], chosen: readonly Category[]): DenyChange {
  const now = canonicalDeny(current);
  const next = canonicalDeny(chosen);
  if (now.join() === next.join()) return { ok: false, reason: "unchanged" };
  return {
    ok: true,
    categories: next,
    clears: next.length === 0,
    added: next.filter((c) => !now.includes(c)),
    removed: now.filter((c) => !next.includes(c)),
  };
}

/** The categories among `chosen` the patient's deny provisions override (deny wins). */
export function deniedAmong(chosen: readonly Category[], deny: readonly Category[]): Category[] {
  return canonicalDeny(chosen.filter((c) => deny.includes(c)));
}
