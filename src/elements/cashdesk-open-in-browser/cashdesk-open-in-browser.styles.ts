import { css } from 'lit';

export const styles = css`
  /* No :host([hidden]) rule: a modal dialog under a hidden host is invisible yet still makes the
     page inert, which would strand the shopper. The open property alone shows and hides it. */
  :host {
    display: contents;
  }

  /* The layer covers the whole viewport and paints the dimming itself, so a click on it (outside
     the panel) is a click on the backdrop, and the arrow can sit in the viewport's corner. */
  [part='base'] {
    --_text: var(--cashdesk-color-text, #1f2328);
    --_muted: var(--cashdesk-color-muted, #59636e);
    --_surface: var(--cashdesk-color-surface, #ffffff);
    --_border: var(--cashdesk-color-border, #d1d9e0);
    --_accent: var(--cashdesk-color-accent, #0860ca);
    --_on-accent: var(--cashdesk-color-on-accent, #ffffff);
    --_backdrop: var(--cashdesk-color-backdrop, rgb(0 0 0 / 0.65));
    --_on-backdrop: var(--cashdesk-color-on-backdrop, #ffffff);
    --_radius: var(--cashdesk-radius, 0.5rem);
    --_space: var(--cashdesk-space, 0.75rem);
    --_font: var(--cashdesk-font-family, inherit);

    position: fixed;
    inset: 0;
    /* Only reached where <dialog> has no top layer (WebKit before iOS 15.4). */
    z-index: 2147483647;
    box-sizing: border-box;
    inline-size: 100%;
    block-size: 100%;
    max-inline-size: none;
    max-block-size: none;
    margin: 0;
    padding: max(5.5rem, env(safe-area-inset-top)) max(var(--_space), env(safe-area-inset-right))
      max(var(--_space), env(safe-area-inset-bottom)) max(var(--_space), env(safe-area-inset-left));
    border: 0;
    background: var(--_backdrop);
    color: var(--_text);
    font-family: var(--_font);
    line-height: 1.45;
    overflow: auto;
    overscroll-behavior: contain;
  }

  [part='base']:not([open]) {
    display: none;
  }

  [part='base'][open] {
    display: flex;
    flex-direction: column;
    align-items: center;
    animation: fade-in 0.2s ease-out;
  }

  [part='base']::backdrop {
    background: transparent;
  }

  /* Focus lands on the layer itself so a screen reader reads its name and description first;
     a ring around the whole viewport would only be noise. */
  [part='base']:focus {
    outline: none;
  }

  @media (prefers-color-scheme: dark) {
    [part='base'] {
      --_text: var(--cashdesk-color-text, #f0f6fc);
      --_muted: var(--cashdesk-color-muted, #9198a1);
      --_surface: var(--cashdesk-color-surface, #151b23);
      --_border: var(--cashdesk-color-border, #3d444d);
      --_accent: var(--cashdesk-color-accent, #4493f8);
      --_on-accent: var(--cashdesk-color-on-accent, #0d1117);
      --_backdrop: var(--cashdesk-color-backdrop, rgb(0 0 0 / 0.75));
    }

    /* A dark panel on a dark page's dimming needs an edge to stand out. */
    [part='dialog'] {
      border-color: var(--_border);
    }
  }

  /* WeChat's ⋯ menu sits in its title bar, just above the page's top right corner: a physical
     corner, whatever the writing direction. */
  .arrow {
    position: absolute;
    top: max(0.25rem, env(safe-area-inset-top));
    right: max(0.75rem, env(safe-area-inset-right));
    inline-size: 4rem;
    block-size: 5rem;
    color: var(--_on-backdrop);
    pointer-events: none;
    animation: nudge 0.8s ease-in-out 0.3s 4 alternate;
  }

  [part='dialog'] {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    box-sizing: border-box;
    inline-size: min(100%, 24rem);
    padding: calc(var(--_space) * 1.5);
    /* Transparent, yet drawn in forced colours, where backgrounds and shadows are dropped. */
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 0.3);
  }

  [part='title'] {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
    line-height: 1.3;
  }

  p {
    margin: 0;
  }

  .why {
    color: var(--_muted);
  }

  [part='instructions'] {
    font-weight: 600;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) / 2);
    margin-block-start: calc(var(--_space) / 2);
  }

  button {
    flex: 1 1 auto;
    box-sizing: border-box;
    min-block-size: 2.75rem;
    padding: 0.5rem 1rem;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font: inherit;
    cursor: pointer;
  }

  [part='copy'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }

  [part='close'] {
    background: transparent;
    color: var(--_text);
    border-color: var(--_border);
  }

  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .note {
    color: var(--_muted);
    font-size: 0.875rem;
  }

  /* The live region stays in the tree to be heard when it fills; empty, it takes no gap. */
  .note:empty {
    margin-block-start: calc(var(--_space) * -1);
  }

  @keyframes fade-in {
    from {
      opacity: 0;
    }
  }

  @keyframes nudge {
    to {
      transform: translate(0.25rem, -0.375rem);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part='base'][open],
    .arrow {
      animation: none;
    }
  }
`;
