/**
 * The strict Content-Security-Policy the production demo is served with (`npm run preview`, and
 * so every end-to-end test): no inline script or style, no eval, Trusted Types with only Lit's
 * policy and cashdesk's own. It is the policy a merchant page needs, give or take its gateways'
 * hosts (README, "Content-Security-Policy").
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  // The sandbox's gateway pages are on this host; a merchant lists its gateways' hosts here.
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html cashdesk',
].join('; ');

export function strictCsp(): Plugin {
  return {
    name: 'cashdesk-strict-csp',
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        next();
      });
    },
  };
}
