// The app-wide watch of emergency accesses: the consent pallet's `EmergencyAccessOpened` events
// of each new best block (polkadot-api's `watchBest`, so an access is known in the block that
// opens it), for the pseudonyms its sources name — the guardian's registered wards, the patient
// screen's loaded pseudonyms and the unlocked keyring's registered ones. It runs while something is watched, stops when nothing
// is or the node changes (`use`), and starts again when the node is connected after its
// subscription failed. Listeners get each access once (by its id). No DOM: unit-tested.

import type { Chain } from "./chain";
import { mergeWatched, watchedAccesses, type EmergencyOpened, type WatchedAccess, type WatchedPseudonym } from "./words";

export type WatchSource = "wards" | "patient" | "keyring";
/**
 * A ward comes first (named by the guardian's label, also when the patient screen shows it),
 * then the patient screen's pseudonyms: an access is named as that screen numbers it.
 */
const ORDER: WatchSource[] = ["wards", "patient", "keyring"];

type Listener = (found: WatchedAccess[], chain: Chain) => void;

export class EmergencyWatch {
  private chain: Chain | null = null;
  private sources = new Map<WatchSource, WatchedPseudonym[]>();
  private sub: { unsubscribe(): void } | null = null;
  /** Which subscription is current: events of an older one are dropped. */
  private generation = 0;
  private stopStatus: (() => void) | null = null;
  private listeners = new Set<Listener>();
  /** Emergency accesses already announced or shown in a timeline (by access id). */
  readonly seen = new Set<string>();

  /** The node to watch: another node starts afresh (nothing watched, nothing seen). */
  use(chain: Chain): void {
    if (this.chain === chain) return;
    this.stop();
    this.stopStatus?.();
    this.chain = chain;
    this.sources.clear();
    this.seen.clear();
    // After a failure the subscription starts again once the node is connected.
    this.stopStatus = chain.onStatus((s) => {
      if (s.connection === "connected") this.update();
    });
  }

  /** The pseudonyms one source wants watched (an empty list withdraws them). */
  set(source: WatchSource, watched: WatchedPseudonym[]): void {
    if (watched.length) this.sources.set(source, watched);
    else this.sources.delete(source);
    this.update();
  }

  /** Every pseudonym watched, each key once. */
  get watched(): WatchedPseudonym[] {
    return mergeWatched(...ORDER.map((s) => this.sources.get(s) ?? []));
  }

  get running(): boolean {
    return this.sub !== null;
  }

  /** An access a screen shows already is not news. */
  markSeen(access: bigint | number | string): void {
    this.seen.add(String(access));
  }

  onAccess(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Handles the events of one block (the subscription's `next`; tests call it directly). */
  receive(events: EmergencyOpened[]): WatchedAccess[] {
    const chain = this.chain;
    if (!chain) return [];
    const found = watchedAccesses(events, this.watched, this.seen);
    if (found.length) for (const l of this.listeners) l(found, chain);
    return found;
  }

  private update(): void {
    const chain = this.chain;
    if (!chain || this.sources.size === 0) {
      this.stop();
      return;
    }
    if (this.sub || chain.current.connection === "disconnected") return;
    const generation = ++this.generation;
    let failed = false;
    const sub = chain.api.event.Consent.EmergencyAccessOpened.watchBest().subscribe({
      next: ({ type, block, events }) => {
        if (type !== "new" || generation !== this.generation) return;
        this.receive(
          events.map((e) => ({
            access: e.payload.access,
            patient: e.payload.patient,
            institution: e.payload.institution,
            expiresAt: e.payload.expires_at,
            block: block.number,
          })),
        );
      },
      error: (e: unknown) => {
        console.warn("emergency access events", e);
        failed = true;
        if (generation === this.generation) this.sub = null;
      },
    });
    // An observable that fails at once has called `error` before `subscribe` returned.
    this.sub = failed ? null : sub;
  }

  private stop(): void {
    this.generation++;
    this.sub?.unsubscribe();
    this.sub = null;
  }
}

/** The app's one watch. */
export const emergencyWatch = new EmergencyWatch();
