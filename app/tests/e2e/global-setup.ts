// Once for every browser test file (vitest's globalSetup): seeds the dev node (the files read
// the result with `inject("seeded")`; a file that needs more data seeds it in its own beforeAll
// with seed.ts's helpers) and starts the relay and the hospital gateway that serves the app at
// /app/, and a second gateway, of a requesting clinic.
//
// The gateway (data directory and keys made by scripts/test.sh with `medchain-gateway init
// --relay`) serves an institution of its own, "Busan Gateway Hospital", so that its exchange
// worker cannot touch the other files' requests: sudo admits it, //Alice funds its admin and the
// device, the admin registers the device, and `serve` starts (it publishes the device's
// encryption key, then listens). The relay (`medchain-relay init` in scripts/test.sh) belongs to
// a relay operator sudo admits ("Test Relay Operator", admin //Ferdie//relay-admin) in the same
// blocks; its admin registers the relay's device and `medchain-relay serve` starts beside the
// gateway (it listens once its registration is final). So the gateway delivers what is asked
// of its hospital through a real relay (tests/e2e/exchange.test.ts). The files read both with
// `inject("gateway")`; the teardown stops both; each one's process id is also written to
// $MEDCHAIN_PID_DIR, so that scripts/test.sh stops them if the teardown never ran.

import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:net";
import { medchain } from "@polkadot-api/descriptors";
import { Enum } from "polkadot-api";
import { createWsClient } from "polkadot-api/ws";
import type { TestProject } from "vitest/node";
import { admitted, devKey, hex, round, seed, utf8, type Hex, type Seeded } from "./seed";

export interface GatewayInfo {
  institution: number;
  token: string;
  /** The gateway's origin, e.g. http://127.0.0.1:34567 (the app is at /app/). */
  origin: string;
  /** The gateway's device account (SS58) and the 32-byte seed of its sr25519 key (device.key),
   * so that a test can sign as the device (registering a patient of the gateway's hospital). */
  device: string;
  deviceSeed: Hex;
  /** The relay the gateway delivers through: its operator institution and origin. */
  relay: { institution: number; origin: string };
  /** A second gateway, of a requesting clinic ("Daegu Requesting Clinic"), through the same
   * relay: it serves the app too, and asks for records from the portal (exchange.test.ts). */
  requester: { institution: number; token: string; origin: string; device: string };
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

async function register(
  node: string,
  devices: { gateway: string; relay: string; requester: string },
  log: (line: string) => void,
): Promise<{ hospital: number; relayOperator: number; clinic: number }> {
  const client = createWsClient(node);
  const api = client.getTypedApi(medchain);
  try {
    const alice = devKey("//Alice");
    const admin = devKey("//Ferdie//gateway-admin");
    const relayAdmin = devKey("//Ferdie//relay-admin");
    const clinicAdmin = devKey("//Ferdie//gateway2-admin");
    const sudoAdmit = (who: string, kind: "Hospital" | "Clinic" | "RelayOperator", name: string) =>
      api.tx.Sudo.sudo({ call: api.tx.Institutions.admit({ admin: who, kind: Enum(kind), name: utf8(name) }).decodedCall });
    const fund = (dest: string) => api.tx.Balances.transfer_keep_alive({ dest: Enum("Id", dest), value: 10n ** 15n });
    log("admitting the gateways' hospital and clinic and the relay operator, funding their admins and devices");
    const [admit, admitRelay, admitClinic] = await round(client, [
      ["admit the gateway's hospital", alice, sudoAdmit(admin.address, "Hospital", "Busan Gateway Hospital")],
      ["admit the relay operator", alice, sudoAdmit(relayAdmin.address, "RelayOperator", "Test Relay Operator")],
      ["admit the second gateway's clinic", alice, sudoAdmit(clinicAdmin.address, "Clinic", "Daegu Requesting Clinic")],
      ["fund the gateway's admin", alice, fund(admin.address)],
      ["fund the gateway's device", alice, fund(devices.gateway)],
      ["fund the relay's admin", alice, fund(relayAdmin.address)],
      ["fund the relay's device", alice, fund(devices.relay)],
      ["fund the clinic's admin", alice, fund(clinicAdmin.address)],
      ["fund the clinic gateway's device", alice, fund(devices.requester)],
    ]);
    const hospital = admitted(api, admit, "admit the gateway's hospital");
    const relayOperator = admitted(api, admitRelay, "admit the relay operator");
    const clinic = admitted(api, admitClinic, "admit the second gateway's clinic");
    log("registering the gateways' and the relay's devices");
    await round(client, [
      ["add the gateway's device", admin, api.tx.Institutions.add_device({ device: devices.gateway })],
      ["add the relay's device", relayAdmin, api.tx.Institutions.add_device({ device: devices.relay })],
      ["add the clinic gateway's device", clinicAdmin, api.tx.Institutions.add_device({ device: devices.requester })],
    ]);
    return { hospital, relayOperator, clinic };
  } finally {
    client.destroy();
  }
}

/** Starts `bin serve --data-dir dir`, logging to `logFile`; resolves once it listens on `port`. */
async function startService(
  name: string,
  bin: string,
  dir: string,
  logFile: string,
  port: number,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(bin, ["serve", "--data-dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "info" },
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const pidDir = process.env.MEDCHAIN_PID_DIR;
  if (pidDir && child.pid) writeFileSync(join(pidDir, `${name.replace(/\W+/g, "-")}.pid`), String(child.pid));
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const until = Date.now() + START_MS;
  while (Date.now() < until) {
    if (exited !== null) {
      throw new Error(`${name} serve stopped (exit ${exited}):\n${readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n")}`);
    }
    if (await portOpen(port)) {
      log(`${name} listening on port ${port}`);
      return child;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error(`${name} serve did not listen on port ${port} within ${START_MS / 1000} s (log: ${logFile})`);
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
  const device = env("MEDCHAIN_GATEWAY_DEVICE");
  const { hospital, relayOperator, clinic } = await register(
    node,
    { gateway: device, relay: env("MEDCHAIN_RELAY_DEVICE"), requester: env("MEDCHAIN_GATEWAY2_DEVICE") },
    log,
  );
  const relayPort = Number(env("MEDCHAIN_RELAY_PORT"));
  // Both at once: the relay listens once its device's registration is final.
  const started = await Promise.allSettled([
    startService("medchain-relay", env("MEDCHAIN_RELAY_BIN"), env("MEDCHAIN_RELAY_DIR"), env("MEDCHAIN_RELAY_LOG"), relayPort, log),
    startService(
      "medchain-gateway",
      env("MEDCHAIN_GATEWAY_BIN"),
      env("MEDCHAIN_GATEWAY_DIR"),
      env("MEDCHAIN_GATEWAY_LOG"),
      Number(env("MEDCHAIN_GATEWAY_PORT")),
      log,
    ),
    startService(
      "medchain-gateway-2",
      env("MEDCHAIN_GATEWAY_BIN"),
      env("MEDCHAIN_GATEWAY2_DIR"),
      env("MEDCHAIN_GATEWAY2_LOG"),
      Number(env("MEDCHAIN_GATEWAY2_PORT")),
      log,
    ),
  ]);
  const children = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(children.map(stop));
    throw (failed as PromiseRejectedResult).reason;
  }
  const seedFile = join(env("MEDCHAIN_GATEWAY_DIR"), "device.key");
  project.provide("gateway", {
    institution: hospital,
    token: env("MEDCHAIN_GATEWAY_TOKEN"),
    origin: `http://127.0.0.1:${env("MEDCHAIN_GATEWAY_PORT")}`,
    device,
    deviceSeed: hex(readFileSync(seedFile)),
    relay: { institution: relayOperator, origin: `http://127.0.0.1:${relayPort}` },
    requester: {
      institution: clinic,
      token: env("MEDCHAIN_GATEWAY2_TOKEN"),
      origin: `http://127.0.0.1:${env("MEDCHAIN_GATEWAY2_PORT")}`,
      device: env("MEDCHAIN_GATEWAY2_DEVICE"),
    },
  });
  return async () => {
    await Promise.all(children.map(stop));
    const pidDir = process.env.MEDCHAIN_PID_DIR;
    if (pidDir) for (const name of ["medchain-relay", "medchain-gateway", "medchain-gateway-2"]) rmSync(join(pidDir, `${name}.pid`), { force: true });
  };
}
