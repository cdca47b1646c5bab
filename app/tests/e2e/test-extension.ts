// A signing extension for the browser tests: it speaks the `window.injectedWeb3` protocol that
// Polkadot{.js}, Talisman and SubWallet implement (enable → accounts and a signer whose
// `signPayload` gets a SignerPayloadJSON), which real extensions cannot be installed into the
// test's Chromium. Its page half is injected before the app loads; its key stays in this test
// process (exposed functions), as a real extension keeps its key in its own process.
//
// `signPayload` does what an extension does with the JSON: it builds the bytes to sign from
// the call and the runtime's transaction extensions, in the order the JSON lists them (each
// one's explicit part, then each one's implicit part; BLAKE2b-256 beyond 256 bytes) and signs
// them with sr25519, answering with a MultiSignature (0x01 ‖ signature). An identifier it does
// not know fails the signature, as it would in an extension that cannot show it.

import { blake2b256 } from "@polkadot-labs/hdkd-helpers";
import { compact, u32 } from "@polkadot-api/substrate-bindings";
import type { Page } from "playwright-core";
import type { Key } from "./seed";

export const EXTENSION_NAME = "medchain-test-signer";

export interface SignerPayload {
  address: string;
  blockHash: string;
  era: string;
  genesisHash: string;
  metadataHash?: string;
  method: string;
  mode?: number;
  nonce: string;
  specVersion: string;
  tip: string;
  transactionVersion: string;
  signedExtensions: string[];
  version: number;
}

/** What the test extension was asked, and what it does next. */
export interface TestExtension {
  /** The dapp names that asked for access. */
  enabledBy: string[];
  /** Every payload it was asked to sign (refused ones too). */
  payloads: SignerPayload[];
  /** Refuse the next access request (the user clicks "Reject"). */
  refuseAccess: boolean;
  /** Cancel the next signature (the user clicks "Cancel"): Polkadot{.js} rejects with "Cancelled". */
  cancelNext: boolean;
}

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ""), "hex"));
const num = (hex: string) => BigInt(hex);

/** The explicit and implicit bytes of each transaction extension the runtime lists. */
function parts(id: string, p: SignerPayload): [Uint8Array, Uint8Array] {
  const none = new Uint8Array();
  switch (id) {
    case "CheckNonZeroSender":
    case "CheckWeight":
    case "WeightReclaim":
    case "PatientAllowance":
      return [none, none];
    case "CheckSpecVersion":
      return [none, u32.enc(Number(num(p.specVersion)))];
    case "CheckTxVersion":
      return [none, u32.enc(Number(num(p.transactionVersion)))];
    case "CheckGenesis":
      return [none, bytes(p.genesisHash)];
    case "CheckMortality":
      return [bytes(p.era), bytes(p.blockHash)];
    case "CheckNonce":
      return [compact.enc(num(p.nonce)), none];
    case "ChargeTransactionPayment":
      return [compact.enc(num(p.tip)), none];
    case "CheckMetadataHash":
      return p.mode === 1 && p.metadataHash ? [Uint8Array.of(1), Uint8Array.of(1, ...bytes(p.metadataHash))] : [Uint8Array.of(0), Uint8Array.of(0)];
    default:
      throw new Error(`the test extension does not know the transaction extension ${id}`);
  }
}

/** The bytes an sr25519 extension signs for `p`. */
export function signingPayload(p: SignerPayload): Uint8Array {
  const split = p.signedExtensions.map((id) => parts(id, p));
  const all = [bytes(p.method), ...split.map(([explicit]) => explicit), ...split.map(([, implicit]) => implicit)];
  const out = new Uint8Array(all.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of all) {
    out.set(b, at);
    at += b.length;
  }
  return out.length > 256 ? blake2b256(out) : out;
}

/**
 * Installs the test extension in `page` (before any of its scripts run) with the one account
 * `key`, named `name`.
 */
export async function installTestExtension(page: Page, key: Key, name: string): Promise<TestExtension> {
  const state: TestExtension = { enabledBy: [], payloads: [], refuseAccess: false, cancelNext: false };
  await page.exposeFunction("medchainTestExtensionEnable", (dapp: string) => {
    state.enabledBy.push(dapp);
    if (state.refuseAccess) {
      state.refuseAccess = false;
      return { ok: false };
    }
    return { ok: true, accounts: [{ address: key.address, name, type: "sr25519" }] };
  });
  await page.exposeFunction("medchainTestExtensionSign", (payload: SignerPayload) => {
    state.payloads.push(payload);
    if (state.cancelNext) {
      state.cancelNext = false;
      throw new Error("Cancelled");
    }
    if (payload.address !== key.address) throw new Error(`the test extension holds no key for ${payload.address}`);
    const signature = key.sign(signingPayload(payload));
    return { id: state.payloads.length, signature: `0x01${Buffer.from(signature).toString("hex")}` };
  });
  await page.addInitScript((extension: string) => {
    type Exposed = {
      medchainTestExtensionEnable: (dapp: string) => Promise<{ ok: boolean; accounts?: unknown[] }>;
      medchainTestExtensionSign: (payload: unknown) => Promise<unknown>;
      injectedWeb3?: Record<string, unknown>;
    };
    const w = window as unknown as Exposed;
    w.injectedWeb3 = {
      ...(w.injectedWeb3 ?? {}),
      [extension]: {
        version: "0.1.0",
        enable: async (dapp: string) => {
          const answer = await w.medchainTestExtensionEnable(dapp);
          if (!answer.ok) throw new Error("Rejected by the user");
          const accounts = answer.accounts ?? [];
          return {
            accounts: {
              get: async () => accounts,
              subscribe: (cb: (a: unknown[]) => void) => {
                cb(accounts);
                return () => {};
              },
            },
            signer: {
              signPayload: (payload: unknown) => w.medchainTestExtensionSign(payload),
              signRaw: async () => {
                throw new Error("the test extension signs transactions only");
              },
            },
          };
        },
      },
    };
  }, EXTENSION_NAME);
  return state;
}
