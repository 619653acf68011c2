/**
 * The `qrcode` package's encoder core (`lib/core/qrcode.js`) and canvas renderer
 * (`lib/renderer/canvas.js`), which `src/core/qr.ts` loads without the package's other renderers;
 * @types/qrcode types only the package's entry.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QrCodeBitMatrix {
    /** Modules per side. */
    readonly size: number;
    /** Row-major, 1 where the module is dark. */
    readonly data: Uint8Array;
  }

  export interface QrCodeSymbol {
    readonly modules: QrCodeBitMatrix;
    readonly version: number;
    readonly maskPattern: number;
  }

  export interface QrCodeCreateOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  }

  /** A string is split into the cheapest mix of modes; segments are taken as given. */
  type QrCodeData = string | { data: string; mode: 'byte' | 'alphanumeric' | 'numeric' }[];

  const core: {
    create(data: QrCodeData, options?: QrCodeCreateOptions): QrCodeSymbol;
  };
  export default core;
}

declare module 'qrcode/lib/renderer/canvas.js' {
  import type { QrCodeSymbol } from 'qrcode/lib/core/qrcode.js';

  export interface QrCodeCanvasOptions {
    /** Light modules around the code (4 by default). */
    margin?: number;
    /** Pixels per module (4 by default). */
    scale?: number;
    /** `#rrggbb` or `#rrggbbaa`; black on opaque white by default. */
    color?: { dark?: string; light?: string };
    /** The data URL's type: `image/png` by default. */
    type?: 'image/png' | 'image/jpeg' | 'image/webp';
  }

  const canvas: {
    /** The symbol painted on a new `<canvas>` (one pixel per `scale`), read back as a data URL. */
    renderToDataURL(symbol: QrCodeSymbol, options?: QrCodeCanvasOptions): string;
  };
  export default canvas;
}

declare module 'qrcode/lib/core/version.js' {
  const version: {
    /** Bytes a version holds in byte mode at an error correction level ({ bit } from the level module). */
    getCapacity(version: number, errorCorrectionLevel: { bit: number }): number;
  };
  export default version;
}

declare module 'qrcode/lib/core/error-correction-level.js' {
  const levels: Record<'L' | 'M' | 'Q' | 'H', { bit: number }>;
  export default levels;
}
