/**
 * A Playwright `test` that fails any test during which a page raised a Content-Security-Policy
 * violation: the listener is installed before any script of every document (the gallery, the
 * gateway's pages, the return page), so a violation on a page the flow has since left still counts.
 */
import { test as base, expect } from '@playwright/test';

export interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  page: string;
}

export const test = base.extend<{ cspViolations: Violation[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const seen: Violation[] = [];
      await page.exposeBinding('__cashdeskReportViolation', (_source, violation: Violation) => {
        seen.push(violation);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = (window as unknown as { __cashdeskReportViolation?: (v: unknown) => void })
            .__cashdeskReportViolation;
          report?.({
            directive: event.effectiveDirective,
            blocked: event.blockedURI,
            sample: event.sample,
            page: event.documentURI,
          });
        });
      });
      await use(seen);
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
