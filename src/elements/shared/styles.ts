import { css } from 'lit';

const lightTokens = css`
  --_surface: var(--gym-color-surface, #ffffff);
  --_text: var(--gym-color-text, #1b1f24);
  --_muted: var(--gym-color-muted, #57606a);
  --_border: var(--gym-color-border, #d0d7de);
  --_accent: var(--gym-color-accent, #0969da);
  --_success: var(--gym-color-success, #1a7f37);
  --_warning: var(--gym-color-warning, #9a6700);
  --_danger: var(--gym-color-danger, #cf222e);
  --_highlight: var(--gym-color-highlight, #fff8c5);
`;

const darkTokens = css`
  --_surface: var(--gym-color-surface, #1c2128);
  --_text: var(--gym-color-text, #e6edf3);
  --_muted: var(--gym-color-muted, #9198a1);
  --_border: var(--gym-color-border, #3d444d);
  --_accent: var(--gym-color-accent, #4493f8);
  --_success: var(--gym-color-success, #3fb950);
  --_warning: var(--gym-color-warning, #d29922);
  --_danger: var(--gym-color-danger, #f85149);
  --_highlight: var(--gym-color-highlight, #3b2e00);
`;

/**
 * What every element shares: the `--gym-*` design tokens (light and dark
 * defaults; `theme="light|dark"` forces one), font, `[hidden]`, focus rings,
 * reduced motion and a visually hidden helper.
 */
export const baseStyles = css`
  :host {
    ${lightTokens}
    box-sizing: border-box;
    display: block;
    color: var(--_text);
    font-family: var(--gym-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--gym-font-size, 1rem);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    background: var(--_surface);
    padding: 0.25em 0.75em;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
