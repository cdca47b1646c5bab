// Transaction failures in words: a pallet error as its doc line from the runtime metadata (the
// committed copy of it here, app/.papi/metadata, which scripts/test.sh checks against the runtime), invalid transactions, and the progress of `send`.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidTxError, type TxEvent } from "polkadot-api";
import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n";
import {
  dispatchErrorWords,
  errorDocsFromMetadata,
  failureWords,
  invalidTxWords,
  plainDoc,
  send,
  type Progress,
  type Sendable,
} from "../../src/tx";

const consentError = (variant: string) => ({ type: "Module", value: { type: "Consent", value: { type: variant, value: undefined } } });

describe("the runtime's error docs", () => {
  const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, "../../.papi/metadata/medchain.scale")));
  const docs = errorDocsFromMetadata(bytes);

  test("every consent and institutions error has its doc line", () => {
    expect(docs.get("Consent.EmptyScope")).toBe("A consent must cover at least one category or record.");
    expect(docs.get("Consent.EmptyPeriod")).toBe("The period is empty or already over.");
    expect(docs.get("Consent.AlreadyRevoked")).toBe("The consent is revoked already.");
    expect(docs.get("Institutions.NoPendingRegistration")).toBeTruthy();
  });

  test("a module error is its doc line, never an index", () => {
    const w = dispatchErrorWords(consentError("NoPurpose"), docs);
    expect(w).toEqual({ key: "tx.error.module", params: { doc: "A consent must name at least one purpose.", name: "Consent.NoPurpose" } });
    expect(dispatchErrorWords(consentError("NotAnError"), docs).key).toBe("tx.error.moduleNoDoc");
  });
});

describe("words", () => {
  test("rustdoc links and code marks are removed, the first paragraph kept", () => {
    expect(plainDoc([" The [`Foo`] is `bar`;", " see [the docs](x).", "", "More."])).toBe("The Foo is bar; see the docs.");
  });

  test("other dispatch errors", () => {
    expect(dispatchErrorWords({ type: "BadOrigin" }, new Map()).key).toBe("tx.error.badOrigin");
    expect(dispatchErrorWords({ type: "Token", value: { type: "FundsUnavailable" } }, new Map()).key).toBe("tx.error.funds");
    expect(dispatchErrorWords({ type: "Corruption" }, new Map())).toEqual({ key: "tx.error.dispatch", params: { name: "Corruption" } });
    expect(dispatchErrorWords(null, new Map()).key).toBe("tx.error.unknown");
  });

  test("invalid transactions", () => {
    const invalid = (type: string) => ({ type: "Invalid", value: { type } });
    expect(invalidTxWords(invalid("Payment")).key).toBe("tx.invalid.payment");
    expect(invalidTxWords(invalid("Stale")).key).toBe("tx.invalid.stale");
    expect(invalidTxWords(invalid("Future")).key).toBe("tx.invalid.future");
    expect(invalidTxWords(invalid("AncientBirthBlock")).key).toBe("tx.invalid.ancient");
    expect(invalidTxWords(invalid("BadProof")).key).toBe("tx.invalid.badProof");
    expect(invalidTxWords(invalid("ExhaustsResources")).key).toBe("tx.invalid.busy");
    expect(invalidTxWords(invalid("Call")).key).toBe("tx.invalid.call");
    expect(invalidTxWords({ type: "Unknown", value: { type: "CannotLookup" } })).toEqual({ key: "tx.invalid.other", params: { name: "Unknown.CannotLookup" } });
    expect(failureWords(new InvalidTxError(invalid("Payment"))).key).toBe("tx.invalid.payment");
    expect(failureWords(new Error("Priority is too low")).key).toBe("tx.invalid.duplicate");
    expect(failureWords(new Error("boom")).key).toBe("tx.error.unknown");
    // A signing extension's refusal (Polkadot{.js}: "Cancelled"; others: "Rejected by user").
    expect(failureWords(new Error("Cancelled")).key).toBe("tx.error.refused");
    expect(failureWords(new Error("Rejected by user")).key).toBe("tx.error.refused");
  });

  test("every key the mapping uses exists", () => {
    for (const k of ["tx.error.module", "tx.error.moduleNoDoc", "tx.invalid.payment", "tx.invalid.other", "tx.timeout.inBlock", "tx.timeout.signing", "tx.error.refused"]) {
      expect(en).toHaveProperty(k);
    }
  });
});

/** A transaction whose watch emits `events`, one per tick. */
function fake(events: Array<TxEvent | Error>): Sendable {
  return {
    signSubmitAndWatch: () => ({
      subscribe: (o) => {
        let stopped = false;
        void (async () => {
          for (const e of events) {
            await new Promise((r) => setTimeout(r, 1));
            if (stopped) return;
            if (e instanceof Error) return o.error(e);
            o.next(e);
          }
        })();
        return { unsubscribe: () => (stopped = true) };
      },
    }),
  };
}

const block = (number: number) => ({ hash: "0x00", number, index: 0 });
const signer = {} as never;

describe("send", () => {
  test("signed → in block → finalized", async () => {
    const seen: Progress[] = [];
    const last = await send(
      fake([
        { type: "signed", txHash: "0x1" },
        { type: "broadcasted", txHash: "0x1" },
        { type: "txBestBlocksState", txHash: "0x1", found: true, ok: true, events: [], block: block(7) },
        { type: "finalized", txHash: "0x1", ok: true, events: [], block: block(7) },
      ] as TxEvent[]),
      signer,
      (p) => seen.push(p),
      { docs: async () => new Map() },
    );
    expect(seen.map((p) => p.stage)).toEqual(["signing", "submitted", "inBlock", "finalized"]);
    expect(last).toEqual({ stage: "finalized", block: 7 });
  });

  test("a dispatch error fails with the doc line", async () => {
    const last = await send(
      fake([{ type: "txBestBlocksState", txHash: "0x1", found: true, ok: false, events: [], block: block(9), dispatchError: consentError("EmptyScope") }] as TxEvent[]),
      signer,
      () => {},
      { docs: async () => new Map([["Consent.EmptyScope", "A consent must cover at least one category or record."]]) },
    );
    expect(last.stage).toBe("failed");
    expect(last.problem?.params?.doc).toBe("A consent must cover at least one category or record.");
  });

  test("bounded: no block in time, and finality late", async () => {
    const none = await send(fake([{ type: "signed", txHash: "0x1" }] as TxEvent[]), signer, () => {}, { docs: async () => new Map(), inBlockMs: 30 });
    expect(none).toEqual({ stage: "failed", problem: { key: "tx.timeout.inBlock", params: { seconds: 0 } } });
    const late = await send(
      fake([{ type: "txBestBlocksState", txHash: "0x1", found: true, ok: true, events: [], block: block(3) }] as TxEvent[]),
      signer,
      () => {},
      { docs: async () => new Map(), finalizedMs: 30 },
    );
    expect(late).toEqual({ stage: "inBlock", block: 3, finalityLate: true });
  });

  test("bounded while signing: the block wait starts only once signed (an extension waits for its user)", async () => {
    // Never signed: fails with the signing timeout, not the block one.
    const unsigned = await send(fake([]), signer, () => {}, { docs: async () => new Map(), signingMs: 30, inBlockMs: 5 });
    expect(unsigned).toEqual({ stage: "failed", problem: { key: "tx.timeout.signing", params: { seconds: 0 } } });
    // Signed after longer than the block wait: still watched, and finalized.
    const slow: Sendable = {
      signSubmitAndWatch: () => ({
        subscribe: (o) => {
          const events = [
            { type: "signed", txHash: "0x1" },
            { type: "txBestBlocksState", txHash: "0x1", found: true, ok: true, events: [], block: block(4) },
            { type: "finalized", txHash: "0x1", ok: true, events: [], block: block(4) },
          ] as TxEvent[];
          void (async () => {
            await new Promise((r) => setTimeout(r, 60));
            for (const e of events) o.next(e);
          })();
          return { unsubscribe: () => {} };
        },
      }),
    };
    expect(await send(slow, signer, () => {}, { docs: async () => new Map(), signingMs: 1000, inBlockMs: 30 })).toEqual({ stage: "finalized", block: 4 });
  });

  test("an invalid transaction fails in words", async () => {
    const last = await send(fake([new InvalidTxError({ type: "Invalid", value: { type: "Stale" } })]), signer, () => {}, { docs: async () => new Map() });
    expect(last.problem?.key).toBe("tx.invalid.stale");
  });
});
