import { css } from 'lit';

export const providerStyles = css`
  [part='error'] {
    margin: 0 0 0.5em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_danger);
    border-radius: var(--gym-radius, 8px);
    color: var(--_danger);
    background: var(--_surface);
  }
`;
