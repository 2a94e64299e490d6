import { css } from 'lit';

export const connectionStatusStyles = css`
  :host {
    display: inline-block;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    flex-wrap: wrap;
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
  :host(:state(reconnecting)) {
    --gym-status-color: var(--_warning);
  }
  :host(:state(offline)),
  :host(:state(refused)),
  :host(:state(unauthorized)) {
    --gym-status-color: var(--_danger);
  }
  :host(:state(open)) [part='icon'] {
    animation: gym-pulse 2s ease-in-out infinite;
  }
  :host(:state(reconnecting)) [part='icon'],
  :host(:state(checking)) [part='icon'],
  :host(:state(connecting)) [part='icon'] {
    animation: gym-spin 1.5s linear infinite;
  }
  [part='retry'] {
    font-size: 0.875em;
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
