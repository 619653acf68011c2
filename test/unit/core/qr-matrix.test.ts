import { expect } from '@open-wc/testing';
import { svg as litSvg, render } from 'lit';
import reference from 'qrcode/lib/core/qrcode.js';
import { byteCapacity, encodeQr, QR_ERROR_LEVELS, type QrErrorLevel, QUIET_ZONE } from '../../../src/core/qr-matrix.js';
import { decodeQrSvg } from '../helpers/decode-qr.js';

/** The `qrcode` package's symbol for the same bytes, in byte mode as cashdesk encodes. */
function qrcodeSymbol(text: string, level: QrErrorLevel) {
  return reference.create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: level });
}

function expectSameAsQrcode(text: string, level: QrErrorLevel): void {
  const ours = encodeQr(text, level);
  const theirs = qrcodeSymbol(text, level);
  expect(ours.version, `version of ${text.length} chars at ${level}`).to.equal(theirs.version);
  expect(ours.size).to.equal(theirs.modules.size);
  // Compared as text so a failure shows where the modules differ.
  const rows = (m: Uint8Array, size: number) =>
    Array.from({ length: size }, (_, y) => Array.from(m.subarray(y * size, (y + 1) * size)).join(''));
  expect(rows(ours.modules, ours.size)).to.deep.equal(rows(theirs.modules.data, theirs.modules.size));
}

/** Draws the matrix as `<cashdesk-qr>` does and reads it back from pixels. */
async function scan(text: string, level: QrErrorLevel = 'M'): Promise<string | null> {
  const matrix = encodeQr(text, level);
  const host = document.createElement('div');
  document.body.append(host);
  try {
    render(
      litSvg`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${matrix.extent} ${matrix.extent}"><rect width=${matrix.extent} height=${matrix.extent} fill="#ffffff"></rect><path d=${matrix.path} fill="none" stroke="#000000" stroke-width="1"></path></svg>`,
      host,
    );
    return await decodeQrSvg(host.querySelector('svg') as SVGSVGElement);
  } finally {
    host.remove();
  }
}

/** A deterministic string of `length` characters drawn from `alphabet`. */
function text(length: number, seed: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789/:?=&.-_%ABCXYZ'): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

describe('encodeQr', () => {
  it('fills each version to the byte capacity of ISO/IEC 18004, then moves up one', () => {
    // Table 7 of the standard, byte mode: spot values any reader of the standard can check.
    expect(encodeQr('x'.repeat(17), 'L').version).to.equal(1);
    expect(encodeQr('x'.repeat(18), 'L').version).to.equal(2);
    expect(encodeQr('x'.repeat(14), 'M').version).to.equal(1);
    expect(encodeQr('x'.repeat(7), 'H').version).to.equal(1);
    expect(encodeQr('x'.repeat(213), 'M').version).to.equal(10);
    expect(encodeQr('x'.repeat(214), 'M').version).to.equal(11);
    expect(encodeQr('x'.repeat(2953), 'L').version).to.equal(40);
    expect(encodeQr('x'.repeat(2331), 'M').version).to.equal(40);
  });

  it('refuses content longer than a version 40 code holds, with a RangeError', () => {
    expect(() => encodeQr('x'.repeat(2332), 'M')).to.throw(RangeError, '2332 bytes do not fit');
    expect(() => encodeQr('x'.repeat(2954), 'L')).to.throw(RangeError);
    expect(() => encodeQr('x', 'X' as QrErrorLevel)).to.throw(RangeError, 'X is not a QR error correction level');
  });

  it('counts UTF-8 bytes, not characters: 5 Chinese characters fill a version 1-M code', () => {
    // 4 characters are 12 bytes and fit in 14; 5 are 15 bytes and do not.
    expect(encodeQr('支付宝扫码', 'M').version).to.equal(2);
    expect(encodeQr('支付宝扫', 'M').version).to.equal(1);
  });

  for (const level of QR_ERROR_LEVELS) {
    it(`fills every version at level ${level} as the qrcode package does, module for module`, function () {
      // Thousands of codes: seconds in Chromium, many more in WebKit and Firefox.
      this.timeout(60_000);
      for (let version = 1; version <= 40; version += 1) {
        const full = text(byteCapacity(version, level), version);
        // The capacity is the reference's too: one byte more takes both encoders up a version.
        expect(encodeQr(full, level).version, `${full.length} bytes at ${level}`).to.equal(version);
        expect(qrcodeSymbol(full, level).version).to.equal(version);
        if (version < 40) {
          expect(encodeQr(`${full}x`, level).version).to.equal(version + 1);
          expect(qrcodeSymbol(`${full}x`, level).version).to.equal(version + 1);
        }
        expectSameAsQrcode(full, level);
      }
    });
  }

  it('matches the qrcode package on payment contents of every length, mask choice included', function () {
    // Thousands of codes: seconds in Chromium, many more in WebKit and Firefox.
    this.timeout(60_000);
    const masks = new Set<number>();
    for (let length = 1; length <= 400; length += 5) {
      const content = `weixin://wxpay/bizpayurl?pr=${text(length, length)}`;
      for (const level of QR_ERROR_LEVELS) {
        expectSameAsQrcode(content, level);
        masks.add(qrcodeSymbol(content, level).maskPattern);
      }
    }
    // The comparison covers the penalty scoring: every one of the eight masks was chosen somewhere.
    expect([...masks].sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('matches the qrcode package on non-ASCII content', () => {
    for (const content of [
      '支付宝 ¥12.50',
      'Ñandú café',
      '付款 🧾 https://pay.example/收银台?订单=123',
      '\u0000\u00ff',
    ]) {
      for (const level of QR_ERROR_LEVELS) expectSameAsQrcode(content, level);
    }
  });

  it('is read back by a scanner from the drawn SVG, at every level and across versions', async function () {
    // Thousands of codes: seconds in Chromium, many more in WebKit and Firefox.
    this.timeout(60_000);
    const contents = [
      'weixin://wxpay/bizpayurl?pr=Cg8kXyz',
      'https://qr.alipay.com/bax03431ljhokirwl38f00a7',
      `https://pay.example/cashier?${text(300, 7)}`,
      '支付宝付款码 12.50 元',
    ];
    for (const content of contents) {
      for (const level of QR_ERROR_LEVELS)
        expect(await scan(content, level), `${content} at ${level}`).to.equal(content);
    }
  });

  it('describes the drawing: quiet zone, extent and one stroke per run of dark modules', () => {
    const matrix = encodeQr('https://qr.alipay.com/bax03431ljhokirwl38f00a7');
    expect(matrix.extent).to.equal(matrix.size + 2 * QUIET_ZONE);
    // The top row starts with the top-left finder's edge: seven dark modules inside the quiet zone.
    expect(matrix.path.startsWith(`M${QUIET_ZONE} ${QUIET_ZONE}.5h7m`)).to.equal(true);
    // Drawn back from the path, the modules are the matrix's own.
    const drawn = new Uint8Array(matrix.size * matrix.size);
    for (const row of matrix.path.split('M').slice(1)) {
      const [, x0, y, rest] = /^(\d+) (\d+)\.5(.*)$/.exec(row) ?? [];
      let x = Number(x0) - QUIET_ZONE;
      for (const [, gap, width] of (rest ?? '').matchAll(/(?:m(\d+) 0)?h(\d+)/g)) {
        x += Number(gap ?? 0);
        for (let i = 0; i < Number(width); i += 1) drawn[(Number(y) - QUIET_ZONE) * matrix.size + x + i] = 1;
        x += Number(width);
      }
    }
    expect([...drawn]).to.deep.equal([...matrix.modules]);
  });
});
