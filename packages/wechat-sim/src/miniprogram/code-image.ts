import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** The modules of the drawn code per side; the picture only has to look like a code and be a real image. */
const GRID = 25;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Finder squares in three corners, like every printed code, so a person recognises it at a glance. */
function isFinder(x: number, y: number): boolean | null {
  for (const [ox, oy] of [
    [0, 0],
    [GRID - 7, 0],
    [0, GRID - 7],
  ] as const) {
    const dx = x - ox;
    const dy = y - oy;
    if (dx < 0 || dy < 0 || dx > 6 || dy > 6) continue;
    const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
    return ring !== 2;
  }
  return null;
}

/**
 * A grayscale PNG, width × width pixels, whose modules are drawn from a hash of what the code opens, with the
 * scene and page also written in tEXt chunks: the real code is only readable by WeChat's scanner, the
 * simulator's lets a test read what a scan would hand the mini-program.
 */
export function drawCodeImage(input: { appid: string; scene: string; page: string; width: number }): Buffer {
  const bits = createHash('sha256').update(`${input.appid}\n${input.page}\n${input.scene}`).digest();
  const dark = (x: number, y: number): boolean => {
    const finder = isFinder(x, y);
    if (finder !== null) return finder;
    const index = (y * GRID + x) % (bits.length * 8);
    return ((bits[index >> 3] as number) >> (index & 7)) % 2 === 1;
  };
  const margin = Math.floor(input.width / 12);
  const module = Math.max(1, Math.floor((input.width - 2 * margin) / GRID));
  const rows: Buffer[] = [];
  for (let py = 0; py < input.width; py += 1) {
    const row = Buffer.alloc(input.width + 1, 0xff);
    row[0] = 0; // filter: none
    const y = Math.floor((py - margin) / module);
    for (let px = 0; px < input.width; px += 1) {
      const x = Math.floor((px - margin) / module);
      if (x >= 0 && y >= 0 && x < GRID && y < GRID && dark(x, y)) row[px + 1] = 0x11;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(input.width, 0);
  header.writeUInt32BE(input.width, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  const text = (key: string, value: string) => chunk('tEXt', Buffer.from(`${key}\0${value}`, 'latin1'));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    text('scene', input.scene),
    text('page', input.page),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The tEXt chunks of a PNG: what a test reads back out of a simulated code. */
export function readCodeImageText(png: Buffer): Record<string, string> {
  const found: Record<string, string> = {};
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'tEXt') {
      const data = png.toString('latin1', offset + 8, offset + 8 + length);
      const split = data.indexOf('\0');
      found[data.slice(0, split)] = data.slice(split + 1);
    }
    offset += 12 + length;
  }
  return found;
}
