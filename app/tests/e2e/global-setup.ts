// Once for every browser test file (vitest's globalSetup): seeds the dev node (the files read
// the result with `inject("seeded")`; a file that needs more data seeds it in its own beforeAll
// with seed.ts's helpers) and starts the hospital gateway that serves the app at /app/.
//
// The gateway (data directory and keys made by scripts/test.sh with `medchain-gateway init`)
// serves an institution of its own, "Busan Gateway Hospital", so that its exchange worker
// cannot touch the other files' requests: sudo admits it, //Alice funds its admin and the
// device, the admin registers the device, and `serve` starts (it publishes the device's
// encryption key, then listens). The files read it with `inject("gateway")`; the teardown
// stops it.

import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { connect } from "node:net";
import { medchain } from "@polkadot-api/descriptors";
import { Enum } from "polkadot-api";
import { createWsClient } from "polkadot-api/ws";
import type { TestProject } from "vitest/node";
import { admitted, devKey, round, seed, utf8, type Seeded } from "./seed";

export interface GatewayInfo {
  institution: number;
  token: string;
  /** The gateway's origin, e.g. http://127.0.0.1:34567 (the app is at /app/). */
  origin: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    seeded: Seeded;
    gateway: GatewayInfo;
  }
}

const START_MS = 120_000;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests with app/scripts/test.sh`);
  return value;
}

async function registerGateway(node: string, device: string, log: (line: string) => void): Promise<number> {
  const client = createWsClient(node);
  const api = client.getTypedApi(medchain);
  try {
    const alice = devKey("//Alice");
    const admin = devKey("//Ferdie//gateway-admin");
    log("admitting the gateway's hospital, funding its admin and device");
    const [admit] = await round(client, [
      [
        "admit the gateway's hospital",
        alice,
        api.tx.Sudo.sudo({
          call: api.tx.Institutions.admit({ admin: admin.address, kind: Enum("Hospital"), name: utf8("Busan Gateway Hospital") }).decodedCall,
        }),
      ],
      ["fund the gateway's admin", alice, api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", admin.address), value: 10n ** 15n })],
      ["fund the gateway's device", alice, api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", device), value: 10n ** 15n })],
    ]);
    const institution = admitted(api, admit, "admit the gateway's hospital");
    log("registering the gateway's device");
    await round(client, [["add the gateway's device", admin, api.tx.Institutions.add_device({ device })]]);
    return institution;
  } finally {
    client.destroy();
  }
}

async function startGateway(log: (line: string) => void): Promise<ChildProcess> {
  const logFile = env("MEDCHAIN_GATEWAY_LOG");
  const port = Number(env("MEDCHAIN_GATEWAY_PORT"));
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(env("MEDCHAIN_GATEWAY_BIN"), ["serve", "--data-dir", env("MEDCHAIN_GATEWAY_DIR")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "info" },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const until = Date.now() + START_MS;
  while (Date.now() < until) {
    if (exited !== null) {
      throw new Error(`medchain-gateway serve stopped (exit ${exited}):\n${readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n")}`);
    }
    if (await portOpen(port)) {
      log(`gateway listening on port ${port}`);
      return child;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error(`medchain-gateway serve did not listen on port ${port} within ${START_MS / 1000} s (log: ${logFile})`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await gone;
  clearTimeout(timer);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const node = process.env.MEDCHAIN_NODE_WS ?? "ws://127.0.0.1:9944";
  const log = (line: string) => console.log(`seed: ${line}`);
  const seeded = await seed(node, log);
  project.provide("seeded", seeded);
  const institution = await registerGateway(node, env("MEDCHAIN_GATEWAY_DEVICE"), log);
  const gateway = await startGateway(log);
  project.provide("gateway", { institution, token: env("MEDCHAIN_GATEWAY_TOKEN"), origin: `http://127.0.0.1:${env("MEDCHAIN_GATEWAY_PORT")}` });
  return () => stop(gateway);
}
