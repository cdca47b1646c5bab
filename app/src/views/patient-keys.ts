// The patient's keyring, one per page, shared by the signing screen (#/consents, views/consents/)
// and the emergency card (#/card). Any pointer or key press counts as activity for its
// auto-lock. Browser only: it listens on `document` as soon as it is loaded (and keeps the secret
// in IndexedDB), so unit tests (node) import src/keyring.ts, never this module.

import { IndexedDbStore, Keyring } from "../keyring";
import { Spacer, spacingChoice } from "../spacing";

export const keyring = new Keyring(new IndexedDbStore());

/**
 * The spacing between transactions of different keys of this keyring (spacing.ts): the
 * person's choice from localStorage, the last signer in this tab's memory (forgotten on lock).
 */
export const spacer = new Spacer(() => {
  try {
    return spacingChoice(localStorage);
  } catch {
    return spacingChoice(null);
  }
});

keyring.onChange(() => {
  if (!keyring.unlocked) spacer.forget();
});

/** `send`'s spacing option for a transaction signed by `signer` (its public key or address). */
export function spacingFor(signer: string): { delayMs: number; sent: () => void } {
  return { delayMs: spacer.delayFor(signer), sent: () => spacer.sent(signer) };
}

for (const event of ["pointerdown", "keydown"]) {
  document.addEventListener(event, () => keyring.touch(), { passive: true, capture: true });
}
