// The read-only history's "never shared" (#/patient): a pseudonym's deny provisions
// (`Consent.DenyProvisions`), read beside its other lists and shown as one line under it.

import type { Chain } from "../chain";
import { canonicalDeny } from "../deny";
import { h } from "../dom";
import { t, type Key } from "../i18n";
import type { Category } from "../rpc-types";

/** A pseudonym's deny provisions, in the chain's order (none when it has none or on failure to read). */
export async function readNeverShared(chain: Chain, address: string): Promise<Category[]> {
  const stored = await chain.api.query.Consent.DenyProvisions.getValue(address, { at: "best" }).catch(() => []);
  return canonicalDeny(stored.map((c) => c.type as Category));
}

/** "Never shared: mental health record, …", or nothing when the list is empty. */
export function neverSharedLine(categories: readonly Category[], pseudonym: number): HTMLElement | null {
  if (categories.length === 0) return null;
  return h(
    "p",
    { class: "small never-shared", "data-pseudonym": pseudonym, "data-deny": categories.join(" ") },
    t("patient.neverShared", { categories: categories.map((c) => t(`category.${c}` as Key)).join(", ") }),
  );
}
