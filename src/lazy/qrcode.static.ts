// The script-tag build's `qrcode.ts`: the encoder inside the one file, with no lazy-module wrapper.
import core from 'qrcode/lib/core/qrcode.js';

export const loadQrcode = () => Promise.resolve({ default: core });
