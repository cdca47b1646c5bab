// The emergency card (docs/privacy.md, "Emergency access without a global identifier"): for
// each custodian, the pseudonym and the seed of its card key, as the text of a QR code that the
// patient carries. The format is medchain-client's `EmergencyCard::to_text`/`from_text`
// (client/src/identity.rs): JSON {"medchainEmergencyCard":1,"genesis":…,"entries":[{"custodian",
// "pseudonym","cardSeed"}]} with 0x-prefixed lower-case hex.

import { encode } from "uqr";
import { deriveHard } from "./keyring";

export type Hex = `0x${string}`;

/** How many generations the app tries when it looks for the generation of a registered key. */
export const MAX_GENERATION = 32;

export const toHex = (bytes: Uint8Array): Hex =>
  `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;

export function fromHex(text: string, length?: number): Uint8Array | null {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(text)) return null;
  const bytes = new Uint8Array((text.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 + 2 * i, 4 + 2 * i), 16);
  if (length !== undefined && bytes.length !== length) return null;
  return bytes;
}

/** The public key of the card key made from `seed`. */
export function cardPublicKey(seed: Uint8Array): Uint8Array {
  return deriveHard(seed, "").publicKey;
}

export interface CardEntry {
  custodian: number;
  /** The pseudonym's public key (account id). */
  pseudonym: Uint8Array;
  cardSeed: Uint8Array;
}

export interface EmergencyCard {
  genesis: Hex;
  entries: CardEntry[];
}

/** The card's QR text. */
export function cardText(card: EmergencyCard): string {
  return JSON.stringify({
    medchainEmergencyCard: 1,
    genesis: card.genesis.toLowerCase(),
    entries: card.entries.map((e) => ({ custodian: e.custodian, pseudonym: toHex(e.pseudonym), cardSeed: toHex(e.cardSeed) })),
  });
}

/** A card read back from its QR text; null if it is not a well-formed version-1 card. */
export function parseCard(text: string): EmergencyCard | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const o = v as { medchainEmergencyCard?: unknown; genesis?: unknown; entries?: unknown };
  if (o?.medchainEmergencyCard !== 1 || typeof o.genesis !== "string" || !fromHex(o.genesis, 32) || !Array.isArray(o.entries)) {
    return null;
  }
  const entries: CardEntry[] = [];
  for (const e of o.entries as Array<Record<string, unknown>>) {
    const custodian = e?.custodian;
    const pseudonym = typeof e?.pseudonym === "string" ? fromHex(e.pseudonym, 32) : null;
    const seed = typeof e?.cardSeed === "string" ? fromHex(e.cardSeed, 32) : null;
    if (typeof custodian !== "number" || !Number.isInteger(custodian) || custodian < 0 || custodian > 0xffff_ffff || !pseudonym || !seed) {
      return null;
    }
    entries.push({ custodian, pseudonym, cardSeed: seed });
  }
  return { genesis: o.genesis.toLowerCase() as Hex, entries };
}

/**
 * The generation of the card key registered on chain for one pseudonym: the first generation
 * whose key (from `seedOf(n)`) equals `registered`, or null (another key, or none registered).
 */
export function registeredGeneration(seedOf: (n: number) => Uint8Array, registered: Uint8Array | null): number | null {
  if (!registered) return null;
  const want = toHex(registered);
  for (let n = 0; n < MAX_GENERATION; n++) {
    if (toHex(cardPublicKey(seedOf(n))) === want) return n;
  }
  return null;
}

/** One pseudonym's card key as the chain holds it. */
export interface CardRow {
  custodian: number;
  pseudonym: string;
  /** The card key registered on chain, if any. */
  registered: Uint8Array | null;
  /** Which generation of this patient's card the registered key is; null if none or foreign. */
  generation: number | null;
}

export type CardRowState = "none" | "current" | "foreign";

export function rowState(row: Pick<CardRow, "registered" | "generation">): CardRowState {
  if (!row.registered) return "none";
  return row.generation === null ? "foreign" : "current";
}

/** The generation a new card key gets: the next after the registered one, else 0. */
export const nextGeneration = (row: Pick<CardRow, "generation">): number => (row.generation === null ? 0 : row.generation + 1);

/**
 * The QR code of `text` as an SVG element (built node by node: no markup parsing, nothing
 * inline that a strict Content-Security-Policy would block). Error correction M, a quiet zone
 * of four modules.
 */
export function qrSvg(text: string, label: string): SVGSVGElement {
  const { data, size } = encode(text, { ecc: "M", border: 4 });
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("class", "qr");
  const background = document.createElementNS(ns, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  svg.appendChild(background);
  let d = "";
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (data[y][x]) d += `M${x} ${y}h1v1h-1z`;
  }
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.appendChild(path);
  return svg;
}
