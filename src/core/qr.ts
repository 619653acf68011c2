/**
 * The QR code as the page draws it. The encoding is the `qrcode` package's (ISO/IEC 18004, with its
 * segment optimiser: an all-digit or upper-case payload gets the smaller numeric or alphanumeric
 * code); this module only loads it, once and lazily, and turns its module matrix into one SVG path
 * (`drawQr`), or, for the apps that recognise a code only in an image, into a PNG data URL painted
 * by qrcode's own canvas renderer (`drawQrImage`). In the ES build the encoder and renderer are a
 * chunk of their own, fetched when a payment starts (`preloadQrEncoder`), so they arrive while the
 * backend answers.
 */

/** Light modules around the code; the QR specification asks for four. */
export const QUIET_ZONE = 4;

export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

export interface QrDrawing {
  /** QR version, 1 to 40. */
  version: number;
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Units per side including the quiet zone on both sides: the SVG `viewBox` is `0 0 extent extent`. */
  extent: number;
  /**
   * Every horizontal run of dark modules as a line through the middle of its row, offset by the
   * quiet zone: drawn with `stroke-width="1"` (and butt caps, the default) it covers exactly the
   * run's modules.
   */
  path: string;
}

/** What `qrcode`'s core `create()` returns that is read here (lib/core/qrcode.js). */
interface QrSymbol {
  version: number;
  modules: { size: number; data: ArrayLike<number | boolean> };
}
type Create = (text: string, options: { errorCorrectionLevel: QrErrorLevel }) => QrSymbol;
/** qrcode's `renderToDataURL` (lib/renderer/canvas.js): the symbol on a new canvas, as a data URL. */
type Paint = (symbol: QrSymbol, options: { margin: number; scale: number }) => string;

import { loadQrcode } from '../lazy/qrcode.js';

/**
 * The image's side in pixels, at least: three device pixels per CSS pixel of the default 12rem,
 * with a whole number of pixels per module so every module is the same square.
 */
const IMAGE_SIDE = 576;

let create: Create | undefined;
let paint: Paint | undefined;
let loading: Promise<Create> | undefined;

/**
 * Loads the encoder (once); resolves when `drawQr` can draw. Calling it early costs nothing more:
 * the checkout calls it as a create request starts.
 */
export function preloadQrEncoder(): Promise<Create> {
  // Only the encoder core: qrcode's entry also carries canvas, PNG and terminal renderers.
  loading ??= loadQrcode().then((module) => {
    // CommonJS: each file's exports arrive as its default export.
    const found = (module.core as { create: Create }).create;
    paint = (module.canvas as { renderToDataURL: Paint }).renderToDataURL;
    create = found;
    return found;
  });
  // A chunk that failed to arrive (the network) is asked for again next time.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Whether `drawQr` can run now, without waiting for the encoder. */
export function qrEncoderReady(): boolean {
  return create !== undefined;
}

/**
 * The drawing of `text` (UTF-8) at `level`, or throws: when the text is longer than a version 40
 * code holds, and when the encoder is not loaded yet (await `preloadQrEncoder()` first).
 */
export function drawQr(text: string, level: QrErrorLevel = 'M'): QrDrawing {
  // Before the encoder has arrived this throws a TypeError, as it does for content that is too long.
  const symbol = (create as Create)(text, { errorCorrectionLevel: level });
  const { size, data } = symbol.modules;
  // Each row's runs of dark modules as horizontal strokes through the row's middle: the first
  // placed absolutely, the next ones by the gap from the previous run's end. A 300-character URL
  // (version 13) takes about 7.4 KB of path text, against 19.5 KB as one rectangle per run and
  // 33.5 KB as one square per module, and the browser parses and lays out less.
  let path = '';
  for (let y = 0; y < size; y += 1) {
    let end = -1;
    for (let x = 0; x < size; x += 1) {
      if (!data[y * size + x]) continue;
      const start = x;
      while (x < size && data[y * size + x]) x += 1;
      path += end < 0 ? `M${start + QUIET_ZONE} ${y + QUIET_ZONE}.5h${x - start}` : `m${start - end} 0h${x - start}`;
      end = x;
    }
  }
  return { version: symbol.version, size, extent: size + 2 * QUIET_ZONE, path };
}

/**
 * The code for `text` as a PNG `data:` URL of opaque black modules on white, quiet zone included,
 * for an `<img>`; throws as `drawQr` does. Painted by qrcode's canvas renderer, so it needs a
 * `<canvas>` with a 2D context, which every browser the widget supports has; the page's CSP must
 * allow `img-src data:`.
 */
export function drawQrImage(text: string, level: QrErrorLevel = 'M'): string {
  const symbol = (create as Create)(text, { errorCorrectionLevel: level });
  const extent = symbol.modules.size + 2 * QUIET_ZONE;
  return (paint as Paint)(symbol, { margin: QUIET_ZONE, scale: Math.ceil(IMAGE_SIDE / extent) });
}
