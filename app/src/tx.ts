// Sending a transaction with its progress in words: signed → in block #n → finalized, or why
// it failed: a pallet's error as the error variant's doc line from the runtime metadata, an
// invalid transaction (no funds for the fee, a stale nonce, …) as a sentence. Every wait is
// bounded.

import { decAnyMetadata, unifyMetadata } from "@polkadot-api/substrate-bindings";
import { InvalidTxError, type PolkadotSigner, type TxEvent } from "polkadot-api";
import type { Key } from "./i18n";
import { gate } from "./spacing";

export type Stage = "spacing" | "signing" | "submitted" | "inBlock" | "finalized" | "failed";

export interface TxProblem {
  key: Key;
  params?: Record<string, string | number>;
}

export interface Progress {
  stage: Stage;
  /** The block the transaction is in (inBlock, finalized, and a dispatch failure). */
  block?: number;
  problem?: TxProblem;
  /** In a block, but not finalized within the wait: the words say so. */
  finalityLate?: boolean;
  /** Waiting before signing (spacing.ts): when it will send, and the person's two choices. */
  spacing?: { until: number; sendNow: () => void; cancel: () => void };
}

/**
 * How long to wait: for the signature (a signing extension waits for the person to approve),
 * then for a block with the transaction, then for its finality.
 */
export const SIGNING_MS = 300_000;
export const IN_BLOCK_MS = 90_000;
export const FINALIZED_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// Errors in words (pure, unit-tested)

/** "Pallet.Variant" → the first paragraph of the error variant's documentation. */
export type ErrorDocs = Map<string, string>;

/** Plain text from rustdoc: intra-doc links and code marks removed. */
export function plainDoc(lines: string[]): string {
  const para: string[] = [];
  for (const line of lines.map((l) => l.trim())) {
    if (line === "") {
      if (para.length) break;
      continue;
    }
    para.push(line);
  }
  return para
    .join(" ")
    .replace(/\[`([^`\]]+)`\](\([^)]*\))?/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim();
}

/** Every pallet error's doc line, from SCALE-encoded runtime metadata (v14 to v16). */
export function errorDocsFromMetadata(metadata: Uint8Array): ErrorDocs {
  const unified = unifyMetadata(decAnyMetadata(metadata));
  const byId = new Map(unified.lookup.map((t) => [t.id, t]));
  const docs: ErrorDocs = new Map();
  for (const pallet of unified.pallets) {
    if (!pallet.errors) continue;
    const type = byId.get(pallet.errors.type);
    if (!type || type.def.tag !== "variant") continue;
    for (const v of type.def.value) {
      const text = plainDoc(v.docs);
      if (text) docs.set(`${pallet.name}.${v.name}`, text);
    }
  }
  return docs;
}

interface Named {
  type: string;
  value?: unknown;
}

const isNamed = (v: unknown): v is Named => typeof v === "object" && v !== null && typeof (v as Named).type === "string";

/** A failed dispatch (System.ExtrinsicFailed) in words. */
export function dispatchErrorWords(error: unknown, docs: ErrorDocs): TxProblem {
  if (!isNamed(error)) return { key: "tx.error.unknown" };
  if (error.type === "Module" && isNamed(error.value) && isNamed(error.value.value)) {
    const pallet = error.value.type;
    const variant = error.value.value.type;
    const doc = docs.get(`${pallet}.${variant}`);
    return doc
      ? { key: "tx.error.module", params: { doc, name: `${pallet}.${variant}` } }
      : { key: "tx.error.moduleNoDoc", params: { name: `${pallet}.${variant}` } };
  }
  if (error.type === "BadOrigin") return { key: "tx.error.badOrigin" };
  if (error.type === "Token" || error.type === "Arithmetic") return { key: "tx.error.funds" };
  if (error.type === "Exhausted") return { key: "tx.invalid.busy" };
  return { key: "tx.error.dispatch", params: { name: error.type } };
}

/** A transaction the node refused before any block (TransactionValidityError) in words. */
export function invalidTxWords(error: unknown): TxProblem {
  if (!isNamed(error)) return { key: "tx.error.unknown" };
  const inner = isNamed(error.value) ? error.value.type : "";
  if (error.type === "Invalid") {
    switch (inner) {
      case "Payment":
        return { key: "tx.invalid.payment" };
      case "Stale":
        return { key: "tx.invalid.stale" };
      case "Future":
        return { key: "tx.invalid.future" };
      case "AncientBirthBlock":
        return { key: "tx.invalid.ancient" };
      case "BadProof":
      case "BadSigner":
        return { key: "tx.invalid.badProof" };
      case "ExhaustsResources":
        return { key: "tx.invalid.busy" };
      case "Call":
        return { key: "tx.invalid.call" };
      default:
        return { key: "tx.invalid.other", params: { name: inner || error.type } };
    }
  }
  return { key: "tx.invalid.other", params: { name: inner ? `${error.type}.${inner}` : error.type } };
}

/** Any failure while signing, sending or watching, in words. */
export function failureWords(e: unknown): TxProblem {
  if (e instanceof InvalidTxError) return invalidTxWords(e.error);
  const message = e instanceof Error ? e.message : String(e);
  if (/priority is too low|already imported|temporarily banned/i.test(message)) return { key: "tx.invalid.duplicate" };
  if (/1010|invalid transaction/i.test(message)) return { key: "tx.invalid.other", params: { name: message.slice(0, 80) } };
  // A signing extension's "Cancelled" / "Rejected by user": the person said no, nothing was sent.
  if (/cancel|reject|denied|declined/i.test(message)) return { key: "tx.error.refused" };
  if (/sign/i.test(message)) return { key: "tx.error.signing" };
  return { key: "tx.error.unknown" };
}

// ---------------------------------------------------------------------------------------------
// Sending

export interface Sendable {
  signSubmitAndWatch(signer: PolkadotSigner): { subscribe(o: { next: (e: TxEvent) => void; error: (e: unknown) => void; complete?: () => void }): { unsubscribe(): void } };
}

export interface SendOptions {
  /** The runtime's error docs (loaded on the first dispatch error). */
  docs: () => Promise<ErrorDocs>;
  /**
   * Wait this long before signing (spacing.ts), reported as the stage "spacing"; the person
   * may send at once or cancel (then nothing is signed). `sent` runs when signing starts.
   */
  spacing?: { delayMs: number; sent: () => void };
  signingMs?: number;
  inBlockMs?: number;
  finalizedMs?: number;
}

/**
 * Signs and sends `tx`, reporting each stage to `onProgress`; resolves with the last progress:
 * finalized, failed, or in a block with `finalityLate` when finality did not come in time.
 */
export async function send(tx: Sendable, signer: PolkadotSigner, onProgress: (p: Progress) => void, options: SendOptions): Promise<Progress> {
  const spacing = options.spacing;
  if (spacing && spacing.delayMs > 0) {
    const wait = gate(spacing.delayMs);
    onProgress({ stage: "spacing", spacing: { until: wait.until, sendNow: wait.sendNow, cancel: wait.cancel } });
    if (!(await wait.done)) {
      const cancelled: Progress = { stage: "failed", problem: { key: "tx.spacing.cancelled" } };
      onProgress(cancelled);
      return cancelled;
    }
  }
  spacing?.sent();
  return signAndWatch(tx, signer, onProgress, options);
}

function signAndWatch(tx: Sendable, signer: PolkadotSigner, onProgress: (p: Progress) => void, options: SendOptions): Promise<Progress> {
  const signingMs = options.signingMs ?? SIGNING_MS;
  const inBlockMs = options.inBlockMs ?? IN_BLOCK_MS;
  const finalizedMs = options.finalizedMs ?? FINALIZED_MS;
  return new Promise((resolve) => {
    let last: Progress = { stage: "signing" };
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sub: { unsubscribe(): void } | undefined;
    const report = (p: Progress) => {
      if (done) return;
      last = p;
      onProgress(p);
    };
    const finish = (p: Progress) => {
      if (done) return;
      report(p);
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => sub?.unsubscribe());
      resolve(p);
    };
    const wait = (ms: number, onTimeout: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
    };
    const failDispatch = async (block: number, error: unknown) => {
      let docs: ErrorDocs = new Map();
      try {
        docs = await options.docs();
      } catch (e) {
        console.warn("error docs", e);
      }
      finish({ stage: "failed", block, problem: dispatchErrorWords(error, docs) });
    };
    const waitForBlock = () =>
      wait(inBlockMs, () => finish({ stage: "failed", problem: { key: "tx.timeout.inBlock", params: { seconds: Math.round(inBlockMs / 1000) } } }));
    report(last);
    wait(signingMs, () => finish({ stage: "failed", problem: { key: "tx.timeout.signing", params: { seconds: Math.round(signingMs / 1000) } } }));
    try {
      sub = tx.signSubmitAndWatch(signer).subscribe({
        next: (event) => {
          if (event.type === "signed") {
            report({ stage: "submitted" });
            waitForBlock();
          } else if (event.type === "txBestBlocksState" && event.found) {
            if (!event.ok) {
              clearTimeout(timer);
              void failDispatch(event.block.number, event.dispatchError);
              return;
            }
            if (last.stage !== "inBlock" || last.block !== event.block.number) {
              report({ stage: "inBlock", block: event.block.number });
              wait(finalizedMs, () => finish({ stage: "inBlock", block: event.block.number, finalityLate: true }));
            }
          } else if (event.type === "finalized") {
            if (!event.ok) void failDispatch(event.block.number, event.dispatchError);
            else finish({ stage: "finalized", block: event.block.number });
          }
        },
        error: (e) => {
          if (!(e instanceof InvalidTxError)) console.warn("transaction", e);
          finish({ stage: "failed", problem: failureWords(e) });
        },
      });
      if (done) sub.unsubscribe();
    } catch (e) {
      finish({ stage: "failed", problem: failureWords(e) });
    }
  });
}
