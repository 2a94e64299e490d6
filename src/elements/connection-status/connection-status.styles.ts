import { css } from 'lit';

export const connectionStatusStyles = css`
  :host {
    display: inline-block;
  }
  /*
   * A pill with a surface of its own: the state text is drawn on the widget's theme, not on whatever
   * the page is (a light status on a dark page, or the reverse, keeps its contrast).
   */
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0.75em 0.25em 0.375em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
  }
  :host([compact]) [part='base'] {
    padding: 0.25em;
  }
  /* The state text, stacked over invisible copies of the outage's labels: as wide as the widest, whatever is shown. */
  .text {
    display: inline-grid;
  }
  .text > * {
    grid-area: 1 / 1;
    align-self: center;
  }
  .reserve {
    visibility: hidden;
  }
  .reserve::before {
    content: attr(data-text);
  }
  [part='icon'] {
    display: inline-grid;
    place-items: center;
    width: 1.25em;
    height: 1.25em;
    border-radius: 50%;
    font-size: 0.8em;
    line-height: 1;
    color: var(--_surface);
    background: var(--gym-status-color, var(--_muted));
  }
  :host(:state(open)) {
    --gym-status-color: var(--_success);
  }
  :host(:state(connecting)),
  :host(:state(checking)),
  :host(:state(reconnecting)),
  :host(:state(delayed)) {
    --gym-status-color: var(--_warning);
  }
  :host(:state(offline)),
  :host(:state(refused)),
  :host(:state(unauthorized)) {
    --gym-status-color: var(--_danger);
  }
  :host(:state(open):not(:state(delayed))) [part='icon'] {
    animation: gym-pulse 2s ease-in-out infinite;
  }
  :host(:state(reconnecting)) [part='icon'],
  :host(:state(checking)) [part='icon'],
  :host(:state(connecting)) [part='icon'] {
    animation: gym-spin 1.5s linear infinite;
  }
  [part='retry'],
  [part='details-toggle'] {
    font-size: 0.875em;
    /* On one line: on a narrow page the state text wraps instead. */
    flex: none;
  }
  [part='details'] {
    margin-top: 0.5em;
    padding: 0.75em;
    max-width: 30em;
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    background: var(--_surface);
    font-size: 0.875em;
  }
  [part='fields'] {
    display: grid;
    gap: 0.25em;
    margin: 0;
  }
  [part='fields'] div {
    display: grid;
    grid-template-columns: minmax(8em, 2fr) 3fr;
    gap: 0.75em;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  [part='sparkline'] {
    display: block;
    width: 100%;
    height: 3em;
    margin: 0.75em 0;
  }
  .round-trip {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 1.5px;
    vector-effect: non-scaling-stroke;
  }
  .up {
    fill: var(--_success);
  }
  .partly {
    fill: var(--_warning);
  }
  .down {
    fill: var(--_danger);
  }
  .none {
    fill: var(--_border);
  }
  [part='copy-row'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  [part='report'] {
    box-sizing: border-box;
    width: 100%;
    margin-top: 0.5em;
    font: 0.8em/1.4 ui-monospace, monospace;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  @keyframes gym-pulse {
    50% {
      opacity: 0.55;
    }
  }
  @keyframes gym-spin {
    to {
      transform: rotate(1turn);
    }
  }
`;
