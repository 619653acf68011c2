/**
 * Reads a rendered QR code back the way a phone would: from pixels. The SVG is serialized,
 * rasterized on a canvas and handed to jsQR, so what is checked is what a scanner sees, not the
 * matrix the encoder returned.
 */
import type jsQRFunction from 'jsqr';
// jsqr ships only a UMD bundle: loaded as a module it defines `self.jsQR` instead of exporting.
import 'jsqr';

type JsQr = typeof jsQRFunction;

function jsQR(): JsQr {
  const decode = (globalThis as { jsQR?: JsQr }).jsQR;
  if (decode === undefined) throw new Error('jsqr did not load');
  return decode;
}

/** The text a scanner reads from `svg`, or null when it finds no code. */
export async function decodeQrSvg(svg: SVGSVGElement, pixelsPerModule = 4): Promise<string | null> {
  const side = Math.ceil(svg.viewBox.baseVal.width * pixelsPerModule);
  const markup = new XMLSerializer().serializeToString(svg);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image(side, side);
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2d canvas context');
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0, side, side);
    const { data } = context.getImageData(0, 0, side, side);
    return jsQR()(data, side, side, { inversionAttempts: 'dontInvert' })?.data ?? null;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The text a scanner reads from `image` (the `<img>` drawn inside WeChat and Alipay), or null: the
 * image's own pixels, drawn at `side` pixels (its natural size by default) and handed to jsQR.
 */
export async function decodeQrImage(image: HTMLImageElement, side?: number): Promise<string | null> {
  await image.decode();
  const width = side ?? image.naturalWidth;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = width;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2d canvas context');
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, width, width);
  const { data } = context.getImageData(0, 0, width, width);
  return jsQR()(data, width, width, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
