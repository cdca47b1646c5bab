// The unlocked keyring's pseudonyms as a source of the emergency watch: when the patient's
// keyring is unlocked, the pseudonym it derives for every hospital and clinic is watched,
// registered or not, named by the hospital it is derived for. An emergency access is opened
// only on a registered pseudonym (with its card key), so watching the unregistered ones costs
// nothing on chain and means a registration confirmed later — from another device, say — is
// watched from its first access on, without reading the registrations again. Locking
// withdraws them; the consents screen's readings (views/consents/load.ts) bring institutions
// admitted since.

import type { Chain } from "../../chain";
import { emergencyWatch } from "../../emergency-watch";
import { address } from "../../keyring";
import type { WatchedPseudonym } from "../../words";
import { keyring } from "../patient-keys";

let current: Chain | null = null;
/** The latest read: an older one that finishes later must not overwrite its answer. */
let readSeq = 0;

/** The keyring's pseudonym for every hospital and clinic on `chain`. */
async function derived(chain: Chain): Promise<WatchedPseudonym[]> {
  const api = chain.api;
  const [spec, ss58, entries] = await Promise.all([
    chain.client.getChainSpecData(),
    api.constants.System.SS58Prefix(),
    api.query.Institutions.Institutions.getEntries({ at: "best" }),
  ]);
  if (!keyring.unlocked) return [];
  const since = chain.current.best ?? 0;
  return entries
    .filter((e) => e.value.kind.type === "Hospital" || e.value.kind.type === "Clinic")
    .map((e): WatchedPseudonym => {
      const custodian = e.keyArgs[0];
      return { address: address(keyring.pseudonym(spec.genesisHash, custodian).publicKey, ss58), whose: { from: "keyring", custodian }, since };
    });
}

/** Reads the keyring's pseudonyms again (unlocked, another node). */
export async function watchKeyring(chain: Chain | null = current): Promise<void> {
  if (!chain) return;
  current = chain;
  const seq = ++readSeq;
  if (!keyring.unlocked) {
    emergencyWatch.set("keyring", []);
    return;
  }
  try {
    const watched = await derived(chain);
    if (seq === readSeq && current === chain && keyring.unlocked) emergencyWatch.set("keyring", watched);
  } catch (e) {
    console.warn("the keyring's pseudonyms", e);
  }
}

/**
 * The keyring's pseudonyms as the consents screen derived them, for every hospital and clinic
 * it read (one admitted since the unlock included), watched without reading them again.
 */
export function keyringPseudonyms(chain: Chain, derivedFor: Array<{ custodian: number; address: string }>): void {
  if (chain !== current || !keyring.unlocked) return;
  readSeq++;
  const since = chain.current.best ?? 0;
  emergencyWatch.set(
    "keyring",
    derivedFor.map((m): WatchedPseudonym => ({ address: m.address, whose: { from: "keyring", custodian: m.custodian }, since })),
  );
}

keyring.onChange(() => void watchKeyring());
