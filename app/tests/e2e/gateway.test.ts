// The app as a hospital's gateway serves it (/app/, docs/gateway.md "The web app") and the
// hospital portal's connection to that gateway with its API token: the redirect, the security
// headers and caching, every screen under the gateway's Content-Security-Policy without a
// refusal, a wrong token refused in words, the right one showing the gateway's health.

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { en } from "../../src/i18n";
import { APP, DESKTOP, PHONE, WAIT, axeViolations, launch, open, overflow, shot, type Browser } from "./browser";
import type { GatewayInfo } from "./global-setup";

let browser: Browser;
let page: Page;
let gateway: GatewayInfo;

beforeAll(async () => {
  gateway = inject("gateway");
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
});

describe("the app served by the gateway", () => {
  test("/app redirects to /app/, which is served with the CSP; hashed assets are cached for good", async () => {
    expect(APP).toBe(`${gateway.origin}/app/`);
    const bare = await fetch(`${gateway.origin}/app`, { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toMatch(/(^|\/)app\/$/);
    const index = await fetch(APP);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    const script = html.match(/src="([^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, APP));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    // The API next to it still wants its token (its health is open, for monitoring).
    expect((await fetch(`${gateway.origin}/session`)).status).toBe(401);
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
    const session = await fetch(`${gateway.origin}/session`, { headers: { Authorization: `Bearer ${gateway.token}` } });
    expect(await session.json()).toMatchObject({ custodian: gateway.institution, relay: true });
  });

  test("every screen runs under the gateway's Content-Security-Policy without a refusal", async () => {
    for (const route of ["verify", "patient", "consents", "card", "hospital", "settings"]) {
      await open(page, route);
      await page.locator("main h2").first().waitFor({ timeout: WAIT });
    }
    expect(browser.csp).toEqual([]);
  });
});

describe("hospital portal: our gateway", () => {
  test("a wrong token is refused in words; the right one shows the gateway's health", async () => {
    await open(page, "hospital");
    expect(await page.locator("#gateway-serving").innerText()).toBe(en["gateway.serving"].replace("{url}", gateway.origin));
    await page.locator("#gateway-token").fill("short");
    await page.locator("#gateway-connect").click();
    await expect.poll(() => page.locator("#gateway-error").innerText()).toBe(en["gateway.error.tokenShape"]);
    expect(await page.locator("#gateway-token").getAttribute("aria-invalid")).toBe("true");
    await page.locator("#gateway-token").fill("0".repeat(64));
    await page.locator("#gateway-connect").click();
    await expect.poll(() => page.locator("#gateway-error").innerText(), { timeout: WAIT }).toBe(en["gateway.error.token"]);
    await page.locator("#gateway-token").fill(gateway.token);
    await page.locator("#gateway-connect").click();
    const result = page.locator("#gateway-result .result");
    await result.waitFor({ timeout: WAIT });
    expect(await result.getAttribute("data-state")).toBe("ok");
    const text = await result.innerText();
    expect(text).toContain(en["gateway.ok"]);
    expect(text).toContain(`Busan Gateway Hospital (no. ${gateway.institution})`);
    expect(text).toContain(en["gateway.relay.yes"]); // the relay scripts/test.sh set up
    expect(text).toMatch(/best block #[\d,]+, finalized #[\d,]+/);
    expect(text).toContain(en["gateway.queued"].replace("{n}", "0"));
    await page.setViewportSize(DESKTOP);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#gateway-panel").screenshot({ path: `${process.env.MEDCHAIN_SHOTS ?? "test-results"}/gateway-panel-desktop.png` });
    await page.setViewportSize(PHONE);
    expect(await overflow(page)).toEqual([]);
    await shot(page, "hospital-gateway-phone");
    await page.setViewportSize(DESKTOP);
  });

  test("the token lasts for the tab: kept on reload, gone after forgetting it", async () => {
    await page.reload();
    await page.locator("#gateway-forget").waitFor({ timeout: WAIT });
    expect(await page.locator("#gateway-token").inputValue()).toBe(gateway.token);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(gateway.token);
    await page.locator("#gateway-forget").click();
    expect(await page.locator("#gateway-token").inputValue()).toBe("");
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).not.toContain(gateway.token);
  });
});
