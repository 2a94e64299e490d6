import { css } from 'lit';

export const providerStyles = css`
  /* It wraps the page's own content, which keeps the page's text and colour scheme whatever the theme. */
  :host {
    color: inherit;
    color-scheme: inherit;
    font: inherit;
  }
  /* Its own message is the kit's: in the kit's font and colours, like every other element. */
  [part='error'] {
    font-family: var(--_font);
    font-size: var(--gym-font-size, 1rem);
    line-height: 1.4;
    color-scheme: var(--_gym-scheme, light);
    margin: 0 0 0.5em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_danger);
    border-radius: var(--gym-radius, 8px);
    color: var(--_danger);
    background: var(--_surface);
  }
`;
