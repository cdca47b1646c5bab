// Reading an address from a QR code (the camera or a photo; views/qr-scanner.ts): jsQR finds
// and decodes the code in an RGBA picture, and the text is taken as an SS58 address — either the
// address alone or the `substrate:<address>[:<genesis hash>[:<name>]]` form that Polkadot{.js}
// and signer apps show. Pure (unit-tested).

import jsQR from "jsqr";
import { publicKeyOfAddress } from "./wards";

/** The text of the QR code in an RGBA picture, or null when none is found. */
export function decodeQr(rgba: Uint8ClampedArray, width: number, height: number): string | null {
  const code = jsQR(rgba, width, height, { inversionAttempts: "attemptBoth" });
  return code && code.data !== "" ? code.data : null;
}

/** The SS58 address a QR code's text carries, or null when it carries none. */
export function addressFromQr(text: string): string | null {
  const trimmed = text.trim();
  const candidate = trimmed.startsWith("substrate:") ? trimmed.slice("substrate:".length).split(":")[0] : trimmed;
  return publicKeyOfAddress(candidate) ? candidate : null;
}
