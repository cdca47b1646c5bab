// The unlocked keyring's pseudonyms as a source of the emergency watch: when the patient's
// keyring is unlocked, the pseudonym it derives for every hospital and clinic is looked up in
// `Institutions.Patients` (as views/consents/load.ts does) and those registered there are
// watched, named by the hospital that keeps them. Locking withdraws them; the consents screen's
// readings (views/consents/load.ts) bring registrations confirmed since.

import type { Chain } from "../../chain";
import { emergencyWatch } from "../../emergency-watch";
import { address } from "../../keyring";
import type { WatchedPseudonym } from "../../words";
import { keyring } from "../patient-keys";

let current: Chain | null = null;
/** The latest read: an older one that finishes later must not overwrite its answer. */
let readSeq = 0;

/** The keyring's registered pseudonyms on `chain`, read from the best block. */
async function registered(chain: Chain): Promise<WatchedPseudonym[]> {
  const api = chain.api;
  const [spec, ss58, entries] = await Promise.all([
    chain.client.getChainSpecData(),
    api.constants.System.SS58Prefix(),
    api.query.Institutions.Institutions.getEntries({ at: "best" }),
  ]);
  if (!keyring.unlocked) return [];
  const keepers = entries
    .filter((e) => e.value.kind.type === "Hospital" || e.value.kind.type === "Clinic")
    .map((e) => e.keyArgs[0]);
  const addresses = keepers.map((id) => address(keyring.pseudonym(spec.genesisHash, id).publicKey, ss58));
  const since = chain.current.best ?? 0;
  const patients = await api.query.Institutions.Patients.getValues(
    addresses.map((a) => [a] as [string]),
    { at: "best" },
  );
  return keepers.flatMap((custodian, i) =>
    patients[i]?.custodian === custodian ? [{ address: addresses[i], whose: { from: "keyring", custodian }, since }] : [],
  );
}

/** Reads the keyring's pseudonyms again (unlocked, another node, a registration confirmed). */
export async function watchKeyring(chain: Chain | null = current): Promise<void> {
  if (!chain) return;
  current = chain;
  const seq = ++readSeq;
  if (!keyring.unlocked) {
    emergencyWatch.set("keyring", []);
    return;
  }
  try {
    const watched = await registered(chain);
    if (seq === readSeq && current === chain && keyring.unlocked) emergencyWatch.set("keyring", watched);
  } catch (e) {
    console.warn("the keyring's pseudonyms", e);
  }
}

/**
 * What the consents screen read of the keyring's registrations (after the patient confirmed
 * one, say): the registered ones are watched, without reading them again.
 */
export function keyringRegistrations(chain: Chain, mine: Array<{ custodian: number; address: string; registered: boolean }>): void {
  if (chain !== current || !keyring.unlocked) return;
  readSeq++;
  const since = chain.current.best ?? 0;
  emergencyWatch.set(
    "keyring",
    mine.filter((m) => m.registered).map((m): WatchedPseudonym => ({ address: m.address, whose: { from: "keyring", custodian: m.custodian }, since })),
  );
}

keyring.onChange(() => void watchKeyring());
