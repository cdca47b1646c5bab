// The patient's keyring, one per page, shared by the signing screen (#/consents, views/consents/)
// and the emergency card (#/card). Any pointer or key press counts as activity for its
// auto-lock. Browser only: it listens on `document` as soon as it is loaded (and keeps the secret
// in IndexedDB), so unit tests (node) import src/keyring.ts, never this module.

import type { PolkadotSigner } from "polkadot-api";
import { IndexedDbStore, Keyring, publicKeyText } from "../keyring";
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

/** `send`'s spacing option for a transaction signed by `signer` (told apart by its public key). */
export function spacingFor(signer: PolkadotSigner): { delayMs: number; sent: () => void } {
  const key = publicKeyText(signer.publicKey);
  return { delayMs: spacer.delayFor(key), sent: () => spacer.sent(key) };
}

for (const event of ["pointerdown", "keydown"]) {
  document.addEventListener(event, () => keyring.touch(), { passive: true, capture: true });
}
