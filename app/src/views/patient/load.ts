// Reading the chain for the patient screen: each pseudonym's records, disclosure log,
// certificates, prescriptions, registration and what is never shared (read in parallel), the next page of one list
// ("more"), and the names of the institutions the results mention.

import type { Chain } from "../../chain";
import { t } from "../../i18n";
import { accountKey } from "../../words";
import { chainClock, problemOf, resolveNames } from "../common";
import { readNeverShared } from "../never-shared";
import { inputId, isAccountAddress, markSeen, screen, state, type ListName, type Loaded, type Pseudonym, watchShown } from "./state";

export async function readPseudonym(chain: Chain, address: string): Promise<Pseudonym> {
  const [records, log, certs, rx, patient, deny] = await Promise.all([
    chain.rpc("records_ofPatient", [address, 0]),
    chain.rpc("consent_disclosures", [address, 0]),
    chain.rpc("certificates_ofSubject", [address, 0]),
    chain.rpc("prescriptions_ofPatient", [address, 0]),
    chain.api.query.Institutions.Patients.getValue(address, { at: "best" }).catch(() => undefined),
    readNeverShared(chain, address),
  ]);
  return {
    address,
    custodian: patient ? patient.custodian : null,
    records: { items: records.records, total: records.total, page: records.page, pageSize: records.pageSize },
    log: {
      entries: log.entries,
      kept: log.keptEmergency,
      count: log.log.next - log.log.first,
      state: log.log,
      page: log.page,
      pageSize: log.pageSize,
    },
    certs: { items: certs.certificates, total: certs.total, page: certs.page, pageSize: certs.pageSize },
    rx: { items: rx.prescriptions, total: rx.total, page: rx.page, pageSize: rx.pageSize },
    deny,
  };
}

/** Reads page 0 of one pseudonym's disclosure log again (an emergency access was just opened). */
export async function rereadLog(chain: Chain, p: Pseudonym): Promise<void> {
  const a = await chain.rpc("consent_disclosures", [p.address, 0]);
  p.log = { entries: a.entries, kept: a.keptEmergency, count: a.log.next - a.log.first, state: a.log, page: 0, pageSize: a.pageSize };
  for (const [, e] of [...a.entries, ...a.keptEmergency]) markSeen(e);
}

function institutionsOf(p: Pseudonym): number[] {
  const ids: number[] = [];
  if (p.custodian !== null) ids.push(p.custodian);
  for (const r of p.records.items) ids.push(r.custodian);
  for (const [, e] of [...p.log.entries, ...p.log.kept]) {
    ids.push(e.recipient);
    if (e.custodian !== null) ids.push(e.custodian);
  }
  for (const c of p.certs.items) ids.push(c.institution);
  for (const rx of p.rx.items) {
    ids.push(rx.institution);
    if (rx.pharmacy !== null) ids.push(rx.pharmacy);
  }
  return ids;
}

/** Adds the names of institutions not named yet. */
export async function nameAll(chain: Chain, loaded: Loaded, extra: number[] = []): Promise<void> {
  const ids = [...loaded.pseudonyms.flatMap(institutionsOf), ...extra].filter((id) => !loaded.names.has(id));
  for (const [id, name] of await resolveNames(chain, ids)) loaded.names.set(id, name);
}

export async function load(chain: Chain, rerender: () => void): Promise<void> {
  if (state.busy) return;
  state.loaded = null;
  watchShown(null);
  const given = state.addresses.map((a) => a.trim());
  const bad = given.findIndex((a, i) => (a !== "" || i === 0) && !isAccountAddress(a));
  if (bad >= 0) {
    state.problem =
      given.length > 1 ? { key: "patient.addressRow", params: { n: bad + 1, error: t("error.address") } } : { key: "error.address" };
    rerender();
    document.getElementById(inputId(bad))?.focus();
    return;
  }
  // Empty extra rows are ignored; the same key given twice is read once.
  const keys = new Set<string>();
  const addresses = given.filter((a) => {
    const key = a === "" ? null : accountKey(a);
    if (key === null || keys.has(key)) return false;
    keys.add(key);
    return true;
  });
  state.problem = null;
  state.busy = true;
  rerender();
  try {
    const pseudonyms = await Promise.all(addresses.map((a) => readPseudonym(chain, a)));
    const loaded: Loaded = { chain, pseudonyms, names: new Map(), clock: chainClock(chain), readAt: chain.current.best ?? 0 };
    await nameAll(chain, loaded);
    // What the timeline already shows is not news.
    for (const p of pseudonyms) for (const [, e] of [...p.log.entries, ...p.log.kept]) markSeen(e);
    state.loaded = loaded;
    watchShown(loaded);
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.busy = false;
    rerender();
  }
}

/** Reads the next page of one pseudonym's list and appends it. */
export async function loadMore(chain: Chain, index: number, list: ListName, button: string): Promise<void> {
  const loaded = state.loaded;
  if (!loaded || state.more) return;
  const p = loaded.pseudonyms[index];
  state.more = button;
  screen.redraw();
  try {
    if (list === "records") {
      const a = await chain.rpc("records_ofPatient", [p.address, p.records.page + 1]);
      p.records = { items: [...p.records.items, ...a.records], total: a.total, page: a.page, pageSize: a.pageSize };
    } else if (list === "log") {
      const a = await chain.rpc("consent_disclosures", [p.address, p.log.page + 1]);
      p.log = { ...p.log, entries: [...p.log.entries, ...a.entries], count: a.log.next - a.log.first, page: a.page };
    } else if (list === "certs") {
      const a = await chain.rpc("certificates_ofSubject", [p.address, p.certs.page + 1]);
      p.certs = { items: [...p.certs.items, ...a.certificates], total: a.total, page: a.page, pageSize: a.pageSize };
    } else {
      const a = await chain.rpc("prescriptions_ofPatient", [p.address, p.rx.page + 1]);
      p.rx = { items: [...p.rx.items, ...a.prescriptions], total: a.total, page: a.page, pageSize: a.pageSize };
    }
    await nameAll(chain, loaded);
    state.problem = null;
  } catch (e) {
    state.problem = problemOf(e, chain);
  } finally {
    state.more = null;
    if (state.loaded === loaded) screen.redraw();
    document.getElementById(button)?.focus();
  }
}
