import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    --_accent: var(--cashdesk-color-accent, #0860ca);
    --_on-accent: var(--cashdesk-color-on-accent, #ffffff);
    --_surface: var(--cashdesk-color-surface, #ffffff);
    --_text: var(--cashdesk-color-text, #1f2328);
    --_muted: var(--cashdesk-color-muted, #59636e);
    --_border: var(--cashdesk-color-border, #d1d9e0);
    --_success: var(--cashdesk-color-success, #1a7f37);
    --_danger: var(--cashdesk-color-danger, #cf222e);
    --_radius: var(--cashdesk-radius, 0.75rem);
    --_space: var(--cashdesk-space, 1rem);
    --_font: var(
      --cashdesk-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'PingFang SC',
      'Microsoft YaHei',
      sans-serif
    );
    box-sizing: border-box;
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.25);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font-family: var(--_font);
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    .base {
      --_accent: var(--cashdesk-color-accent, #4493f8);
      --_on-accent: var(--cashdesk-color-on-accent, #0d1117);
      --_surface: var(--cashdesk-color-surface, #151b23);
      --_text: var(--cashdesk-color-text, #f0f6fc);
      --_muted: var(--cashdesk-color-muted, #9198a1);
      --_border: var(--cashdesk-color-border, #3d444d);
      --_success: var(--cashdesk-color-success, #57ab5a);
      --_danger: var(--cashdesk-color-danger, #f47067);
    }
  }
  .amount {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  .amount-label {
    color: var(--_muted);
  }
  [part='amount'] {
    font-size: 1.5rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .badge {
    font-size: 0.75rem;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--_muted);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  legend {
    padding: 0;
    margin-bottom: 0.5rem;
    color: var(--_muted);
  }
  .method {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    padding: 0.65rem 0.8rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    cursor: pointer;
  }
  .method:has(input:checked) {
    border-color: var(--_accent);
    box-shadow: 0 0 0 1px var(--_accent);
  }
  .method input {
    accent-color: var(--_accent);
    margin: 0;
  }
  button,
  a.button {
    font: inherit;
    min-height: 44px;
    padding: 0.6rem 1rem;
    border-radius: calc(var(--_radius) - 4px);
    border: 1px solid var(--_border);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  a.button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    text-decoration: none;
  }
  button.primary {
    width: 100%;
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  button:focus-visible,
  a.button:focus-visible,
  .method:has(input:focus-visible) {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .message {
    margin: 0;
    display: flex;
    gap: 0.6rem;
    align-items: center;
  }
  .message.paid {
    color: var(--_success);
    font-weight: 600;
  }
  .message.failed,
  .message.error {
    color: var(--_danger);
  }
  .detail {
    margin: 0;
    font-size: 0.875rem;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .spinner {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    animation: spin 0.9s linear infinite;
    flex: none;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
      border-top-color: var(--_border);
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .actions > * {
    flex: 1 1 auto;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
