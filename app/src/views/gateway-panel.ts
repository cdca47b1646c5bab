// The hospital portal's connection to its own gateway: the API token (for this tab only) and
// the gateway's health in words. When the gateway serves the app (/app/), it is the page's
// own origin and no address is asked for.

import type { Chain } from "../chain";
import { GatewayError, gatewayBase, gatewayHealth, gatewaySession, isTokenShaped, saveGateway, savedGateway, servingGateway, type GatewayHealth, type GatewaySession } from "../gateway";
import { h } from "../dom";
import { t, type Key } from "../i18n";
import { field } from "./common";

interface PanelState {
  url: string;
  token: string;
  busy: boolean;
  health: GatewayHealth | null;
  session: GatewaySession | null;
  /** The name of the institution the gateway serves, from the chain. */
  serves: string | null;
  error: { field: "url" | "token" | null; key: Key; params?: Record<string, string | number> } | null;
}

const saved = savedGateway();
const state: PanelState = { url: saved.url ?? "", token: saved.token ?? "", busy: false, health: null, session: null, serves: null, error: null };

const FAILURE: Record<GatewayError["kind"], Key> = {
  token: "gateway.error.token",
  unreachable: "gateway.error.unreachable",
  timeout: "gateway.error.timeout",
  notGateway: "gateway.error.notGateway",
  url: "gateway.error.url",
  refused: "gateway.error.refused",
  unavailable: "gateway.error.unavailable",
  notFound: "gateway.error.notFound",
};

async function connect(chain: Chain, rerender: () => void): Promise<void> {
  if (state.busy) return;
  const base = servingGateway(location.href) ?? gatewayBase(state.url);
  state.health = null;
  state.session = null;
  if (!base) {
    state.error = { field: "url", key: "gateway.error.url" };
    rerender();
    return;
  }
  if (!isTokenShaped(state.token)) {
    state.error = { field: "token", key: "gateway.error.tokenShape" };
    rerender();
    return;
  }
  state.error = null;
  state.busy = true;
  rerender();
  try {
    state.session = await gatewaySession(base, state.token);
    state.serves = state.session.custodian === null ? null : await chain.institutionName(state.session.custodian);
    state.health = await gatewayHealth(base, state.token);
    saveGateway(servingGateway(location.href) ? null : base, state.token.trim());
  } catch (e) {
    const kind = e instanceof GatewayError ? e.kind : "unreachable";
    state.error = { field: kind === "token" ? "token" : null, key: FAILURE[kind], params: { url: base, detail: e instanceof Error ? e.message : String(e) } };
  } finally {
    state.busy = false;
    rerender();
    document.getElementById("gateway-result")?.focus();
  }
}

function healthView(health: GatewayHealth, session: GatewaySession | null): HTMLElement {
  const ok = health.status === "ok";
  const lines: string[] = [];
  if (session?.custodian !== null && session?.custodian !== undefined) {
    lines.push(
      t("gateway.serves", {
        institution: state.serves ? t("institution.named", { name: state.serves, id: session.custodian }) : t("institution.numbered", { id: session.custodian }),
        device: session.device ?? "—",
      }),
    );
    lines.push(t(session.relay ? "gateway.relay.yes" : "gateway.relay.no"));
  }
  lines.push(
    health.node.connected
      ? t("gateway.node.connected", { best: health.node.best.toLocaleString("en"), finalized: health.node.finalized.toLocaleString("en") })
      : t("gateway.node.disconnected"),
  );
  if (health.queued !== null) lines.push(t("gateway.queued", { n: health.queued }));
  if (health.unsettled !== null) lines.push(t("gateway.unsettled", { n: health.unsettled }));
  if (health.problem) lines.push(t("gateway.problem", { problem: health.problem }));
  return h(
    "div",
    { class: `result tone-${ok ? "ok" : "warn"}`, "data-state": health.status },
    h("p", { class: "result-title" }, t(ok ? "gateway.ok" : "gateway.degraded")),
    h("ul", {}, lines.map((l) => h("li", {}, l))),
  );
}

export function gatewayPanel(chain: Chain, rerender: () => void): HTMLElement {
  const serving = servingGateway(location.href);
  const errorId = state.error ? "gateway-error" : null;
  const tokenInput = h("input", {
    type: "password",
    value: state.token,
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
    "aria-invalid": state.error?.field === "token" ? "true" : null,
  });
  tokenInput.addEventListener("input", () => (state.token = tokenInput.value));
  const urlInput = h("input", {
    type: "url",
    value: state.url,
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
    placeholder: "https://gateway.hospital.example",
    "aria-invalid": state.error?.field === "url" ? "true" : null,
  });
  urlInput.addEventListener("input", () => (state.url = urlInput.value));
  const form = h(
    "form",
    { class: "card", novalidate: true },
    serving ? h("p", { class: "help", id: "gateway-serving" }, t("gateway.serving", { url: serving })) : field("gateway-url", t("gateway.url"), t("gateway.url.help"), urlInput),
    field("gateway-token", t("gateway.token"), t("gateway.token.help"), tokenInput),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary", id: "gateway-connect", disabled: state.busy }, state.busy ? t("gateway.busy") : t("gateway.connect")),
      savedGateway().token
        ? h(
            "button",
            {
              type: "button",
              id: "gateway-forget",
              onclick: () => {
                saveGateway(null, null);
                state.token = "";
                state.health = null;
                state.session = null;
                state.error = null;
                rerender();
              },
            },
            t("gateway.forget"),
          )
        : null,
    ),
  );
  if (errorId) {
    const target = state.error?.field === "url" ? urlInput : tokenInput;
    target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") ?? ""} ${errorId}`.trim());
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void connect(chain, rerender);
  });
  return h(
    "section",
    { class: "hospital-section", "aria-labelledby": "gateway-title", id: "gateway-panel" },
    h("h3", { id: "gateway-title" }, t("gateway.title")),
    h("p", { class: "intro" }, t("gateway.intro")),
    form,
    h(
      "div",
      { id: "gateway-result", class: "result-area", "aria-live": "polite", tabindex: -1 },
      state.error ? h("p", { class: "note bad", id: "gateway-error", role: "alert" }, t(state.error.key, state.error.params)) : null,
      state.health ? healthView(state.health, state.session) : null,
    ),
  );
}

/** The gateway this tab is connected to (its token checked with `GET /session`), or null. */
export function connectedGateway(): { base: string; token: string; session: GatewaySession } | null {
  const base = servingGateway(location.href) ?? gatewayBase(state.url);
  return base && state.session ? { base, token: state.token.trim(), session: state.session } : null;
}
