/**
 * `toAction`: any registered gateway's response in, one NextAction out. Pure: it never
 * navigates, never touches the page's DOM, never holds a key.
 */
import { CheckoutError, isCheckoutError } from '../core/errors.js';
import { ACTION_KINDS, freezeAction, type NextAction } from '../core/next-action.js';
import { checkDeeplink, checkWebUrl, type UrlPolicyOptions } from '../core/safe-url.js';
import { checkQrContent } from '../core/validate.js';

export const BUILTIN_GATEWAYS = ['pingpp', 'epay', 'careyshop', 'alipayplus', 'useepay'] as const;
export type BuiltinGateway = (typeof BUILTIN_GATEWAYS)[number];
// `string & {}` keeps editor completion for the built-in ids while accepting any registered id.
export type GatewayId = BuiltinGateway | (string & {});

export interface ToActionOptions extends UrlPolicyOptions {}

/** What an adapter is given besides the response. */
export interface AdapterContext extends ToActionOptions {
  gateway: string;
}

/**
 * Classifies one gateway response. `response` is a parsed JSON value or the raw body text.
 * It throws a `CheckoutError` for anything it refuses and performs nothing.
 */
export type GatewayAdapter = (response: unknown, context: AdapterContext) => NextAction;

const adapters = new Map<string, GatewayAdapter>();
/** Adapters fetched when first needed (the module build's built-in gateways): id → its loader. */
const loaders = new Map<string, () => Promise<GatewayAdapter>>();

/** Adds (or replaces) the adapter for a gateway id. */
export function registerGateway(id: string, adapter: GatewayAdapter): void {
  if (typeof id !== 'string' || id === '') throw new TypeError('registerGateway: the id must be a non-empty string');
  if (typeof adapter !== 'function') throw new TypeError('registerGateway: the adapter must be a function');
  adapters.set(id, adapter);
  loaders.delete(id);
}

/** Names an adapter that is fetched when `loadGateways` first asks for it. */
export function registerGatewayLoader(id: string, load: () => Promise<GatewayAdapter>): void {
  if (!adapters.has(id)) loaders.set(id, load);
}

export function registeredGateways(): string[] {
  return [...new Set([...adapters.keys(), ...loaders.keys()])];
}

/** Whether `toAction` can read this gateway's answers now, without loading anything. */
export function isGatewayLoaded(id: string): boolean {
  return adapters.has(id);
}

/**
 * Loads the adapters of the given gateways (all that are not loaded yet, by default). In the
 * module build each built-in adapter is a chunk of its own, fetched here: call it before the
 * synchronous `toAction`. The element calls it as a create starts. A failed fetch rejects, and the
 * next call tries again.
 */
export async function loadGateways(ids: readonly string[] = [...loaders.keys()]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const load = loaders.get(id);
      if (load === undefined) return;
      const adapter = await load();
      // Unless the page registered its own meanwhile.
      if (loaders.get(id) === load) registerGateway(id, adapter);
    }),
  );
}

/** An action's own allow-list, as a URL rule; refused when it is not a list of host names. */
function hostsOf(action: { hosts?: unknown }): { hosts?: readonly string[] } {
  const { hosts } = action;
  if (hosts === undefined) return {};
  if (!Array.isArray(hosts) || !hosts.every((host) => typeof host === 'string')) {
    throw new CheckoutError('invalid_field', 'hosts is not a list of host names', { field: 'hosts' });
  }
  return { hosts };
}

/**
 * Whatever an adapter returns is checked once more here, so an adapter registered by a merchant
 * cannot hand a `javascript:` URL or an unknown kind to the performers.
 */
function checkOutput(action: unknown, options: ToActionOptions): NextAction {
  if (action === null || typeof action !== 'object') {
    throw new CheckoutError('unsupported_action', 'the adapter returned no action');
  }
  const candidate = action as NextAction;
  if (!(ACTION_KINDS as readonly string[]).includes(candidate.kind)) {
    throw new CheckoutError('unsupported_action', `the adapter returned the unknown kind ${String(candidate.kind)}`);
  }
  switch (candidate.kind) {
    case 'qr':
      checkQrContent(candidate.content);
      break;
    case 'redirect':
      checkWebUrl(candidate.url, { ...options, ...hostsOf(candidate), what: 'redirect target' });
      break;
    case 'form':
      checkWebUrl(candidate.action, { ...options, ...hostsOf(candidate), what: 'form action' });
      break;
    case 'deeplink':
      checkDeeplink(candidate.url);
      if (candidate.fallbackUrl !== undefined) checkWebUrl(candidate.fallbackUrl, { ...options, what: 'fallback URL' });
      break;
    case 'failed':
      if (typeof candidate.code !== 'string') throw new CheckoutError('invalid_field', 'failed.code is not a string');
      break;
    default:
      break;
  }
  return candidate;
}

export function toAction(gateway: GatewayId, response: unknown, options: ToActionOptions = {}): NextAction {
  const adapter = typeof gateway === 'string' ? adapters.get(gateway) : undefined;
  if (adapter === undefined && typeof gateway === 'string' && loaders.has(gateway)) {
    throw new CheckoutError('unknown_gateway', `the ${gateway} adapter is not loaded yet: await loadGateways() first`, {
      gateway,
    });
  }
  if (adapter === undefined) {
    throw new CheckoutError('unknown_gateway', `no adapter is registered for ${JSON.stringify(gateway)}`, {
      gateway: String(gateway),
    });
  }
  let action: NextAction;
  try {
    action = checkOutput(adapter(response, { ...options, gateway }), options);
  } catch (error) {
    if (isCheckoutError(error)) {
      error.gateway ??= gateway;
      throw error;
    }
    // A bug or an unexpected shape inside an adapter is still the response's fault to the caller,
    // and must reach it as a typed error, not as a bare TypeError.
    throw new CheckoutError('unsupported_response', `the ${gateway} adapter could not read the response`, {
      gateway,
      cause: error,
    });
  }
  return freezeAction(action.gateway === undefined ? { ...action, gateway } : action);
}
