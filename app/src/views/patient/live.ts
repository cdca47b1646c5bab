// The patient screen's part in the app's emergency watch (src/emergency-watch.ts; the alert
// itself is in the shell's region, views/emergency/region.ts): an access opened on a shown
// pseudonym has that pseudonym's log read again, so the access appears in the timeline without
// reloading; "See the timeline" of an access (or a ward's "See …'s history", views/timeline-link.ts)
// on a pseudonym not shown adds it to the form and reads it.

import { emergencyWatch } from "../../emergency-watch";
import { accountKey } from "../../words";
import { onShowTimeline } from "../timeline-link";
import { load, nameAll, rereadLog } from "./load";
import { screen, state } from "./state";
import type { Chain } from "../../chain";

/** A pseudonym to read when the screen is drawn next ("See the timeline"). */
let pending = false;
/** The focus goes to the timeline once it is drawn ("See the timeline"). */
let toTimeline = false;
/** The screen's chain and re-render when it was last drawn. */
let drawn: { chain: Chain; rerender: () => void } | null = null;

emergencyWatch.onAccess((found, chain) => {
  const loaded = state.loaded;
  if (!loaded || loaded.chain !== chain) return;
  const keys = loaded.pseudonyms.map((p) => accountKey(p.address));
  const touched = loaded.pseudonyms.filter((_, i) => found.some((a) => accountKey(a.address) === keys[i]));
  if (touched.length === 0) return;
  void (async () => {
    // The timeline read again: the access is in the pseudonym's log from the same block.
    await Promise.all(touched.map((p) => rereadLog(chain, p).catch((e: unknown) => console.warn("reading the log again", e))));
    await nameAll(chain, loaded).catch(() => undefined);
    if (state.loaded === loaded) screen.redraw();
  })();
});

onShowTimeline((address: string) => {
  const key = accountKey(address);
  toTimeline = true;
  if (state.loaded?.pseudonyms.some((p) => accountKey(p.address) === key)) {
    if (drawn && /^#\/?patient$/.test(location.hash)) readPending(drawn.chain, drawn.rerender);
    return;
  }
  const rows = state.addresses.map((x) => x.trim());
  if (!rows.some((x) => x !== "" && accountKey(x) === key)) {
    if (rows[0] === "") state.addresses[0] = address;
    else state.addresses.push(address);
  }
  pending = true;
  // On the patient screen already, the link's address does not change: read now.
  if (drawn && /^#\/?patient$/.test(location.hash)) readPending(drawn.chain, drawn.rerender);
});

/** Reads what "See the timeline" asked for, once the screen is drawn with its chain. */
export function readPending(chain: Chain, rerender: () => void): void {
  drawn = { chain, rerender };
  if (toTimeline && !pending && !state.busy && state.loaded) {
    toTimeline = false;
    // After the shell has moved the focus to the screen (a new address) and the screen is drawn.
    setTimeout(() => document.getElementById("log-title")?.focus(), 0);
  } else if (toTimeline && !pending && !state.busy) {
    toTimeline = false; // the reading failed: its problem is shown instead
  }
  if (!pending) return;
  pending = false;
  // After this drawing of the screen (reading starts by drawing it again).
  setTimeout(() => void load(chain, rerender), 0);
}
