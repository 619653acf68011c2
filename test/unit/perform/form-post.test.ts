import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { FormAction } from '../../../src/core/next-action.js';
import { performFormPost } from '../../../src/perform/form-post.js';
import { navigation } from '../../../src/perform/navigation.js';

/** What left the page with a submitted form, read at submit time. */
interface Submitted {
  form: HTMLFormElement;
  connected: boolean;
  parent: Node | null;
  method: string | null;
  action: string | null;
  acceptCharset: string | null;
  target: string | null;
  fields: { type: string; name: string; value: string }[];
}

// Read through the prototypes: a gateway field named "action" or "elements" shadows the form's own.
const attr = (form: HTMLFormElement, name: string) => Element.prototype.getAttribute.call(form, name);
const inputsOf = (form: HTMLFormElement) =>
  Array.from(Element.prototype.querySelectorAll.call(form, 'input') as NodeListOf<HTMLInputElement>);

function read(form: HTMLFormElement): Submitted {
  return {
    form,
    connected: form.isConnected,
    parent: Object.getOwnPropertyDescriptor(Node.prototype, 'parentNode')!.get!.call(form) as Node | null,
    method: attr(form, 'method'),
    action: attr(form, 'action'),
    acceptCharset: attr(form, 'accept-charset'),
    target: attr(form, 'target'),
    fields: inputsOf(form).map((input) => ({ type: input.type, name: input.name, value: input.value })),
  };
}

const post = (action: string, fields: Record<string, string>): FormAction => ({
  kind: 'form',
  method: 'POST',
  action,
  fields,
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('performFormPost', () => {
  const original = { ...navigation };
  let submitted: Submitted[];
  let assigned: { url: string; target: Window }[];
  const cleanup: Element[] = [];

  beforeEach(() => {
    submitted = [];
    assigned = [];
    navigation.submit = (form) => {
      submitted.push(read(form));
    };
    navigation.assign = (url, target) => {
      assigned.push({ url, target });
    };
  });

  afterEach(() => {
    Object.assign(navigation, original);
    for (const element of cleanup.splice(0)) element.remove();
  });

  it('posts a fresh form with one hidden input per field, in order, and removes it', () => {
    const action = 'https://openapi.alipay.com/gateway.do?charset=UTF-8';
    const fields = {
      biz_content: '{"out_trade_no":"A1001","total_amount":0.10000000000000001,"subject":"Tea"}',
      app_id: '2021000000000000',
      method: 'alipay.trade.page.pay',
      sign_type: 'RSA2',
      sign: 'kT3+/mS0q9Xw==',
    };
    const form = performFormPost(post(action, fields));
    expect(submitted).to.have.length(1);
    const [sent] = submitted;
    expect(sent!.form).to.equal(form);
    expect(sent!.connected).to.equal(true);
    expect(sent!.parent).to.equal(document.body);
    expect(sent!.method).to.equal('post');
    expect(sent!.action).to.equal(action);
    expect(sent!.acceptCharset).to.equal('UTF-8');
    expect(sent!.target).to.equal(null);
    expect(sent!.fields).to.deep.equal(
      Object.entries(fields).map(([name, value]) => ({ type: 'hidden', name, value })),
    );
    expect(form!.isConnected).to.equal(false);
    expect(assigned).to.deep.equal([]);
  });

  it('passes signed values on byte for byte', () => {
    const fields = {
      sign: 'aGVsbG8+d29ybGQ/Pz8=+/=',
      quoted: `it's "quoted" & <b>bold</b> <script>alert(1)</script>`,
      lines: 'line one\nline two\r\nline three\r',
      spaced: '  padded  ',
      unicode: '茶 ☕ \u2028 \u{1F600}',
      entity: '&amp;&lt;',
      empty: '',
    };
    performFormPost(post('https://pay.example/submit', fields));
    const values = submitted[0]!.fields;
    expect(values.map((f) => f.name)).to.deep.equal(Object.keys(fields));
    for (const [i, value] of Object.values(fields).entries()) {
      expect(values[i]!.value, values[i]!.name).to.equal(value);
    }
  });

  it("still works when fields are named like the form's own members", () => {
    const fields = {
      submit: 'ok',
      action: 'x',
      method: 'GET',
      target: '_blank',
      elements: 'e',
      remove: 'r',
      append: 'a',
      acceptCharset: 'latin1',
    };
    const form = performFormPost(post('https://pay.example/submit', fields));
    const [sent] = submitted;
    expect(sent!.action).to.equal('https://pay.example/submit');
    expect(sent!.method).to.equal('post');
    expect(sent!.target).to.equal(null);
    expect(sent!.acceptCharset).to.equal('UTF-8');
    expect(sent!.fields.map((f) => [f.name, f.value])).to.deep.equal(Object.entries(fields));
    expect(form!.isConnected).to.equal(false);
  });

  it('is attached to the container given, inside a shadow root too', () => {
    const host = document.createElement('div');
    document.body.append(host);
    cleanup.push(host);
    const root = host.attachShadow({ mode: 'open' });
    performFormPost(post('https://pay.example/submit', { a: '1' }), { container: root });
    expect(submitted[0]!.parent).to.equal(root);
    expect(submitted[0]!.connected).to.equal(true);
    expect(root.childNodes.length).to.equal(0);
  });

  it('removes the form even when submitting throws', () => {
    navigation.submit = (form) => {
      submitted.push(read(form));
      throw new Error('blocked');
    };
    const before = document.body.childElementCount;
    expect(() => performFormPost(post('https://pay.example/submit', { a: '1' }))).to.throw('blocked');
    expect(submitted).to.have.length(1);
    expect(document.body.childElementCount).to.equal(before);
  });

  it('targets _top from a frame with top: true, and builds the form in that frame', () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    cleanup.push(frame);
    const inner = frame.contentWindow!;
    performFormPost(post('https://pay.example/submit', { a: '1' }), { top: true, window: inner });
    expect(submitted[0]!.target).to.equal('_top');
    expect(submitted[0]!.form.ownerDocument).to.equal(inner.document);
    expect(submitted[0]!.parent).to.equal(inner.document.body);
  });

  it('does not set a target outside a frame or without top: true', () => {
    performFormPost(post('https://pay.example/submit', { a: '1' }), { top: true });
    if (window.top === window) expect(submitted[0]!.target).to.equal(null);
    const frame = document.createElement('iframe');
    document.body.append(frame);
    cleanup.push(frame);
    performFormPost(post('https://pay.example/submit', { a: '1' }), { window: frame.contentWindow! });
    expect(submitted[1]!.target).to.equal(null);
  });

  it('refuses javascript:, data: and relative actions before building anything', () => {
    const before = document.body.childElementCount;
    expect(codeOf(() => performFormPost(post('javascript:alert(1)//', { a: '1' })))).to.equal('unsafe_url_scheme');
    expect(codeOf(() => performFormPost(post(' data:text/html,<h1>x</h1>', { a: '1' })))).to.equal('unsafe_url_scheme');
    expect(codeOf(() => performFormPost(post('submit.php', { a: '1' })))).to.equal('relative_url');
    expect(codeOf(() => performFormPost(post('//evil.example/submit', { a: '1' })))).to.equal('relative_url');
    expect(
      codeOf(() => performFormPost({ kind: 'form', method: 'GET', action: 'javascript:alert(1)', fields: {} })),
    ).to.equal('unsafe_url_scheme');
    expect(submitted).to.deep.equal([]);
    expect(assigned).to.deep.equal([]);
    expect(document.body.childElementCount).to.equal(before);
  });

  it('refuses a field that is not a string and a method that is neither POST nor GET', () => {
    const numeric = { kind: 'form', method: 'POST', action: 'https://pay.example/', fields: { amount: 1 } };
    expect(codeOf(() => performFormPost(numeric as unknown as FormAction))).to.equal('invalid_field');
    const put = { kind: 'form', method: 'PUT', action: 'https://pay.example/', fields: {} };
    expect(codeOf(() => performFormPost(put as unknown as FormAction))).to.equal('invalid_field');
    expect(submitted).to.deep.equal([]);
  });

  it("turns a GET form into a redirect that keeps the action's query", () => {
    const result = performFormPost({
      kind: 'form',
      method: 'GET',
      action: 'https://acs.example/3ds?session=a%2Bb&lang=en',
      fields: { PaReq: 'eJx+/a=', MD: 'order 1001', note: 'a&b=c' },
    });
    expect(result).to.equal(undefined);
    expect(submitted).to.deep.equal([]);
    expect(assigned).to.deep.equal([
      {
        url: 'https://acs.example/3ds?session=a%2Bb&lang=en&PaReq=eJx%2B%2Fa%3D&MD=order+1001&note=a%26b%3Dc',
        target: window,
      },
    ]);
    const sent = new URL(assigned[0]!.url).searchParams;
    expect(sent.get('PaReq')).to.equal('eJx+/a=');
    expect(sent.get('session')).to.equal('a+b');
  });

  it('a GET field named like a query pair replaces it, as the adapters do: never sent twice', () => {
    performFormPost({
      kind: 'form',
      method: 'GET',
      action: 'https://mapi.alipay.com/gateway.do?_input_charset=utf-8&sign=x',
      fields: { _input_charset: 'utf-8', service: 'pay' },
    });
    expect(assigned.map((a) => a.url)).to.deep.equal([
      'https://mapi.alipay.com/gateway.do?sign=x&_input_charset=utf-8&service=pay',
    ]);
  });

  it('puts GET fields before the fragment, and adds a query where there was none', () => {
    performFormPost({ kind: 'form', method: 'GET', action: 'https://pay.example/p?a=1#top', fields: { b: '2' } });
    performFormPost({ kind: 'form', method: 'GET', action: 'https://pay.example/p', fields: { b: '2' } });
    performFormPost({ kind: 'form', method: 'GET', action: 'https://pay.example/p?', fields: { b: '2' } });
    performFormPost({ kind: 'form', method: 'GET', action: 'https://pay.example/p?a=1', fields: {} });
    expect(assigned.map((a) => a.url)).to.deep.equal([
      'https://pay.example/p?a=1&b=2#top',
      'https://pay.example/p?b=2',
      'https://pay.example/p?b=2',
      'https://pay.example/p?a=1',
    ]);
  });

  it('sends a GET form from a frame to the top window with top: true', () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    cleanup.push(frame);
    const inner = frame.contentWindow!;
    performFormPost(
      { kind: 'form', method: 'GET', action: 'https://pay.example/p', fields: { b: '2' } },
      { top: true, window: inner },
    );
    expect(assigned).to.deep.equal([{ url: 'https://pay.example/p?b=2', target: inner.top }]);
  });
});
