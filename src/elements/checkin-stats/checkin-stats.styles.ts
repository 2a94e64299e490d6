import { css } from 'lit';

export const checkinStatsStyles = css`
  [part='base'] {
    display: grid;
    gap: 0.5em;
  }
  [part='figures'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8em, 1fr));
    gap: 0.5em;
    margin: 0;
  }
  [part='figure'] {
    display: flex;
    flex-direction: column-reverse;
    padding: 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    background: var(--_surface);
  }
  dt {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part='value'] {
    margin: 0;
    font-size: var(--gym-stats-value-size, 1.75em);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  [part='note'] {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875em;
  }
  :host(:state(stale)) [part='value'] {
    opacity: 0.6;
  }
`;
