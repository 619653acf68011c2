/**
 * The HTML of the sandbox's own pages (cashier pages, form targets, the return page). Server-made
 * text from the sandbox itself, escaped with `escapeHtml`; styled by one stylesheet, no inline
 * style or script, so the pages pass a strict Content-Security-Policy too.
 */
import { escapeHtml } from './http.js';

export function page(title: string, body: string, options: { brand?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/sandbox.css">
</head>
<body class="sandbox-page ${escapeHtml(options.brand ?? '')}">
<main class="sandbox-card">${body}</main>
</body>
</html>`;
}

export interface Decision {
  label: string;
  /** The simulator's route that settles the payment when pressed (POST). */
  action: string;
  fields?: Record<string, string>;
  kind?: 'primary' | 'secondary';
}

/** A gateway cashier page: what is paid, to whom, and buttons that settle it. */
export function cashierPage(input: {
  gateway: string;
  brand: string;
  title: string;
  amount: string;
  reference: string;
  details?: Record<string, string>;
  decisions: Decision[];
}): string {
  const details = Object.entries(input.details ?? {})
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const buttons = input.decisions
    .map((d) => {
      const hidden = Object.entries(d.fields ?? {})
        .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
        .join('');
      return `<form method="post" action="${escapeHtml(d.action)}">${hidden}<button type="submit" class="${d.kind ?? 'secondary'}">${escapeHtml(d.label)}</button></form>`;
    })
    .join('');
  return page(
    `${input.gateway} · ${input.title}`,
    `<p class="sandbox-brand">${escapeHtml(input.gateway)} <span>sandbox</span></p>
    <h1>${escapeHtml(input.title)}</h1>
    <p class="sandbox-amount">${escapeHtml(input.amount)}</p>
    <dl><dt>Trade</dt><dd>${escapeHtml(input.reference)}</dd>${details}</dl>
    <div class="sandbox-actions">${buttons}</div>`,
    { brand: input.brand },
  );
}
