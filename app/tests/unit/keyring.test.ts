// The keyring's derivation against client/src/identity.rs, byte for byte, and the vault.
//
// identity.rs has no fixed vectors of its own (its tests compare keys with each other). Its
// `PatientSecret::derive` is `sr25519::Pair::from_string("<secret><path>")`, which is exactly
// what `medchain-node key inspect "<secret><path>"` runs (sp_core's SecretUri and DeriveJunction
// code in the node binary): the public keys below were printed by
//   /work/app-bin/medchain-node key inspect --output-type json "<secret>//medchain//<genesis>//custodian//<c>"
// with the genesis 0x0707…07 that identity.rs's tests use (H256::repeat_byte(7)). The card seed
// is BLAKE2b-256 of the text (Python's hashlib.blake2b(digest_size=32)), and its key was printed
// by `key inspect 0x<seed>`. The guardian key was printed by
//   medchain-node key inspect "<phrase>//medchain//<genesis>//guardian//<c>//<ward public key hex>"
// (the vector shared with the Rust client's test of `PatientSecret::guardian_key`). `//Alice` of the development phrase is the well-known
// 0xd43593c7… (5GrwvaEF…).

import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { describe, expect, test } from "vitest";
import {
  cardSeed,
  deriveHard,
  guardianKey,
  guardianPath,
  isValidPhrase,
  junctionChainCode,
  Keyring,
  MemoryStore,
  miniSecretOf,
  normalizePhrase,
  open,
  pseudonymKey,
  seal,
  wardCardSeed,
  WrongPassphrase,
} from "../../src/keyring";

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const G7 = `0x${"07".repeat(32)}`;
const G8 = `0x${"08".repeat(32)}`;
/** The card key of the shared ward's card seed (generation 0), as identity.rs's test asserts it. */
const WARD_CARD_KEY = "0x9a759fbba1e8bf3643fcc1f01b770244dd1cd8b351ef3afec74fa32b56c40b48";
const PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow";

describe("derivation as sp_core (identity.rs)", () => {
  test("the pseudonyms of a BIP-39 phrase", () => {
    const secret = miniSecretOf(PHRASE);
    expect(hex(pseudonymKey(secret, G7, 0).publicKey)).toBe("0x1e87fc4c7dff8142e9681a38275c704573fb35776314b9c98f572e2c38c83768");
    expect(hex(pseudonymKey(secret, G7, 2).publicKey)).toBe("0x18e714e710ab796e12ab539d971a7dc8767cbf41a55089c875a3159c373d0f10");
    expect(hex(pseudonymKey(secret, G7, 4294967295).publicKey)).toBe("0x0cd6f7b1bed29da93f905a6f1298bc28be4ffc5aed2cce17806a45f51ab48e4c");
  });

  test("identity.rs's test secret //Patient (the development phrase)", () => {
    const dev = miniSecretOf(DEV_PHRASE);
    expect(hex(deriveHard(dev, "//Alice").publicKey)).toBe("0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    const patient = (g: string) => hex(deriveHard(dev, `//Patient//medchain//${g}//custodian//0`).publicKey);
    expect(patient(G7)).toBe("0xec2d4bee93679dee455bdc1febc1dd128a4dba5d910471d31762b641c3c9807c");
    expect(patient(G8)).toBe("0x2ae869ad4b60f184da03eae7966c1a1fbeb653200a758746dda7983b80f0b85d");
  });

  test("the card seed and its key", () => {
    const seed = cardSeed(PHRASE, G7, 2, 0);
    expect(hex(seed)).toBe("0x35c38a6fe6df9a4e3f666df14881f1ac26553ff6c7fcb6b93efc8e7643ba1a09");
    expect(hex(deriveHard(seed, "").publicKey)).toBe("0xe8ed4ced17642d33abeae023764bf26fc60f0e5ac0ecfaaaad9643fb71533132");
  });

  test("the guardian key: the development phrase for its own pseudonym at custodian 0 (shared vector)", () => {
    const secret = miniSecretOf(DEV_PHRASE);
    const ward = pseudonymKey(secret, G7, 0).publicKey;
    expect(hex(ward)).toBe("0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b");
    expect(guardianPath(G7, 0, ward)).toBe(`//medchain//${G7}//guardian//0//${hex(ward)}`);
    expect(hex(guardianKey(secret, G7, 0, ward).publicKey)).toBe("0x8ed3fb9cec4fc86048e028f66bd7f99847cc7bcd41a930a1619efcb90a9e5017");
    expect(hex(guardianKey(secret, G7, 2, ward).publicKey)).toBe("0xe689977346c1df767accecd348f368a46e98314c36abd52a0123dee48114de09");
  });

  test("a ward's card seed: the development phrase as guardian of its own pseudonym at 0 (shared vector)", () => {
    // BLAKE2b-256 of "<phrase>//medchain//<genesis>//guardian//<c>//<ward hex>//card//<n>",
    // computed with Python's hashlib; identity.rs's `ward_card_seed` test holds the same vectors.
    const ward = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 0).publicKey;
    const seed = wardCardSeed(DEV_PHRASE, G7, 0, ward, 0);
    expect(hex(seed)).toBe("0xa27b0d0c59237960d310e3e53b029efbf76dcf580034d027772ad3f95b305a51");
    expect(hex(wardCardSeed(DEV_PHRASE, G7, 0, ward, 1))).toBe("0x5853ba8e86b885db9c94af5594ab74121f3a11474ecdd865b3b000ff95c98d2b");
    expect(hex(wardCardSeed(DEV_PHRASE, G7, 2, ward, 0))).toBe("0x364ed75b5381cbe9f393eb4f944003f0d04f16efd60ca96cc5a591f804ae1464");
    expect(hex(deriveHard(seed, "").publicKey)).toBe(WARD_CARD_KEY);
    // Extra spaces and capitals in the phrase do not change it (the phrase is normalised).
    expect(hex(wardCardSeed(`  ${DEV_PHRASE.toUpperCase()} `, G7, 0, ward, 0))).toBe(hex(seed));
  });

  test("a ward's card seed is neither the guardian's own card seed nor another ward's, chain's or generation's", () => {
    const ward = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 0).publicKey;
    const other = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 2).publicKey;
    const seeds = [
      cardSeed(PHRASE, G7, 0, 0),
      wardCardSeed(PHRASE, G7, 0, ward, 0),
      wardCardSeed(PHRASE, G7, 0, other, 0),
      wardCardSeed(PHRASE, G7, 2, ward, 0),
      wardCardSeed(PHRASE, G8, 0, ward, 0),
      wardCardSeed(PHRASE, G7, 0, ward, 1),
      wardCardSeed(DEV_PHRASE, G7, 0, ward, 0),
    ].map(hex);
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  test("a guardian key is not the pseudonym key, and differs per custodian, ward and chain", () => {
    const secret = miniSecretOf(PHRASE);
    const ward = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 0).publicKey;
    const other = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 2).publicKey;
    const keys = [
      pseudonymKey(secret, G7, 0),
      guardianKey(secret, G7, 0, ward),
      guardianKey(secret, G7, 2, ward),
      guardianKey(secret, G7, 0, other),
      guardianKey(secret, G8, 0, ward),
    ].map((k) => hex(k.publicKey));
    expect(new Set(keys).size).toBe(keys.length);
    expect(() => guardianKey(secret, G7, 0, ward.slice(1))).toThrow();
  });

  test("junctions: numbers as u64, text SCALE-encoded, long text hashed", () => {
    expect(hex(junctionChainCode("2"))).toBe(`0x02${"00".repeat(31)}`);
    expect(hex(junctionChainCode("medchain"))).toBe(`0x20${Buffer.from("medchain").toString("hex")}${"00".repeat(23)}`);
    expect(junctionChainCode(G7)).toHaveLength(32); // 68 bytes encoded, hashed
    expect(hex(junctionChainCode("18446744073709551616")).startsWith("0x50")).toBe(true); // beyond u64: text
    expect(() => deriveHard(miniSecretOf(PHRASE), "/soft")).toThrow();
  });

  test("phrases are checked and normalised", () => {
    expect(isValidPhrase(PHRASE)).toBe(true);
    expect(isValidPhrase(`  ${PHRASE.toUpperCase().replace(/ /g, "   ")} `)).toBe(true);
    expect(normalizePhrase(` A  b\nC `)).toBe("a b c");
    expect(isValidPhrase(PHRASE.replace("yellow", "wave"))).toBe(false); // bad checksum
    expect(isValidPhrase("legal winner")).toBe(false);
  });
});

describe("the vault", () => {
  test("seals and opens; a wrong passphrase is WrongPassphrase", async () => {
    const vault = await seal(PHRASE, "correct horse", 1000);
    expect(vault.data).not.toContain("legal");
    expect(await open(vault, "correct horse")).toBe(PHRASE);
    await expect(open(vault, "wrong horse")).rejects.toBeInstanceOf(WrongPassphrase);
    // The header is authenticated: fewer iterations written into it do not open the vault.
    await expect(open({ ...vault, iterations: 999 }, "correct horse")).rejects.toBeInstanceOf(WrongPassphrase);
  });

  test("two seals of one phrase differ (random salt and IV)", async () => {
    const [a, b] = await Promise.all([seal(PHRASE, "p", 1000), seal(PHRASE, "p", 1000)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  test("the keyring: create, lock, wrong passphrase changes nothing, unlock, auto-lock", async () => {
    const store = new MemoryStore();
    const keyring = new Keyring(store, 50, 1000);
    await keyring.create(PHRASE, "pass phrase");
    expect(keyring.unlocked).toBe(true);
    const p = keyring.pseudonym(G7, 2);
    expect(hex(p.publicKey)).toBe("0x18e714e710ab796e12ab539d971a7dc8767cbf41a55089c875a3159c373d0f10");
    const ward = pseudonymKey(miniSecretOf(DEV_PHRASE), G7, 0).publicKey;
    const g = keyring.guardian(G7, 2, ward);
    expect(hex(g.publicKey)).toBe(hex(guardianKey(miniSecretOf(PHRASE), G7, 2, ward).publicKey));
    expect(keyring.guardian(G7, 2, ward)).toBe(g); // cached
    expect(g.signer.publicKey).toEqual(g.publicKey);
    keyring.lock();
    expect(() => keyring.pseudonym(G7, 2)).toThrow();
    expect(() => keyring.guardian(G7, 2, ward)).toThrow();
    const stored = store.vault;
    await expect(keyring.unlock("nope")).rejects.toBeInstanceOf(WrongPassphrase);
    expect(keyring.unlocked).toBe(false);
    expect(store.vault).toBe(stored);
    await keyring.unlock("pass phrase");
    expect(keyring.unlocked).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(keyring.unlocked).toBe(false);
    expect(keyring.lockedBy).toBe("idle");
    await keyring.forget();
    expect(await keyring.hasVault()).toBe(false);
  });
});
