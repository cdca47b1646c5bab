// The hospital's gateway, seen from the app: its address (the origin that serves the app at
// /app/, or one the user gives), its API token (kept for this browser tab only), who it is
// (`GET /session`, behind the token: the institution and device it serves, so a wrong token is
// refused there) and its health (`GET /health`, open: the node it follows, records queued for
// anchoring, transactions not settled). The requester's side of an exchange goes through it too
// (docs/gateway.md, "Exchange"): `POST /exchanges` asks a custodian (the gateway's device
// signs), `GET /exchanges/{id}` says where an exchange stands and which documents were
// received and verified, `GET /exchanges/{id}/documents/{index}` hands one over with its salt.
// Failures come back as a kind said in words.

import type { Category, Purpose } from "./rpc-types";

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

export type GatewayFailure = "token" | "unreachable" | "timeout" | "notGateway" | "url" | "refused" | "unavailable" | "notFound";

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

/** One request to the gateway with the token, bounded in time (`ms`). */
async function call(url: string, token: string, fetcher: typeof fetch, init: RequestInit = {}, ms = TIMEOUT_MS): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let response: Response;
  try {
    response = await fetcher(url, {
      ...init,
      headers: { Authorization: `Bearer ${token.trim()}`, Accept: "application/json", ...(init.headers ?? {}) },
      signal: controller.signal,
      cache: "no-store",
    });
  } catch (e) {
    throw new GatewayError(controller.signal.aborted ? "timeout" : "unreachable", e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401 || response.status === 403) throw new GatewayError("token", `HTTP ${response.status}`);
  return response;
}

/** The gateway's `{error}` text of a failed answer, if it has one. */
async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** A failed answer as a kind: 422 refused (the gateway's or the chain's reason), 404, 503. */
async function failure(response: Response): Promise<GatewayError> {
  const detail = await errorText(response);
  if (response.status === 422) return new GatewayError("refused", detail);
  if (response.status === 404) return new GatewayError("notFound", detail);
  if (response.status === 503) return new GatewayError("unavailable", detail);
  return new GatewayError("notGateway", detail);
}

/** One GET to the gateway with the token, bounded in time; the JSON body if it is `shape`. */
async function getJson<T>(url: string, token: string, shape: (v: unknown) => v is T, fetcher: typeof fetch): Promise<T> {
  const response = await call(url, token, fetcher);
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

/** What the requester asks a custodian for (`POST /exchanges`). */
export interface Ask {
  custodian: number;
  /** The patient's pseudonym at the custodian, 32 bytes of hex. */
  patient: string;
  records: string[];
  categories: Category[];
  purpose: Purpose;
  /** The most the requester pays, in the smallest unit (a decimal string). */
  maxFee: string;
}

/** The chain's answer to an ask: the request, its block, the fee held, the delivery deadline. */
export interface Asked {
  request: number;
  block: number;
  fee: string;
  deadline: number;
}

/** A document the gateway received in an exchange, opened and verified against the chain. */
export interface ReceivedDocument {
  index: number;
  recordId: string;
  version: number;
  custodian: number;
  category: string;
  format: string;
  size: number;
  contentHash: string;
  verifiedAt: number;
}

/** `GET /exchanges/{id}`: an exchange as the gateway sees it. */
export interface GatewayExchange {
  request: number;
  role: "custodian" | "requester";
  /** `status`: custodian `preparing`, `delivered`, `declined`; requester `requested`,
   * `received`, `confirmed`, `disputed`; both `refunded`, `completed`. */
  progress: { status: string; reason?: string; detail?: string; cause?: string; block?: number };
  custodian: number;
  requester: number;
  fee: string;
  deadline: number;
  problem: string | null;
  received: ReceivedDocument[] | null;
}

function isAsked(v: unknown): v is Asked {
  const o = v as Asked;
  return typeof o?.request === "number" && typeof o.block === "number" && typeof o.fee === "string" && typeof o.deadline === "number";
}

function isExchange(v: unknown): v is GatewayExchange {
  const o = v as GatewayExchange;
  return (
    typeof o?.request === "number" &&
    (o.role === "custodian" || o.role === "requester") &&
    typeof o.progress?.status === "string" &&
    (o.received === null || Array.isArray(o.received))
  );
}

/** Asks a custodian for records through the gateway (its device signs `Exchange.request`; the
 * call waits for the block, so it may take a while: 60 s). */
export async function askExchange(base: string, token: string, ask: Ask, fetcher: typeof fetch = (...a) => fetch(...a)): Promise<Asked> {
  const response = await call(`${base}/exchanges`, token, fetcher, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(ask) }, 60_000);
  if (!response.ok) throw await failure(response);
  const body: unknown = await response.json().catch(() => null);
  if (!isAsked(body)) throw new GatewayError("notGateway", `HTTP ${response.status}`);
  return body;
}

/** Where exchange `id` stands at the gateway (`notFound`: the gateway takes no part in it). */
export async function gatewayExchange(base: string, token: string, id: number, fetcher: typeof fetch = (...a) => fetch(...a)): Promise<GatewayExchange> {
  const response = await call(`${base}/exchanges/${id}`, token, fetcher);
  if (!response.ok) throw await failure(response);
  const body: unknown = await response.json().catch(() => null);
  if (!isExchange(body)) throw new GatewayError("notGateway", `HTTP ${response.status}`);
  return body;
}

/** A received document: its bytes and, from the headers, its record id, version, custodian
 * and salt (the content hash is SHA-256(salt ‖ bytes)). */
export async function receivedDocument(
  base: string,
  token: string,
  id: number,
  index: number,
  fetcher: typeof fetch = (...a) => fetch(...a),
): Promise<{ bytes: Uint8Array; recordId: string; version: number; custodian: number; salt: string }> {
  const response = await call(`${base}/exchanges/${id}/documents/${index}`, token, fetcher, { headers: { Accept: "application/octet-stream" } }, 30_000);
  if (!response.ok) throw await failure(response);
  const salt = response.headers.get("x-salt");
  const recordId = response.headers.get("x-record-id");
  const version = Number(response.headers.get("x-record-version"));
  const custodian = Number(response.headers.get("x-custodian"));
  if (!salt || recordId === null || !Number.isInteger(version) || !Number.isInteger(custodian)) throw new GatewayError("notGateway", "headers missing");
  return { bytes: new Uint8Array(await response.arrayBuffer()), recordId, version, custodian, salt };
}
