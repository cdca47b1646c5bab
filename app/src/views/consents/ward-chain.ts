// Reading a guardian's wards for the signing screen: the wards kept in this browser for this
// chain (wards.ts), the guardian key for each (derived, never stored), and what the chain says
// of each ward's pseudonym (`Institutions.Patients`, `PendingRegistrations`,
// `PseudonymCustodians`).

import type { Chain } from "../../chain";
import { address } from "../../keyring";
import { wardsOf, type Ward } from "../../wards";
import { keyring } from "../patient-keys";
import type { WardRow } from "./state";

const fromHex = (hex: string) => Uint8Array.from((hex.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));

/** The wards stored for the chain `genesis` (none when the browser refuses storage). */
export function storedWards(genesis: string): Ward[] {
  try {
    return wardsOf(localStorage, genesis);
  } catch {
    return [];
  }
}

export async function readWardRows(chain: Chain, genesis: string, ss58: number): Promise<WardRow[]> {
  const wards = storedWards(genesis);
  if (wards.length === 0 || !keyring.unlocked) return [];
  const addresses = wards.map((w) => address(fromHex(w.ward), ss58));
  const api = chain.api;
  const [patients, pendings, ever] = await Promise.all([
    api.query.Institutions.Patients.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
    api.query.Institutions.PendingRegistrations.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
    api.query.Institutions.PseudonymCustodians.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
  ]);
  return wards.map((w, i) => {
    const p = patients[i];
    const q = pendings[i];
    return {
      ward: w,
      address: addresses[i],
      guardian: address(keyring.guardian(genesis, w.custodian, fromHex(w.ward)).publicKey, ss58),
      patient: p ? { custodian: p.custodian, guardian: p.guardian } : null,
      pending: q ? { custodian: q.custodian, guardian: q.guardian, expiresAt: q.expires_at } : null,
      everAt: ever[i] ?? null,
    };
  });
}
