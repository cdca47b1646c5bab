import { describe, expect, test } from "vitest";
import { GatewayError, gatewayBase, gatewayHealth, gatewaySession, isTokenShaped, servingGateway } from "../../src/gateway";

const json = (status: number, body: unknown) =>
  (async () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })) as unknown as typeof fetch;

describe("the gateway seen from the app", () => {
  test("the serving gateway is the page's origin under /app/ only", () => {
    expect(servingGateway("http://10.0.0.5:8080/app/#/hospital")).toBe("http://10.0.0.5:8080");
    expect(servingGateway("http://10.0.0.5:8080/app")).toBe("http://10.0.0.5:8080");
    expect(servingGateway("http://127.0.0.1:5173/#/hospital")).toBeNull();
    expect(servingGateway("http://127.0.0.1:5173/application/")).toBeNull();
  });

  test("addresses and tokens typed by the user", () => {
    expect(gatewayBase(" https://gw.hospital.example/ ")).toBe("https://gw.hospital.example");
    expect(gatewayBase("http://127.0.0.1:8080/gateway/")).toBe("http://127.0.0.1:8080/gateway");
    expect(gatewayBase("ws://127.0.0.1:9944")).toBeNull();
    expect(gatewayBase("gateway")).toBeNull();
    expect(isTokenShaped("a".repeat(64))).toBe(true);
    expect(isTokenShaped("short")).toBe(false);
    expect(isTokenShaped("has a space in it, long enough")).toBe(false);
  });

  test("health, a refused token, and something that is not a gateway", async () => {
    const health = { status: "ok", node: { connected: true, best: 12, finalized: 10 }, queued: 0, unsettled: 0, problem: null };
    await expect(gatewayHealth("http://gw", "t".repeat(20), json(200, health))).resolves.toEqual(health);
    await expect(gatewayHealth("http://gw", "t".repeat(20), json(401, { error: "missing or unknown API token" }))).rejects.toMatchObject({ kind: "token" });
    await expect(gatewayHealth("http://gw", "t".repeat(20), json(200, { hello: 1 }))).rejects.toMatchObject({ kind: "notGateway" });
    const session = { custodian: 3, device: "5DUo", relay: false };
    await expect(gatewaySession("http://gw", "t".repeat(20), json(200, session))).resolves.toEqual(session);
    await expect(gatewaySession("http://gw", "t".repeat(20), json(401, {}))).rejects.toMatchObject({ kind: "token" });
    await expect(gatewaySession("http://gw", "t".repeat(20), json(200, { custodian: "3" }))).rejects.toMatchObject({ kind: "notGateway" });
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    const e = await gatewayHealth("http://gw", "t".repeat(20), down).catch((x) => x);
    expect(e).toBeInstanceOf(GatewayError);
    expect(e.kind).toBe("unreachable");
  });
});
