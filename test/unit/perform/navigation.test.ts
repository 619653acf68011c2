import { expect } from '@open-wc/testing';
import { framedTop, isSecurityError, navigation } from '../../../src/perform/navigation.js';

function addFrame(name?: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  if (name !== undefined) frame.name = name;
  document.body.append(frame);
  return frame;
}

describe('navigation', () => {
  const frames: HTMLIFrameElement[] = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  it('submits a form whose field named "submit" shadows form.submit, even if removed at once', async () => {
    const frame = addFrame('cashdesk-nav-target');
    frames.push(frame);
    const form = document.createElement('form');
    form.method = 'get';
    form.action = 'about:blank';
    form.target = 'cashdesk-nav-target';
    const field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'submit';
    field.value = 'go';
    form.append(field);
    document.body.append(form);
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    expect(form.submit).to.equal(field);
    try {
      navigation.submit(form);
    } finally {
      // performFormPost removes its form right after submitting: the navigation must survive that.
      form.remove();
    }
    await loaded;
    expect(frame.contentWindow!.location.href).to.equal('about:blank?submit=go');
  });

  it('navigates another window through the href setter, which works across origins', () => {
    const seen: string[] = [];
    const other = {
      location: {
        set href(url: string) {
          seen.push(`href ${url}`);
        },
        assign(url: string) {
          // A cross-origin Location has no assign(): calling it is a SecurityError.
          seen.push(`assign ${url}`);
          throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
        },
      },
    } as unknown as Window;
    navigation.assign('https://pay.example/cashier', other);
    expect(seen).to.deep.equal(['href https://pay.example/cashier']);
  });

  it('navigates a same-origin frame for real', () => {
    const frame = addFrame();
    frames.push(frame);
    navigation.assign('about:blank#paid', frame.contentWindow!);
    expect(frame.contentWindow!.location.hash).to.equal('#paid');
  });

  it('finds the top window of a frame, and none for a top window or an unreachable top', () => {
    const frame = addFrame();
    frames.push(frame);
    const inner = frame.contentWindow!;
    expect(framedTop(inner)).to.equal(inner.top);
    const alone = {} as { top?: unknown };
    alone.top = alone;
    expect(framedTop(alone as unknown as Window)).to.equal(undefined);
    const unreachable = {
      get top(): Window {
        throw new DOMException('no', 'SecurityError');
      },
    } as unknown as Window;
    expect(framedTop(unreachable)).to.equal(undefined);
  });

  it('recognises a SecurityError from any realm by name', () => {
    expect(isSecurityError(new DOMException('x', 'SecurityError'))).to.equal(true);
    expect(isSecurityError({ name: 'SecurityError' })).to.equal(true);
    expect(isSecurityError(new TypeError('x'))).to.equal(false);
    expect(isSecurityError(null)).to.equal(false);
  });
});
