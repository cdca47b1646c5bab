// The patient's keyring, one per page, shared by the signing screen (#/consents, views/consents/)
// and the emergency card (#/card). Any pointer or key press counts as activity for its
// auto-lock. Browser only: it listens on `document` as soon as it is loaded (and keeps the secret
// in IndexedDB), so unit tests (node) import src/keyring.ts, never this module.

import { IndexedDbStore, Keyring } from "../keyring";

export const keyring = new Keyring(new IndexedDbStore());

for (const event of ["pointerdown", "keydown"]) {
  document.addEventListener(event, () => keyring.touch(), { passive: true, capture: true });
}
