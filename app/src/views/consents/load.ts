// Reading the chain for the signing screen: the institutions, the pseudonyms of this patient
// that hospitals registered (or wait to be confirmed), the wards of this guardian (ward-chain.ts),
// and for the pseudonym acted for its consents, records, fee-free allowance, deny provisions
// and certificates.

import type { Chain } from "../../chain";
import { canonicalDeny } from "../../deny";
import { toHex } from "../../hash";
import { address } from "../../keyring";
import type { Category, Purpose } from "../../rpc-types";
import { problemOf } from "../common";
import { keyringPseudonyms } from "../emergency/keyring";
import { wardRegistrations } from "../emergency/wards";
import { keyring } from "../patient-keys";
import { actingOf, chooseActing } from "./acting";
import { rerenderApp, screen, state, type ConsentRow, type Data, type Institution, type Mine } from "./state";
import { readWardRows } from "./ward-chain";

/** The latest read: an older one that finishes later must not overwrite its answer. */
let readSeq = 0;

export async function loadAll(chain: Chain): Promise<void> {
  if (!keyring.unlocked) return;
  const seq = ++readSeq;
  state.loading = true;
  state.problem = null;
  rerenderApp();
  try {
    const api = chain.api;
    const [spec, ss58, entries, params] = await Promise.all([
      chain.client.getChainSpecData(),
      api.constants.System.SS58Prefix(),
      api.query.Institutions.Institutions.getEntries({ at: "best" }),
      api.query.Consent.Params.getValue({ at: "best" }),
    ]);
    const institutions: Institution[] = entries
      .map((e) => ({
        id: e.keyArgs[0],
        name: new TextDecoder().decode(e.value.name),
        kind: e.value.kind.type,
        active: e.value.status.type === "Active",
      }))
      .sort((a, b) => a.id - b.id);
    if (!keyring.unlocked) return;
    const keepers = institutions.filter((i) => i.kind === "Hospital" || i.kind === "Clinic");
    const addresses = keepers.map((i) => address(keyring.pseudonym(spec.genesisHash, i.id).publicKey, ss58));
    const [patients, pendings] = await Promise.all([
      api.query.Institutions.Patients.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
      api.query.Institutions.PendingRegistrations.getValues(addresses.map((a) => [a] as [string]), { at: "best" }),
    ]);
    const mine: Mine[] = [];
    keepers.forEach((inst, i) => {
      const registered = patients[i] !== undefined && patients[i]!.custodian === inst.id;
      const pending = pendings[i] && pendings[i]!.custodian === inst.id ? { expiresAt: pendings[i]!.expires_at, guardian: pendings[i]!.guardian } : null;
      if (registered || pending) mine.push({ custodian: inst.id, address: addresses[i], registered, pending });
    });
    const wards = await readWardRows(chain, spec.genesisHash, ss58);
    const acting = chooseActing(mine, wards, state.data?.acting ?? null);
    const next: Data = {
      genesis: spec.genesisHash,
      ss58,
      institutions,
      mine,
      wards,
      acting,
      consents: [],
      records: [],
      allowance: [0, 0],
      deny: [],
      certificates: [],
      params: { maxDuration: params.max_consent_duration, patientAllowance: params.patient_allowance, allowancePeriod: params.allowance_period },
    };
    await loadActing(chain, next);
    // The node was changed meanwhile, the keyring locked, or a newer read runs: drop this one.
    if ((screen.loadedFor !== null && screen.loadedFor !== chain) || seq !== readSeq || !keyring.unlocked) return;
    state.data = next;
    keyringPseudonyms(chain, keepers.map((inst, i) => ({ custodian: inst.id, address: addresses[i] })));
    wardRegistrations(chain, wards);
  } catch (e) {
    console.warn("consents", e);
    if (seq === readSeq) state.problem = problemOf(e, chain);
  } finally {
    if (seq === readSeq) {
      state.loading = false;
      rerenderApp();
    }
  }
}

/** The consents, records, allowance, deny provisions and certificates of the pseudonym the patient acts as (or for, as guardian). */
export async function loadActing(chain: Chain, data: Data | null = state.data): Promise<void> {
  if (!data) return;
  const me = actingOf(data);
  if (!me) {
    data.consents = [];
    data.records = [];
    data.deny = [];
    data.certificates = [];
    return;
  }
  const api = chain.api;
  const [ids, allowance, records, deny, certificates] = await Promise.all([
    api.query.Consent.ConsentsOf.getValue(me.address, { at: "best" }),
    api.query.Consent.Allowance.getValue(me.signer, { at: "best" }), // the signer's (a guardian's own)
    chain.rpc("records_ofPatient", [me.address, 0]),
    api.query.Consent.DenyProvisions.getValue(me.address, { at: "best" }),
    chain.rpc("certificates_ofSubject", [me.address, 0]),
  ]);
  const values = await api.query.Consent.Consents.getValues(ids.map((id) => [id] as [bigint]), { at: "best" });
  data.consents = values
    .map((c, i): ConsentRow | null =>
      c
        ? {
            id: Number(ids[i]),
            grantee: c.grantee,
            categories: c.scope.categories.map((x) => x.type as Category),
            records: c.scope.records.map(([cu, rid]) => [cu, toHex(rid)] as [number, string]),
            purposes: c.purposes.map((p) => p.type as Purpose),
            validFrom: c.valid_from,
            validUntil: c.valid_until,
            revokedFrom: c.revoked_from,
          }
        : null,
    )
    .filter((c): c is ConsentRow => c !== null)
    .sort((a, b) => b.id - a.id);
  data.allowance = [allowance[0], allowance[1]];
  data.deny = canonicalDeny(deny.map((c) => c.type as Category));
  data.certificates = certificates.certificates;
  data.records = records.records.map((r) => ({ custodian: r.custodian, recordId: r.recordId, category: r.category }));
}
