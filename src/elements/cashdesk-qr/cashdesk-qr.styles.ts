import { css } from 'lit';

export const styles = css`
  :host {
    display: inline-block;
  }

  :host([hidden]) {
    display: none;
  }

  [part='base'] {
    --_size: var(--cashdesk-qr-size, 12rem);
    --_text: var(--cashdesk-color-text, #1f2328);
    --_muted: var(--cashdesk-color-muted, #59636e);
    --_surface: var(--cashdesk-color-surface, #ffffff);
    --_border: var(--cashdesk-color-border, #d1d9e0);
    --_accent: var(--cashdesk-color-accent, #0860ca);
    --_on-accent: var(--cashdesk-color-on-accent, #ffffff);
    --_radius: var(--cashdesk-radius, 0.5rem);
    --_space: var(--cashdesk-space, 0.75rem);
    --_font: var(--cashdesk-font-family, inherit);

    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_space);
    box-sizing: border-box;
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font-family: var(--_font);
    line-height: 1.4;
    text-align: center;
  }

  @media (prefers-color-scheme: dark) {
    [part='base'] {
      --_text: var(--cashdesk-color-text, #f0f6fc);
      --_muted: var(--cashdesk-color-muted, #9198a1);
      --_surface: var(--cashdesk-color-surface, #151b23);
      --_border: var(--cashdesk-color-border, #3d444d);
      --_accent: var(--cashdesk-color-accent, #4493f8);
      --_on-accent: var(--cashdesk-color-on-accent, #0d1117);
    }
  }

  [part='label'] {
    margin: 0;
    font-weight: 600;
  }

  .frame {
    position: relative;
    inline-size: var(--_size);
    block-size: var(--_size);
  }

  /* Scanners need dark modules on a light ground, whatever the page's colour scheme. */
  [part='qr'] {
    display: block;
    inline-size: 100%;
    block-size: 100%;
    border-radius: calc(var(--_radius) / 2);
    background: #ffffff;
    color: #000000;
  }

  /* The long-press image: scaled without smoothing, so its modules stay sharp squares. */
  img[part='qr'] {
    image-rendering: pixelated;
  }

  .expired {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    box-sizing: border-box;
    inline-size: 100%;
    block-size: 100%;
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: calc(var(--_radius) / 2);
    animation: fade-in 0.2s ease-out;
  }

  .expired p {
    margin: 0;
  }

  [part='countdown'] {
    margin: 0;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: calc(var(--_space) / 2);
  }

  button,
  a {
    box-sizing: border-box;
    min-block-size: 2.75rem;
    padding: 0.5rem 1rem;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font: inherit;
    cursor: pointer;
    text-decoration: none;
  }

  [part='copy'] {
    background: transparent;
    color: var(--_text);
    border-color: var(--_border);
  }

  [part='open'],
  [part='refresh'] {
    display: inline-flex;
    align-items: center;
    background: var(--_accent);
    color: var(--_on-accent);
  }

  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .note {
    color: var(--_muted);
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  @keyframes fade-in {
    from {
      opacity: 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .expired {
      animation: none;
    }
  }
`;
