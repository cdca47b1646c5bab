// The app shell's live region of emergency accesses (#emergency-live, under the status bar on
// every screen): each access the watch (src/emergency-watch.ts) reports is announced in a red
// `role="alert"` box — which institution (by name), when (estimated time and block), which
// pseudonym ("pseudonym n" of the patient screen, the hospital that keeps a keyring's
// pseudonym, or the guardian's ward by its label and hospital), until when the access is in force — with "See the timeline" (#/patient) and
// "Dismiss". The region is one element for the page's life and only the boxes that come or go
// are added or removed, so a screen drawn again does not announce an access twice.

import type { Chain } from "../../chain";
import { emergencyWatch } from "../../emergency-watch";
import { h } from "../../dom";
import { getLang, t, type Lang } from "../../i18n";
import { wardNameOf } from "../../wards";
import type { WatchedAccess } from "../../words";
import { blockTime, chainClock, institutionLabel, resolveNames, type Clock } from "../common";
import { showTimeline } from "../timeline-link";
import { watchKeyring } from "./keyring";
import { watchWards } from "./wards";

interface Shown extends WatchedAccess {
  id: number;
  names: Map<number, string | null>;
  clock: Clock | null;
}

let shown: Shown[] = [];
let nextId = 1;

const region = h("div", { id: "emergency-live", class: "emergency-live", role: "region", "aria-label": "" });
/** The boxes drawn, by alert id, and the language they were drawn in. */
const drawn = new Map<number, HTMLElement>();
let drawnLang: Lang | null = null;

/** The node the app uses (at start and after Settings): alerts of another node go. */
export function watchEmergencies(chain: Chain): void {
  emergencyWatch.use(chain);
  shown = [];
  draw();
  void watchKeyring(chain);
  void watchWards(chain);
}

emergencyWatch.onAccess((found, chain) => void announce(found, chain));

async function announce(found: WatchedAccess[], chain: Chain): Promise<void> {
  const ids = found.flatMap((a) => (a.whose.from === "patient" ? [a.institution] : [a.institution, a.whose.custodian]));
  const names = await resolveNames(chain, ids).catch(() => new Map<number, string | null>());
  const clock = chainClock(chain);
  shown = [...found.map((a) => ({ ...a, id: nextId++, names, clock })), ...shown];
  draw();
}

function dismiss(id: number): void {
  const i = shown.findIndex((a) => a.id === id);
  shown = shown.filter((a) => a.id !== id);
  draw();
  // The focus goes to the next box's button, else to the screen.
  const next = shown[Math.min(i, shown.length - 1)];
  const target = next ? document.getElementById(`emergency-dismiss-${next.id}`) : document.getElementById("main");
  target?.focus();
}

function box(a: Shown): HTMLElement {
  const time = (block: number) => blockTime(block, a.clock);
  return h(
    "div",
    { class: "result tone-bad live-alert", role: "alert", "data-access": a.access, id: `emergency-alert-${a.id}` },
    h(
      "p",
      { class: "result-title" },
      t(a.key, {
        institution: institutionLabel(a.institution, a.names),
        time: time(a.block),
        block: a.block,
        n: a.whose.from === "patient" ? a.whose.n : "",
        custodian: a.whose.from === "patient" ? "" : institutionLabel(a.whose.custodian, a.names),
        ward: a.whose.from === "ward" ? wardNameOf(a.whose.label, a.address) : "",
      }),
    ),
    h("p", {}, t("live.emergency.until", { block: a.until, time: time(a.until) })),
    h(
      "div",
      { class: "buttons" },
      h(
        "a",
        {
          href: "#/patient",
          class: "button-link",
          id: `emergency-timeline-${a.id}`,
          onclick: () => showTimeline(a.address),
        },
        t("live.timeline"),
      ),
      h("button", { type: "button", id: `emergency-dismiss-${a.id}`, onclick: () => dismiss(a.id) }, t("live.dismiss")),
    ),
  );
}

/** Adds the boxes of new accesses and removes dismissed ones; all again in another language. */
function draw(): void {
  const lang = getLang();
  if (drawnLang !== lang) {
    drawn.clear();
    region.replaceChildren();
    drawnLang = lang;
  }
  region.setAttribute("aria-label", t("live.region"));
  const ids = new Set(shown.map((a) => a.id));
  for (const [id, el] of drawn) {
    if (!ids.has(id)) {
      el.remove();
      drawn.delete(id);
    }
  }
  // Newest first: each box before the next one already drawn.
  let after: HTMLElement | null = null;
  for (const a of [...shown].reverse()) {
    let el = drawn.get(a.id);
    if (!el) {
      el = box(a);
      drawn.set(a.id, el);
      region.insertBefore(el, after);
    }
    after = el;
  }
  region.hidden = shown.length === 0;
}

/** The region, for the shell: the same element every time (see the file's header). */
export function emergencyRegion(): HTMLElement {
  draw();
  return region;
}
