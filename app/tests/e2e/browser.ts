// What every browser test file shares: Debian's Chromium driven by playwright-core (one
// persistent profile per file), opening a screen of the app against the test's dev node,
// screenshots, axe-core's serious and critical violations, and overflow at phone width.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

export const APP = process.env.MEDCHAIN_APP_URL ?? "http://127.0.0.1:4173/";
export const NODE = process.env.MEDCHAIN_NODE_WS ?? "ws://127.0.0.1:9944";
export const SHOTS = process.env.MEDCHAIN_SHOTS ?? join(import.meta.dirname, "../../test-results");
const CHROMIUM = process.env.MEDCHAIN_CHROMIUM ?? "/usr/bin/chromium";
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const WAIT = 30_000;

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** What the browser refused under the page's Content-Security-Policy (console messages). */
  csp: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own localStorage and IndexedDB) with one page. */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "medchain-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", ...extraArgs],
    viewport: DESKTOP,
    locale: "en-GB",
    timeout: WAIT,
  });
  context.setDefaultTimeout(WAIT);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => console.error("page error:", e.message));
  const csp: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|compile)/i.test(m.text())) csp.push(m.text());
  });
  return {
    context,
    page,
    csp,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const appUrl = (route: string) => `${APP}?node=${encodeURIComponent(NODE)}#/${route}`;

/** Opens a screen and waits until the app is connected to the node. */
export async function open(page: Page, route: string, viewport = DESKTOP): Promise<void> {
  await page.setViewportSize(viewport);
  await page.goto(appUrl(route), { timeout: WAIT });
  await page.locator("#status-connection[data-state=connected]").waitFor({ timeout: WAIT });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, timeout: WAIT });
}

/** axe-core's serious and critical violations on the page, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
  // govern (an inline <script> tag would be refused, as it should be).
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: { target: string[] }) => n.target.join(" ")).slice(0, 3),
    }));
  });
  for (const v of violations.filter((v) => v.impact !== "serious" && v.impact !== "critical")) {
    console.log(`axe (${v.impact}, not failing): ${v.id}: ${v.help} (${v.nodes.join(", ")})`);
  }
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join(", ")})`);
}

/** Elements sticking out of the viewport on the right, or a horizontal scrollbar. */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= 0) continue; // hidden, or the skip link parked off screen
      if (r.right > width + 0.5) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}: right ${Math.round(r.right)} > ${width}`);
    }
    return out.slice(0, 10);
  });
}

/**
 * Imports the secret `phrase` on #/consents with the passphrase `pass`, as a patient (or a
 * guardian) would, and waits until the keyring is unlocked.
 */
export async function importPhrase(page: Page, phrase: string, pass: string): Promise<void> {
  await open(page, "consents");
  await page.locator("#keys-import").click();
  await page.locator("#keys-phrase-input").fill(phrase);
  await page.locator("#keys-pass").fill(pass);
  await page.locator("#keys-pass2").fill(pass);
  await page.locator("#keys-save").click();
  await page.locator("#keys-state[data-state=unlocked]").waitFor({ timeout: WAIT });
}

/** Records everything the page sends from now on (WebSocket frames, HTTP requests) in `sent`. */
export function recordSent(page: Page, sent: string[]): void {
  page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(typeof f.payload === "string" ? f.payload : f.payload.toString("latin1"))));
  page.on("request", (r) => sent.push(`${r.url()} ${r.postData() ?? ""}`));
}

/** The sealed staff and patient vaults in this browser's IndexedDB, as JSON. */
export async function storedVaults(page: Page): Promise<{ staff: string | null; patient: string | null }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open("medchain-keyring", 1);
        r.onupgradeneeded = () => r.result.createObjectStore("vault");
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const store = r.result.transaction("vault", "readonly").objectStore("vault");
          const staff = store.get("staff-secret");
          const patient = store.get("patient-secret");
          staff.transaction!.oncomplete = () => {
            r.result.close();
            resolve({ staff: staff.result ? JSON.stringify(staff.result) : null, patient: patient.result ? JSON.stringify(patient.result) : null });
          };
        };
      }),
  );
}

/** Signs in on the hospital portal with the secret `uri` and passphrase `pass`; waits for the role. */
export async function staffSignIn(page: Page, uri: string, pass: string): Promise<void> {
  await page.locator("#staff-uri").fill(uri);
  await page.locator("#staff-pass").fill(pass);
  await page.locator("#staff-pass2").fill(pass);
  await page.locator("#staff-save").click();
  await page.locator("#staff-role[data-role]").waitFor({ timeout: WAIT });
}

/** Waits for the hospital portal's last action to end (finalized or failed); returns its stage. */
export async function staffTxEnd(page: Page, timeout = 90_000): Promise<string> {
  const region = page.locator("#staff-tx");
  await region.waitFor({ timeout: WAIT });
  await expect.poll(() => region.getAttribute("data-stage"), { timeout }).toMatch(/^(finalized|failed)$/);
  return (await region.getAttribute("data-stage")) ?? "";
}

/**
 * A dishonest node, between `page` and the node: the answers to the JSON-RPC requests that
 * `asks` picks are passed to `forge`, which changes them in place and says whether it did.
 * Set before the page opens the app. Returns how many answers were forged so far.
 */
export async function forgeAnswers<T>(
  page: Page,
  asks: (request: { method?: string; params?: unknown[] }) => boolean,
  forge: (result: T) => boolean,
): Promise<() => number> {
  let forged = 0;
  await page.routeWebSocket(
    (url) => url.href.replace(/\/$/, "") === NODE.replace(/\/$/, ""),
    (ws) => {
      const server = ws.connectToServer();
      const asked = new Set<unknown>();
      ws.onMessage((message) => {
        const request = JSON.parse(String(message)) as { id?: unknown; method?: string; params?: unknown[] };
        if (asks(request)) asked.add(request.id);
        server.send(message);
      });
      server.onMessage((message) => {
        const reply = JSON.parse(String(message)) as { id?: unknown; result?: T };
        if (!asked.has(reply.id) || reply.result === undefined || !forge(reply.result)) return ws.send(message);
        forged++;
        ws.send(JSON.stringify(reply));
      });
    },
  );
  return () => forged;
}

