// The app shell: header with the language switch and the sections, the chain status bar, the
// live region of emergency accesses (views/emergency/, on every screen), and the screen named by
// the address's hash (#/verify, #/patient, #/consents, #/card, #/hospital,
// #/settings).

import "./styles.css";
import { Chain, DEFAULT_NODE, isWsUrl, nodeUrl, saveNode, savedNode, type ChainStatus } from "./chain";
import { h } from "./dom";
import { getLang, initialLang, setLang, t, type Key, type Lang } from "./i18n";
import { spacingSettings } from "./views/spacing-settings";
import { field } from "./views/common";
import { cardView } from "./views/card";
import { consentsView } from "./views/consents";
import { hospitalView } from "./views/hospital";
import { emergencyRegion, watchEmergencies } from "./views/emergency/region";
import { patientView } from "./views/patient";
import { verifyView } from "./views/verify";

const LANG_KEY = "medchain.lang";
type Route = "verify" | "patient" | "consents" | "card" | "hospital" | "settings";
const ROUTES: Array<[Route, Key]> = [
  ["verify", "nav.verify"],
  ["patient", "nav.patient"],
  ["consents", "nav.consents"],
  ["card", "nav.card"],
  ["hospital", "nav.hospital"],
  ["settings", "nav.settings"],
];

let chain = new Chain(nodeUrl(location.search, savedNode()));
let settingsNote: { key: Key; params?: Record<string, string> } | null = null;

function route(): Route {
  const r = location.hash.replace(/^#\/?/, "");
  return ROUTES.find(([known]) => known === r)?.[0] ?? "verify";
}

function readLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage disabled: the browser's language decides.
  }
  return initialLang(saved, navigator.languages ?? [navigator.language]);
}

function chooseLang(lang: Lang): void {
  setLang(lang);
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // The choice lasts for this page only.
  }
  render();
  document.getElementById(`lang-${lang}`)?.focus();
}

function statusBar(): HTMLElement {
  const item = (id: string, label: Key) =>
    h("div", { class: "stat" }, h("dt", {}, t(label)), h("dd", { id: `status-${id}` }, t("status.unknown")));
  return h(
    "section",
    { class: "statusbar", "aria-label": t("status.label") },
    h(
      "dl",
      {},
      h(
        "div",
        { class: "stat stat-node" },
        h("dt", {}, t("status.node")),
        h(
          "dd",
          {},
          h("span", { id: "status-connection", class: "conn" }, t("status.connecting")),
          " ",
          h("code", { id: "status-url" }, chain.url),
        ),
      ),
      item("best", "status.best"),
      item("finalized", "status.finalized"),
      item("peers", "status.peers"),
      item("runtime", "status.runtime"),
    ),
  );
}

function showStatus(s: ChainStatus): void {
  const set = (id: string, text: string) => {
    const el = document.getElementById(`status-${id}`);
    if (el && el.textContent !== text) el.textContent = text;
  };
  const conn = document.getElementById("status-connection");
  if (conn) conn.dataset.state = s.connection;
  set(
    "connection",
    t(s.connection === "connected" ? "status.connected" : s.connection === "connecting" ? "status.connecting" : "status.disconnected"),
  );
  const num = (n: number | undefined) => (n === undefined ? t("status.unknown") : `#${n.toLocaleString("en")}`);
  set("best", num(s.best));
  set("finalized", num(s.finalized));
  set("peers", s.peers === undefined ? t("status.unknown") : String(s.peers));
  set("runtime", s.specVersion === undefined ? t("status.unknown") : `${s.specName ?? ""} ${s.specVersion}`.trim());
}

function settingsView(): HTMLElement {
  const input = h("input", { type: "url", value: chain.url, autocomplete: "off", spellcheck: "false", class: "mono" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    field("settings-node", t("settings.node"), t("settings.node.help"), input),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary", id: "settings-save" }, t("settings.save")),
      h(
        "button",
        {
          type: "button",
          id: "settings-reset",
          onclick: () => {
            saveNode(null);
            connect(DEFAULT_NODE);
          },
        },
        t("settings.reset", { url: DEFAULT_NODE }),
      ),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const url = input.value.trim();
    if (!isWsUrl(url)) {
      settingsNote = { key: "settings.invalid" };
      render();
      return;
    }
    saveNode(url);
    connect(url);
  });
  return h(
    "section",
    { class: "view", "aria-labelledby": "settings-title" },
    h("h2", { id: "settings-title" }, t("settings.title")),
    form,
    spacingSettings(render),
    h(
      "div",
      { class: "result-area", "aria-live": "polite", id: "settings-note" },
      settingsNote ? h("p", { class: settingsNote.key === "settings.invalid" ? "note bad" : "note" }, t(settingsNote.key, settingsNote.params)) : null,
    ),
  );
}

function connect(url: string): void {
  chain.destroy();
  // The page address's ?node= would win over the saved setting on reload: drop it.
  const params = new URLSearchParams(location.search);
  if (params.has("node")) {
    params.delete("node");
    const search = params.toString();
    history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
  }
  chain = new Chain(url);
  watchEmergencies(chain);
  settingsNote = { key: "settings.saved", params: { url } };
  render();
  chain.onStatus(showStatus);
}

function render(): void {
  const lang = getLang();
  document.documentElement.lang = lang;
  document.title = `${t("app.title")} — ${t(ROUTES.find(([r]) => r === route())![1])}`;
  const current = route();
  const root = document.getElementById("app")!;
  // A re-render after something read from the chain must not take the focus from a field or
  // button (it replaces every element): the element with the same id gets it back.
  const active = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement : null;
  const focusId = active?.id || null;
  const selection = active instanceof HTMLInputElement && active.type !== "checkbox" ? [active.selectionStart, active.selectionEnd] : null;
  const main = h("main", { id: "main", tabindex: -1 });
  const screens: Record<Route, () => HTMLElement> = {
    verify: () => verifyView(chain, render),
    patient: () => patientView(chain, render),
    consents: () => consentsView(chain, render),
    card: () => cardView(chain, render),
    hospital: () => hospitalView(chain, render),
    settings: () => settingsView(),
  };
  const view = screens[current]();
  main.appendChild(view);
  const langButton = (l: Lang, label: Key) =>
    h(
      "button",
      {
        type: "button",
        id: `lang-${l}`,
        lang: l,
        "aria-pressed": l === lang ? "true" : "false",
        onclick: () => chooseLang(l),
      },
      t(label),
    );
  const shell = [
    h("a", { class: "skip", href: "#main", onclick: (e: Event) => (e.preventDefault(), main.focus()) }, t("app.skip")),
    h(
      "header",
      { class: "top" },
      h(
        "div",
        { class: "brand" },
        h("h1", { class: "app-name" }, t("app.title")),
        h("p", { class: "tagline" }, t("app.subtitle")),
      ),
      h("div", { class: "lang", role: "group", "aria-label": t("lang.label") }, langButton("en", "lang.en"), langButton("ko", "lang.ko")),
      h(
        "nav",
        { "aria-label": t("nav.label") },
        h(
          "ul",
          {},
          ROUTES.map(([r, label]) =>
            h("li", {}, h("a", { href: `#/${r}`, id: `nav-${r}`, "aria-current": r === current ? "page" : null }, t(label))),
          ),
        ),
      ),
    ),
    statusBar(),
  ];
  // The emergency accesses' live region stays in place (an alert moved would be announced again):
  // what is before and after it is replaced.
  const region = emergencyRegion();
  if (region.parentNode !== root) {
    root.replaceChildren(...shell, region, main);
  } else {
    while (region.previousSibling) region.previousSibling.remove();
    while (region.nextSibling) region.nextSibling.remove();
    region.before(...shell);
    region.after(main);
  }
  if (focusId && (document.activeElement === document.body || document.activeElement === null)) {
    const again = document.getElementById(focusId);
    again?.focus({ preventScroll: true });
    if (again instanceof HTMLInputElement && selection && selection[0] !== null) {
      try {
        again.setSelectionRange(selection[0], selection[1]);
      } catch {
        // Not every input type has a selection.
      }
    }
  }
  showStatus(chain.current);
}

setLang(readLang());
window.addEventListener("hashchange", () => {
  settingsNote = null;
  render();
  document.getElementById("main")?.focus();
});
watchEmergencies(chain);
render();
chain.onStatus(showStatus);
