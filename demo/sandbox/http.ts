/**
 * The sandbox's HTTP plumbing on Node's own `http` types: a small router, body readers and
 * responders. Kept tiny on purpose: a merchant reading the sandbox should see the payment logic,
 * not a framework.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Request = IncomingMessage & { url: string; method: string };
export type Handler = (req: Request, res: ServerResponse, params: Record<string, string>) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` may hold `:name` segments, e.g. `/gw/epay/pay/submit/:tradeNo`. */
  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:([a-zA-Z]+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  /** Handles the request if a route matches; resolves to whether one did. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? '')]));
      await route.handler(req as Request, res, params);
      return true;
    }
    return false;
  }
}

export async function readText(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  // Bytes first, decoded once: a multi-byte character split across chunks stays whole.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readText(req));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `application/x-www-form-urlencoded` bodies (epay, UseePay, form posts), as a plain object. */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await readText(req)));
}

export function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://sandbox.local').searchParams;
}

/** The sandbox's own origin as the browser sees it (`http://127.0.0.1:5173`). */
export function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

/**
 * The merchant backend's own origin, never taken from the request's `Host` (which any caller
 * sets): the configured one, else the loopback address and port this server accepted the request
 * on. The backend sends signed requests and secret keys there, and tells gateways to notify it.
 */
export function ownOrigin(req: IncomingMessage, configured?: string): string {
  return configured ?? `http://127.0.0.1:${req.socket.localPort}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' });
  res.end();
}

/** Escapes text for the sandbox's own server-rendered pages (the simulators' cashier pages). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
