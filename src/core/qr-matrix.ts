/**
 * Turns a payment string into QR modules and one SVG path, so the element can draw the code with
 * a Lit `svg` template: no SVG text is ever built and put into the page.
 *
 * The encoder is cashdesk's own, byte mode only (ISO/IEC 18004, UTF-8 bytes). Payment contents
 * are URLs and wallet links, which byte mode carries at the same version as a mixed-mode encoder
 * in nearly every case, and the rest of the standard (numeric, alphanumeric and kanji segments,
 * their optimiser, the renderers) is 8 KB of gzip a checkout does not need. Its output is checked
 * module for module against the `qrcode` package and decoded with jsQR in the tests.
 */

export const QR_ERROR_LEVELS = ['L', 'M', 'Q', 'H'] as const;
export type QrErrorLevel = (typeof QR_ERROR_LEVELS)[number];

/** Light modules around the code; the QR specification asks for four. */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  /** QR version, 1 to 40. */
  version: number;
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Units per side including the quiet zone on both sides: the SVG `viewBox` is `0 0 extent extent`. */
  extent: number;
  /** Row-major, `modules[y * size + x]` is 1 where the module is dark; quiet zone not included. */
  modules: Uint8Array;
  /**
   * Every horizontal run of dark modules as a line through the middle of its row, offset by the
   * quiet zone: drawn with `stroke-width="1"` (and butt caps, the default) it covers exactly the
   * run's modules.
   */
  path: string;
}

/**
 * Per error correction level (L, M, Q, H) and version 1 to 40: the error correction codewords in
 * each block, and the number of blocks (ISO/IEC 18004 table 9).
 */
// prettier-ignore
const EC_PER_BLOCK = [
  [
    7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
  [
    10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  ],
  [
    13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
  [
    17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
];
// prettier-ignore
const BLOCKS = [
  [
    1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19,
    20, 21, 22, 24, 25,
  ],
  [
    1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33,
    35, 37, 38, 40, 43, 45, 47, 49,
  ],
  [
    1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45,
    48, 51, 53, 56, 59, 62, 65, 68,
  ],
  [
    1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51,
    54, 57, 60, 63, 66, 70, 74, 77, 81,
  ],
];
/** The two format bits that name each level, in the order of QR_ERROR_LEVELS. */
const LEVEL_BITS = [1, 0, 3, 2];

/** A table entry for a level (the index of QR_ERROR_LEVELS) and a version: always in range. */
const entry = (table: number[][], level: number, version: number): number => table[level]![version - 1]!;

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1, as exponent and logarithm tables.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i += 1, x = x & 0x80 ? (x << 1) ^ 0x11d : x << 1) {
  EXP[i] = EXP[i + 255] = x;
  LOG[x] = i;
}
const multiply = (a: number, b: number): number => (a && b ? EXP[LOG[a]! + LOG[b]!]! : 0);

/** The Reed-Solomon generator polynomial of a degree, highest term left out (it is always 1). */
function generator(degree: number): Uint8Array {
  const poly = new Uint8Array(degree);
  poly[degree - 1] = 1;
  for (let i = 0; i < degree; i += 1) {
    // Multiply by (x - α^i).
    for (let j = 0; j < degree; j += 1) poly[j] = multiply(poly[j]!, EXP[i]!) ^ (poly[j + 1] ?? 0);
  }
  return poly;
}

/** The error correction codewords of one block: the remainder of data × x^degree ÷ generator. */
function remainder(data: Uint8Array, poly: Uint8Array): Uint8Array {
  const rem = new Uint8Array(poly.length);
  for (const byte of data) {
    const factor = byte ^ rem[0]!;
    rem.copyWithin(0, 1);
    rem[rem.length - 1] = 0;
    if (factor === 0) continue;
    const log = LOG[factor]!;
    for (let j = 0; j < poly.length; j += 1) if (poly[j]) rem[j]! ^= EXP[LOG[poly[j]!]! + log]!;
  }
  return rem;
}

/** The Bose-Chaudhuri-Hocquenghem code of `value`: the value followed by its check bits. */
function bch(value: number, poly: number, checkBits: number): number {
  let rem = value;
  for (let i = 0; i < checkBits; i += 1) rem = (rem << 1) ^ ((rem >>> (checkBits - 1)) & 1 ? poly : 0);
  return (value << checkBits) | (rem & ((1 << checkBits) - 1));
}

/** Centres of the alignment patterns on each axis. */
function alignment(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const centres = [6];
  for (let at = version * 4 + 10; centres.length < count; at -= step) centres.splice(1, 0, at);
  return centres;
}

/** Codewords a version holds: every module outside the function patterns, in whole bytes. */
function totalCodewords(version: number): number {
  let modules = (16 * version + 128) * version + 64;
  if (version > 1) {
    const count = Math.floor(version / 7) + 2;
    modules -= (25 * count - 10) * count - 55;
    if (version > 6) modules -= 36;
  }
  return modules >> 3;
}

/** Data codewords of a version at a level: the rest is error correction. */
function dataCodewords(version: number, level: number): number {
  return totalCodewords(version) - entry(EC_PER_BLOCK, level, version) * entry(BLOCKS, level, version);
}

/** The bytes a version holds: its data codewords less the mode (4 bits) and the length (8 or 16). */
export function byteCapacity(version: number, errorCorrectionLevel: QrErrorLevel): number {
  return dataCodewords(version, QR_ERROR_LEVELS.indexOf(errorCorrectionLevel)) - (version < 10 ? 2 : 3);
}

const MASKS: ((y: number, x: number) => boolean)[] = [
  (y, x) => (y + x) % 2 === 0,
  (y) => y % 2 === 0,
  (_y, x) => x % 3 === 0,
  (y, x) => (y + x) % 3 === 0,
  (y, x) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (y, x) => ((y * x) % 2) + ((y * x) % 3) === 0,
  (y, x) => (((y * x) % 2) + ((y * x) % 3)) % 2 === 0,
  (y, x) => (((y + x) % 2) + ((y * x) % 3)) % 2 === 0,
];

/**
 * How far a masked symbol is from easy scanning (ISO/IEC 18004 7.8.3): long runs, 2×2 blocks,
 * finder look-alikes and an unbalanced share of dark modules. Scored as the `qrcode` package
 * scores it, so both pick the same mask.
 */
function penalty(m: Uint8Array, size: number): number {
  let points = 0;
  let dark = 0;
  // Runs and finder look-alikes, along each row (step 1) and each column (step `size`).
  for (const [lineStep, moduleStep] of [
    [size, 1],
    [1, size],
  ] as const) {
    for (let line = 0; line < size; line += 1) {
      let run = 0;
      let last = -1;
      let bits = 0;
      for (let i = 0, at = line * lineStep; i < size; i += 1, at += moduleStep) {
        const v = m[at]!;
        if (v === last) run += 1;
        else {
          if (run >= 5) points += run - 2;
          last = v;
          run = 1;
        }
        bits = ((bits << 1) & 0x7ff) | v;
        if (i >= 10 && (bits === 0x5d0 || bits === 0x05d)) points += 40;
      }
      if (run >= 5) points += run - 2;
    }
  }
  // 2×2 blocks of one colour, and the share of dark modules.
  for (let y = 0, at = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1, at += 1) {
      dark += m[at]!;
      if (y < size - 1 && x < size - 1) {
        const block = m[at]! + m[at + 1]! + m[at + size]! + m[at + size + 1]!;
        if (block === 0 || block === 4) points += 3;
      }
    }
  }
  return points + Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
}

/** The codewords of `bytes` in a version: data, padding, then every block's error correction, interleaved. */
function codewords(bytes: Uint8Array, version: number, level: number): number[] {
  // Mode 0100 (byte), the length, the bytes, a terminator, then the alternating pad codewords.
  const data = new Uint8Array(dataCodewords(version, level));
  let bit = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i -= 1, bit += 1) data[bit >> 3]! |= ((value >>> i) & 1) << (7 - (bit & 7));
  };
  put(4, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const byte of bytes) put(byte, 8);
  for (let i = (bit + 4 + 7) >> 3, pad = 0xec; i < data.length; i += 1, pad ^= 0xec ^ 0x11) data[i] = pad;

  // Blocks, the later ones one codeword longer, each followed by its error correction; the result
  // takes the first codeword of every block, then the second, and so on.
  const blockCount = entry(BLOCKS, level, version);
  const ecLength = entry(EC_PER_BLOCK, level, version);
  const total = totalCodewords(version);
  const shortBlocks = blockCount - (total % blockCount);
  const shortLength = Math.floor(total / blockCount) - ecLength;
  const poly = generator(ecLength);
  const blocks: Uint8Array[] = [];
  const ec: Uint8Array[] = [];
  for (let b = 0, start = 0; b < blockCount; b += 1) {
    const end = start + shortLength + (b < shortBlocks ? 0 : 1);
    const block = data.subarray(start, end);
    blocks.push(block);
    ec.push(remainder(block, poly));
    start = end;
  }
  const out: number[] = [];
  for (let i = 0; i <= shortLength; i += 1) for (const block of blocks) if (i < block.length) out.push(block[i]!);
  for (let i = 0; i < ecLength; i += 1) for (const block of ec) out.push(block[i]!);
  return out;
}

/**
 * Encodes `text` as UTF-8 bytes. Throws a RangeError when it does not fit in a QR code at the
 * chosen error correction level. `M` recovers 15 % of the code: enough for a screen, and it keeps
 * long cashier URLs at a version phones still scan from a laptop display.
 */
export function encodeQr(text: string, errorCorrectionLevel: QrErrorLevel = 'M'): QrMatrix {
  const level = QR_ERROR_LEVELS.indexOf(errorCorrectionLevel);
  if (level < 0) throw new RangeError(`${String(errorCorrectionLevel)} is not a QR error correction level`);
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (byteCapacity(version, errorCorrectionLevel) < bytes.length) {
    if (++version > 40) throw new RangeError(`${bytes.length} bytes do not fit in a QR code`);
  }

  // The function patterns come first, marked in `fixed` so the data and the masks go around them.
  const size = version * 4 + 17;
  const m = new Uint8Array(size * size);
  const fixed = new Uint8Array(size * size);
  const set = (x: number, y: number, dark: boolean | number) => {
    m[y * size + x] = dark ? 1 : 0;
    fixed[y * size + x] = 1;
  };
  for (let i = 8; i < size - 8; i += 1) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    // A finder with its light separator: Chebyshev distance 0–1 and 3 dark, 2 and 4 light.
    for (let dy = -4; dy <= 4; dy += 1) {
      for (let dx = -4; dx <= 4; dx += 1) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  const centres = alignment(version);
  centres.forEach((cy, i) => {
    centres.forEach((cx, j) => {
      // Not where a finder already is.
      const last = centres.length - 1;
      if ((i === 0 && (j === 0 || j === last)) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy += 1) {
        for (let dx = -2; dx <= 2; dx += 1) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    });
  });
  if (version >= 7) {
    const bits = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i += 1) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, (bits >>> i) & 1);
      set(b, a, (bits >>> i) & 1);
    }
  }
  const format = (mask: number) => {
    const bits = bch((LEVEL_BITS[level]! << 3) | mask, 0x537, 10) ^ 0x5412;
    for (let i = 0; i < 15; i += 1) {
      const dark = (bits >>> i) & 1;
      // Around the top-left finder, then split between the other two.
      set(8, i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, dark);
      set(i < 8 ? size - 1 - i : i < 9 ? 7 : 14 - i, 8, dark);
    }
    set(8, size - 8, 1);
  };
  format(0);

  // The codewords, two columns at a time in a zigzag from the bottom right, skipping column 6.
  const words = codewords(bytes, version, level);
  let index = 0;
  for (let right = size - 1, upward = true; right > 0; right -= 2, upward = !upward) {
    if (right === 6) right = 5;
    for (let step = 0; step < size; step += 1) {
      const y = upward ? size - 1 - step : step;
      for (let x = right; x > right - 2; x -= 1) {
        if (fixed[y * size + x]) continue;
        m[y * size + x] = ((words[index >> 3] ?? 0) >>> (7 - (index & 7))) & 1;
        index += 1;
      }
    }
  }

  // Try the eight masks on copies and keep the one that scores best.
  const unmasked = m.slice();
  const applyMask = (mask: number) => {
    const masked = MASKS[mask]!;
    m.set(unmasked);
    for (let y = 0, at = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1, at += 1) if (!fixed[at] && masked(y, x)) m[at]! ^= 1;
    }
    format(mask);
  };
  let best = 0;
  let lowest = Infinity;
  for (let mask = 0; mask < 8; mask += 1) {
    applyMask(mask);
    const score = penalty(m, size);
    if (score < lowest) {
      lowest = score;
      best = mask;
    }
  }
  applyMask(best);

  // Each row's runs of dark modules as horizontal strokes through the row's middle: the first
  // placed absolutely, the next ones by the gap from the previous run's end. A 300-character URL
  // (version 13) takes about 7.4 KB of path text, against 19.5 KB as one rectangle per run and
  // 33.5 KB as one square per module, and the browser parses and lays out less.
  let path = '';
  for (let y = 0; y < size; y += 1) {
    let end = -1;
    for (let x = 0; x < size; x += 1) {
      if (!m[y * size + x]) continue;
      const start = x;
      while (x < size && m[y * size + x]) x += 1;
      path += end < 0 ? `M${start + QUIET_ZONE} ${y + QUIET_ZONE}.5h${x - start}` : `m${start - end} 0h${x - start}`;
      end = x;
    }
  }
  return { version, size, extent: size + 2 * QUIET_ZONE, modules: m, path };
}
