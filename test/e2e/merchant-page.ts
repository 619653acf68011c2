/**
 * What the e2e specs share to classify answers as a merchant's page does: a plain page with the
 * script-tag build (`dist/cashdesk.iife.js`), served by `page.route` without a server, on which
 * `window.Cashdesk.toAction` runs; and the merchant backend's calls as the widget makes them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type Page } from '@playwright/test';

const bundle = readFileSync(new URL('../../dist/cashdesk.iife.js', import.meta.url), 'utf8');

/** The merchant's own origin, which no server answers: only the routes below do. */
export const MERCHANT = 'http://merchant.test';
/** The preview server (playwright.config.ts), the sandbox's origin and the base of its return URLs. */
export const SHOP = `http://127.0.0.1:${process.env.E2E_PORT ?? 4179}`;
/** The options the sandbox specs classify with: the preview server's host, over plain http. */
const SANDBOX = { allowedHosts: ['127.0.0.1'], allowInsecure: true };

export type ClientType = 'pc' | 'mobile' | 'wechat' | 'alipay' | 'qq';
/** An action as `toAction` returns it, or `{ error: code }` where it threw. */
export type Action = Record<string, unknown> & { kind?: string; error?: string };

export interface MerchantPage {
  /** Where the page is served; the default is {@link MERCHANT}. */
  origin?: string;
  /** The page's path, ending in `/`; the bundle is served beside it. Everything else below it is a 404. */
  path?: string;
  /** Abort every request that leaves `origin`, so that none can go unnoticed. */
  isolated?: boolean;
}

/** The page each `Page` was last opened on, for `classify` to come back to. */
const opened = new WeakMap<Page, string>();

/** Routes and opens the plain merchant page with the bundle; returns every URL the page requests from now on. */
export async function openMerchant(page: Page, options: MerchantPage = {}): Promise<string[]> {
  const { origin = MERCHANT, path = '/', isolated = false } = options;
  const home = `${origin}${path}`;
  const script = `${path}cashdesk.iife.js`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<script src="${script}"></script></head><body><main id="shop"><h1>Shop</h1></main></body></html>`;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.route(`${home}**`, (route) => {
    const at = new URL(route.request().url()).pathname;
    if (at === script) return route.fulfill({ body: bundle, contentType: 'text/javascript' });
    if (at === path) return route.fulfill({ body: html, contentType: 'text/html' });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  // Anything else (a gateway image, a redirect target) must never be requested: fail it loudly.
  if (isolated)
    await page.route(
      (url) => !url.href.startsWith(`${origin}/`),
      (route) => route.abort('blockedbyclient'),
    );
  opened.set(page, home);
  await page.goto(home);
  return requests;
}

/**
 * `Cashdesk.toAction(gateway, body, options)` on the merchant page: the action, or `{ error: code }`
 * where it threw. After a walk through the gateway's pages, it first comes back to that page.
 */
export async function classify<T = Action>(page: Page, gateway: string, body: unknown, options?: object): Promise<T> {
  const home = opened.get(page);
  if (home !== undefined && page.url() !== home) await page.goto(home);
  const action = await page.evaluate(
    ([g, b, o]) => {
      const { toAction, isCheckoutError } = (
        window as unknown as {
          Cashdesk: {
            toAction: (g: string, r: unknown, o?: object) => Record<string, unknown>;
            isCheckoutError: (e: unknown) => e is { code: string };
          };
        }
      ).Cashdesk;
      try {
        return toAction(g, b, o);
      } catch (error) {
        return { error: isCheckoutError(error) ? error.code : String(error) };
      }
    },
    [gateway, body, options] as const,
  );
  return action as T;
}

/** A new order on the merchant backend, to be paid through `gateway`'s sandbox `scenario`. */
export async function newOrder(
  request: APIRequestContext,
  gateway: string,
  scenario: string,
  amount = 9900,
): Promise<string> {
  const response = await request.post('/api/orders', { data: { gateway, scenario, amount, currency: 'CNY' } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

export interface PayCall {
  orderId: string;
  method: string;
  client: { type: ClientType; os: string; inApp: string | null };
  returnUrl: string;
  /** A fresh one by default. */
  idempotencyKey?: string | undefined;
  /** More request headers (a shopper's User-Agent). */
  headers?: Record<string, string>;
}

export interface Answer {
  gateway: string;
  response: unknown;
}

/** The create call exactly as the widget makes it: the idempotency key both as a header and in the body. */
export async function createPayment(request: APIRequestContext, call: PayCall): Promise<Answer> {
  const { headers = {}, idempotencyKey = randomUUID(), ...body } = call;
  const response = await request.post('/api/pay', {
    headers: { 'Idempotency-Key': idempotencyKey, ...headers },
    data: { ...body, idempotencyKey },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as Answer;
}

/** The order's status as the merchant backend reports it: `{ status, code?, message? }`. */
export async function orderStatus(request: APIRequestContext, orderId: string): Promise<Record<string, string>> {
  return (await (await request.get(`/api/status?orderId=${orderId}`)).json()) as Record<string, string>;
}

/** Just the order's `status`. */
export async function statusOf(request: APIRequestContext, orderId: string): Promise<string> {
  return (await orderStatus(request, orderId)).status ?? '';
}

/** The helpers bound to one gateway's sandbox. */
export function sandbox(gateway: string) {
  return {
    newOrder: (request: APIRequestContext, scenario: string, amount?: number) =>
      newOrder(request, gateway, scenario, amount),
    /** The create call, answered by this gateway. */
    pay: async (request: APIRequestContext, call: PayCall): Promise<Answer> => {
      const answer = await createPayment(request, call);
      expect(answer.gateway).toBe(gateway);
      return answer;
    },
    classify: <T = Action>(page: Page, body: unknown) => classify<T>(page, gateway, body, SANDBOX),
  };
}

/** What the widget does with a `form` action: a new form, one hidden input per field, submitted; and the page it leads to. */
export async function submitForm(page: Page, action: Action): Promise<void> {
  await Promise.all([
    page.waitForNavigation(),
    page.evaluate((a) => {
      const form = document.createElement('form');
      form.method = String(a.method);
      form.action = String(a.action);
      for (const [name, value] of Object.entries(a.fields as Record<string, string>)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, action),
  ]);
}
