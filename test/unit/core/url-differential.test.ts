/**
 * What is checked is what is navigated: for every trick that makes a URL mean one thing parsed
 * alone and another resolved against the page, the URL the browser would go to from an
 * `https://shop.example/checkout/` page has the origin the policy checked, or the URL is refused.
 */
import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { FormAction } from '../../../src/core/next-action.js';
import { ALIPAY_HOSTS, checkWebUrl, cleanUrl } from '../../../src/core/safe-url.js';
import { performFormPost } from '../../../src/perform/form-post.js';
import { navigation } from '../../../src/perform/navigation.js';
import { performRedirect } from '../../../src/perform/redirect.js';

const PAGE = 'https://shop.example/checkout/';
const HTTPS_PAGE = { allowInsecure: false } as const;
const ALIPAY = { ...HTTPS_PAGE, hosts: ALIPAY_HOSTS } as const;

/** Each trick, and the code it is refused with when it cannot be made safe (under the Alipay list). */
const TRICKS: readonly (readonly [name: string, raw: string])[] = [
  ['no // after the scheme, with .. segments', 'https:openapi.alipay.com/../../account/email'],
  ['no // after the scheme', 'https:openapi.alipay.com/gateway.do'],
  ['one slash after the scheme', 'https:/openapi.alipay.com/gateway.do'],
  ['an upper-case scheme without //', 'HTTPS:openapi.alipay.com/gateway.do'],
  ['backslashes for slashes', 'https:\\\\openapi.alipay.com\\gateway.do'],
  ['a slash and a backslash', 'https:/\\openapi.alipay.com/gateway.do'],
  ['a backslash before the user info', 'https://evil.example\\@openapi.alipay.com/gateway.do'],
  ['tabs and newlines inside', 'ht\ttps://openapi.ali\npay.com/gate\rway.do'],
  ['spaces and controls at the edges', ' \u0000https://openapi.alipay.com/gateway.do \u001f'],
  ['.. segments in the path', 'https://openapi.alipay.com/a/../../gateway.do'],
  ['encoded .. segments', 'https://openapi.alipay.com/%2e%2e/%2E%2E/gateway.do'],
  ['user info naming the allowed host', 'https://openapi.alipay.com@evil.example/gateway.do'],
  ['user info and password', 'https://a:b@openapi.alipay.com/gateway.do'],
  ['an IDN look-alike (Cyrillic a)', 'https://openapi.\u0430lipay.com/gateway.do'],
  ['full-width dots', 'https://openapi\uff0ealipay\uff0ecom/gateway.do'],
  ['a trailing dot', 'https://openapi.alipay.com./gateway.do'],
  ['an encoded dot in the host', 'https://openapi.alipay.com%2eevil.example/gateway.do'],
  ['upper case and the default port', 'https://OPENAPI.ALIPAY.COM:443/gateway.do'],
  ['a numeric host', 'https://0x7f.1/gateway.do'],
  ['scheme-relative', '//evil.example/gateway.do'],
  ['backslash scheme-relative', '\\\\evil.example\\gateway.do'],
  ['root-relative', '/account/email'],
  ['javascript: with a host-like path', 'javascript://openapi.alipay.com/%0aalert(1)'],
  ['http: on an https page', 'http://openapi.alipay.com/gateway.do'],
];

function attempt(run: () => string): string | { refused: string } {
  try {
    return run();
  } catch (error) {
    if (isCheckoutError(error)) return { refused: error.code };
    throw error;
  }
}

/** The URL as the policy read it: the text parsed on its own. */
const alone = (raw: string) => new URL(cleanUrl(raw));

describe('URL differential: what is checked is what is navigated, from an https page', () => {
  for (const [name, raw] of TRICKS) {
    it(`${name}: the navigated origin is the checked origin, or it is refused`, () => {
      for (const rule of [HTTPS_PAGE, ALIPAY]) {
        const checked = attempt(() => checkWebUrl(raw, rule));
        if (typeof checked !== 'string') continue;
        const navigated = new URL(checked, PAGE);
        expect(navigated.href, 'the browser is handed a URL that the page cannot change').to.equal(checked);
        expect(navigated.origin).to.equal(alone(raw).origin);
        expect(navigated.username + navigated.password).to.equal('');
        if (rule === ALIPAY) expect(ALIPAY_HOSTS as readonly string[]).to.include(navigated.hostname);
      }
    });
  }

  it('refuses exactly the tricks whose meaning changes on the page, and says why', () => {
    const codes = Object.fromEntries(TRICKS.map(([name, raw]) => [name, attempt(() => checkWebUrl(raw, ALIPAY))]));
    expect(codes).to.deep.include({
      'no // after the scheme, with .. segments': { refused: 'relative_url' },
      'no // after the scheme': { refused: 'relative_url' },
      'one slash after the scheme': { refused: 'relative_url' },
      'an upper-case scheme without //': { refused: 'relative_url' },
      'a backslash before the user info': { refused: 'host_not_allowed' },
      'user info naming the allowed host': { refused: 'invalid_url' },
      'user info and password': { refused: 'invalid_url' },
      'an IDN look-alike (Cyrillic a)': { refused: 'host_not_allowed' },
      'a trailing dot': { refused: 'host_not_allowed' },
      'an encoded dot in the host': { refused: 'host_not_allowed' },
      'a numeric host': { refused: 'host_not_allowed' },
      'scheme-relative': { refused: 'relative_url' },
      'backslash scheme-relative': { refused: 'relative_url' },
      'root-relative': { refused: 'relative_url' },
      'javascript: with a host-like path': { refused: 'unsafe_url_scheme' },
      'http: on an https page': { refused: 'unsafe_url_scheme' },
    });
    // The ones that mean the same everywhere pass, as their serialised href.
    expect(codes['backslashes for slashes']).to.equal('https://openapi.alipay.com/gateway.do');
    expect(codes['tabs and newlines inside']).to.equal('https://openapi.alipay.com/gateway.do');
    expect(codes['upper case and the default port']).to.equal('https://openapi.alipay.com/gateway.do');
    expect(codes['full-width dots']).to.equal('https://openapi.alipay.com/gateway.do');
    expect(codes['.. segments in the path']).to.equal('https://openapi.alipay.com/gateway.do');
  });
});

describe('URL differential: through the performers, in a page whose base is https://shop.example/checkout/', () => {
  const original = { ...navigation };
  let frame: HTMLIFrameElement;
  let win: Window;
  let left: string[];

  beforeEach(async () => {
    frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><base href="${PAGE}"><body></body>`;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    win = frame.contentWindow!;
    left = [];
    // Read the way the browser resolves them: a form's action IDL attribute and a URL against the
    // document's base, which is the merchant's https page.
    navigation.submit = (form) => left.push(form.action);
    navigation.assign = (url, target) => left.push(new URL(url, target.document.baseURI).href);
  });

  afterEach(() => {
    Object.assign(navigation, original);
    frame.remove();
  });

  for (const [name, raw] of TRICKS) {
    it(`${name}: a form post and a redirect leave for the checked origin, or not at all`, () => {
      expect(win.document.baseURI).to.equal(PAGE);
      const form: FormAction = { kind: 'form', method: 'POST', action: raw, fields: { sign: 'SIGNED' } };
      const posted = attempt(() => {
        performFormPost(form, { ...HTTPS_PAGE, window: win });
        return left.at(-1) ?? '';
      });
      const redirected = attempt(() => {
        performRedirect({ kind: 'redirect', url: raw }, { ...HTTPS_PAGE, window: win });
        return left.at(-1) ?? '';
      });
      for (const target of [posted, redirected]) {
        if (typeof target !== 'string') continue;
        expect(new URL(target).origin).to.equal(alone(raw).origin);
        expect(new URL(target).origin).not.to.equal('https://shop.example');
      }
    });
  }
});
