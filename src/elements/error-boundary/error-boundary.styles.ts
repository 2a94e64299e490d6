import { css } from 'lit';

export const errorBoundaryStyles = css`
  [part='content'] {
    display: contents;
  }
  [part='content'][hidden] {
    display: none;
  }
  [part='fallback'] {
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
