import { expect } from '@open-wc/testing';
import type { NextAction } from '../../../src/core/next-action.js';
import { MAX_BODY_BYTES, readJson } from '../../../src/core/validate.js';
import {
  isGatewayLoaded,
  loadGateways,
  registerGateway,
  registerGatewayLoader,
  toAction,
} from '../../../src/gateways/registry.js';
import { expectRefused } from './helpers.js';

// A merchant's own adapter answers with whatever the test puts here.
let answer: () => unknown = () => ({ kind: 'pending' });
registerGateway('merchant-test', () => answer() as NextAction);

const refusedFor = (returned: () => unknown, code: Parameters<typeof expectRefused>[1]) => {
  answer = returned;
  return expectRefused(() => toAction('merchant-test', {}), code);
};

describe("toAction's check of a merchant adapter's answer", () => {
  it('refuses a javascript: redirect, form action or fallback, and a deep link to another scheme', () => {
    refusedFor(() => ({ kind: 'redirect', url: 'javascript:alert(1)' }), 'unsafe_url_scheme');
    refusedFor(() => ({ kind: 'form', action: ' java\tscript:x', method: 'POST', fields: {} }), 'unsafe_url_scheme');
    refusedFor(() => ({ kind: 'deeplink', url: 'weixin://x', fallbackUrl: 'data:text/html,x' }), 'unsafe_url_scheme');
    refusedFor(() => ({ kind: 'deeplink', url: 'intent://x' }), 'unsafe_url_scheme');
  });

  it('refuses an unknown kind, no action at all, and a failed action whose code is not a string', () => {
    refusedFor(() => ({ kind: 'eval', code: 'x' }), 'unsupported_action');
    refusedFor(() => undefined, 'unsupported_action');
    refusedFor(() => ({ kind: 'failed', code: 42 }), 'invalid_field');
  });

  it('refuses QR content with a control character', () => {
    refusedFor(() => ({ kind: 'qr', content: 'weixin://x\u0000' }), 'invalid_field');
  });

  it("wraps an adapter's own crash as unsupported_response, naming the gateway, with the cause kept", () => {
    const error = refusedFor(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'url')");
    }, 'unsupported_response') as Error & { gateway?: string };
    expect(error.gateway).to.equal('merchant-test');
    expect(error.cause).to.be.instanceOf(TypeError);
  });

  it('names the gateway on a refusal and on the action it lets through', () => {
    const refused = refusedFor(() => ({ kind: 'redirect', url: '//evil.example/' }), 'relative_url') as Error & {
      gateway?: string;
    };
    expect(refused.gateway).to.equal('merchant-test');
    answer = () => ({ kind: 'redirect', url: 'https://pay.example/c' });
    expect(toAction('merchant-test', {})).to.deep.equal({
      kind: 'redirect',
      url: 'https://pay.example/c',
      gateway: 'merchant-test',
    });
  });

  it('an unregistered gateway is unknown_gateway', () => {
    expectRefused(() => toAction('nobody', {}), 'unknown_gateway');
  });
});

describe('bodies an adapter reads (readJson)', () => {
  registerGateway('reads-json', (response) => ({
    kind: 'pending',
    reference: String(Object.keys(readJson(response) as object).length),
  }));

  it('refuses an already-parsed body over 256 KiB as too_large, and one that cannot be JSON as invalid_json', () => {
    expectRefused(() => toAction('reads-json', { code: 1, padding: 'x'.repeat(MAX_BODY_BYTES) }), 'too_large');
    expectRefused(() => toAction('reads-json', { code: 1n }), 'invalid_json');
    const cyclic: Record<string, unknown> = { code: 1 };
    cyclic.self = cyclic;
    expectRefused(() => toAction('reads-json', cyclic), 'invalid_json');
    expect(toAction('reads-json', { code: 1 })).to.include({ kind: 'pending', reference: '1' });
  });
});

describe('adapters fetched when first needed (the module build)', () => {
  it('toAction says the adapter is not loaded yet; after loadGateways it classifies', async () => {
    registerGatewayLoader('lazy-a', async () => () => ({ kind: 'pending' }));
    expect(isGatewayLoaded('lazy-a')).to.equal(false);
    expectRefused(() => toAction('lazy-a', {}), 'unknown_gateway');
    await loadGateways(['lazy-a']);
    expect(toAction('lazy-a', {})).to.deep.equal({ kind: 'pending', gateway: 'lazy-a' });
  });

  it('a failed fetch rejects, and the next call fetches again', async () => {
    let calls = 0;
    registerGatewayLoader('lazy-b', async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return () => ({ kind: 'pending' });
    });
    let rejected = false;
    await loadGateways(['lazy-b']).catch(() => {
      rejected = true;
    });
    expect(rejected).to.equal(true);
    await loadGateways(['lazy-b']);
    expect(calls).to.equal(2);
    expect(isGatewayLoaded('lazy-b')).to.equal(true);
  });

  it("the page's own adapter, registered while the built-in one loads, is kept", async () => {
    let release: () => void = () => undefined;
    registerGatewayLoader(
      'lazy-c',
      () =>
        new Promise((resolve) => {
          release = () => resolve(() => ({ kind: 'pending' }));
        }),
    );
    const loading = loadGateways(['lazy-c']);
    registerGateway('lazy-c', () => ({ kind: 'success' }));
    release();
    await loading;
    expect(toAction('lazy-c', {}).kind).to.equal('success');
  });
});
