import { css } from 'lit';

/**
 * The tokens, each a page's `--gym-*` value or the default for the element's
 * colour scheme: `light-dark()` picks by the `color-scheme` set below, so one
 * list serves both themes, and a page may give its own values per theme the
 * same way (`--gym-color-accent: light-dark(#0f766e, #2dd4bf)`).
 */
const tokens = css`
  --_surface: var(--gym-color-surface, light-dark(#ffffff, #1c2128));
  --_text: var(--gym-color-text, light-dark(#1b1f24, #e6edf3));
  --_muted: var(--gym-color-muted, light-dark(#57606a, #9198a1));
  --_border: var(--gym-color-border, light-dark(#d0d7de, #3d444d));
  --_accent: var(--gym-color-accent, light-dark(#0969da, #4493f8));
  --_on-accent: var(--gym-color-on-accent, light-dark(#ffffff, #0d1117));
  --_success: var(--gym-color-success, light-dark(#1a7f37, #3fb950));
  --_warning: var(--gym-color-warning, light-dark(#9a6700, #d29922));
  --_danger: var(--gym-color-danger, light-dark(#cf222e, #f85149));
  --_highlight: var(--gym-color-highlight, light-dark(#fff8c5, #3b2e00));
  --_font: var(--gym-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
`;

/**
 * What every element shares: the `--gym-*` design tokens with light and dark
 * defaults, the theme, font, `[hidden]`, focus rings, reduced motion and a
 * visually hidden helper.
 *
 * The theme travels in `--_gym-scheme`, an inherited custom property: an
 * element's own `theme` sets it for itself and everything inside it (a
 * provider's children), an element without one takes its ancestors', and with
 * none at all it is light, whatever the OS prefers (most host pages are light;
 * `theme="auto"` follows the OS when asked).
 */
export const baseStyles = css`
  :host {
    ${tokens}
    color-scheme: var(--_gym-scheme, light);
    box-sizing: border-box;
    display: block;
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--gym-font-size, 1rem);
    line-height: 1.4;
  }
  :host([theme='light']) {
    --_gym-scheme: light;
  }
  :host([theme='dark']) {
    --_gym-scheme: dark;
  }
  :host([theme='auto']) {
    --_gym-scheme: light dark;
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
