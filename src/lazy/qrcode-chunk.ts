// What the QR chunk holds: qrcode's encoder core, and its canvas renderer for the image drawn inside
// WeChat and Alipay (`drawQrImage`). Not the package's entry, which also carries its SVG, PNG-file
// and terminal renderers.
export { default as core } from 'qrcode/lib/core/qrcode.js';
export { default as canvas } from 'qrcode/lib/renderer/canvas.js';
