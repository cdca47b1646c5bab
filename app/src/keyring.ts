// The patient's keys, in the browser only (docs/app.md, "The keyring"; docs/privacy.md, "The
// identity model"). The secret is a BIP-39 phrase, kept in IndexedDB encrypted with a key
// from the patient's passphrase (PBKDF2-SHA256, 600,000 iterations, a random 16-byte salt;
// AES-256-GCM, a random 12-byte IV; the vault's header is the GCM associated data). Unlocked,
// the app holds the phrase's 32-byte mini secret in memory and derives the pseudonym keys
// exactly as sp_core and client/src/identity.rs do:
//
//   pseudonym(c) = <secret>//medchain//<genesis hash, 0x lower-case hex>//custodian//<c>
//   guardian(c, w) = <secret>//medchain//<genesis>//guardian//<c>//<ward public key, 0x lower-case hex>
//   card seed(c, n) = BLAKE2b-256("<secret>//medchain//<genesis>//card//<c>//<n>")
//   ward's card seed(c, w, n) = BLAKE2b-256("<secret>//medchain//<genesis>//guardian//<c>//<w>//card//<n>")
//
// Nothing secret goes to localStorage, and nothing secret is ever sent anywhere.

import { sr25519Derive, sr25519 } from "@polkadot-labs/hdkd-helpers";
import {
  blake2b256,
  entropyToMiniSecret,
  generateMnemonic,
  mnemonicToEntropy,
  validateMnemonic,
} from "@polkadot-labs/hdkd-helpers";
import { AccountId, type PolkadotSigner } from "polkadot-api";
import { getPolkadotSigner } from "polkadot-api/signer";

// ---------------------------------------------------------------------------------------------
// Derivation (pure, unit-tested against `medchain-node key inspect`, i.e. sp_core itself)

const U64_MAX = (1n << 64n) - 1n;

/** SCALE compact encoding of a length. */
function compact(n: number): Uint8Array {
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, ((n << 2) | 1) >> 8);
  if (n < 1 << 30) {
    const v = (n << 2) | 2;
    return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  throw new Error("junction too long");
}

/**
 * The 32-byte chain code of one junction's text, as sp_core's `DeriveJunction::from(&str)`:
 * text that parses as a `u64` is that number (8 bytes little-endian), anything else the SCALE
 * encoding of the string; an encoding longer than 32 bytes is replaced by its BLAKE2b-256, a
 * shorter one is padded with zeros. (hdkd-helpers' own parser differs for `0x…` and for text
 * longer than 31 bytes, both of which the MedChain paths use, so the app does not use it.)
 */
export function junctionChainCode(code: string): Uint8Array {
  let encoded: Uint8Array;
  if (/^\+?[0-9]+$/.test(code) && BigInt(code) <= U64_MAX) {
    encoded = new Uint8Array(8);
    new DataView(encoded.buffer).setBigUint64(0, BigInt(code), true);
  } else {
    const text = new TextEncoder().encode(code);
    const len = compact(text.length);
    encoded = new Uint8Array(len.length + text.length);
    encoded.set(len);
    encoded.set(text, len.length);
  }
  if (encoded.length > 32) return blake2b256(encoded);
  const cc = new Uint8Array(32);
  cc.set(encoded);
  return cc;
}

/** The genesis hash as the paths write it: `0x` and 64 lower-case hex digits. */
export function genesisText(genesis: string): string {
  const g = genesis.toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(g)) throw new Error("a genesis hash is 32 bytes of hex");
  return g;
}

export function pseudonymPath(genesis: string, custodian: number): string {
  return `//medchain//${genesisText(genesis)}//custodian//${custodian}`;
}

/** The hex of a public key as the paths write it: `0x` and lower-case hex digits. */
export function publicKeyText(publicKey: Uint8Array): string {
  return `0x${Array.from(publicKey, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The path of the key with which a guardian acts for the ward `wardPublicKey` at `custodian`. */
export function guardianPath(genesis: string, custodian: number, wardPublicKey: Uint8Array): string {
  if (wardPublicKey.length !== 32) throw new Error("a ward's public key is 32 bytes");
  return `//medchain//${genesisText(genesis)}//guardian//${custodian}//${publicKeyText(wardPublicKey)}`;
}

export interface KeyPair {
  publicKey: Uint8Array;
  sign: (message: Uint8Array) => Uint8Array;
}

/** A key derived from a mini secret along hard junctions only (`//a//b`). */
export function deriveHard(miniSecret: Uint8Array, path: string): KeyPair {
  const junctions: Array<["hard", Uint8Array]> = [];
  const parts = path.split("//");
  if (parts[0] !== "") throw new Error("only hard junctions (//) are used");
  for (const part of parts.slice(1)) {
    if (part === "" || part.includes("/")) throw new Error("only hard junctions (//) are used");
    junctions.push(["hard", junctionChainCode(part)]);
  }
  const pair = sr25519Derive(miniSecret, sr25519, junctions);
  return { publicKey: pair.publicKey, sign: (m) => pair.sign(m) };
}

/** A phrase in the form the app keeps and derives from: lower case, single spaces. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().toLowerCase().split(/\s+/).join(" ");
}

export function isValidPhrase(phrase: string): boolean {
  const p = normalizePhrase(phrase);
  try {
    return p.split(" ").length >= 12 && validateMnemonic(p);
  } catch {
    return false;
  }
}

/** The phrase's mini secret (substrate-bip39: PBKDF2-SHA512 of the entropy, no password). */
export function miniSecretOf(phrase: string): Uint8Array {
  return entropyToMiniSecret(mnemonicToEntropy(normalizePhrase(phrase)));
}

/** The pseudonym key at `custodian` on the chain of `genesis`. */
export function pseudonymKey(miniSecret: Uint8Array, genesis: string, custodian: number): KeyPair {
  return deriveHard(miniSecret, pseudonymPath(genesis, custodian));
}

/**
 * The key with which the holder of `miniSecret`, as a guardian, acts for the ward whose
 * pseudonym is `wardPublicKey` at `custodian` (identity.rs, `guardian_key`): one key per
 * (custodian, ward), never a patient's key.
 */
export function guardianKey(miniSecret: Uint8Array, genesis: string, custodian: number, wardPublicKey: Uint8Array): KeyPair {
  return deriveHard(miniSecret, guardianPath(genesis, custodian, wardPublicKey));
}

/** The seed of the card key at `custodian`, generation `n` (identity.rs, `card_seed`). */
export function cardSeed(phrase: string, genesis: string, custodian: number, n: number): Uint8Array {
  return blake2b256(new TextEncoder().encode(`${normalizePhrase(phrase)}//medchain//${genesisText(genesis)}//card//${custodian}//${n}`));
}

/**
 * The seed of the card key that a guardian makes for the ward `wardPublicKey` at `custodian`,
 * generation `n` (identity.rs, `ward_card_seed`): under the guardian's path, so it is neither
 * the guardian's own card at that custodian nor another ward's.
 */
export function wardCardSeed(phrase: string, genesis: string, custodian: number, wardPublicKey: Uint8Array, n: number): Uint8Array {
  const text = `${normalizePhrase(phrase)}${guardianPath(genesis, custodian, wardPublicKey)}//card//${n}`;
  return blake2b256(new TextEncoder().encode(text));
}

// ---------------------------------------------------------------------------------------------
// Secret URIs (the hospital portal's staff keys): as sp_core's `SecretUri` for sr25519 —
//   <BIP-39 phrase>[//hard|/soft ...][///password]   or   0x<32-byte seed>[//hard|/soft ...]
// Junctions follow `junctionChainCode`; the password (after `///`) is BIP-39's, as in sp_core.

export interface SecretUri {
  /** The normalised phrase, or the seed as 0x and 64 lower-case hex digits. */
  secret: string;
  /** The derivation path as written (junctions are case-sensitive). */
  path: string;
  password: string | undefined;
}

const HEX_SEED = /^0x[0-9a-fA-F]{64}$/;

/** The parts of a secret URI, or null when it is not one (bad phrase, seed or path). */
export function parseSecretUri(uri: string): SecretUri | null {
  const text = uri.trim();
  let rest = text;
  let password: string | undefined;
  const pw = text.indexOf("///");
  if (pw >= 0) {
    password = text.slice(pw + 3);
    rest = text.slice(0, pw);
    if (password === "") return null;
  }
  const slash = rest.indexOf("/");
  const head = (slash >= 0 ? rest.slice(0, slash) : rest).trim();
  const path = slash >= 0 ? rest.slice(slash) : "";
  if (path !== "" && !/^(\/\/?[^/\s][^/]*)+$/.test(path)) return null;
  if (HEX_SEED.test(head)) {
    if (password !== undefined) return null; // sp_core ignores a password with a seed: refuse it
    return { secret: head.toLowerCase(), path, password };
  }
  if (!isValidPhrase(head)) return null;
  return { secret: normalizePhrase(head), path, password };
}

export function isSecretUri(uri: string): boolean {
  return parseSecretUri(uri) !== null;
}

/** A secret URI as sealed: phrase normalised, path and password exactly as written. */
export function normalizeSecretUri(uri: string): string {
  const p = parseSecretUri(uri);
  if (!p) throw new Error("not a secret URI");
  return `${p.secret}${p.path}${p.password !== undefined ? `///${p.password}` : ""}`;
}

/** The sr25519 key of a secret URI (hard `//` and soft `/` junctions), as sp_core derives it. */
export function keyOfSecretUri(uri: string): KeyPair {
  const p = parseSecretUri(uri);
  if (!p) throw new Error("not a secret URI");
  const mini = p.secret.startsWith("0x")
    ? Uint8Array.from(p.secret.slice(2).match(/../g)!, (b) => parseInt(b, 16))
    : entropyToMiniSecret(mnemonicToEntropy(p.secret), p.password);
  const junctions: Array<["hard" | "soft", Uint8Array]> = [];
  for (const m of p.path.matchAll(/(\/\/?)([^/]+)/g)) junctions.push([m[1] === "//" ? "hard" : "soft", junctionChainCode(m[2])]);
  const pair = sr25519Derive(mini, sr25519, junctions);
  mini.fill(0);
  return { publicKey: pair.publicKey, sign: (m) => pair.sign(m) };
}

export function newPhrase(): string {
  return generateMnemonic(128); // 12 words, 128 bits of entropy
}

// ---------------------------------------------------------------------------------------------
// The vault: the phrase encrypted with the passphrase

export const KDF_ITERATIONS = 600_000;

export interface Vault {
  v: 1;
  kdf: "PBKDF2-SHA256";
  iterations: number;
  salt: string; // base64
  cipher: "AES-256-GCM";
  iv: string; // base64
  data: string; // base64 ciphertext with its tag
  created: number;
}

/** The passphrase does not open the vault (AES-GCM's tag does not verify). */
export class WrongPassphrase extends Error {
  constructor() {
    super("wrong passphrase");
  }
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function header(v: Pick<Vault, "v" | "kdf" | "iterations" | "salt" | "cipher" | "iv">): Uint8Array {
  return new TextEncoder().encode(`medchain-vault/${v.v}/${v.kdf}/${v.iterations}/${v.salt}/${v.cipher}/${v.iv}`);
}

async function aesKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Encrypts `phrase` (normalised by `prepare`: a BIP-39 phrase by default; a staff key's secret
 * URI keeps its case-sensitive path, see `normalizeSecretUri`).
 */
export async function seal(
  phrase: string,
  passphrase: string,
  iterations = KDF_ITERATIONS,
  prepare: (text: string) => string = normalizePhrase,
): Promise<Vault> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const head = { v: 1, kdf: "PBKDF2-SHA256", iterations, salt: b64(salt), cipher: "AES-256-GCM", iv: b64(iv) } as const;
  const key = await aesKey(passphrase, salt, iterations);
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: iv as BufferSource, additionalData: header(head) as BufferSource },
    key,
    new TextEncoder().encode(prepare(phrase)) as BufferSource,
  );
  return { ...head, data: b64(new Uint8Array(data)), created: Date.now() };
}

/** The phrase in the vault; WrongPassphrase when the passphrase (or the vault) is wrong. */
export async function open(vault: Vault, passphrase: string): Promise<string> {
  const key = await aesKey(passphrase, unb64(vault.salt), vault.iterations);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: unb64(vault.iv) as BufferSource, additionalData: header(vault) as BufferSource },
      key,
      unb64(vault.data) as BufferSource,
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new WrongPassphrase();
  }
}

// ---------------------------------------------------------------------------------------------
// Where the vault is kept: IndexedDB (a memory store for unit tests)

export interface VaultStore {
  load(): Promise<Vault | null>;
  save(vault: Vault): Promise<void>;
  remove(): Promise<void>;
}

const DB = "medchain-keyring";
const STORE = "vault";
const ENTRY = "patient-secret";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class IndexedDbStore implements VaultStore {
  private db: Promise<IDBDatabase> | null = null;

  /** `entry`: the key in the store ("patient-secret"; the hospital portal's staff key has its own). */
  constructor(private readonly entry: string = ENTRY) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      this.db = new Promise((resolve, reject) => {
        const r = indexedDB.open(DB, 1);
        r.onupgradeneeded = () => r.result.createObjectStore(STORE);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    }
    return this.db;
  }

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async load(): Promise<Vault | null> {
    return ((await request((await this.store("readonly")).get(this.entry))) as Vault | undefined) ?? null;
  }

  async save(vault: Vault): Promise<void> {
    await request((await this.store("readwrite")).put(vault, this.entry));
  }

  async remove(): Promise<void> {
    await request((await this.store("readwrite")).delete(this.entry));
  }
}

export class MemoryStore implements VaultStore {
  vault: Vault | null = null;
  async load() {
    return this.vault;
  }
  async save(vault: Vault) {
    this.vault = vault;
  }
  async remove() {
    this.vault = null;
  }
}

// ---------------------------------------------------------------------------------------------
// The keyring: locked, or unlocked with the mini secret in memory

export const AUTO_LOCK_MS = 15 * 60 * 1000;

export interface Pseudonym {
  custodian: number;
  publicKey: Uint8Array;
  signer: PolkadotSigner;
}

/** A guardian key: the key that signs for `ward` (its pseudonym's public key) at `custodian`. */
export interface GuardianKey {
  custodian: number;
  ward: Uint8Array;
  publicKey: Uint8Array;
  signer: PolkadotSigner;
}

export class Keyring {
  private secret: Uint8Array | null = null;
  /** The normalised phrase, while unlocked (JavaScript strings cannot be wiped; see docs/app.md). */
  private phrase: string | null = null;
  private cache = new Map<string, Pseudonym>();
  private guardians = new Map<string, GuardianKey>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();
  /** Why the keyring last locked, for the screen ("idle" after the auto-lock). */
  lockedBy: "user" | "idle" | null = null;

  constructor(
    readonly store: VaultStore,
    readonly autoLockMs = AUTO_LOCK_MS,
    readonly iterations = KDF_ITERATIONS,
  ) {}

  get unlocked(): boolean {
    return this.secret !== null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async hasVault(): Promise<boolean> {
    return (await this.store.load()) !== null;
  }

  /** Encrypts and stores `phrase` (replacing any stored secret) and unlocks with it. */
  async create(phrase: string, passphrase: string): Promise<void> {
    if (!isValidPhrase(phrase)) throw new Error("not a valid BIP-39 phrase");
    await this.store.save(await seal(phrase, passphrase, this.iterations));
    this.hold(normalizePhrase(phrase));
  }

  /** Opens the stored secret; WrongPassphrase leaves everything as it was. */
  async unlock(passphrase: string): Promise<void> {
    const vault = await this.store.load();
    if (!vault) throw new Error("no secret is stored in this browser");
    const phrase = await open(vault, passphrase);
    this.hold(normalizePhrase(phrase));
  }

  lock(by: "user" | "idle" = "user"): void {
    if (this.secret) this.secret.fill(0);
    this.secret = null;
    this.phrase = null;
    this.cache.clear();
    this.guardians.clear();
    clearTimeout(this.timer);
    this.lockedBy = by;
    this.changed();
  }

  /** Removes the stored secret from this browser (the phrase is the only way back). */
  async forget(): Promise<void> {
    this.lock();
    await this.store.remove();
    this.lockedBy = null;
    this.changed();
  }

  /** The user did something: the idle timer starts again. */
  touch(): void {
    if (!this.secret) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lock("idle"), this.autoLockMs);
  }

  pseudonym(genesis: string, custodian: number): Pseudonym {
    if (!this.secret) throw new Error("the keyring is locked");
    const id = `${genesis}/${custodian}`;
    let p = this.cache.get(id);
    if (!p) {
      const pair = pseudonymKey(this.secret, genesis, custodian);
      p = { custodian, publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign) };
      this.cache.set(id, p);
    }
    return p;
  }

  /** The key with which this keyring's holder, as a guardian, acts for `wardPublicKey` at `custodian`. */
  guardian(genesis: string, custodian: number, wardPublicKey: Uint8Array): GuardianKey {
    if (!this.secret) throw new Error("the keyring is locked");
    const id = `${genesis}/${custodian}/${publicKeyText(wardPublicKey)}`;
    let g = this.guardians.get(id);
    if (!g) {
      const pair = guardianKey(this.secret, genesis, custodian, wardPublicKey);
      g = { custodian, ward: Uint8Array.from(wardPublicKey), publicKey: pair.publicKey, signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign) };
      this.guardians.set(id, g);
    }
    return g;
  }

  /**
   * The seed of the card key of the pseudonym at `custodian`, generation `n` (the emergency
   * card; card seeds are made from the phrase's text, so the unlocked keyring keeps it too).
   */
  cardSeed(genesis: string, custodian: number, n: number): Uint8Array {
    if (!this.phrase) throw new Error("the keyring is locked");
    return cardSeed(this.phrase, genesis, custodian, n);
  }

  /** The seed of the card key this guardian makes for the ward `wardPublicKey` at `custodian`, generation `n`. */
  wardCardSeed(genesis: string, custodian: number, wardPublicKey: Uint8Array, n: number): Uint8Array {
    if (!this.phrase) throw new Error("the keyring is locked");
    return wardCardSeed(this.phrase, genesis, custodian, wardPublicKey, n);
  }

  private hold(phrase: string): void {
    if (this.secret) this.secret.fill(0);
    this.secret = miniSecretOf(phrase);
    this.phrase = phrase;
    this.cache.clear();
    this.guardians.clear();
    this.lockedBy = null;
    this.touch();
    this.changed();
  }
}

/** An account's address in the chain's SS58 format. */
export function address(publicKey: Uint8Array, ss58Prefix = 42): string {
  return AccountId(ss58Prefix).dec(publicKey);
}
