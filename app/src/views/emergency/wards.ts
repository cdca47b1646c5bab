// The guardian's wards as a source of the emergency watch: when the keyring is unlocked, the
// wards kept in this browser for this chain (src/wards.ts) are read as the consents screen reads
// them (views/consents/ward-chain.ts) and those registered with this guardian key are watched,
// named by the guardian's label and the hospital that keeps them. Locking withdraws them; the
// consents screen's readings (views/consents/load.ts) bring wards confirmed, added or left since.

import type { Chain } from "../../chain";
import { emergencyWatch } from "../../emergency-watch";
import { wardsToWatch, type WardReading } from "../../wards";
import { readWardRows } from "../consents/ward-chain";
import { keyring } from "../patient-keys";

let current: Chain | null = null;
/** The latest read: an older one that finishes later must not overwrite its answer. */
let readSeq = 0;

/** Reads the wards again (unlocked, another node). */
export async function watchWards(chain: Chain | null = current): Promise<void> {
  if (!chain) return;
  current = chain;
  const seq = ++readSeq;
  if (!keyring.unlocked) {
    emergencyWatch.set("wards", []);
    return;
  }
  try {
    const [spec, ss58] = await Promise.all([chain.client.getChainSpecData(), chain.api.constants.System.SS58Prefix()]);
    const since = chain.current.best ?? 0;
    const rows = await readWardRows(chain, spec.genesisHash, ss58);
    if (seq === readSeq && current === chain && keyring.unlocked) emergencyWatch.set("wards", wardsToWatch(rows, since));
  } catch (e) {
    console.warn("the wards' registrations", e);
  }
}

/** What the consents screen read of the wards: those registered with this guardian are watched, without reading them again. */
export function wardRegistrations(chain: Chain, rows: WardReading[]): void {
  if (chain !== current || !keyring.unlocked) return;
  readSeq++;
  emergencyWatch.set("wards", wardsToWatch(rows, chain.current.best ?? 0));
}

keyring.onChange(() => void watchWards());
