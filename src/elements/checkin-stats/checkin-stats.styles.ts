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
    /* Kept while empty: a note that comes and goes moves nothing below. */
    min-block-size: 1lh;
  }
  /* A figure's placeholder: sits inside the value's line, so the card is as tall as with a figure. */
  [part='skeleton'] {
    display: inline-block;
    width: 2.5ch;
    height: 0.8em;
    vertical-align: middle;
  }
  :host(:state(stale)) [part='value'] {
    opacity: 0.6;
  }
`;
