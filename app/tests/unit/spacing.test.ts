// Spacing a patient's transactions between keys (src/spacing.ts) and `send`'s wait before
// signing (src/tx.ts): the delay, the setting, the gate, and cancel / send now.

import type { TxEvent } from "polkadot-api";
import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n";
import { DEFAULT_SPACING, delayBefore, gate, saveSpacing, Spacer, SPACING_KEY, SPACING_RANGE, spacingChoice } from "../../src/spacing";
import { send, type Progress, type Sendable } from "../../src/tx";

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe("the delay before another key's transaction", () => {
  test("none for the same key, for the first transaction, or when off", () => {
    expect(delayBefore(null, "a", 1000, "standard", () => 0.5)).toBe(0);
    expect(delayBefore({ signer: "a", at: 1000 }, "a", 1000, "standard", () => 0.5)).toBe(0);
    expect(delayBefore({ signer: "a", at: 1000 }, "b", 1000, "off", () => 0.5)).toBe(0);
  });

  test("for another key: a random time within the range after the last transaction, less the time since", () => {
    const [least, most] = SPACING_RANGE.standard;
    expect(delayBefore({ signer: "a", at: 0 }, "b", 0, "standard", () => 0)).toBe(least);
    expect(delayBefore({ signer: "a", at: 0 }, "b", 0, "standard", () => 0.999999)).toBe(most - 1);
    expect(delayBefore({ signer: "a", at: 0 }, "b", 10_000, "standard", () => 0)).toBe(least - 10_000);
    // Long after: no wait.
    expect(delayBefore({ signer: "a", at: 0 }, "b", most + 1, "standard", () => 0.999)).toBe(0);
    expect(delayBefore({ signer: "a", at: 0 }, "b", 0, "short", () => 0.5)).toBe(12_500);
  });

  test("the tab's spacer: the last signer only, forgotten on lock", () => {
    let now = 0;
    const spacer = new Spacer(() => "short", () => now, () => 0);
    expect(spacer.delayFor("a")).toBe(0);
    spacer.sent("a");
    expect(spacer.delayFor("a")).toBe(0);
    expect(spacer.delayFor("b")).toBe(5_000);
    now = 3_000;
    expect(spacer.delayFor("b")).toBe(2_000);
    spacer.sent("b");
    expect(spacer.delayFor("a")).toBe(5_000);
    spacer.forget();
    expect(spacer.delayFor("a")).toBe(0);
  });

  test("the setting: standard by default, a stored choice, garbage ignored", () => {
    const s = memory();
    expect(spacingChoice(s)).toBe(DEFAULT_SPACING);
    expect(DEFAULT_SPACING).toBe("standard");
    saveSpacing(s, "long");
    expect(spacingChoice(s)).toBe("long");
    s.setItem(SPACING_KEY, "forever");
    expect(spacingChoice(s)).toBe("standard");
    expect(spacingChoice(null)).toBe("standard");
  });

  test("a gate ends by itself, early, or cancelled", async () => {
    expect(await gate(5).done).toBe(true);
    const early = gate(60_000);
    early.sendNow();
    expect(await early.done).toBe(true);
    const off = gate(60_000);
    off.cancel();
    expect(await off.done).toBe(false);
  });
});

describe("send with spacing", () => {
  const finalizing: Sendable = {
    signSubmitAndWatch: () => ({
      subscribe: (o) => {
        void (async () => {
          for (const e of [
            { type: "signed", txHash: "0x1" },
            { type: "txBestBlocksState", txHash: "0x1", found: true, ok: true, events: [], block: { hash: "0x0", number: 5, index: 0 } },
            { type: "finalized", txHash: "0x1", ok: true, events: [], block: { hash: "0x0", number: 5, index: 0 } },
          ] as TxEvent[]) {
            await new Promise((r) => setTimeout(r, 1));
            o.next(e);
          }
        })();
        return { unsubscribe: () => {} };
      },
    }),
  };
  const signer = {} as never;

  test("waits, reports the stage with its controls, then signs", async () => {
    const seen: Progress[] = [];
    let sent = 0;
    const last = await send(finalizing, signer, (p) => seen.push(p), { docs: async () => new Map(), spacing: { delayMs: 20, sent: () => sent++ } });
    expect(seen[0].stage).toBe("spacing");
    expect(seen[0].spacing?.until).toBeGreaterThan(Date.now() - 1000);
    expect(seen.map((p) => p.stage).slice(1)).toEqual(["signing", "submitted", "inBlock", "finalized"]);
    expect(last.stage).toBe("finalized");
    expect(sent).toBe(1);
  });

  test("cancelled: nothing is signed, said in words", async () => {
    let signed = false;
    const watching: Sendable = {
      signSubmitAndWatch: (s) => {
        signed = true;
        return finalizing.signSubmitAndWatch(s);
      },
    };
    let sent = 0;
    const last = await send(
      watching,
      signer,
      (p) => {
        if (p.stage === "spacing") p.spacing?.cancel();
      },
      { docs: async () => new Map(), spacing: { delayMs: 60_000, sent: () => sent++ } },
    );
    expect(last).toEqual({ stage: "failed", problem: { key: "tx.spacing.cancelled" } });
    expect(en["tx.spacing.cancelled"]).toContain("Nothing was sent");
    expect(signed).toBe(false);
    expect(sent).toBe(0);
  });

  test("send now ends the wait at once; no delay means no spacing stage", async () => {
    const seen: string[] = [];
    const last = await send(
      finalizing,
      signer,
      (p) => {
        seen.push(p.stage);
        if (p.stage === "spacing") p.spacing?.sendNow();
      },
      { docs: async () => new Map(), spacing: { delayMs: 60_000, sent: () => {} } },
    );
    expect(last.stage).toBe("finalized");
    expect(seen[0]).toBe("spacing");
    const plain: string[] = [];
    await send(finalizing, signer, (p) => plain.push(p.stage), { docs: async () => new Map(), spacing: { delayMs: 0, sent: () => {} } });
    expect(plain[0]).toBe("signing");
  });
});
