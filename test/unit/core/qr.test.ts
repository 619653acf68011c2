import { expect } from '@open-wc/testing';
import { svg as litSvg, render } from 'lit';
import {
  drawQr,
  drawQrImage,
  preloadQrEncoder,
  type QrErrorLevel,
  QUIET_ZONE,
  qrEncoderReady,
} from '../../../src/core/qr.js';
import { decodeQrImage, decodeQrSvg } from '../helpers/decode-qr.js';

const LEVELS: readonly QrErrorLevel[] = ['L', 'M', 'Q', 'H'];

/** Draws the code as `<cashdesk-qr>` does and reads it back from pixels, as a phone would. */
async function scan(text: string, level: QrErrorLevel = 'M'): Promise<string | null> {
  const drawing = drawQr(text, level);
  const host = document.createElement('div');
  document.body.append(host);
  try {
    render(
      litSvg`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${drawing.extent} ${drawing.extent}"><rect width=${drawing.extent} height=${drawing.extent} fill="#ffffff"></rect><path d=${drawing.path} fill="none" stroke="#000000" stroke-width="1"></path></svg>`,
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

describe('drawQr (the qrcode package, drawn as one SVG path)', () => {
  before(async () => {
    await preloadQrEncoder();
  });

  it('loads the encoder once; ready afterwards', async () => {
    expect(qrEncoderReady()).to.equal(true);
    expect(await preloadQrEncoder()).to.equal(await preloadQrEncoder());
  });

  it('what is drawn decodes to the content, at every level, across versions 1 to 40', async function () {
    // Dozens of codes rasterized and scanned: seconds in Chromium, more in WebKit and Firefox.
    this.timeout(120_000);
    const seen = new Set<number>();
    for (const level of LEVELS) {
      for (const length of [1, 20, 60, 120, 250, 500, 900, 1400, 2000]) {
        let content: string;
        try {
          content = text(length, length + level.charCodeAt(0));
          drawQr(content, level);
        } catch {
          continue; // Longer than a version 40 code at this level holds.
        }
        const drawing = drawQr(content, level);
        seen.add(drawing.version);
        expect(await scan(content, level), `${length} chars at ${level}`).to.equal(content);
      }
    }
    expect(Math.min(...seen)).to.be.at.most(2);
    expect(Math.max(...seen)).to.be.at.least(35);
  });

  it('decodes payment contents, non-ASCII included', async () => {
    for (const content of [
      'weixin://wxpay/bizpayurl?pr=Cg8kXyz',
      'https://qr.alipay.com/bax03431ljhokirwl38f00a7',
      `https://pay.example/cashier?${text(300, 7)}`,
      '支付宝付款码 12.50 元',
      '付款 🧾 https://pay.example/收银台?订单=123',
    ]) {
      for (const level of LEVELS) expect(await scan(content, level), `${content} at ${level}`).to.equal(content);
    }
  });

  it('gives an all-digit or upper-case payload the smaller code (mixed modes)', () => {
    const digits = '28812345678901234567';
    const upper = 'HTTPS://QR.ALIPAY.COM/BAX03431LJHOKIRWL38F00A7';
    expect(drawQr(digits).version).to.equal(1);
    expect(drawQr(digits).version).to.be.below(drawQr(`${digits}x`).version + 1);
    expect(drawQr(upper).version).to.be.below(drawQr(upper.toLowerCase()).version);
  });

  it('refuses content longer than a version 40 code holds', () => {
    expect(() => drawQr('a'.repeat(3000), 'M')).to.throw();
  });

  it('describes the drawing: quiet zone, extent and one stroke per run of dark modules', () => {
    const drawing = drawQr('https://qr.alipay.com/bax03431ljhokirwl38f00a7');
    expect(drawing.extent).to.equal(drawing.size + 2 * QUIET_ZONE);
    // The top row starts with the top-left finder's edge: seven dark modules inside the quiet zone.
    expect(drawing.path.startsWith(`M${QUIET_ZONE} ${QUIET_ZONE}.5h7m`)).to.equal(true);
    // Every row of the code has a stroke; none is outside the code.
    const rows = [...drawing.path.matchAll(/M\d+ (\d+)\.5/g)].map(([, y]) => Number(y) - QUIET_ZONE);
    expect(rows).to.deep.equal(Array.from({ length: drawing.size }, (_, y) => y));
  });
});

/** The image `drawQrImage` paints, loaded as `<cashdesk-qr>` shows it inside WeChat and Alipay. */
async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

describe("drawQrImage (qrcode's canvas renderer, a PNG data URL for a long-press)", () => {
  before(async () => {
    await preloadQrEncoder();
  });

  it('is a PNG data URL of the same code, quiet zone included, a whole number of pixels per module', async () => {
    const content = 'https://qr.alipay.com/bax03431ljhokirwl38f00a7';
    const url = drawQrImage(content);
    expect(url.startsWith('data:image/png;base64,')).to.equal(true);
    const image = await loadImage(url);
    const { extent } = drawQr(content);
    expect(image.naturalWidth).to.equal(image.naturalHeight);
    expect(image.naturalWidth % extent).to.equal(0);
    // Sharp on a three-pixel-per-point screen at the default 12rem.
    expect(image.naturalWidth).to.be.at.least(576);
  });

  it('decodes to the content, at every level, from small codes to version 40', async function () {
    this.timeout(120_000);
    for (const level of LEVELS) {
      for (const length of [1, 60, 300, 1000]) {
        const content = text(length, length * 3 + level.charCodeAt(0));
        const image = await loadImage(drawQrImage(content, level));
        expect(await decodeQrImage(image), `${length} chars at ${level}`).to.equal(content);
      }
    }
    // The longest content a code holds: version 40.
    let longest = '';
    for (let length = 2960; longest === ''; length -= 10) {
      try {
        drawQr(text(length, 11), 'L');
        longest = text(length, 11);
      } catch {
        // Too long for version 40 at L: ten characters fewer.
      }
    }
    expect(drawQr(longest, 'L').version).to.equal(40);
    expect(await decodeQrImage(await loadImage(drawQrImage(longest, 'L')))).to.equal(longest);
  });

  it("decodes payment contents, non-ASCII included, also read back at a phone screen's size", async () => {
    for (const content of ['weixin://wxpay/bizpayurl?pr=Cg8kXyz', '付款 🧾 https://pay.example/收银台?订单=123']) {
      const image = await loadImage(drawQrImage(content));
      expect(await decodeQrImage(image), content).to.equal(content);
      expect(await decodeQrImage(image, 192), `${content} at 192 px`).to.equal(content);
    }
  });

  it('refuses content longer than a version 40 code holds, as drawQr does', () => {
    expect(() => drawQrImage('a'.repeat(3000), 'M')).to.throw();
  });
});
