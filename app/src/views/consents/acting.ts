// Who the signing screen acts for: one of the patient's own pseudonyms (signed with that
// pseudonym's key), or a ward registered with this guardian (signed with the guardian key for
// that ward and custodian, `Keyring.guardian`). `Data.acting` is the acted-for pseudonym's
// address; the editor, the list and the allowance read it through `actingOf`, transactions
// find their key through `signerFor`.

import type { PolkadotSigner } from "polkadot-api";
import { t } from "../../i18n";
import { wardNameOf, wardState } from "../../wards";
import { keyring } from "../patient-keys";
import { institutionName, type Data, type Mine, type WardRow } from "./state";

const fromHex = (hex: string) => Uint8Array.from((hex.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));

export interface Acting {
  /** The pseudonym acted for (the patient's own, or the ward's). */
  address: string;
  custodian: number;
  /** The account that signs: the pseudonym itself, or the guardian key for the ward. */
  signer: string;
  /** The ward, when acting as its guardian. */
  ward: WardRow | null;
}

/** Registered at its custodian with this browser's guardian key: the guardian may act for it. */
export const actsFor = (row: WardRow): boolean => wardState(row.ward, row, row.guardian, 0) === "registered";

/** The ward's name in sentences: the guardian's label, else its address shortened. */
export function wardName(row: WardRow): string {
  return wardNameOf(row.ward.label, row.address);
}

/** "Minji at Seoul General Hospital (no. 0)". */
export function wardAt(data: Data, row: WardRow): string {
  return t("wards.item", { ward: wardName(row), institution: institutionName(data, row.ward.custodian) });
}

export function actingOf(data: Data): Acting | null {
  if (data.acting === null) return null;
  const own = data.mine.find((m) => m.address === data.acting && m.registered);
  if (own) return { address: own.address, custodian: own.custodian, signer: own.address, ward: null };
  const ward = data.wards.find((w) => w.address === data.acting && actsFor(w));
  if (ward) return { address: ward.address, custodian: ward.ward.custodian, signer: ward.guardian, ward };
  return null;
}

/** Whom to act for after a read: the previous choice if it still may be, else the first registered own pseudonym. */
export function chooseActing(mine: Mine[], wards: WardRow[], previous: string | null): string | null {
  const candidates = [...mine.filter((m) => m.registered).map((m) => m.address), ...wards.filter(actsFor).map((w) => w.address)];
  if (previous !== null && candidates.includes(previous)) return previous;
  return mine.find((m) => m.registered)?.address ?? null;
}

/**
 * The key that signs for `who`: a number is the patient's own pseudonym at that custodian; an
 * address is one of the patient's pseudonyms or a ward's (signed with the guardian key).
 */
export function signerFor(data: Data, who: number | string): PolkadotSigner {
  if (typeof who === "number") return keyring.pseudonym(data.genesis, who).signer;
  const own = data.mine.find((m) => m.address === who);
  if (own) return keyring.pseudonym(data.genesis, own.custodian).signer;
  const ward = data.wards.find((w) => w.address === who);
  if (ward) return keyring.guardian(data.genesis, ward.ward.custodian, fromHex(ward.ward.ward)).signer;
  throw new Error("no key of this browser signs for this account");
}
