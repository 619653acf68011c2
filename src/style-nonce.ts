/**
 * Where constructable stylesheets are missing (Safari before 16.4: iPhones on iOS 15, and WeChat
 * on them), Lit writes a `<style>` element into each shadow root, which a `style-src` without
 * `'unsafe-inline'` blocks unless it carries the page's nonce. Lit takes that nonce from
 * `window.litNonce`; when the page has not set one, the script tag that loaded cashdesk lends its
 * own (`<script nonce="…" src="cashdesk.iife.js">`). An ES module has no `document.currentScript`:
 * there the page sets `window.litNonce` before the import.
 *
 * Imported first by the entry, so the nonce is in place before any element is defined and
 * upgraded.
 */
const page = globalThis as { litNonce?: string; document?: Document };
const script = page.document?.currentScript;
// A real script element only: markup such as <img name="currentScript" nonce="…"> can shadow
// `document.currentScript` (DOM clobbering) and must not choose the nonce.
// Nothing here may touch the DOM when there is none: `import 'cashdesk'` during server-side
// rendering (Next.js, Nuxt, Astro, Vite SSR) runs this module in Node.
if (
  page.litNonce === undefined &&
  typeof HTMLScriptElement !== 'undefined' &&
  script instanceof HTMLScriptElement &&
  script.nonce
) {
  page.litNonce = script.nonce;
}
