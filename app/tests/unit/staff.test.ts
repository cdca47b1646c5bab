// Staff keys from secret URIs (keyring.ts) and the checks staff actions make before signing
// (staff.ts). The public keys were printed by sp_core itself:
//   /work/app-bin/medchain-node key inspect --output-type json "<secret URI>"
// //Bob and //Dave of the development phrase are the well-known development keys.

import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { describe, expect, test } from "vitest";
import { address, isSecretUri, keyOfSecretUri, MemoryStore, normalizeSecretUri, open, parseSecretUri, WrongPassphrase } from "../../src/keyring";
import { usableAccounts } from "../../src/extension";
import { amountText, parseAddress, parseAmount, parseEncryptionKey, parseHex32, StaffKeyring, U128_MAX } from "../../src/staff";

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const pub = (uri: string) => hex(keyOfSecretUri(uri).publicKey);
const SEED = `0x${"11".repeat(32)}`;

describe("secret URIs as sp_core", () => {
  test("the development admin and device: //Bob and //Dave", () => {
    expect(pub(`${DEV_PHRASE}//Bob`)).toBe("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");
    expect(pub(`${DEV_PHRASE}//Dave`)).toBe("0x306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20");
  });

  test("soft junctions, a BIP-39 password, a hex seed with a path", () => {
    expect(pub(`${DEV_PHRASE}//medchain/staff/7`)).toBe("0x34020de5904ef74829939d57df426de476cf90e2f8cbe8acd2b2482c29486a45");
    expect(pub(`${DEV_PHRASE}//Bob///secret pass`)).toBe("0x723d3a35632425bc3950a9bb76202eeba0dd3466d724d77de335ad820af1a304");
    expect(pub(SEED)).toBe("0x50780547322a1ceba67ea8c552c9bc6c686f8698ac9a8cafab7cd15a1db19859");
    expect(pub(`${SEED}//Bob/1`)).toBe("0x5487b4570910e68e35e615168a467f2397eabdf25dc54add73d1710d3ff3ed1b");
  });

  test("the phrase is normalised, the path is kept as written (junctions are case-sensitive)", () => {
    const messy = `  ${DEV_PHRASE.toUpperCase().replace(/ /g, "  ")}//Bob `;
    expect(normalizeSecretUri(messy)).toBe(`${DEV_PHRASE}//Bob`);
    expect(pub(messy)).toBe(pub(`${DEV_PHRASE}//Bob`));
    expect(pub(`${DEV_PHRASE}//bob`)).not.toBe(pub(`${DEV_PHRASE}//Bob`));
    expect(parseSecretUri(`${DEV_PHRASE}//Bob///pw`)).toEqual({ secret: DEV_PHRASE, path: "//Bob", password: "pw" });
  });

  test("what is not a secret URI", () => {
    expect(isSecretUri("")).toBe(false);
    expect(isSecretUri("//Bob")).toBe(false); // no phrase: the development phrase is not implied
    expect(isSecretUri(`${DEV_PHRASE.replace("walk", "fit")}//Bob`)).toBe(false); // checksum
    expect(isSecretUri(`${DEV_PHRASE}//`)).toBe(false);
    expect(isSecretUri(`${DEV_PHRASE}///`)).toBe(false);
    expect(isSecretUri("0x1234")).toBe(false);
    expect(isSecretUri(`${SEED}///pw`)).toBe(false);
    expect(isSecretUri(address(keyOfSecretUri(`${DEV_PHRASE}//Bob`).publicKey))).toBe(false); // an address
  });
});

describe("checks before signing", () => {
  test("amounts in MED to the smallest unit, exactly", () => {
    expect(parseAmount("0.015")).toEqual({ ok: true, value: 15_000_000_000n });
    expect(parseAmount("1,5")).toEqual({ ok: true, value: 1_500_000_000_000n });
    expect(parseAmount("0")).toEqual({ ok: true, value: 0n });
    expect(parseAmount(".000000000001")).toEqual({ ok: true, value: 1n });
    expect(parseAmount("1 000")).toEqual({ ok: true, value: 1_000_000_000_000_000n });
    expect(parseAmount("0.1000000000000")).toEqual({ ok: true, value: 100_000_000_000n }); // trailing zeros
    // 0.1 + 0.2 in floating point is not 0.3; here it is.
    expect(parseAmount("0.3")).toEqual({ ok: true, value: 300_000_000_000n });
    expect(parseAmount("-1")).toEqual({ ok: false, error: "staff.error.amountNegative" });
    expect(parseAmount("")).toEqual({ ok: false, error: "staff.error.amountEmpty" });
    expect(parseAmount("1e3")).toEqual({ ok: false, error: "staff.error.amountFormat" });
    expect(parseAmount("1.2.3")).toEqual({ ok: false, error: "staff.error.amountFormat" });
    expect(parseAmount(".")).toEqual({ ok: false, error: "staff.error.amountFormat" });
    expect(parseAmount("0.0000000000001")).toEqual({ ok: false, error: "staff.error.amountDecimals" });
    const max = amountText(U128_MAX);
    expect(parseAmount(max)).toEqual({ ok: true, value: U128_MAX });
    expect(parseAmount(`${U128_MAX / 10n ** 12n + 1n}`)).toEqual({ ok: false, error: "staff.error.amountTooLarge" });
    expect(amountText(15_000_000_000n)).toBe("0.015");
    expect(amountText(2_000_000_000_000n)).toBe("2");
  });

  test("32-byte hex and encryption keys", () => {
    expect(parseHex32(`0x${"AB".repeat(32)}`)).toEqual({ ok: true, value: `0x${"ab".repeat(32)}` });
    expect(parseHex32("ab".repeat(32))).toEqual({ ok: false, error: "staff.error.hex" });
    expect(parseHex32(`0x${"ab".repeat(31)}`)).toEqual({ ok: false, error: "staff.error.hex" });
    expect(parseHex32(" ")).toEqual({ ok: false, error: "staff.error.hexEmpty" });
    expect(parseEncryptionKey(`0x${"00".repeat(32)}`)).toEqual({ ok: false, error: "staff.error.keyZero" });
  });

  test("SS58 addresses, written in the chain's prefix", () => {
    const bob = keyOfSecretUri(`${DEV_PHRASE}//Bob`).publicKey;
    const generic = address(bob, 42);
    const r = parseAddress(` ${generic} `, 7);
    expect(r).toEqual({ ok: true, value: address(bob, 7) });
    expect(parseAddress(generic.slice(0, -1) + (generic.endsWith("a") ? "b" : "a"), 42)).toEqual({ ok: false, error: "staff.error.address" });
    expect(parseAddress("5Grw", 42)).toEqual({ ok: false, error: "staff.error.address" });
    expect(parseAddress("", 42)).toEqual({ ok: false, error: "staff.error.addressEmpty" });
  });
});

describe("the staff keyring", () => {
  test("seals the URI with its path, wrong passphrase changes nothing, lock, auto-lock", async () => {
    const store = new MemoryStore();
    const staff = new StaffKeyring(store, 50, 1000);
    await staff.create(`${DEV_PHRASE}//Bob`, "pass phrase");
    expect(hex(staff.current!.publicKey)).toBe("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");
    expect(await open(store.vault!, "pass phrase")).toBe(`${DEV_PHRASE}//Bob`); // not lower-cased
    staff.lock();
    expect(staff.current).toBeNull();
    const stored = store.vault;
    await expect(staff.unlock("nope")).rejects.toBeInstanceOf(WrongPassphrase);
    expect(staff.unlocked).toBe(false);
    expect(store.vault).toBe(stored);
    await staff.unlock("pass phrase");
    expect(hex(staff.current!.publicKey)).toBe("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");
    await new Promise((r) => setTimeout(r, 120));
    expect(staff.unlocked).toBe(false);
    expect(staff.lockedBy).toBe("idle");
    await staff.forget();
    expect(await staff.hasVault()).toBe(false);
  });

  test("an extension's account: nothing stored, the extension's signer, disconnected on sign-out and when idle", async () => {
    const store = new MemoryStore();
    const staff = new StaffKeyring(store, 50, 1000);
    const key = new Uint8Array(32).fill(9);
    const signer = { publicKey: key } as never;
    let disconnected = 0;
    staff.useExtension("test-extension", key, signer, () => disconnected++);
    expect(staff.unlocked).toBe(true);
    expect(staff.current).toEqual({ publicKey: key, signer, extension: "test-extension" });
    expect(store.vault).toBeNull();
    expect(await staff.hasVault()).toBe(false);
    staff.lock();
    expect(staff.current).toBeNull();
    expect(disconnected).toBe(1);
    staff.lock();
    expect(disconnected).toBe(1);
    // Idle: locked and disconnected too.
    staff.useExtension("test-extension", key, signer, () => disconnected++);
    await new Promise((r) => setTimeout(r, 120));
    expect(staff.unlocked).toBe(false);
    expect(staff.lockedBy).toBe("idle");
    expect(disconnected).toBe(2);
    // The sealed key afterwards is the sealed key's (no extension).
    staff.useExtension("test-extension", key, signer, () => disconnected++);
    await staff.create(`${DEV_PHRASE}//Bob`, "pass phrase");
    expect(disconnected).toBe(3);
    expect(staff.current!.extension).toBeNull();
  });

  test("refuses what is not a secret URI", async () => {
    const staff = new StaffKeyring(new MemoryStore(), 50, 1000);
    await expect(staff.create("//Bob", "pass phrase")).rejects.toThrow();
    expect(await staff.hasVault()).toBe(false);
  });
});

describe("extension accounts", () => {
  test("only 32-byte sr25519 and ed25519 accounts with a valid address are usable; names trimmed", () => {
    const bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    const signer = {} as never;
    const list = usableAccounts([
      { address: bob, name: "  Ward desk ", type: "sr25519", polkadotSigner: signer },
      { address: bob, name: "", type: "ed25519", polkadotSigner: signer },
      { address: bob, name: "no type", type: undefined, polkadotSigner: signer },
      { address: bob, name: "ecdsa", type: "ecdsa", polkadotSigner: signer },
      { address: "5NotAnAddress", name: "bad", type: "sr25519", polkadotSigner: signer },
    ]);
    expect(list.map((a) => a.name)).toEqual(["Ward desk", null]);
    expect(hex(list[0].publicKey)).toBe("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");
  });
});
