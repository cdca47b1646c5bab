import { describe, expect, test } from "vitest";
import type { Chain } from "../../src/chain";
import type { ExchangeRequestView } from "../../src/rpc-types";
import { olderRemain, readOlder, type Portal } from "../../src/views/hospital/data";
import { freshWaiting } from "../../src/views/hospital/waiting";

// A chain whose `exchange_ofInstitution` answers from `ids` (newest first, `size` per page),
// as the runtime pages its index; `ids` may grow between calls.
function chainOf(ids: number[], size: number, registrations: string[] = []): Chain & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const view = (id: number): ExchangeRequestView => ({
    id,
    requester: 1,
    payer: "payer",
    custodian: 2,
    patient: "patient",
    records: [],
    categories: ["Laboratory"],
    purpose: "Treatment",
    fee: "10",
    relaySharePerMille: 50,
    requestedAt: id,
    deadline: id + 100,
    status: "requested",
    delivery: null,
  });
  const rpc = async (method: string, params: unknown[]) => {
    calls.push([method, ...params]);
    const page = params[1] as number;
    if (method === "exchange_ofInstitution") {
      return { institution: 2, page, pageSize: size, total: ids.length, requests: ids.slice(page * size, page * size + size).map(view) };
    }
    return {
      institution: 2,
      page,
      pageSize: size,
      total: registrations.length,
      registrations: registrations.slice(page * size, page * size + size).map((patient) => ({ patient, guardian: null, expiresAt: 9 })),
    };
  };
  return { rpc, calls } as unknown as Chain & { calls: unknown[][] };
}

const portal = (): Portal =>
  ({ institution: { id: 2, name: "B", kind: "Hospital" }, requests: [], requestPages: 0, requestTotal: 0 }) as unknown as Portal;

describe("the hospital portal's pages of requests", () => {
  test("reads the institution's requests a page at a time, newest first, until all are read", async () => {
    const chain = chainOf([5, 4, 3, 2, 1], 2);
    const p = portal();
    await readOlder(chain, p);
    expect(p.requests.map((r) => r.id)).toEqual([5, 4]);
    expect([p.requestPages, p.requestTotal, olderRemain(p)]).toEqual([1, 5, true]);
    await readOlder(chain, p);
    await readOlder(chain, p);
    expect(p.requests.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    expect(olderRemain(p)).toBe(false);
    expect(chain.calls).toEqual([
      ["exchange_ofInstitution", 2, 0],
      ["exchange_ofInstitution", 2, 1],
      ["exchange_ofInstitution", 2, 2],
    ]);
  });

  test("a request made between two pages shifts them by one: no request is listed twice", async () => {
    const ids = [4, 3, 2, 1];
    const chain = chainOf(ids, 2);
    const p = portal();
    await readOlder(chain, p);
    ids.unshift(5); // a new request: page 1 now starts at 3
    await readOlder(chain, p);
    expect(p.requests.map((r) => r.id)).toEqual([4, 3, 2]);
    expect(p.requestTotal).toBe(5);
    await readOlder(chain, p);
    expect(p.requests.map((r) => r.id)).toEqual([4, 3, 2, 1]);
  });

  test("the waiting registrations are read again as many pages as were shown", async () => {
    const chain = chainOf([], 2, ["a", "b", "c", "d", "e"]);
    const one = await freshWaiting(chain, 2);
    expect([one.items.map((r) => r.patient), one.total, one.pages]).toEqual([["a", "b"], 5, 1]);
    const three = await freshWaiting(chain, 2, 3);
    expect(three.items.map((r) => r.patient)).toEqual(["a", "b", "c", "d", "e"]);
    expect(three.pages).toBe(3);
    // Never past the end, even when more pages were shown before than exist now.
    const short = await freshWaiting(chainOf([], 2, ["a"]), 2, 3);
    expect([short.items.length, short.pages]).toEqual([1, 1]);
  });
});
