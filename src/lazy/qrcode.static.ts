// The script-tag build's `qrcode.ts`: the encoder and renderer inside the one file, with no
// lazy-module wrapper.
import * as chunk from './qrcode-chunk.js';

export const loadQrcode = () => Promise.resolve(chunk);
