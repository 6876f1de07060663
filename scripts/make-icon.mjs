#!/usr/bin/env node
// Draws images/icon.png (128x128 RGBA): a shield over a shipping container on a dark rounded
// square. Pure Node (zlib + CRC32), 4x4 supersampling for smooth edges. Deterministic output.
//   node scripts/make-icon.mjs [out.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const out = process.argv[2] ?? 'images/icon.png';

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const BG = hex('#12263f');
const SHIELD = hex('#2bb3a3');
const SHIELD_EDGE = hex('#e6fffa');
const BOX = hex('#f5f7fa');
const RIB = hex('#12263f');
const DOT = hex('#ff6b4a');

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

// Shield: flat top with rounded corners, straight sides down to y=70, then two arcs to a point.
function shield(x, y, inset) {
  const top = 16 + inset;
  const left = 26 + inset;
  const right = 102 - inset;
  const mid = 64;
  const bottom = 116 - inset * 1.4;
  if (y < top || y > bottom || x < left || x > right) return false;
  if (y <= 70) return roundedRect(x, y, left, top, right, 90, 10 - inset / 2);
  // Lower part: the half-width shrinks from (right-left)/2 at y=70 to 0 at the bottom, along a curve.
  const t = (y - 70) / (bottom - 70);
  const half = ((right - left) / 2) * Math.sqrt(Math.max(0, 1 - t * t));
  return Math.abs(x - mid) <= half;
}

function container(x, y) {
  return roundedRect(x, y, 40, 44, 88, 78, 3);
}

function ribs(x, y) {
  if (y < 49 || y > 73) return false;
  for (const rx of [49, 58, 67, 76]) if (Math.abs(x - rx) <= 1.6) return true;
  return false;
}

function color(x, y) {
  if (!roundedRect(x, y, 0, 0, SIZE, SIZE, 22)) return null;
  let c = BG;
  if (shield(x, y, 0)) c = SHIELD_EDGE;
  if (shield(x, y, 4)) c = SHIELD;
  if (container(x, y)) c = ribs(x, y) ? RIB : BOX;
  if ((x - 88) ** 2 + (y - 44) ** 2 <= 8 * 8) c = DOT;
  return c;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = color(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    }
    const i = (py * SIZE + px) * 4;
    if (a > 0) {
      rgba[i] = Math.round(r / a);
      rgba[i + 1] = Math.round(g / a);
      rgba[i + 2] = Math.round(b / a);
    }
    rgba[i + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${SIZE}x${SIZE}, ${png.length} bytes`);
