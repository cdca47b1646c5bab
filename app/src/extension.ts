// Signing extensions (docs/app.md, "Signing with a browser extension"): a staff member can sign
// the hospital portal's transactions with an account of a browser extension that speaks the
// `window.injectedWeb3` protocol (Polkadot{.js}, Talisman, SubWallet, a hardware wallet behind
// one of them), so the admin or device key is never typed into this page. The page asks the
// extension for its accounts; the extension shows every transaction and signs it after its user
// approves (polkadot-api's `pjs-signer` turns its `signPayload` into a PolkadotSigner).

import { getSs58AddressInfo, type PolkadotSigner } from "polkadot-api";
import { connectInjectedExtension, getInjectedExtensions, type InjectedExtension, type InjectedPolkadotAccount } from "polkadot-api/pjs-signer";

/** The name this page gives itself when it asks an extension for access. */
export const DAPP_NAME = "MedChain hospital portal";

/** An extension account the portal can sign with. */
export interface ExtensionAccount {
  /** The extension's name for the account, if it has one. */
  name: string | null;
  address: string;
  publicKey: Uint8Array;
  signer: PolkadotSigner;
}

/** Accounts of a kind MedChain's accounts are (32-byte sr25519 or ed25519 keys); others are left out. */
export function usableAccounts(accounts: Array<Pick<InjectedPolkadotAccount, "address" | "name" | "type" | "polkadotSigner">>): ExtensionAccount[] {
  const out: ExtensionAccount[] = [];
  for (const a of accounts) {
    if (a.type !== "sr25519" && a.type !== "ed25519") continue;
    let publicKey: Uint8Array | null = null;
    try {
      const info = getSs58AddressInfo(a.address);
      publicKey = info.isValid && info.publicKey.length === 32 ? info.publicKey : null;
    } catch {
      publicKey = null;
    }
    if (!publicKey) continue;
    out.push({ name: a.name?.trim() ? a.name.trim() : null, address: a.address, publicKey, signer: a.polkadotSigner });
  }
  return out;
}

/** The names of the extensions present in this browser (the keys of `window.injectedWeb3`). */
export function extensionsPresent(): string[] {
  try {
    return getInjectedExtensions();
  } catch {
    return [];
  }
}

export type ConnectFailure = "extension.error.refused" | "extension.error.gone" | "extension.error.noAccount";

/**
 * Asks the extension `name` for access (it may ask its user) and for its usable accounts. A
 * refusal, an extension that went away, or no usable account is a failure in words; the
 * connection is closed then.
 */
export async function connect(name: string): Promise<{ ok: true; extension: InjectedExtension; accounts: ExtensionAccount[] } | { ok: false; error: ConnectFailure }> {
  let extension: InjectedExtension;
  try {
    extension = await connectInjectedExtension(name, DAPP_NAME);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: /unavailable/i.test(message) ? "extension.error.gone" : "extension.error.refused" };
  }
  const accounts = usableAccounts(extension.getAccounts());
  if (accounts.length === 0) {
    extension.disconnect();
    return { ok: false, error: "extension.error.noAccount" };
  }
  return { ok: true, extension, accounts };
}
