/**
 * The part of qrcode's core encoder cashdesk uses. Importing the core alone leaves out the
 * renderers (canvas, SVG string, terminal, PNG) that the package's main entry pulls in.
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
  }

  export interface QrCodeCreateOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  }

  const core: {
    create(text: string, options?: QrCodeCreateOptions): QrCodeSymbol;
  };
  export default core;
}
