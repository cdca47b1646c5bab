// Emergency accesses announced live on the patient screen: while results are shown, the consent
// pallet's `EmergencyAccessOpened` events of each new best block are watched; an access on a
// shown pseudonym is announced in a banner (#patient-live) and its log read again.

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { emergencyAnnouncements, type EmergencyAnnouncement } from "../../words";
import { blockTime, chainClock, institutionLabel } from "../common";
import { nameAll, rereadLog } from "./load";
import { screen, seen, state, type Loaded } from "./state";

let watch: { chain: Chain; stop: () => void } | null = null;
let nextAlert = 1;

/** Stops watching the chain's events (when leaving the view or changing the node). */
export function stopPatientWatch(): void {
  watch?.stop();
  watch = null;
}

export function ensureWatch(chain: Chain): void {
  if (!state.loaded) {
    stopPatientWatch();
    return;
  }
  if (watch?.chain === chain) return;
  stopPatientWatch();
  const sub = chain.api.event.Consent.EmergencyAccessOpened.watchBest().subscribe({
    next: ({ type, block, events }) => {
      const loaded = state.loaded;
      if (type !== "new" || !loaded || block.number <= loaded.readAt) return;
      const found = emergencyAnnouncements(
        events.map((e) => ({
          access: e.payload.access,
          patient: e.payload.patient,
          institution: e.payload.institution,
          expiresAt: e.payload.expires_at,
          block: block.number,
        })),
        loaded.pseudonyms.map((p) => p.address),
        seen,
      );
      if (found.length) void announce(chain, loaded, found);
    },
    error: (e: unknown) => console.warn("emergency access events", e),
  });
  watch = { chain, stop: () => sub.unsubscribe() };
}

async function announce(chain: Chain, loaded: Loaded, found: EmergencyAnnouncement[]): Promise<void> {
  await nameAll(chain, loaded, found.map((a) => a.institution)).catch(() => undefined);
  loaded.clock = chainClock(chain) ?? loaded.clock;
  state.alerts = [...found.map((a) => ({ ...a, id: nextAlert++ })), ...state.alerts];
  screen.redraw();
  // The timeline read again: the access is in the pseudonym's log from the same block.
  await Promise.all(
    [...new Set(found.map((a) => a.pseudonym - 1))].map((i) =>
      rereadLog(chain, loaded.pseudonyms[i]).catch((e: unknown) => console.warn("reading the log again", e)),
    ),
  );
  await nameAll(chain, loaded).catch(() => undefined);
  if (state.loaded === loaded) screen.redraw();
}

export function liveContent(): Node[] {
  const loaded = state.loaded;
  if (!loaded) return [];
  return state.alerts.map((a) =>
    h(
      "div",
      { class: "result tone-bad live-alert", role: "alert", "data-access": a.access },
      h(
        "p",
        { class: "result-title" },
        t(a.key, {
          institution: institutionLabel(a.institution, loaded.names),
          time: blockTime(a.block, loaded.clock),
          block: a.block,
          n: a.pseudonym,
        }),
      ),
      h("p", {}, t("live.emergency.until", { block: a.until, time: blockTime(a.until, loaded.clock) })),
      h(
        "button",
        {
          type: "button",
          id: `patient-live-dismiss-${a.id}`,
          onclick: () => {
            state.alerts = state.alerts.filter((x) => x.id !== a.id);
            screen.redraw();
            document.getElementById("patient-submit")?.focus();
          },
        },
        t("live.dismiss"),
      ),
    ),
  );
}
