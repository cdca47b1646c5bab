// The patient's keys must be the ones medchain-client derives (client/src/identity.rs, with
// sp_core). The vectors below were computed independently of this code with the Rust-backed
// py-sr25519-bindings (schnorrkel) and sp_core's junction rules; the same vectors are asserted
// in client/src/identity.rs's tests, so a change on either side fails a test. //Alice checks
// the method against the well-known development key.

import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { describe, expect, test } from "vitest";
import { cardPublicKey, cardSeed, cardText, fromHex, issueCard, parseCard, pseudonymPath, registeredGeneration, toHex } from "../../src/card";
import { chainCode, deriveKey, isPhrase, miniSecretOf, normalizePhrase, parsePath } from "../../src/derive";

const GENESIS = `0x${"07".repeat(32)}` as const;
const mini = miniSecretOf(DEV_PHRASE);

describe("derivation as sp_core", () => {
  test("the development key //Alice", () => {
    expect(toHex(deriveKey(mini, "//Alice").publicKey)).toBe("0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
  });

  test("pseudonyms at custodians 0 and 2 (the genesis hash junction is hashed, the number is a u64)", () => {
    expect(toHex(deriveKey(mini, pseudonymPath(GENESIS, 0)).publicKey)).toBe(
      "0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b",
    );
    expect(toHex(deriveKey(mini, pseudonymPath(GENESIS, 2)).publicKey)).toBe(
      "0x7ccece14e69aee794e115b74592e30760e23162e80821aa17f04a188b706967a",
    );
  });

  test("card seeds and card keys, generations 0 and 1", () => {
    const s0 = cardSeed(DEV_PHRASE, GENESIS, 0, 0);
    expect(toHex(s0)).toBe("0x43458494aa00a7875eb7d0dfb2ad54f507ef19a4ce840cd39e1ff56d6fbe96a1");
    expect(toHex(cardPublicKey(s0))).toBe("0xaa0714839bb24a27536f4544f09ca8519c52baa3e65b192e1019bff2a3956f3e");
    const s1 = cardSeed(DEV_PHRASE, GENESIS, 0, 1);
    expect(toHex(s1)).toBe("0x8aef6f2d25cdaabd412bb10da4590120d2f3b2330877489bf578949b7e8df614");
    expect(toHex(cardPublicKey(s1))).toBe("0x28268e087e8baf181204cca527ef8fb0d6bd5a42ceb59b1954dc244b6bb1d51f");
  });

  test("junction encodings: u64 numbers, short strings padded, long strings hashed", () => {
    const zero = chainCode("0");
    expect(zero).toEqual(new Uint8Array(32));
    const n = chainCode("258");
    expect(Array.from(n.slice(0, 3))).toEqual([2, 1, 0]);
    const s = chainCode("medchain");
    expect(Array.from(s.slice(0, 9))).toEqual([8 << 2, ...new TextEncoder().encode("medchain")]);
    expect(chainCode("18446744073709551616")).not.toEqual(new Uint8Array(32)); // > u64: a string
    expect(chainCode(GENESIS)).toHaveLength(32);
    expect(() => parsePath("medchain")).toThrow(/malformed/);
    expect(parsePath("")).toEqual([]);
    expect(parsePath("//a/b").map(([t]) => t)).toEqual(["hard", "soft"]);
  });

  test("phrases are normalised and checked", () => {
    expect(normalizePhrase(`  ${DEV_PHRASE.toUpperCase().replace(/ /g, "  ")}\n`)).toBe(DEV_PHRASE);
    expect(isPhrase(DEV_PHRASE)).toBe(true);
    expect(isPhrase(DEV_PHRASE.replace("walk", "talk"))).toBe(false); // checksum
    expect(isPhrase("not a phrase")).toBe(false);
  });
});

describe("the emergency card", () => {
  test("round-trips through its QR text and refuses garbage", () => {
    const card = issueCard(DEV_PHRASE, mini, GENESIS, [
      { custodian: 0, generation: 0 },
      { custodian: 2, generation: 1 },
    ]);
    const text = cardText(card);
    expect(JSON.parse(text)).toMatchObject({ medchainEmergencyCard: 1, genesis: GENESIS });
    expect(parseCard(text)).toEqual(card);
    expect(toHex(card.entries[0].pseudonym)).toBe("0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b");
    expect(parseCard("{}")).toBeNull();
    expect(parseCard("not json")).toBeNull();
    const bad = JSON.parse(text);
    bad.entries[0].cardSeed = "0x1234";
    expect(parseCard(JSON.stringify(bad))).toBeNull();
    bad.entries[0].cardSeed = toHex(card.entries[0].cardSeed);
    bad.entries[0].custodian = -1;
    expect(parseCard(JSON.stringify(bad))).toBeNull();
  });

  test("finds the generation of a registered card key, or none", () => {
    const key1 = cardPublicKey(cardSeed(DEV_PHRASE, GENESIS, 2, 1));
    expect(registeredGeneration(DEV_PHRASE, GENESIS, 2, key1)).toBe(1);
    expect(registeredGeneration(DEV_PHRASE, GENESIS, 0, key1)).toBeNull(); // another custodian's
    expect(registeredGeneration(DEV_PHRASE, GENESIS, 2, null)).toBeNull();
    expect(fromHex("0xzz")).toBeNull();
  });
});

describe("the card screen's rows", async () => {
  const { rowState, nextGeneration } = await import("../../src/views/card");
  test("state and next generation from what the chain holds", () => {
    expect(rowState({ registered: null, generation: null })).toBe("none");
    expect(rowState({ registered: new Uint8Array(32), generation: null })).toBe("foreign");
    expect(rowState({ registered: new Uint8Array(32), generation: 2 })).toBe("current");
    expect(nextGeneration({ generation: null })).toBe(0);
    expect(nextGeneration({ generation: 2 })).toBe(3);
  });
});
