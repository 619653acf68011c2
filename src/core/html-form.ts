/**
 * Inert reading of the HTML some gateways answer with (CareyShop web payments, the epay `html`
 * field). The markup is parsed into a document without a browsing context, checked against the one
 * template it is supposed to follow, and only then read as data. None of it ever enters the page
 * and none of its scripts runs; the caller rebuilds the action from the data.
 */
import { CheckoutError } from './errors.js';
import type { FormMethod } from './next-action.js';
import { MAX_BODY_BYTES } from './validate.js';

export interface ParsedForm {
  action: string;
  method: FormMethod;
  fields: Record<string, string>;
  name?: string;
}

/** Tag name → the attributes it may carry; a tag that is not listed is refused. */
type Template = Readonly<Record<string, readonly string[]>>;

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const DOCUMENT_TAGS: Template = { html: [], head: [], body: [] };
const ASCII_WHITESPACE = /^[\t\n\f\r ]*$/;
// The parser drops a `<form>` start tag met inside an open form without leaving a trace in the
// tree, so a nested second form can only be seen in the source.
const FORM_START_TAG = /<form[\t\n\f\r />]/gi;
const SUBMIT_SCRIPT = /^document\.forms\['([^'\\]+)'\]\.submit\(\);$/;
// The genuine Alipay SDK submit button is `<input type='submit' value='ok' style='display:none;''>`:
// the stray quote becomes an attribute literally named `'`, tolerated on that button only.
const SUBMIT_BUTTON_ATTRIBUTES = ['type', 'value', 'style', "'"] as const;
const HIDDEN_INPUT_ATTRIBUTES = ['type', 'name', 'value'] as const;
const FORM_TEMPLATE: Template = { ...DOCUMENT_TAGS, form: ['id', 'name', 'action', 'method'], script: [] };

const encoder = /* @__PURE__ */ new TextEncoder();

function refuse(explanation: string): never {
  throw new CheckoutError('unexpected_markup', explanation);
}

/** The slice of the Trusted Types API used here; TypeScript's DOM library does not declare it. */
interface HtmlPolicyFactory {
  createPolicy(name: string, rules: { createHTML(input: string): string }): { createHTML(input: string): unknown };
}
let htmlPolicy: { createHTML(input: string): unknown } | undefined;

/**
 * `DOMParser.parseFromString` is a Trusted Types sink: on a page with
 * `require-trusted-types-for 'script'` it only takes TrustedHTML. The `cashdesk` policy passes the
 * text through unchanged, which is sound only because the result is an inert document that is read,
 * never inserted; keep it private to this module for that reason.
 */
function inertHtml(html: string): string {
  const factory = (globalThis as { trustedTypes?: HtmlPolicyFactory }).trustedTypes;
  if (factory === undefined) return html;
  try {
    htmlPolicy ??= factory.createPolicy('cashdesk', { createHTML: (input) => input });
  } catch (cause) {
    // A second copy of cashdesk on a page that enforces Trusted Types finds the name taken. The
    // policy is never shared through a global: a pass-through policy any script could reach would
    // undo the page's protection. The merchant's CSP can allow it: `trusted-types cashdesk 'allow-duplicates'`.
    throw new CheckoutError('unsupported_environment', 'the cashdesk Trusted Types policy cannot be created', {
      cause,
    });
  }
  // A TrustedHTML object: DOMParser accepts it where the DOM typings only say string.
  return htmlPolicy.createHTML(html) as string;
}

/**
 * An inert document still applies a `style` attribute as it parses, and a page whose CSP has no
 * `'unsafe-inline'` for styles reports a `style-src-attr` violation for it (the genuine Alipay SDK
 * form carries `style='display:none;'`). So, before parsing, every "style" in the text, in any case,
 * is split by a noncharacter that no gateway markup contains: the parser then meets no attribute
 * (and no element) named style, since it neither drops characters from names nor decodes
 * character references in them. Everything read back goes through `unmark`, so names and values
 * come out exactly as the gateway wrote them.
 */
const MARK = '\uFDD0';
const STYLE_WORD = /(s)(?=tyle)/gi;
const MARKED = /\uFDD0/g;

function unmark(text: string): string {
  return text.replace(MARKED, '');
}

/** An attribute as the gateway wrote it. */
function attr(element: Element, name: string): string | null {
  const value = element.getAttribute(name);
  return value === null ? null : unmark(value);
}

const nameOf = (element: Element) => unmark(element.localName);
const textOf = (node: Node) => unmark(node.textContent ?? '');

/** Parses gateway HTML inertly (DOMParser 'text/html': no script runs, no image loads, nothing enters the page). */
export function parseInert(html: string): Document {
  if (html.length > MAX_BODY_BYTES || encoder.encode(html).length > MAX_BODY_BYTES) {
    throw new CheckoutError('too_large', `the HTML is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (html.includes(MARK)) refuse('the markup contains the noncharacter U+FDD0');
  return new DOMParser().parseFromString(inertHtml(html.replace(STYLE_WORD, `$1${MARK}`)), 'text/html');
}

function checkElement(element: Element, allowed: readonly string[] | undefined): void {
  const tag = `<${nameOf(element)}>`;
  if (element.namespaceURI !== HTML_NAMESPACE || allowed === undefined) {
    refuse(`${tag} is not part of the expected markup`);
  }
  for (const attribute of element.attributes) {
    const name = unmark(attribute.name);
    // Checked before the allow-list so the log names the real problem.
    if (name.toLowerCase().startsWith('on')) refuse(`${tag} carries the event handler ${name}`);
    if (!allowed.includes(name)) refuse(`${tag} carries the unexpected attribute ${name}`);
  }
}

/**
 * Walks every node: elements must be in the template with only its attributes (never an `on*`
 * handler), text outside `<script>` must be whitespace, and comments, doctypes and the like are
 * refused. `attributesOf` may narrow an element's attributes beyond the template (input types).
 */
function checkTemplate(
  doc: Document,
  template: Template,
  attributesOf: (element: Element) => readonly string[] | undefined = (element) => template[nameOf(element)],
): void {
  const walker = doc.createTreeWalker(doc, NodeFilter.SHOW_ALL);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      const element = node as Element;
      checkElement(element, attributesOf(element));
    } else if (node.nodeType === Node.TEXT_NODE) {
      const inScript = node.parentElement?.localName === 'script';
      if (!inScript && !ASCII_WHITESPACE.test((node as Text).data)) refuse('the markup contains text');
    } else {
      refuse(`the markup contains a ${node.nodeName} node`);
    }
  }
}

function only<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K): HTMLElementTagNameMap[K] {
  const found = doc.getElementsByTagName(tag);
  if (found.length !== 1) refuse(`expected exactly one <${tag}>, found ${found.length}`);
  return found[0] as HTMLElementTagNameMap[K];
}

function inputAttributes(input: Element): readonly string[] | undefined {
  const type = attr(input, 'type')?.toLowerCase();
  if (type === 'hidden') return HIDDEN_INPUT_ATTRIBUTES;
  if (type === 'submit') return SUBMIT_BUTTON_ATTRIBUTES;
  refuse(`<input type=${type ?? '(none)'}> is not part of the expected markup`);
}

function formMethod(raw: string | null): FormMethod {
  // HTML's default; anything but get/post (even the valid `dialog`) is not a gateway template.
  // Regexes with `i` fold ASCII only, as HTML keyword matching does (`poſt` is not `post`).
  if (raw === null || /^get$/i.test(raw)) return 'GET';
  if (/^post$/i.test(raw)) return 'POST';
  refuse(`the form method ${raw} is not GET or POST`);
}

function readFields(doc: Document, form: HTMLFormElement): Record<string, string> {
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  let submitButtons = 0;
  for (const input of doc.getElementsByTagName('input')) {
    if (input.parentElement !== form) refuse('an <input> sits outside the form');
    if (attr(input, 'type')?.toLowerCase() === 'submit') {
      if (++submitButtons > 1) refuse('the form has more than one submit button');
      continue;
    }
    const name = attr(input, 'name');
    if (name === null || name === '') refuse('a hidden input has no name');
    // A repeated name would be sent twice by the real form but once by the rebuilt one.
    if (seen.has(name)) refuse(`the hidden input ${name} appears twice`);
    seen.add(name);
    entries.push([name, attr(input, 'value') ?? '']);
  }
  // fromEntries defines own properties, so a field named `__proto__` stays a field.
  return Object.fromEntries(entries);
}

function checkSubmitScript(doc: Document, formNames: readonly string[]): void {
  const scripts = doc.getElementsByTagName('script');
  if (scripts.length > 1) refuse(`expected at most one <script>, found ${scripts.length}`);
  const script = scripts[0];
  if (script === undefined) return;
  const target = SUBMIT_SCRIPT.exec(textOf(script).trim())?.[1];
  if (target === undefined || !formNames.includes(target)) refuse('the <script> is not the form auto-submit call');
}

/**
 * The one auto-submitting form of a gateway body, or CheckoutError('unexpected_markup').
 * `action` is the raw attribute value, NOT yet URL-checked (callers run checkWebUrl).
 */
export function parseAutoSubmitForm(html: string): ParsedForm {
  if ((html.match(FORM_START_TAG) ?? []).length > 1) refuse('the markup contains more than one <form>');
  const doc = parseInert(html);
  checkTemplate(doc, FORM_TEMPLATE, (element) =>
    element.localName === 'input' ? inputAttributes(element) : FORM_TEMPLATE[nameOf(element)],
  );
  const form = only(doc, 'form');
  const action = attr(form, 'action');
  if (action === null) refuse('the form has no action');
  const method = formMethod(attr(form, 'method'));
  const fields = readFields(doc, form);
  const names = [attr(form, 'name'), attr(form, 'id')].filter((name): name is string => !!name);
  checkSubmitScript(doc, names);
  const name = names[0];
  return name === undefined ? { action, method, fields } : { action, method, fields, name };
}

const REFRESH_TEMPLATE: Template = { ...DOCUMENT_TAGS, meta: ['http-equiv', 'content'], title: [] };
// `<delay>; url=<target>` as the HTML refresh parser reads it, with the `url=` part required: a
// refresh without a target reloads the gateway's own page, which means nothing here.
const REFRESH_CONTENT = /^[\t\n\f\r ]*\d+(?:\.[\d.]*)?[\t\n\f\r ]*[;,][\t\n\f\r ]*url[\t\n\f\r ]*=[\t\n\f\r ]*(.*)$/is;

/**
 * The target of a page that is nothing but `<meta http-equiv="refresh" content="0; url=…">` (and an
 * optional empty `<title>`), exactly as the browser would read it; NOT yet URL-checked.
 */
export function readMetaRefresh(doc: Document): string {
  checkTemplate(doc, REFRESH_TEMPLATE);
  const meta = only(doc, 'meta');
  if (doc.getElementsByTagName('title').length > 1) refuse('the page has more than one <title>');
  if (attr(meta, 'http-equiv')?.toLowerCase() !== 'refresh') refuse('the <meta> is not a refresh');
  const target = REFRESH_CONTENT.exec(attr(meta, 'content') ?? '')?.[1];
  if (target === undefined) refuse('the refresh has no url=');
  const quote = target[0];
  if (quote !== '"' && quote !== "'") return target;
  // A quoted target ends at the matching quote, as in the HTML refresh parser.
  const end = target.indexOf(quote, 1);
  return target.slice(1, end === -1 ? undefined : end);
}

const IMAGE_TEMPLATE: Template = { ...DOCUMENT_TAGS, img: ['src'] };

/** The `src` of a body that is nothing but one `<img src="…">`; the image is never loaded. */
export function readSingleImage(doc: Document): string {
  checkTemplate(doc, IMAGE_TEMPLATE);
  const src = attr(only(doc, 'img'), 'src');
  if (src === null || src === '') refuse('the <img> has no src');
  return src;
}

/**
 * The text of a body that is nothing but one `<script>` carrying exactly `attributes`. The text is
 * returned for the caller to match against its template; it is never run.
 */
export function readSingleScript(doc: Document, attributes: Readonly<Record<string, string>> = {}): string {
  checkTemplate(doc, { ...DOCUMENT_TAGS, script: Object.keys(attributes) });
  const script = only(doc, 'script');
  for (const [name, value] of Object.entries(attributes)) {
    if (attr(script, name) !== value) refuse(`the <script> ${name} is not ${value}`);
  }
  return textOf(script);
}
