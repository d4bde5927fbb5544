// Re-encodes a Chromium screenshot (8-bit RGB or RGBA PNG) as a 256-colour
// palette PNG with zlib level 9, so the README picture stays light. A UI is
// flat colours and their anti-aliased edges: its 256 most frequent colours,
// each other colour mapped to the nearest of them, look the same.
import { deflateSync, inflateSync } from 'node:zlib';

const paeth = (a, b, c) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};
// predictor of byte i of a row from its left (a), up (b) and up-left (c) neighbours
const PREDICT = [() => 0, (a) => a, (a, b) => b, (a, b) => (a + b) >> 1, paeth];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, body) => {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
};

/** @param {Buffer} png @returns {Buffer} */
export const recompress = (png) => {
  let pos = 8;
  let ihdr;
  const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + len);
    if (type == 'IHDR') ihdr = body;
    if (type == 'IDAT') idat.push(body);
    pos += 12 + len;
  }
  const w = ihdr.readUInt32BE(0);
  const h = ihdr.readUInt32BE(4);
  const bpp = ihdr[9] == 6 ? 4 : 3;
  if (ihdr[8] != 8 || (ihdr[9] != 2 && ihdr[9] != 6) || ihdr[12]) return png; // not a plain screenshot
  const raw = inflateSync(Buffer.concat(idat));
  const stride = w * bpp;
  // undo each row's filter
  const rows = [];
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < h; y++) {
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    const f = PREDICT[raw[y * (stride + 1)]];
    for (let i = 0; i < stride; i++) row[i] = (row[i] + f(i >= bpp ? row[i - bpp] : 0, prev[i], i >= bpp ? prev[i - bpp] : 0)) & 255;
    rows.push((prev = row));
  }
  // the palette: the most frequent colours; the rest map to the nearest of them
  const key = (row, i) => (row[i] << 16) | (row[i + 1] << 8) | row[i + 2];
  const freq = new Map();
  for (const row of rows) for (let i = 0; i < stride; i += bpp) freq.set(key(row, i), (freq.get(key(row, i)) || 0) + 1);
  const palette = [...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, 256).map(([c]) => c);
  const index = new Map(palette.map((c, i) => [c, i]));
  const nearest = (c) => {
    let best = 0;
    let bestD = Infinity;
    palette.forEach((p, i) => {
      const d = ((p >> 16) - (c >> 16)) ** 2 + (((p >> 8) & 255) - ((c >> 8) & 255)) ** 2 + ((p & 255) - (c & 255)) ** 2;
      if (d < bestD) (bestD = d), (best = i);
    });
    index.set(c, best);
    return best;
  };
  const out = Buffer.alloc(h * (w + 1));
  rows.forEach((row, y) => {
    for (let x = 0; x < w; x++) {
      const c = key(row, x * bpp);
      out[y * (w + 1) + 1 + x] = index.get(c) ?? nearest(c);
    }
  });
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => plte.writeUIntBE(c, i * 3, 3));
  const head = Buffer.from(ihdr);
  head[9] = 3; // indexed colour
  return Buffer.concat([
    png.subarray(0, 8),
    chunk('IHDR', head),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(out, { level: 9, memLevel: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};
