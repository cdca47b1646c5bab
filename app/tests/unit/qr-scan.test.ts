// Reading an address from a QR code (src/qr-scan.ts): a code made by uqr (as the app's own
// QR codes are) is found and decoded in an RGBA picture; the address forms accepted.

import { encode } from "uqr";
import { describe, expect, test } from "vitest";
import { addressFromQr, decodeQr } from "../../src/qr-scan";

const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

/** An RGBA picture of the QR code of `text`: `scale` pixels per module, a white margin. */
function picture(text: string, scale = 4, invert = false): { data: Uint8ClampedArray; size: number } {
  const { data, size: modules } = encode(text, { ecc: "M", border: 4 });
  const size = modules * scale;
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dark = data[Math.floor(y / scale)][Math.floor(x / scale)] !== invert;
      const v = dark ? 0 : 255;
      rgba.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return { data: rgba, size };
}

describe("QR codes", () => {
  test("a code is found and decoded, also light on dark", () => {
    const p = picture(BOB);
    expect(decodeQr(p.data, p.size, p.size)).toBe(BOB);
    const inverted = picture(`substrate:${BOB}`, 3, true);
    expect(decodeQr(inverted.data, inverted.size, inverted.size)).toBe(`substrate:${BOB}`);
  });

  test("a picture without a code gives null", () => {
    const blank = new Uint8ClampedArray(64 * 64 * 4).fill(255);
    expect(decodeQr(blank, 64, 64)).toBeNull();
  });

  test("the address alone, or the substrate: form with genesis and name", () => {
    expect(addressFromQr(BOB)).toBe(BOB);
    expect(addressFromQr(`  ${BOB}\n`)).toBe(BOB);
    expect(addressFromQr(`substrate:${BOB}`)).toBe(BOB);
    expect(addressFromQr(`substrate:${BOB}:0x${"07".repeat(32)}:Minji`)).toBe(BOB);
    expect(addressFromQr("https://example.org")).toBeNull();
    expect(addressFromQr('{"medchainEmergencyCard":1}')).toBeNull();
    expect(addressFromQr("substrate:5NotAnAddress")).toBeNull();
  });
});
