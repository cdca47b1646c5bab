// The hospital's gateway, seen from the app: its address (the origin that serves the app at
// /app/, or one the user gives), its API token (kept for this browser tab only), who it is
// (`GET /session`, behind the token: the institution and device it serves, so a wrong token is
// refused there) and its health (`GET /health`, open: the node it follows, records queued for
// anchoring, transactions not settled). Failures come back as a kind said in words.

const TOKEN_KEY = "medchain.gateway.token";
const URL_KEY = "medchain.gateway.url";
const TIMEOUT_MS = 10_000;

export interface GatewayHealth {
  status: "ok" | "degraded";
  node: { connected: boolean; best: number; finalized: number };
  queued: number | null;
  unsettled: number | null;
  problem: string | null;
}

/** `GET /session`: what the gateway serves (null custodian: it has no chain, e.g. in tests). */
export interface GatewaySession {
  custodian: number | null;
  device: string | null;
  relay: boolean;
}

export type GatewayFailure = "token" | "unreachable" | "timeout" | "notGateway" | "url";

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayFailure,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * The gateway's base address: the origin of the page when the gateway serves the app (the page
 * is under `/app/`), else null (the app runs elsewhere, e.g. `npm run dev`: the user gives it).
 */
export function servingGateway(href: string): string | null {
  try {
    const u = new URL(href);
    return /^\/app(\/|$)/.test(u.pathname) ? u.origin : null;
  } catch {
    return null;
  }
}

/** A gateway address as the user typed it: http(s) with a host, without a trailing slash. */
export function gatewayBase(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if ((u.protocol !== "http:" && u.protocol !== "https:") || u.host === "") return null;
    return u.origin + u.pathname.replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** A token has the gateway's shape: printable, no spaces, 16 characters or more. */
export const isTokenShaped = (token: string): boolean => /^[\x21-\x7e]{16,}$/.test(token.trim());

function session(): Storage | null {
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}

export function savedGateway(): { url: string | null; token: string | null } {
  const s = session();
  return { url: s?.getItem(URL_KEY) ?? null, token: s?.getItem(TOKEN_KEY) ?? null };
}

export function saveGateway(url: string | null, token: string | null): void {
  const s = session();
  if (!s) return;
  if (url === null) s.removeItem(URL_KEY);
  else s.setItem(URL_KEY, url);
  if (token === null) s.removeItem(TOKEN_KEY);
  else s.setItem(TOKEN_KEY, token);
}

function isHealth(v: unknown): v is GatewayHealth {
  const o = v as GatewayHealth;
  return (
    (o?.status === "ok" || o?.status === "degraded") &&
    typeof o.node === "object" &&
    o.node !== null &&
    typeof o.node.connected === "boolean" &&
    typeof o.node.best === "number" &&
    typeof o.node.finalized === "number"
  );
}

function isSession(v: unknown): v is GatewaySession {
  const o = v as GatewaySession;
  return (
    typeof o === "object" &&
    o !== null &&
    (o.custodian === null || typeof o.custodian === "number") &&
    (o.device === null || typeof o.device === "string") &&
    typeof o.relay === "boolean"
  );
}

/** One GET to the gateway with the token, bounded in time; the JSON body if it is `shape`. */
async function getJson<T>(url: string, token: string, shape: (v: unknown) => v is T, fetcher: typeof fetch): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetcher(url, {
      headers: { Authorization: `Bearer ${token.trim()}`, Accept: "application/json" },
      signal: controller.signal,
      cache: "no-store",
    });
  } catch (e) {
    throw new GatewayError(controller.signal.aborted ? "timeout" : "unreachable", e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401 || response.status === 403) throw new GatewayError("token", `HTTP ${response.status}`);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: not a MedChain gateway
  }
  if (!response.ok || !shape(body)) throw new GatewayError("notGateway", `HTTP ${response.status}`);
  return body;
}

/** Who the gateway is (checks the token). */
export function gatewaySession(base: string, token: string, fetcher: typeof fetch = (...a) => fetch(...a)): Promise<GatewaySession> {
  return getJson(`${base}/session`, token, isSession, fetcher);
}

/** The gateway's health. */
export function gatewayHealth(base: string, token: string, fetcher: typeof fetch = (...a) => fetch(...a)): Promise<GatewayHealth> {
  return getJson(`${base}/health`, token, isHealth, fetcher);
}
