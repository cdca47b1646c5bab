// The app-wide watch of emergency accesses (src/emergency-watch.ts) and its pure parts
// (src/words.ts): which events concern which watched pseudonyms, how each is named, that an
// access is announced once, and when the subscription runs (against a stand-in for the chain).

import { describe, expect, test } from "vitest";
import { AccountId } from "polkadot-api";
import type { Chain, ChainStatus } from "../../src/chain";
import { EmergencyWatch } from "../../src/emergency-watch";
import { en, ko, type Key } from "../../src/i18n";
import {
  accountKey,
  announcementKey,
  mergeWatched,
  watchedAccesses,
  type EmergencyOpened,
  type WatchedPseudonym,
} from "../../src/words";

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const CHARLIE = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";
// Alice's key in another SS58 format (Kusama's, prefix 2): the same account.
const ALICE_KSM = AccountId(2).dec(AccountId(42).enc(ALICE));

const opened = (patch: Partial<EmergencyOpened> = {}): EmergencyOpened => ({
  access: 7n,
  patient: ALICE,
  institution: 0,
  expiresAt: 1_000,
  block: 40,
  ...patch,
});

const shown = (addresses: string[], since = 10): WatchedPseudonym[] =>
  addresses.map((address, i) => ({ address, whose: { from: "patient", n: i + 1, of: addresses.length }, since }));
const kept = (address: string, custodian: number, since = 10): WatchedPseudonym => ({ address, whose: { from: "keyring", custodian }, since });
const ward = (address: string, custodian: number, label: string, since = 10): WatchedPseudonym => ({ address, whose: { from: "ward", custodian, label }, since });

describe("which emergency accesses concern the watched pseudonyms", () => {
  test("an access on a shown pseudonym is announced once, with who and when", () => {
    const seen = new Set<string>();
    const first = watchedAccesses([opened()], shown([ALICE]), seen);
    expect(first).toEqual([
      { access: "7", address: ALICE, whose: { from: "patient", n: 1, of: 1 }, institution: 0, block: 40, until: 1_000, key: "live.emergency" },
    ]);
    // The same block again (finalized after best, or after a re-organisation): nothing new.
    expect(watchedAccesses([opened()], shown([ALICE]), seen)).toEqual([]);
  });

  test("an access on another pseudonym is not announced", () => {
    expect(watchedAccesses([opened({ patient: BOB })], shown([ALICE]), new Set())).toEqual([]);
  });

  test("with several shown pseudonyms the announcement names which one", () => {
    const found = watchedAccesses([opened({ patient: BOB, access: 9n, institution: 3 })], shown([ALICE, BOB]), new Set());
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ whose: { from: "patient", n: 2, of: 2 }, institution: 3, key: "live.emergency.of" });
  });

  test("a keyring's pseudonym is named by the hospital that keeps it", () => {
    const found = watchedAccesses([opened({ patient: CHARLIE, institution: 2 })], [kept(CHARLIE, 5)], new Set());
    expect(found).toEqual([
      { access: "7", address: CHARLIE, whose: { from: "keyring", custodian: 5 }, institution: 2, block: 40, until: 1_000, key: "live.emergency.at" },
    ]);
  });

  test("addresses match whatever their SS58 prefix", () => {
    expect(ALICE_KSM).not.toBe(ALICE);
    expect(accountKey(ALICE_KSM)).toBe(accountKey(ALICE));
    expect(watchedAccesses([opened({ patient: ALICE_KSM })], shown([ALICE]), new Set())).toHaveLength(1);
  });

  test("accesses already in the timeline, or opened before the pseudonym was read, are not news", () => {
    expect(watchedAccesses([opened()], shown([ALICE]), new Set(["7"]))).toEqual([]);
    expect(watchedAccesses([opened({ block: 10 })], shown([ALICE], 10), new Set())).toEqual([]);
    expect(watchedAccesses([opened({ block: 11 })], shown([ALICE], 10), new Set())).toHaveLength(1);
  });

  test("several events of one block: each concerned access once, in order", () => {
    const events = [opened({ access: 1n }), opened({ access: 2n, patient: BOB }), opened({ access: 3n, patient: CHARLIE }), opened({ access: 1n })];
    const found = watchedAccesses(events, [...shown([ALICE]), kept(CHARLIE, 4)], new Set());
    expect(found.map((a) => [a.access, a.key])).toEqual([
      ["1", "live.emergency"],
      ["3", "live.emergency.at"],
    ]);
  });

  test("a pseudonym both shown and in the keyring is watched once, as the patient screen numbers it", () => {
    const merged = mergeWatched(shown([ALICE, BOB]), [kept(ALICE_KSM, 5), kept(CHARLIE, 6)]);
    expect(merged.map((w) => [w.address, w.whose.from])).toEqual([
      [ALICE, "patient"],
      [BOB, "patient"],
      [CHARLIE, "keyring"],
    ]);
    expect(mergeWatched([{ address: "not an address", whose: { from: "keyring", custodian: 1 }, since: 0 }])).toEqual([]);
  });

  test("a guardian's ward is named by the guardian's label and the hospital that keeps it", () => {
    const found = watchedAccesses([opened({ patient: BOB, institution: 2 })], [ward(BOB, 5, "Minji")], new Set());
    expect(found).toEqual([
      { access: "7", address: BOB, whose: { from: "ward", custodian: 5, label: "Minji" }, institution: 2, block: 40, until: 1_000, key: "live.emergency.ward" },
    ]);
  });

  test("every announcement's words exist in both languages and use the placeholders given", () => {
    expect(announcementKey({ from: "patient", n: 1, of: 1 })).toBe("live.emergency");
    expect(announcementKey({ from: "patient", n: 2, of: 3 })).toBe("live.emergency.of");
    expect(announcementKey({ from: "keyring", custodian: 1 })).toBe("live.emergency.at");
    expect(announcementKey({ from: "ward", custodian: 1, label: "" })).toBe("live.emergency.ward");
    for (const key of ["live.emergency", "live.emergency.of", "live.emergency.at", "live.emergency.ward", "live.emergency.until", "live.timeline", "live.dismiss", "live.region"] as Key[]) {
      expect(en[key].length, key).toBeGreaterThan(0);
      expect(ko[key].length, key).toBeGreaterThan(0);
    }
    for (const key of ["live.emergency", "live.emergency.of", "live.emergency.at", "live.emergency.ward"] as Key[]) {
      for (const p of ["{institution}", "{time}", "{block}"]) expect(en[key], `${key} ${p}`).toContain(p);
    }
    for (const p of ["{ward}", "{custodian}"]) {
      expect(en["live.emergency.ward"]).toContain(p);
      expect(ko["live.emergency.ward"]).toContain(p);
    }
    expect(en["live.emergency.ward"]).toContain("your ward");
    expect(en["live.emergency.of"]).toContain("{n}");
    expect(en["live.emergency.at"]).toContain("{custodian}");
    expect(en["live.emergency.until"]).toContain("{block}");
  });
});

// --- The watch, against a stand-in for the chain ---

interface Observer {
  next: (v: { type: string; block: { number: number }; events: Array<{ payload: Record<string, unknown> }> }) => void;
  error: (e: unknown) => void;
}

function standIn(connection: ChainStatus["connection"] = "connected") {
  const subs: Array<Observer & { closed: boolean }> = [];
  const listeners = new Set<(s: ChainStatus) => void>();
  const fake = {
    current: { connection, url: "ws://node" } as ChainStatus,
    onStatus(l: (s: ChainStatus) => void) {
      listeners.add(l);
      l(fake.current);
      return () => listeners.delete(l);
    },
    api: {
      event: {
        Consent: {
          EmergencyAccessOpened: {
            watchBest: () => ({
              subscribe(o: Observer) {
                const s = { ...o, closed: false };
                subs.push(s);
                return { unsubscribe: () => (s.closed = true) };
              },
            }),
          },
        },
      },
    },
  };
  return {
    chain: fake as unknown as Chain,
    subs,
    open: () => subs.filter((s) => !s.closed),
    status(connection: ChainStatus["connection"]) {
      fake.current = { ...fake.current, connection };
      for (const l of listeners) l(fake.current);
    },
    block(number: number, ...events: EmergencyOpened[]) {
      const last = subs.filter((s) => !s.closed).at(-1);
      last?.next({
        type: "new",
        block: { number },
        events: events.map((e) => ({ payload: { access: e.access, patient: e.patient, institution: e.institution, expires_at: e.expiresAt } })),
      });
    },
  };
}

describe("the app-wide watch", () => {
  test("runs while something is watched, and stops when nothing is", () => {
    const node = standIn();
    const watch = new EmergencyWatch();
    watch.use(node.chain);
    expect(node.subs).toHaveLength(0);
    watch.set("patient", shown([ALICE]));
    expect(watch.running).toBe(true);
    watch.set("keyring", [kept(CHARLIE, 4)]);
    expect(node.open()).toHaveLength(1); // one subscription for every source
    watch.set("patient", []);
    expect(watch.running).toBe(true); // the keyring's pseudonym is still watched
    watch.set("keyring", []);
    expect(watch.running).toBe(false);
    expect(node.open()).toHaveLength(0);
  });

  test("merges its sources: a ward first (by its label, also when the patient screen shows it), then the screen's, then the keyring's", () => {
    const node = standIn();
    const watch = new EmergencyWatch();
    watch.use(node.chain);
    watch.set("keyring", [kept(CHARLIE, 4), kept(ALICE, 4)]);
    watch.set("patient", shown([ALICE, BOB]));
    watch.set("wards", [ward(BOB, 0, "Minji")]);
    expect(watch.watched.map((w) => [w.address, w.whose.from])).toEqual([
      [BOB, "ward"],
      [ALICE, "patient"],
      [CHARLIE, "keyring"],
    ]);
    expect(node.open()).toHaveLength(1); // still one subscription for every source
    const heard: string[] = [];
    watch.onAccess((found) => heard.push(...found.map((a) => `${a.access}:${a.key}`)));
    node.block(41, opened({ access: 3n, patient: BOB }), opened({ access: 4n, patient: ALICE }));
    expect(heard).toEqual(["3:live.emergency.ward", "4:live.emergency.of"]);
    // The ward withdrawn (the keyring locked, the ward left): the screen numbers it again.
    watch.set("wards", []);
    expect(watch.watched.find((w) => w.address === BOB)?.whose).toEqual({ from: "patient", n: 2, of: 2 });
  });

  test("tells its listeners of each access once, and not of accesses a screen shows", () => {
    const node = standIn();
    const watch = new EmergencyWatch();
    const heard: string[] = [];
    watch.onAccess((found, chain) => {
      expect(chain).toBe(node.chain);
      heard.push(...found.map((a) => `${a.access}:${a.key}`));
    });
    watch.use(node.chain);
    watch.set("patient", shown([ALICE]));
    watch.set("keyring", [kept(CHARLIE, 4)]);
    watch.markSeen(5n);
    node.block(41, opened({ access: 5n }), opened({ access: 6n }), opened({ access: 8n, patient: CHARLIE }), opened({ access: 9n, patient: BOB }));
    node.block(41, opened({ access: 6n })); // the same block again
    expect(heard).toEqual(["6:live.emergency", "8:live.emergency.at"]);
  });

  test("another node starts afresh: the old subscription ends, nothing is watched or seen", () => {
    const first = standIn();
    const second = standIn();
    const watch = new EmergencyWatch();
    watch.use(first.chain);
    watch.set("patient", shown([ALICE]));
    watch.markSeen(1n);
    watch.use(second.chain);
    expect(first.open()).toHaveLength(0);
    expect(second.subs).toHaveLength(0);
    expect(watch.watched).toEqual([]);
    expect(watch.seen.size).toBe(0);
    // The old node's status no longer starts anything.
    first.status("connected");
    expect(first.open()).toHaveLength(0);
  });

  test("after the subscription fails it starts again when the node is connected", () => {
    const node = standIn();
    const watch = new EmergencyWatch();
    const heard: string[] = [];
    watch.onAccess((found) => heard.push(...found.map((a) => a.access)));
    watch.use(node.chain);
    watch.set("patient", shown([ALICE]));
    node.subs[0].error(new Error("connection lost"));
    expect(watch.running).toBe(false);
    node.status("disconnected");
    expect(node.subs).toHaveLength(1); // not while disconnected
    node.status("connected");
    expect(node.subs).toHaveLength(2);
    expect(watch.running).toBe(true);
    // Events of the failed subscription are dropped; the new one's are heard.
    node.subs[0].next({ type: "new", block: { number: 50 }, events: [{ payload: { access: 3n, patient: ALICE, institution: 0, expires_at: 9 } }] });
    node.block(51, opened({ access: 4n }));
    expect(heard).toEqual(["4"]);
  });

  test("no subscription while the node is unreachable; it starts once connected", () => {
    const node = standIn("disconnected");
    const watch = new EmergencyWatch();
    watch.use(node.chain);
    watch.set("keyring", [kept(CHARLIE, 4)]);
    expect(node.subs).toHaveLength(0);
    node.status("connected");
    expect(node.subs).toHaveLength(1);
  });
});
