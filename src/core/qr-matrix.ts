/**
 * Turns a payment string into QR modules and one SVG path, so the element can draw the code with
 * a Lit `svg` template: no SVG text is ever built and put into the page.
 */
// The core encoder only: qrcode's main entry also bundles its canvas, SVG-string and PNG
// renderers, which cashdesk does not use.
import qrcodeCore from 'qrcode/lib/core/qrcode.js';

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
  /** `rows[y][x]` is true where the module is dark; quiet zone not included. */
  rows: boolean[][];
  /** Every dark module as a filled unit square, offset by the quiet zone. */
  path: string;
}

/**
 * Encodes `text` (UTF-8 in byte mode where needed). Throws when it does not fit in a QR code at
 * the chosen error correction level. `M` recovers 15 % of the code: enough for a screen, and it
 * keeps long cashier URLs at a version phones still scan from a laptop display.
 */
export function encodeQr(text: string, errorCorrectionLevel: QrErrorLevel = 'M'): QrMatrix {
  const { modules, version } = qrcodeCore.create(text, { errorCorrectionLevel });
  const { size, data } = modules;
  const rows: boolean[][] = [];
  const runs: string[] = [];
  for (let y = 0; y < size; y += 1) {
    const row: boolean[] = [];
    let runStart = -1;
    for (let x = 0; x <= size; x += 1) {
      const dark = x < size && data[y * size + x] === 1;
      if (x < size) row.push(dark);
      if (dark && runStart < 0) runStart = x;
      if (!dark && runStart >= 0) {
        // One rectangle per horizontal run of dark modules: a 300-character URL (version 13)
        // takes 19.5 KB of path text instead of 33.5 KB with a square per module.
        const length = x - runStart;
        runs.push(`M${runStart + QUIET_ZONE} ${y + QUIET_ZONE}h${length}v1h-${length}z`);
        runStart = -1;
      }
    }
    rows.push(row);
  }
  return { version, size, extent: size + 2 * QUIET_ZONE, rows, path: runs.join('') };
}
