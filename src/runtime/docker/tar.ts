/**
 * A minimal ustar writer: enough to hand Docker an in-memory build context of a few small
 * regular files (names under 100 bytes), with no dependency and nothing on disk.
 */

export interface TarEntry {
  name: string;
  content: Buffer;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
}

const BLOCK = 512;

export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    parts.push(entry.content);
    const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(pad));
  }
  // the archive ends with two zero blocks
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(entry: TarEntry): Buffer {
  if (Buffer.byteLength(entry.name) >= 100) throw new Error(`tar entry name too long: ${entry.name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(entry.name, 0, 100, 'utf8');
  octal(h, entry.mode, 100, 8);
  octal(h, 0, 108, 8); // uid
  octal(h, 0, 116, 8); // gid
  octal(h, entry.content.length, 124, 12);
  // a fixed mtime keeps the archive (and so Docker's build cache key) deterministic
  octal(h, 0, 136, 12);
  h.write('0', 156, 1, 'ascii'); // typeflag: regular file
  h.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0" + version "00"
  // the checksum is computed with its own field read as eight spaces
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'ascii');
  return h;
}

/** Writes `value` as zero-padded octal digits followed by a NUL, filling `width` bytes. */
function octal(h: Buffer, value: number, offset: number, width: number): void {
  h.write(value.toString(8).padStart(width - 1, '0') + '\u0000', offset, width, 'ascii');
}
