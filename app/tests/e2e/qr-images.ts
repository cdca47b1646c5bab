// Pictures of QR codes for the browser tests: a PNG file (the scanner's "Read a photo") and a
// Y4M video (Chromium's fake camera, `--use-file-for-fake-video-capture`). The codes are made
// with uqr, as the app's own are; black modules on white with a quiet zone.

import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { encode } from "uqr";

/** The code of `text` as grey levels (0 dark, 255 light): `scale` pixels per module, even sides. */
function pixels(text: string | null, scale: number): { grey: Uint8Array; size: number } {
  const modules = text === null ? null : encode(text, { ecc: "M", border: 4 });
  let size = (modules?.size ?? 41) * scale;
  size += size % 2;
  const grey = new Uint8Array(size * size).fill(255);
  if (modules) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const row = modules.data[Math.floor(y / scale)];
        if (row?.[Math.floor(x / scale)]) grey[y * size + x] = 0;
      }
    }
  }
  return { grey, size };
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A greyscale PNG of the code of `text` (a blank picture for null). */
export function qrPng(text: string | null, scale = 6): Buffer {
  const { grey, size } = pixels(text, scale);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((size + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size + 1)] = 0; // filter: none
    raw.set(grey.subarray(y * size, (y + 1) * size), y * (size + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array()),
  ]);
}

/** Writes a one-frame Y4M video of the code of `text` to `path` (Chromium loops it). */
export function qrY4m(text: string, path: string, scale = 6): void {
  const { grey, size } = pixels(text, scale);
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${size} H${size} F10:1 Ip A1:1 C420jpeg\nFRAME\n`, "latin1"), grey, chroma]));
}
