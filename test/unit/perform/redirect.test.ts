import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { RedirectAction } from '../../../src/core/next-action.js';
import { navigation } from '../../../src/perform/navigation.js';
import { performRedirect } from '../../../src/perform/redirect.js';

interface Left {
  url: string;
  target: Window;
}

const redirect = (url: string): RedirectAction => ({ kind: 'redirect', url });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('performRedirect', () => {
  const original = { ...navigation };
  let left: Left[];
  const frames: HTMLIFrameElement[] = [];

  beforeEach(() => {
    left = [];
    navigation.assign = (url, target) => {
      left.push({ url, target });
    };
    navigation.submit = () => {
      throw new Error('a redirect never submits a form');
    };
  });

  afterEach(() => {
    Object.assign(navigation, original);
    for (const frame of frames.splice(0)) frame.remove();
  });

  function sameOriginFrame(): Window {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    frames.push(frame);
    return frame.contentWindow!;
  }

  it('navigates this window to the URL', () => {
    const url = 'https://openapi.alipay.com/gateway.do?app_id=2021&sign=a%2Bb%3D&biz_content=%7B%7D';
    performRedirect(redirect(url));
    expect(left).to.deep.equal([{ url, target: window }]);
  });

  it('navigates to the URL as the browser reads it: edge spaces, tabs and newlines removed', () => {
    performRedirect(redirect(' \n https://pay.example/cash\tier?x=1 '));
    expect(left.map((l) => l.url)).to.deep.equal(['https://pay.example/cashier?x=1']);
  });

  it('refuses javascript: and data: targets, however disguised, without navigating', () => {
    for (const url of ['javascript:alert(1)', ' \n java\tscript:alert(1)', 'JAVASCRIPT:alert(1)']) {
      expect(
        codeOf(() => performRedirect(redirect(url))),
        url,
      ).to.equal('unsafe_url_scheme');
    }
    expect(codeOf(() => performRedirect(redirect('data:text/html,<script>alert(1)</script>')))).to.equal(
      'unsafe_url_scheme',
    );
    expect(codeOf(() => performRedirect(redirect('vbscript:msgbox(1)')))).to.equal('unsafe_url_scheme');
    expect(left).to.deep.equal([]);
  });

  it('refuses relative and scheme-relative targets without navigating', () => {
    expect(codeOf(() => performRedirect(redirect('/pay/submit/1')))).to.equal('relative_url');
    expect(codeOf(() => performRedirect(redirect('//evil.example/pay')))).to.equal('relative_url');
    expect(left).to.deep.equal([]);
  });

  it('refuses an empty, oversized or non-string target without navigating', () => {
    expect(codeOf(() => performRedirect(redirect('')))).to.equal('invalid_url');
    expect(codeOf(() => performRedirect(redirect(`https://pay.example/${'a'.repeat(8200)}`)))).to.equal('too_large');
    expect(codeOf(() => performRedirect({ kind: 'redirect', url: 42 as unknown as string }))).to.equal('invalid_url');
    expect(left).to.deep.equal([]);
  });

  it('refuses http: unless insecure targets are allowed', () => {
    expect(codeOf(() => performRedirect(redirect('http://pay.example/'), { allowInsecure: false }))).to.equal(
      'unsafe_url_scheme',
    );
    expect(left).to.deep.equal([]);
    performRedirect(redirect('http://pay.example/'), { allowInsecure: true });
    expect(left.map((l) => l.url)).to.deep.equal(['http://pay.example/']);
  });

  it('stays in this window when it is not framed, even with top: true', () => {
    const alone = {} as { top?: unknown };
    alone.top = alone;
    const win = alone as unknown as Window;
    performRedirect(redirect('https://pay.example/'), { top: true, window: win });
    expect(left).to.deep.equal([{ url: 'https://pay.example/', target: win }]);
  });

  it('navigates the top window from a same-origin frame with top: true', () => {
    const inner = sameOriginFrame();
    performRedirect(redirect('https://pay.example/'), { top: true, window: inner });
    expect(left).to.have.length(1);
    expect(left[0]!.target).to.equal(inner.top);
    expect(left[0]!.target).not.to.equal(inner);
  });

  it('navigates only the frame without top: true', () => {
    const inner = sameOriginFrame();
    performRedirect(redirect('https://pay.example/'), { window: inner });
    expect(left).to.deep.equal([{ url: 'https://pay.example/', target: inner }]);
  });

  it('falls back to the frame when the top window refuses (cross-origin or sandboxed frame)', () => {
    const blockedTop = {
      get location(): Location {
        throw new DOMException('Blocked a frame from navigating its top window.', 'SecurityError');
      },
    };
    const frame = { top: blockedTop, location: {} } as unknown as Window;
    // Stands in for the browser: touching the target's location is where the SecurityError comes from.
    navigation.assign = (url, target) => {
      void target.location;
      left.push({ url, target });
    };
    performRedirect(redirect('https://pay.example/'), { top: true, window: frame });
    expect(left).to.deep.equal([{ url: 'https://pay.example/', target: frame }]);
  });

  it('falls back to the frame with the default navigation too', () => {
    const seen: string[] = [];
    const blockedTop = {
      location: {
        set href(_url: string) {
          throw new DOMException('The frame attempting navigation is sandboxed.', 'SecurityError');
        },
      },
    };
    const frame = {
      top: blockedTop,
      location: {
        set href(url: string) {
          seen.push(url);
        },
      },
    } as unknown as Window;
    Object.assign(navigation, original);
    performRedirect(redirect('https://pay.example/?a=1'), { top: true, window: frame });
    expect(seen).to.deep.equal(['https://pay.example/?a=1']);
  });

  it('lets any other navigation error through, without a second attempt', () => {
    const inner = sameOriginFrame();
    let calls = 0;
    navigation.assign = () => {
      calls += 1;
      throw new TypeError('not a SecurityError');
    };
    expect(() => performRedirect(redirect('https://pay.example/'), { top: true, window: inner })).to.throw(TypeError);
    expect(calls).to.equal(1);
  });
});
