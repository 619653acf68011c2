// qrcode's encoder core and canvas renderer, fetched when first needed: in the ES builds a chunk of
// its own. The script-tag build, one file by design, takes `qrcode.static.ts` instead
// (vite.lib.config.ts).
export const loadQrcode = () => import('./qrcode-chunk.js');
