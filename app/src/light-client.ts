// This browser's own light client (smoldot, in a Web Worker), for reading a disclosure log's
// state with a proof (docs/app.md, "The log's head, proved by this browser's light client").
// Smoldot follows the chain from the genesis in the chain's specification, checks each block's
// author (Aura) and finality (GRANDPA justifications) itself, and answers a storage read only
// with a Merkle proof against the state root of a block it verified. So what it reads does not
// rest on the node the app talks to.
//
// The chain's specification is served with the app (`chain-spec.json` beside `index.html`, put
// there by whoever serves the app: docs/app.md): the app's code comes from the same place, so
// the file adds no one to trust. Without it there is no light client, and the app says so.

import { getMetadata, medchain } from "@polkadot-api/descriptors";
import { createClient, type JsonRpcProvider, type PolkadotClient, type TypedApi } from "polkadot-api";
import { startFromWorker } from "polkadot-api/smoldot/from-worker";
import type { LogState } from "./log-chain";
import type { Hex } from "./rpc-types";

/** The chain's specification, beside the app's `index.html`. */
export const CHAIN_SPEC_FILE = "chain-spec.json";
/** How long the light client may take to reach the block it must prove against. */
const SYNC_TIMEOUT_MS = 120_000;
const POLL_MS = 1_000;

/** Why the light client could not prove anything. */
export type LightFailure =
  /** The app was served without a chain specification. */
  | "noSpec"
  /** The served file is not a chain specification. */
  | "badSpec"
  /** The specification's genesis is not the genesis of the node the app talks to. */
  | "otherChain"
  /** It did not reach the node's finalized block in time (no peer, or too slow). */
  | "notSynced"
  /** Smoldot itself failed (its message is in the console). */
  | "failed";

export class LightClientError extends Error {
  constructor(
    readonly reason: LightFailure,
    detail: string,
  ) {
    super(detail);
  }
}

/** A log's state as read by the light client, with a proof, at a block it verified as final. */
export interface ProvenLogState {
  block: number;
  blockHash: Hex;
  state: LogState;
}

interface Light {
  client: PolkadotClient;
  api: TypedApi<typeof medchain>;
  genesis: Hex;
}

let started: Promise<Light> | null = null;

/** A chain added to smoldot (the type of the `smoldot` package polkadot-api depends on). */
type SmoldotChain = Awaited<ReturnType<ReturnType<typeof startFromWorker>["addChain"]>>;

/**
 * JSON-RPC to and from a smoldot chain. (polkadot-api's `getSmProvider` does the same, but it
 * imports smoldot's main module, which put smoldot's 3 MB WebAssembly into the app's main
 * bundle beside the worker's own copy.)
 */
function smoldotProvider(chain: Promise<SmoldotChain>): JsonRpcProvider {
  return (onMessage) => {
    let listening = true;
    let ready: SmoldotChain | null = null;
    const queued: string[] = [];
    void chain.then(
      async (c) => {
        ready = c;
        for (const message of queued.splice(0)) c.sendJsonRpc(message);
        while (listening) {
          let message: string;
          try {
            message = await c.nextJsonRpcResponse();
          } catch (e) {
            if (listening) console.warn("light client", e);
            return;
          }
          if (listening) onMessage(JSON.parse(message));
        }
      },
      (e: unknown) => console.warn("light client: the chain was not added", e),
    );
    return {
      send(message) {
        const text = JSON.stringify(message);
        if (ready) ready.sendJsonRpc(text);
        else queued.push(text);
      },
      disconnect() {
        listening = false;
        void chain.then((c) => c.remove()).catch(() => undefined);
      },
    };
  };
}

async function fetchSpec(): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL(CHAIN_SPEC_FILE, document.baseURI), { cache: "no-cache" });
  } catch (e) {
    throw new LightClientError("noSpec", `fetching ${CHAIN_SPEC_FILE}: ${String(e)}`);
  }
  if (response.status === 404) throw new LightClientError("noSpec", `no ${CHAIN_SPEC_FILE} beside the app`);
  if (!response.ok) throw new LightClientError("noSpec", `${CHAIN_SPEC_FILE}: HTTP ${response.status}`);
  const text = await response.text();
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    throw new LightClientError("badSpec", `${CHAIN_SPEC_FILE} is not JSON`);
  }
  const genesis = (spec as { genesis?: unknown } | null)?.genesis;
  if (typeof genesis !== "object" || genesis === null) throw new LightClientError("badSpec", `${CHAIN_SPEC_FILE} has no genesis`);
  return text;
}

async function start(): Promise<Light> {
  const chainSpec = await fetchSpec();
  let added: Promise<SmoldotChain>;
  try {
    // Imported when first needed: the worker's module is only evaluated in a browser.
    const { default: SmoldotWorker } = await import("polkadot-api/smoldot/worker?worker");
    added = startFromWorker(new SmoldotWorker(), { maxLogLevel: 2 }).addChain({ chainSpec });
  } catch (e) {
    throw new LightClientError("failed", String(e));
  }
  try {
    await added;
  } catch (e) {
    throw new LightClientError("badSpec", `the light client did not accept the specification: ${String(e)}`);
  }
  const client = createClient(smoldotProvider(added), { getMetadata });
  const genesis = (await client._request<string>("chainSpec_v1_genesisHash", [])).toLowerCase() as Hex;
  return { client, api: client.getTypedApi(medchain), genesis };
}

/** The light client, started once for the page (its failure is kept: reload to try again). */
function light(): Promise<Light> {
  if (!started) started = start();
  return started;
}

/** The first finalized block at or above `atLeast`, as the light client verified it. */
async function finalizedAtLeast(client: PolkadotClient, atLeast: number): Promise<{ number: number; hash: Hex }> {
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  for (;;) {
    const block = await client.getFinalizedBlock();
    if (block.number >= atLeast) return { number: block.number, hash: block.hash as Hex };
    if (Date.now() > deadline) {
      throw new LightClientError("notSynced", `finalized block #${block.number} after ${SYNC_TIMEOUT_MS / 1000} s, not #${atLeast}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The light client and its finalized block, once that block is at least `atLeast`. */
async function provingBlock(atLeast: number, genesis: Hex): Promise<{ l: Light; block: { number: number; hash: Hex } }> {
  const l = await light();
  if (l.genesis !== genesis.toLowerCase()) {
    throw new LightClientError("otherChain", `the specification's genesis is ${l.genesis}, the node's ${genesis}`);
  }
  return { l, block: await finalizedAtLeast(l.client, atLeast) };
}

async function read<T>(what: string, reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (e) {
    throw new LightClientError("failed", `reading ${what}: ${String(e)}`);
  }
}

/**
 * The disclosure log's state of `address` at the light client's finalized block, once that
 * block is at least `atLeast` (the node's finalized block when the proof starts: the node's
 * number only says how long to wait; what is read is proved against the light client's own
 * block). `genesis` is the genesis of the node the app talks to: another chain is refused.
 */
export async function provenLogState(address: string, atLeast: number, genesis: Hex): Promise<ProvenLogState> {
  const { l, block } = await provingBlock(atLeast, genesis);
  const value = await read("the log's state", l.api.query.Consent.DisclosureLog.getValue(address, { at: block.hash }));
  return {
    block: block.number,
    blockHash: block.hash,
    state: { first: value.first, next: value.next, head: value.head as Hex, prunedHead: value.pruned_head as Hex },
  };
}

/** What the chain holds of a record and a content hash, as `records_verify` works it out. */
export type ProvedRecord =
  | { found: false }
  | { found: true; status: "Active" | "Retracted" | "Erased"; currentVersion: number; matchedVersion: number | null };

/**
 * The record `recordId` of `custodian` and the version whose content hash is `hash`, read at
 * the light client's finalized block (as `provenLogState`): `Records.Records`, then version 1's
 * hash from the record or `Records.VersionOfHash` (pallets/records/src/query.rs, `verify`).
 */
export async function provenRecord(
  custodian: number,
  recordId: Uint8Array,
  hash: Hex,
  atLeast: number,
  genesis: Hex,
): Promise<{ block: number; record: ProvedRecord }> {
  const { l, block } = await provingBlock(atLeast, genesis);
  const record = await read("the record", l.api.query.Records.Records.getValue(custodian, recordId, { at: block.hash }));
  if (!record) return { block: block.number, record: { found: false } };
  const matchedVersion =
    record.first.content_hash.toLowerCase() === hash.toLowerCase()
      ? 1
      : ((await read("the version", l.api.query.Records.VersionOfHash.getValue([custodian, recordId], hash, { at: block.hash }))) ?? null);
  return {
    block: block.number,
    record: { found: true, status: record.status.type, currentVersion: record.current_version, matchedVersion },
  };
}
