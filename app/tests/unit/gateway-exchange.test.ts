import { describe, expect, test } from "vitest";
import { askExchange, gatewayExchange, receivedDocument } from "../../src/gateway";
import { parseRecordIds } from "../../src/staff";

const TOKEN = "t".repeat(20);
/** A fetch that records what it was asked and answers `status` with `body` and `headers`. */
function answering(status: number, body: BodyInit | null, headers: Record<string, string> = { "Content-Type": "application/json" }) {
  const asked: Array<{ url: string; init: RequestInit }> = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    return new Response(body, { status, headers });
  }) as unknown as typeof fetch;
  return { asked, fetcher };
}

const ask = { custodian: 1, patient: `0x${"ab".repeat(32)}`, records: ["lab-1"], categories: [], purpose: "Treatment" as const, maxFee: "10000000000" };

describe("the requester's side through the gateway", () => {
  test("an ask is posted as JSON with the token, and the chain's answer comes back", async () => {
    const asked = { request: 7, block: 120, fee: "10000000000", deadline: 14_520 };
    const { asked: calls, fetcher } = answering(201, JSON.stringify(asked));
    await expect(askExchange("http://gw", TOKEN, ask, fetcher)).resolves.toEqual(asked);
    expect(calls[0].url).toBe("http://gw/exchanges");
    expect(calls[0].init.method).toBe("POST");
    expect(JSON.parse(String(calls[0].init.body))).toEqual(ask);
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("refusals keep the gateway's reason: 422 refused, 503 unavailable, 401 token, other shapes not a gateway", async () => {
    const refused = await askExchange("http://gw", TOKEN, ask, answering(422, JSON.stringify({ error: "the chain refused the request: Consent::NoConsent" })).fetcher).catch((e) => e);
    expect(refused).toMatchObject({ kind: "refused", message: "the chain refused the request: Consent::NoConsent" });
    await expect(askExchange("http://gw", TOKEN, ask, answering(503, JSON.stringify({ error: "no relay configured" })).fetcher)).rejects.toMatchObject({
      kind: "unavailable",
      message: "no relay configured",
    });
    await expect(askExchange("http://gw", TOKEN, ask, answering(401, "{}").fetcher)).rejects.toMatchObject({ kind: "token" });
    await expect(askExchange("http://gw", TOKEN, ask, answering(201, JSON.stringify({ request: "7" })).fetcher)).rejects.toMatchObject({ kind: "notGateway" });
  });

  test("an exchange as the gateway sees it; one it took no part in is notFound", async () => {
    const view = {
      request: 7,
      role: "requester",
      progress: { status: "confirmed", block: 140 },
      custodian: 1,
      requester: 2,
      patient: "0xab",
      fee: "10",
      deadline: 200,
      problem: null,
      received: [{ index: 0, recordId: "lab-1", version: 1, custodian: 1, category: "Laboratory", format: "FhirJson", size: 99, contentHash: "0x01", verifiedAt: 130 }],
    };
    await expect(gatewayExchange("http://gw", TOKEN, 7, answering(200, JSON.stringify(view)).fetcher)).resolves.toEqual(view);
    await expect(gatewayExchange("http://gw", TOKEN, 8, answering(404, JSON.stringify({ error: "this gateway takes no part in exchange 8" })).fetcher)).rejects.toMatchObject({
      kind: "notFound",
    });
  });

  test("a received document comes with its provenance and salt from the headers", async () => {
    const headers = { "x-record-id": "lab-1", "x-record-version": "2", "x-custodian": "1", "x-salt": `0x${"07".repeat(32)}` };
    const got = await receivedDocument("http://gw", TOKEN, 7, 0, answering(200, "{\"resourceType\":\"Observation\"}", headers).fetcher);
    expect(got).toMatchObject({ recordId: "lab-1", version: 2, custodian: 1, salt: `0x${"07".repeat(32)}` });
    expect(new TextDecoder().decode(got.bytes)).toBe('{"resourceType":"Observation"}');
    await expect(receivedDocument("http://gw", TOKEN, 7, 0, answering(200, "x", { "x-record-id": "lab-1" }).fetcher)).rejects.toMatchObject({ kind: "notGateway" });
  });

  test("record ids as typed at the desk", () => {
    expect(parseRecordIds(" lab-1, lab-2\nimg-3 ")).toEqual({ ok: true, value: ["lab-1", "lab-2", "img-3"] });
    expect(parseRecordIds("")).toEqual({ ok: true, value: [] });
    expect(parseRecordIds("a, a")).toEqual({ ok: false, error: "ask.error.duplicate" });
    expect(parseRecordIds("x".repeat(65))).toEqual({ ok: false, error: "ask.error.recordId" });
    expect(parseRecordIds("한".repeat(22))).toEqual({ ok: false, error: "ask.error.recordId" }); // 66 bytes
  });
});
