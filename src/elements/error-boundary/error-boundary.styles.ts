import { css } from 'lit';

export const errorBoundaryStyles = css`
  /* It wraps the page's own content, which keeps the page's text and colour scheme whatever the theme. */
  :host {
    color: inherit;
    color-scheme: inherit;
    font: inherit;
  }
  [part='content'] {
    display: contents;
  }
  [part='content'][hidden] {
    display: none;
  }
  [part='fallback'] {
    color-scheme: var(--_gym-scheme, light);
    color: var(--_text);
    padding: 0.75em 1em;
    border: 1px solid var(--_danger);
    border-radius: var(--gym-radius, 8px);
    background: var(--_surface);
  }
  [part='message'] {
    margin: 0 0 0.5em;
  }
  [part='detail'] {
    margin: 0 0 0.75em;
    color: var(--_muted);
    font-size: 0.875em;
  }
`;
