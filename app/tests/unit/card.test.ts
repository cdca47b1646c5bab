// The emergency card and a second, independent set of derivation vectors: these were computed
// with the Rust-backed py-sr25519-bindings (schnorrkel) and sp_core's junction rules (checked
// on //Alice), keyring.test.ts's with `medchain-node key inspect`; client/src/identity.rs
// asserts the same vectors as this file, so the app and medchain-client cannot drift apart.

import { DEV_PHRASE } from "@polkadot-labs/hdkd-helpers";
import { describe, expect, test } from "vitest";
import { cardPublicKey, cardText, fromHex, nextGeneration, parseCard, registeredGeneration, rowState, toHex } from "../../src/card";
import { cardSeed, miniSecretOf, pseudonymKey } from "../../src/keyring";


const GENESIS = `0x${"07".repeat(32)}` as const;
const mini = miniSecretOf(DEV_PHRASE);

describe("keys shared with client/src/identity.rs", () => {
  test("pseudonyms at custodians 0 and 2", () => {
    expect(toHex(pseudonymKey(mini, GENESIS, 0).publicKey)).toBe("0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b");
    expect(toHex(pseudonymKey(mini, GENESIS, 2).publicKey)).toBe("0x7ccece14e69aee794e115b74592e30760e23162e80821aa17f04a188b706967a");
  });

  test("card seeds and card keys, generations 0 and 1", () => {
    const s0 = cardSeed(DEV_PHRASE, GENESIS, 0, 0);
    expect(toHex(s0)).toBe("0x43458494aa00a7875eb7d0dfb2ad54f507ef19a4ce840cd39e1ff56d6fbe96a1");
    expect(toHex(cardPublicKey(s0))).toBe("0xaa0714839bb24a27536f4544f09ca8519c52baa3e65b192e1019bff2a3956f3e");
    const s1 = cardSeed(DEV_PHRASE, GENESIS, 0, 1);
    expect(toHex(s1)).toBe("0x8aef6f2d25cdaabd412bb10da4590120d2f3b2330877489bf578949b7e8df614");
    expect(toHex(cardPublicKey(s1))).toBe("0x28268e087e8baf181204cca527ef8fb0d6bd5a42ceb59b1954dc244b6bb1d51f");
  });
});

describe("the emergency card", () => {
  const card = {
    genesis: GENESIS,
    entries: [0, 2].map((c) => ({ custodian: c, pseudonym: pseudonymKey(mini, GENESIS, c).publicKey, cardSeed: cardSeed(DEV_PHRASE, GENESIS, c, 0) })),
  };

  test("round-trips through its QR text (medchain-client's format) and refuses garbage", () => {
    const text = cardText(card);
    expect(JSON.parse(text)).toMatchObject({ medchainEmergencyCard: 1, genesis: GENESIS });
    expect(JSON.parse(text).entries[0]).toEqual({
      custodian: 0,
      pseudonym: "0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b",
      cardSeed: "0x43458494aa00a7875eb7d0dfb2ad54f507ef19a4ce840cd39e1ff56d6fbe96a1",
    });
    expect(parseCard(text)).toEqual(card);
    expect(parseCard("{}")).toBeNull();
    expect(parseCard("not json")).toBeNull();
    const bad = JSON.parse(text);
    bad.entries[0].cardSeed = "0x1234";
    expect(parseCard(JSON.stringify(bad))).toBeNull();
    bad.entries[0].cardSeed = toHex(card.entries[0].cardSeed);
    bad.entries[0].custodian = -1;
    expect(parseCard(JSON.stringify(bad))).toBeNull();
    expect(fromHex("0xzz")).toBeNull();
  });

  test("finds the generation of a registered card key, or none", () => {
    const seedOf = (c: number) => (n: number) => cardSeed(DEV_PHRASE, GENESIS, c, n);
    const key1 = cardPublicKey(cardSeed(DEV_PHRASE, GENESIS, 2, 1));
    expect(registeredGeneration(seedOf(2), key1)).toBe(1);
    expect(registeredGeneration(seedOf(0), key1)).toBeNull(); // another hospital's key
    expect(registeredGeneration(seedOf(2), null)).toBeNull();
  });

  test("the screen's row states and the next generation", () => {
    expect(rowState({ registered: null, generation: null })).toBe("none");
    expect(rowState({ registered: new Uint8Array(32), generation: null })).toBe("foreign");
    expect(rowState({ registered: new Uint8Array(32), generation: 2 })).toBe("current");
    expect(nextGeneration({ generation: null })).toBe(0);
    expect(nextGeneration({ generation: 2 })).toBe(3);
  });
});
