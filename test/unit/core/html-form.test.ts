import { expect } from '@open-wc/testing';
import {
  parseAutoSubmitForm,
  parseInert,
  readMetaRefresh,
  readSingleImage,
  readSingleScript,
} from '../../../src/core/html-form.js';
import { ALIPAY_PAGE_PAY_FORM, COD_SUCCESS_PAGE, WECHAT_QR_IMG } from '../gateways/fixtures/careyshop.js';
import { expectRefused } from '../gateways/helpers.js';

const ACTION = 'https://openapi.alipay.com/gateway.do?charset=UTF-8';
const SUBMIT = "<input type='submit' value='ok' style='display:none;''>";
const SCRIPT = "<script>document.forms['alipaysubmit'].submit();</script>";

/** A small Alipay-SDK-shaped body; `inputs` and `after` are spliced in for each case. */
function form(
  inputs: string,
  { open = `<form id='alipaysubmit' name='alipaysubmit' action='${ACTION}' method='POST'>`, after = SCRIPT } = {},
) {
  return `${open}${inputs}${SUBMIT}</form>${after}`;
}

const APP_ID = "<input type='hidden' name='app_id' value='2017062407558727'/>";

function probeUrl(): string {
  return new URL(`../../../package.json?probe=${Math.random()}`, import.meta.url).href;
}

/** Resource Timing records every fetch the page makes once it completes, 404s included. */
const fetched = (url: string): boolean => performance.getEntriesByName(url).length > 0;

/** Waits until `url` was fetched, for at most `ms`; a loaded machine can take a while. */
async function fetchedWithin(url: string, ms: number): Promise<boolean> {
  for (const start = performance.now(); performance.now() - start < ms; ) {
    if (fetched(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return fetched(url);
}

const MODULE = new URL('../../../src/core/html-form.ts', import.meta.url).href;

/** A frame running `srcdoc` (a page with its own policy); `answer` is the first message it posts. */
function probe(srcdoc: string): { frame: HTMLIFrameElement; answer: Promise<unknown> } {
  const frame = document.createElement('iframe');
  const answer = new Promise<unknown>((resolve) => {
    window.addEventListener('message', function listen(event) {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', listen);
      resolve(event.data);
    });
  });
  frame.srcdoc = srcdoc;
  document.body.append(frame);
  return { frame, answer };
}

describe('html-form', () => {
  describe('parseInert', () => {
    it('runs no script, fires no handler and loads no image', async () => {
      const state = window as unknown as { cashdeskRan?: boolean };
      state.cashdeskRan = false;
      // An existing file, so a fetch would succeed and be recorded (and log no 404).
      const image = probeUrl();
      const doc = parseInert(
        `<script>window.cashdeskRan = true</script><img src="${image}" onerror="window.cashdeskRan = true">`,
      );
      expect(doc.querySelector('img')?.getAttribute('src')).to.equal(image);
      // The probe works: the same kind of URL, given to the page itself after the inert one, is
      // fetched; by then a fetch of the inert image would have completed too.
      const control = probeUrl();
      new Image().src = control;
      expect(await fetchedWithin(control, 5000)).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fetched(image)).to.equal(false);
      expect(state.cashdeskRan).to.equal(false);
    });

    it("works on a page that enforces require-trusted-types-for 'script'", async () => {
      // The probe page's policy allows Lit's Trusted Types policy and cashdesk's own, nothing else.
      const { frame, answer } =
        probe(`<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types lit-html cashdesk">
<script type="module">
let raw = 'accepted';
try { new DOMParser().parseFromString('<p>x</p>', 'text/html'); } catch (error) { raw = error.name; }
const { parseInert } = await import(${JSON.stringify(MODULE)});
const inert = parseInert('<p>x</p>').querySelector('p')?.textContent;
const again = parseInert('<b>y</b>').querySelector('b')?.textContent;
parent.postMessage({ raw, inert, again }, '*');
</script>`);
      try {
        // `raw` proves the frame enforces Trusted Types; parseInert still works there, twice.
        expect(await answer).to.deep.equal({ raw: 'TypeError', inert: 'x', again: 'y' });
      } finally {
        frame.remove();
      }
    });

    it("reads the Alipay SDK form's style attribute without a style-src-attr violation under a strict CSP", async () => {
      // As a JS string inside the probe's own <script>: its `</script>` must not end that script.
      const body = JSON.stringify(form(APP_ID)).replaceAll('</', '<\\/');
      const { frame, answer } = probe(`<meta http-equiv="Content-Security-Policy" content="style-src 'self'">
<script type="module">
const seen = [];
document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
new DOMParser().parseFromString(${body}, 'text/html');
await settle();
const raw = seen.splice(0);
const { parseAutoSubmitForm } = await import(${JSON.stringify(MODULE)});
const fields = parseAutoSubmitForm(${body}).fields;
await settle();
parent.postMessage({ raw, ours: seen, fields }, '*');
</script>`);
      try {
        // Chromium reports a style attribute parsed by a plain DOMParser (`raw` proves the frame's
        // policy is on there); WebKit and Firefox do not. Ours parses the same body silently everywhere.
        const { raw, ...ours } = (await answer) as { raw: string[] };
        expect(ours).to.deep.equal({ ours: [], fields: { app_id: '2017062407558727' } });
        if (/Chrome\//.test(navigator.userAgent)) expect(raw).to.deep.equal(['style-src-attr']);
      } finally {
        frame.remove();
      }
    });

    it('gives back every "style" in names, values and script text exactly as written', () => {
      const field = "<input type='hidden' name='Style_Name' value='{&quot;style&quot;:&quot;STYLE sTyLe&quot;}'/>";
      const parsed = parseAutoSubmitForm(form(field));
      expect(parsed.fields).to.deep.equal({ Style_Name: '{"style":"STYLE sTyLe"}' });
      expect(readSingleScript(parseInert('<script>var style = 1;</script>'))).to.equal('var style = 1;');
      expectRefused(
        () => parseAutoSubmitForm(form("<input type='hidden' name='a' value='x\uFDD0y'/>")),
        'unexpected_markup',
      );
      expectRefused(() => parseAutoSubmitForm(form('', { after: `${SCRIPT}<style>p{}</style>` })), 'unexpected_markup');
      expectRefused(() => parseAutoSubmitForm(form(APP_ID.replace('/>', " style='x'/>"))), 'unexpected_markup');
    });

    it('refuses HTML over 256 KiB with too_large', () => {
      expectRefused(() => parseInert(`<p>${'a'.repeat(256 * 1024)}</p>`), 'too_large');
    });
  });

  describe('parseAutoSubmitForm', () => {
    it('reads the genuine Alipay SDK form: every field in order, entities decoded, the junk attribute skipped', () => {
      const parsed = parseAutoSubmitForm(ALIPAY_PAGE_PAY_FORM);
      expect(parsed.action).to.equal(ACTION);
      expect(parsed.method).to.equal('POST');
      expect(parsed.name).to.equal('alipaysubmit');
      expect(Object.keys(parsed.fields)).to.deep.equal([
        'biz_content',
        'app_id',
        'version',
        'format',
        'sign_type',
        'method',
        'timestamp',
        'alipay_sdk',
        'notify_url',
        'return_url',
        'charset',
        'sign',
      ]);
      // `&apos;` decoded; `"`, `<` and `&` exactly as the source had them.
      expect(parsed.fields.biz_content).to.equal(
        String.raw`{"product_code":"FAST_INSTANT_TRADE_PAY","body":"Carey's \"VIP\" <gift> & card","subject":"账号充值","total_amount":0.01,"out_trade_no":"ZF_I6049447479650480001"}`,
      );
      expect(parsed.fields.timestamp).to.equal('2020-08-03 14:41:14');
      expect(parsed.fields.sign?.slice(0, 24)).to.equal('H7gLlu6KJofEisd7hkoQz/7l');
    });

    it('decodes character references the way the HTML parser does', () => {
      const parsed = parseAutoSubmitForm(
        form("<input type='hidden' name='a' value='x &amp; y &lt;z&gt; &#39;q&#x27; &notify=1 &copy 100%'/>"),
      );
      // `&notify=` stays raw in an attribute (legacy rule); `&copy ` is decoded.
      expect(parsed.fields).to.deep.equal({ a: "x & y <z> 'q' &notify=1 © 100%" });
    });

    it('returns the action raw: checking it is the caller’s job', () => {
      const parsed = parseAutoSubmitForm(
        form(APP_ID, {
          open: "<form name='f' action=' javascript:alert(1)' method='post'>",
          after: "<script>document.forms['f'].submit();</script>",
        }),
      );
      expect(parsed).to.deep.equal({
        action: ' javascript:alert(1)',
        method: 'POST',
        fields: { app_id: '2017062407558727' },
        name: 'f',
      });
    });

    it('defaults the method to GET, names the form by id, and needs no script', () => {
      const parsed = parseAutoSubmitForm(form(APP_ID, { open: `<form id='pay' action='${ACTION}'>`, after: '' }));
      expect(parsed).to.deep.equal({
        action: ACTION,
        method: 'GET',
        fields: { app_id: '2017062407558727' },
        name: 'pay',
      });
      expect(
        parseAutoSubmitForm(
          form(APP_ID, {
            open: `<form id='pay' action='${ACTION}' method='get'>`,
            after: "<script>document.forms['pay'].submit();</script>",
          }),
        ).method,
      ).to.equal('GET');
    });

    it('keeps a field named __proto__ as a field', () => {
      const parsed = parseAutoSubmitForm(form("<input type='hidden' name='__proto__' value='x'/>"));
      expect(Object.keys(parsed.fields)).to.deep.equal(['__proto__']);
      expect(Object.getOwnPropertyDescriptor(parsed.fields, '__proto__')?.value).to.equal('x');
    });

    const hostile: [string, string, 'unexpected_markup' | 'too_large'][] = [
      ['a second <script>', form(APP_ID, { after: SCRIPT + SCRIPT }), 'unexpected_markup'],
      [
        'a script that does something else',
        form(APP_ID, { after: '<script>fetch("//evil.example")</script>' }),
        'unexpected_markup',
      ],
      [
        'a script that submits another form',
        form(APP_ID, { after: "<script>document.forms['other'].submit();</script>" }),
        'unexpected_markup',
      ],
      [
        'the submit call with extra statements',
        form(APP_ID, { after: "<script>document.forms['alipaysubmit'].submit();alert(1)</script>" }),
        'unexpected_markup',
      ],
      [
        'a script with a src',
        form(APP_ID, { after: "<script src='https://evil.example/x.js'></script>" }),
        'unexpected_markup',
      ],
      ['an <img onerror>', form(APP_ID, { after: `<img src=x onerror="alert(1)">${SCRIPT}` }), 'unexpected_markup'],
      [
        'an on* attribute on a hidden input',
        form("<input type='hidden' name='a' value='1' onfocus='alert(1)'/>"),
        'unexpected_markup',
      ],
      [
        'an on* attribute on the submit button',
        form(APP_ID).replace("value='ok'", "value='ok' onclick='alert(1)'"),
        'unexpected_markup',
      ],
      [
        'an on* attribute on the form',
        form(APP_ID, { open: `<form name='alipaysubmit' action='${ACTION}' method='POST' onsubmit='alert(1)'>` }),
        'unexpected_markup',
      ],
      ['an on* attribute on a second <body> tag', `<body onload="alert(1)">${form(APP_ID)}`, 'unexpected_markup'],
      ['the junk attribute on a hidden input', form("<input type='hidden' name='a' value='1''/>"), 'unexpected_markup'],
      [
        'a target on the form',
        form(APP_ID, { open: `<form name='alipaysubmit' action='${ACTION}' method='POST' target='_blank'>` }),
        'unexpected_markup',
      ],
      ['a named submit button', form(APP_ID).replace("type='submit'", "type='submit' name='go'"), 'unexpected_markup'],
      ['two submit buttons', form(APP_ID + SUBMIT), 'unexpected_markup'],
      ['a text input', form("<input name='a' value='1'/>"), 'unexpected_markup'],
      ['a hidden input without a name', form("<input type='hidden' value='1'/>"), 'unexpected_markup'],
      ['a hidden input repeated', form(APP_ID + APP_ID), 'unexpected_markup'],
      ['a hidden input outside the form', form(APP_ID, { after: APP_ID + SCRIPT }), 'unexpected_markup'],
      ['two <form>s', form(APP_ID) + form(APP_ID, { after: '' }), 'unexpected_markup'],
      [
        'a <form> nested in the form (dropped by the parser)',
        form(`<form action='https://evil.example/'>${APP_ID}`),
        'unexpected_markup',
      ],
      ['no <form> at all', SCRIPT, 'unexpected_markup'],
      [
        'a form without an action',
        form(APP_ID, { open: "<form name='alipaysubmit' method='POST'>" }),
        'unexpected_markup',
      ],
      [
        'a form with the dialog method',
        form(APP_ID, { open: `<form name='alipaysubmit' action='${ACTION}' method='dialog'>` }),
        'unexpected_markup',
      ],
      ['a <base>', `<base href="https://evil.example/">${form(APP_ID)}`, 'unexpected_markup'],
      [
        'an <iframe>',
        form(APP_ID, { after: `<iframe src="https://evil.example/"></iframe>${SCRIPT}` }),
        'unexpected_markup',
      ],
      ['an SVG <script>', form(APP_ID, { after: '<svg><script>alert(1)</script></svg>' }), 'unexpected_markup'],
      [
        'a <template>',
        form(APP_ID, { after: `<template><img src=x onerror=alert(1)></template>${SCRIPT}` }),
        'unexpected_markup',
      ],
      ['text outside the form', form(APP_ID, { after: `Redirecting…${SCRIPT}` }), 'unexpected_markup'],
      ['a comment', form(APP_ID, { after: `<!-- x -->${SCRIPT}` }), 'unexpected_markup'],
      ['a body over 256 KiB', form(`<input type='hidden' name='a' value='${'a'.repeat(256 * 1024)}'/>`), 'too_large'],
    ];
    for (const [name, html, code] of hostile) {
      it(`refuses ${name}`, () => {
        expectRefused(() => parseAutoSubmitForm(html), code);
      });
    }
  });

  describe('readMetaRefresh', () => {
    it('reads the target of a refresh page, unencoded as written', () => {
      expect(readMetaRefresh(parseInert(COD_SUCCESS_PAGE))).to.equal(
        'https://shop.example.com/payment/success?info=支付结算完成&payment_no=ZF_I6049447479650480001',
      );
    });

    it('reads quoted and spaced targets as the HTML refresh parser does', () => {
      const page = (content: string) => parseInert(`<meta http-equiv="Refresh" content="${content}">`);
      expect(readMetaRefresh(page("0;URL='https://a.example/x'"))).to.equal('https://a.example/x');
      expect(readMetaRefresh(page('5 , url = https://a.example/y'))).to.equal('https://a.example/y');
    });

    for (const [name, html] of [
      ['a refresh without url=', '<meta http-equiv="refresh" content="0">'],
      ['a meta that is not a refresh', '<meta http-equiv="content-type" content="0; url=https://a.example/">'],
      [
        'two refreshes',
        '<meta http-equiv="refresh" content="0; url=https://a.example/"><meta http-equiv="refresh" content="0; url=https://b.example/">',
      ],
      ['a title with text', '<meta http-equiv="refresh" content="0; url=https://a.example/"><title>Pay</title>'],
      [
        'a script beside the refresh',
        '<meta http-equiv="refresh" content="0; url=https://a.example/"><script>alert(1)</script>',
      ],
      [
        'an on* attribute on the meta',
        '<meta http-equiv="refresh" content="0; url=https://a.example/" onload="alert(1)">',
      ],
    ]) {
      it(`refuses ${name}`, () => {
        expectRefused(() => readMetaRefresh(parseInert(html as string)), 'unexpected_markup');
      });
    }
  });

  describe('readSingleImage', () => {
    it('reads the src of a lone <img>', () => {
      expect(readSingleImage(parseInert(WECHAT_QR_IMG))).to.equal(
        'https://careyshop.oruei.com/api/v1/qrcode/method/get.qrcode.item.html?text=weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3DXq8nQ3Lzz',
      );
    });

    for (const [name, html] of [
      ['an <img onerror>', '<img src="https://a.example/q.png" onerror="alert(1)"/>'],
      ['another attribute', '<img src="https://a.example/q.png" srcset="https://evil.example/ 2x"/>'],
      ['two images', '<img src="https://a.example/1.png"/><img src="https://a.example/2.png"/>'],
      ['an image without a src', '<img/>'],
      ['text beside the image', '<img src="https://a.example/q.png"/> scan me'],
    ]) {
      it(`refuses ${name}`, () => {
        expectRefused(() => readSingleImage(parseInert(html as string)), 'unexpected_markup');
      });
    }
  });

  describe('readSingleScript', () => {
    it('returns the text of a lone script with exactly the given attributes, never running it', () => {
      const doc = parseInert('\t<script type="text/javascript">\n\tcallpay();\n\t</script>');
      expect(readSingleScript(doc, { type: 'text/javascript' })).to.equal('\n\tcallpay();\n\t');
    });

    for (const [name, html] of [
      ['a script without the type', '<script>callpay();</script>'],
      ['a script of another type', '<script type="module">callpay();</script>'],
      ['a script with a src', '<script type="text/javascript" src="https://evil.example/x.js"></script>'],
      ['two scripts', '<script type="text/javascript">a()</script><script type="text/javascript">b()</script>'],
      ['a script beside an <img>', '<script type="text/javascript">a()</script><img src="x">'],
    ]) {
      it(`refuses ${name}`, () => {
        expectRefused(
          () => readSingleScript(parseInert(html as string), { type: 'text/javascript' }),
          'unexpected_markup',
        );
      });
    }
  });
});
