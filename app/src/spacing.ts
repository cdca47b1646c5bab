// Spacing a patient's transactions (docs/privacy.md, "What links and what does not": timing;
// docs/app.md, "Spacing between hospitals"). Each hospital knows the patient under its own
// pseudonym, and nothing on chain joins them — except time: two transactions signed by two
// pseudonyms (or a pseudonym and a guardian key) of one person seconds apart, in one block or
// in neighbouring ones, suggest one person behind both. So when this browser signs with
// another key of its keyring than the one it signed with last, and the last transaction was
// recent, the app waits a random time before sending (the person may send at once or cancel).
//
// The choice is kept in localStorage (`medchain-spacing`): off, short (5–20 s, for trying it
// out), standard (1–5 min, the default) or long (5–30 min). The last signer and time are kept
// in this tab's memory only (never stored: they name two keys of one person).

export type SpacingChoice = "off" | "short" | "standard" | "long";

export const SPACING_KEY = "medchain-spacing";
export const SPACING_CHOICES: readonly SpacingChoice[] = ["off", "short", "standard", "long"];
export const DEFAULT_SPACING: SpacingChoice = "standard";

/** The random wait after another key's transaction, in milliseconds: [least, most]. */
export const SPACING_RANGE: Record<Exclude<SpacingChoice, "off">, [number, number]> = {
  short: [5_000, 20_000],
  standard: [60_000, 300_000],
  long: [300_000, 1_800_000],
};

export interface SpacingStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function spacingChoice(storage: SpacingStorage | null): SpacingChoice {
  try {
    const v = storage?.getItem(SPACING_KEY);
    return SPACING_CHOICES.includes(v as SpacingChoice) ? (v as SpacingChoice) : DEFAULT_SPACING;
  } catch {
    return DEFAULT_SPACING;
  }
}

export function saveSpacing(storage: SpacingStorage, choice: SpacingChoice): void {
  storage.setItem(SPACING_KEY, choice);
}

/** The last transaction this tab sent with a key of the keyring. */
export interface LastSent {
  signer: string;
  at: number;
}

/**
 * How long to wait before sending with `signer` at `now`: 0 for the same key as last time,
 * for none sent yet or when spacing is off; otherwise until a random time between the least
 * and the most of the choice's range after the last transaction (`random` in [0, 1)).
 */
export function delayBefore(last: LastSent | null, signer: string, now: number, choice: SpacingChoice, random: () => number): number {
  if (choice === "off" || last === null || last.signer === signer) return 0;
  const [least, most] = SPACING_RANGE[choice];
  const target = last.at + least + Math.floor(random() * (most - least));
  return Math.max(0, target - now);
}

/** The tab's memory of the last signer, and the delay for the next transaction. */
export class Spacer {
  private last: LastSent | null = null;

  constructor(
    private readonly choice: () => SpacingChoice,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = secureRandom,
  ) {}

  delayFor(signer: string): number {
    return delayBefore(this.last, signer, this.now(), this.choice(), this.random);
  }

  /** Records a transaction sent with `signer` now. */
  sent(signer: string): void {
    this.last = { signer, at: this.now() };
  }

  /** Forgets the last signer (the keyring was locked). */
  forget(): void {
    this.last = null;
  }
}

/** A uniform number in [0, 1) from the browser's CSPRNG (a guessable wait would not hide much). */
export function secureRandom(): number {
  const v = new Uint32Array(1);
  crypto.getRandomValues(v);
  return v[0] / 2 ** 32;
}

/** A wait that the person may end early ("Send now") or call off ("Cancel"). */
export interface Gate {
  until: number;
  done: Promise<boolean>;
  sendNow(): void;
  cancel(): void;
}

export function gate(delayMs: number, now: () => number = Date.now): Gate {
  let settle: (go: boolean) => void = () => {};
  const done = new Promise<boolean>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle(true), delayMs);
  return {
    until: now() + delayMs,
    done,
    sendNow: () => {
      clearTimeout(timer);
      settle(true);
    },
    cancel: () => {
      clearTimeout(timer);
      settle(false);
    },
  };
}
