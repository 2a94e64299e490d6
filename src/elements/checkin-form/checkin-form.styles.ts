import { css } from 'lit';

export const checkinFormStyles = css`
  form {
    display: grid;
    gap: 0.5em;
  }
  [part='fields'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: end;
  }
  .field {
    display: grid;
    gap: 0.25em;
    font-size: 0.875em;
    color: var(--_muted);
  }
  .field:first-child {
    flex: 1 1 14em;
  }
  .combo {
    position: relative;
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
    width: 100%;
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
  /* Over what follows, as a menu; the page scrolls rather than cutting it off. */
  [part='popup'] {
    position: absolute;
    z-index: 1;
    /* Logical insets only: the CSS minifier keeps their order (it moves a physical top around them). */
    inset-block-start: calc(100% + 2px);
    inset-inline-start: 0;
    /* As wide as the field, or wider when the field is narrow and the window is not. */
    min-width: 100%;
    width: min(22em, 100vw - 2em);
    max-height: min(22em, 60vh);
    overflow-y: auto;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    box-shadow: 0 6px 16px rgb(0 0 0 / 0.2);
    font-size: 1rem;
  }
  ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='option'],
  .who {
    display: flex;
    align-items: center;
    gap: 0.25em 0.6em;
  }
  [part='option'] {
    padding: 0.4em 0.6em;
    cursor: pointer;
    color: var(--_text);
  }
  /* Name first; phone, presence and flag under it when the list is narrow. */
  .who {
    flex-wrap: wrap;
  }
  /* The active option in the accent, its words (presence and flag too) in the accent's text colour. */
  [part='option'][aria-selected='true'],
  [part='option'][aria-selected='true'] * {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='photo'] {
    flex: none;
    width: 2.5em;
    height: 2.5em;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_border);
    fill: var(--_muted);
  }
  [part='name'] {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part='phone'],
  [part='hint'],
  [part='no-match'],
  [part='time'],
  [part='detail'] {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  [part='no-match'] {
    margin: 0;
    padding: 0.6em;
  }
  [part~='presence'],
  [part='flag'] {
    font-size: 0.875rem;
    font-weight: 600;
    border: 1px solid currentColor;
    border-radius: 1em;
    padding: 0 0.5em;
  }
  [part~='in'] {
    color: var(--_success);
  }
  [part='flag'] {
    color: var(--_warning);
  }
  [part='result'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.75em;
    min-height: 2.5em;
  }
  [part='message'] {
    margin: 0;
    /* Server texts are untrusted: long ones wrap and stop at three lines. */
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }
  [part='detail'] {
    flex-basis: 100%;
    overflow-wrap: anywhere;
  }
  :host(:state(success)) [part='message'] {
    color: var(--_success);
  }
  :host(:state(error)) [part='message'] {
    color: var(--_danger);
  }
  :host(:state(queued)) [part='message'],
  :host(:state(confirm)) [part='message'] {
    color: var(--_warning);
  }
  [part='queue'] {
    border: 1px dashed var(--_warning);
    border-radius: var(--gym-radius, 8px);
    padding: 0.5em 0.75em;
  }
  [part='queue'] p {
    margin: 0 0 0.25em;
    font-weight: 600;
    color: var(--_warning);
  }
`;
