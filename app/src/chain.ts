// The connection to a MedChain node over polkadot-api: the chain status (best and finalized
// block, peers, runtime version) and the node's own JSON-RPC methods (records_verify, …).

import { medchain, getMetadata } from "@polkadot-api/descriptors";
import type { PolkadotClient, TypedApi } from "polkadot-api";
import { createWsClient, WsEvent } from "polkadot-api/ws";
import type { Answers } from "./rpc-types";

export const DEFAULT_NODE = "ws://127.0.0.1:9944";
const NODE_KEY = "medchain.node";
const REQUEST_TIMEOUT_MS = 20_000;
const PEERS_EVERY_MS = 5_000;

export type Connection = "connecting" | "connected" | "disconnected";

export interface ChainStatus {
  connection: Connection;
  url: string;
  best?: number;
  finalized?: number;
  peers?: number;
  specName?: string;
  specVersion?: number;
  /** Time of the best block (ms since the Unix epoch), for dating block numbers. */
  bestTimeMs?: number;
  /** Milliseconds per block (Aura's slot duration). */
  blockMs?: number;
}

/** Why a request failed, for the words the user sees (never a code or a trace). */
export type FailureKind = "connection" | "timeout" | "invalid" | "node" | "unknown";

export class ChainError extends Error {
  constructor(
    readonly kind: FailureKind,
    detail: string,
  ) {
    super(detail);
  }
}

export function isWsUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "ws:" || u.protocol === "wss:") && u.host !== "";
  } catch {
    return false;
  }
}

/** The node to use: `?node=` in the page address, else the saved setting, else the default. */
export function nodeUrl(search: string, saved: string | null): string {
  const fromQuery = new URLSearchParams(search).get("node");
  if (fromQuery && isWsUrl(fromQuery)) return fromQuery;
  if (saved && isWsUrl(saved)) return saved;
  return DEFAULT_NODE;
}

export function savedNode(): string | null {
  try {
    return localStorage.getItem(NODE_KEY);
  } catch {
    return null;
  }
}

export function saveNode(url: string | null): void {
  try {
    if (url === null) localStorage.removeItem(NODE_KEY);
    else localStorage.setItem(NODE_KEY, url);
  } catch {
    // Storage may be disabled; the setting then lasts for this page only.
  }
}

/** Maps an RPC failure to its kind: JSON-RPC "invalid params" and the pallets' 8002. */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof ChainError) return error.kind;
  const code = (error as { code?: unknown })?.code;
  if (code === -32602 || code === 8002) return "invalid";
  if (typeof code === "number") return "node";
  return "unknown";
}

type Listener = (status: ChainStatus) => void;

export class Chain {
  readonly client: PolkadotClient & { getStatus: () => { type: WsEvent } };
  readonly api: TypedApi<typeof medchain>;
  private status: ChainStatus;
  private listeners = new Set<Listener>();
  private stops: Array<() => void> = [];

  constructor(readonly url: string) {
    this.status = { connection: "connecting", url };
    this.client = createWsClient(url, {
      getMetadata,
      onStatusChanged: (s) => {
        const connection: Connection =
          s.type === WsEvent.CONNECTED
            ? "connected"
            : s.type === WsEvent.CONNECTING
              ? this.status.connection === "disconnected"
                ? "disconnected"
                : "connecting"
              : "disconnected";
        this.update({ connection });
      },
    });
    this.api = this.client.getTypedApi(medchain);

    const best = this.client.bestBlocks$.subscribe({
      next: (blocks) => {
        if (blocks.length === 0) return;
        this.update({ best: blocks[0].number, connection: "connected" });
        void this.readBestTime(blocks[0].hash);
      },
      error: () => this.update({ connection: "disconnected" }),
    });
    const finalized = this.client.finalizedBlock$.subscribe({
      next: (block) => {
        this.update({ finalized: block.number });
        void this.readRuntime();
      },
      error: () => this.update({ connection: "disconnected" }),
    });
    this.stops.push(
      () => best.unsubscribe(),
      () => finalized.unsubscribe(),
    );
    const peers = setInterval(() => void this.readPeers(), PEERS_EVERY_MS);
    this.stops.push(() => clearInterval(peers));
    void this.readPeers();
  }

  get current(): ChainStatus {
    return this.status;
  }

  onStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    this.listeners.clear();
    this.client.destroy();
  }

  /** One of the node's JSON-RPC methods, bounded in time, failures as ChainError. */
  async rpc<M extends keyof Answers>(method: M, params: unknown[]): Promise<Answers[M]> {
    if (this.status.connection === "disconnected") {
      throw new ChainError("connection", `not connected to ${this.url}`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ChainError(
              this.status.connection === "connected" ? "timeout" : "connection",
              `${method} timed out`,
            ),
          ),
        REQUEST_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.client._request<Answers[M]>(method, params), timeout]);
    } catch (e) {
      if (e instanceof ChainError) throw e;
      console.warn(method, e);
      throw new ChainError(failureKind(e), e instanceof Error ? e.message : String(e));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Institution names, cached: ids are never reused. */
  private names = new Map<number, Promise<string | null>>();

  institutionName(id: number): Promise<string | null> {
    let name = this.names.get(id);
    if (!name) {
      name = this.api.query.Institutions.Institutions.getValue(id, { at: "best" }).then(
        (entry) => (entry ? new TextDecoder().decode(entry.name) : null),
        () => {
          this.names.delete(id);
          return null;
        },
      );
      this.names.set(id, name);
    }
    return name;
  }

  private update(patch: Partial<ChainStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }

  private async readPeers(): Promise<void> {
    try {
      const health = await this.client._request<{ peers: number }>("system_health", []);
      this.update({ peers: health.peers });
    } catch {
      // The status bar keeps the last value; the connection state says the rest.
    }
  }

  private async readBestTime(hash: string): Promise<void> {
    try {
      const now = await this.api.query.Timestamp.Now.getValue({ at: hash });
      this.update({ bestTimeMs: Number(now) });
    } catch {
      // A block may be pruned before we read it; the next one will do.
    }
  }

  private runtimeRead = false;

  private async readRuntime(): Promise<void> {
    try {
      const version = await this.api.constants.System.Version();
      const patch: Partial<ChainStatus> = {
        specName: version.spec_name,
        specVersion: version.spec_version,
      };
      if (!this.runtimeRead) {
        patch.blockMs = Number(await this.api.constants.Aura.SlotDuration());
        this.runtimeRead = true;
      }
      this.update(patch);
    } catch (e) {
      console.warn("runtime version", e);
    }
  }
}
