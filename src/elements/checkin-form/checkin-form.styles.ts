import { css } from 'lit';

export const checkinFormStyles = css`
  form {
    display: grid;
    gap: 0.75em;
  }
  [part='fields'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.25em;
    flex: 1 1 12em;
    font-size: 0.875em;
    color: var(--_muted);
  }
  input,
  select {
    font: inherit;
    font-size: 1rem;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    padding: 0.4em 0.6em;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  [part='submit'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    padding: 0.45em 1em;
  }
  [part='submit']:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  [part='message'] {
    margin: 0;
    min-height: 1.4em;
    /* Server texts are untrusted: long ones wrap and stop at three lines. */
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }
  :host(:state(success)) [part='message'] {
    color: var(--_success);
  }
  :host(:state(error)) [part='message'] {
    color: var(--_danger);
  }
  :host(:state(queued)) [part='message'] {
    color: var(--_warning);
  }
`;
