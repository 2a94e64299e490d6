import { css } from 'lit';

export const checkinFeedStyles = css`
  [part='base'] {
    display: grid;
    gap: 0.5em;
  }
  [part='header'] {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 0.5em;
    /* The pop-up asks how wide the feed is. */
    container-type: inline-size;
  }
  .reserve {
    visibility: hidden;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25em;
  }
  [part~='entry'],
  [part='skeleton'],
  [part='empty'] {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    grid-template-areas: 'icon name time' 'icon detail actions';
    column-gap: 0.75em;
    align-items: center;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--gym-radius, 8px);
    background: var(--_surface);
  }
  [part~='entry'][data-new] {
    animation: gym-arrive 2s ease-out;
  }
  [part='icon'] {
    grid-area: icon;
    width: 1.25em;
    height: 1.25em;
    fill: currentColor;
    color: var(--_success);
  }
  [part='icon']:dir(rtl) {
    transform: scaleX(-1);
  }
  [part~='checked-out'] [part='icon'] {
    color: var(--_muted);
  }
  /* Untrusted text of any length stays on its line. */
  [part='name'],
  [part='detail'],
  [part='time'] {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='name'] {
    grid-area: name;
    font-weight: 600;
  }
  [part='detail'],
  [part='time'] {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part='detail'] {
    grid-area: detail;
  }
  [part='time'] {
    grid-area: time;
  }
  [part='check-out'] {
    grid-area: actions;
    font-size: 0.8em;
  }
  [part='empty'],
  [part='notice'] {
    margin: 0;
    color: var(--_muted);
  }
  /* Empty: one row's room (invisible bars hold a name and a detail line), the words across it. */
  [part='empty'] {
    border-style: dashed;
  }
  [part='empty'] .bone {
    visibility: hidden;
  }
  .message {
    grid-area: 1 / 1 / -1 / -1;
  }
  /* Skeleton bars, each the height of the text line it stands for: 1.4em, the line height. */
  .bone {
    height: 1em;
    margin-block: 0.2em;
    max-width: 100%;
  }
  .name {
    grid-area: name;
    width: 10em;
  }
  .detail {
    grid-area: detail;
    width: 12em;
    font-size: 0.875em;
  }
  [part='notice'] {
    color: var(--_danger);
    overflow-wrap: anywhere;
  }
  [part='held'] {
    justify-self: center;
    border-color: var(--_accent);
    color: var(--_accent);
  }
  [part='toast'] {
    max-inline-size: min(24rem, calc(100vw - 2rem));
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    position: fixed;
    inset-block-end: 1rem;
    inset-inline-end: 1rem;
    padding: 0.75em 1em;
    border-radius: var(--gym-radius, 8px);
    background: var(--_text);
    color: var(--_surface);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
    animation: gym-toast 0.2s ease-out;
  }
  /* A narrow feed (a phone): the pop-up sits in the header, beside the pause button, over no entry. */
  @container (max-width: 36em) {
    [part='toast'] {
      position: static;
      min-inline-size: 0;
      margin-inline-end: auto;
      padding: 0.25em 0.75em;
      box-shadow: none;
      /* Appears where it stands: rising into place would brush the first entry. */
      animation: none;
    }
  }
  @keyframes gym-arrive {
    from {
      background: var(--_highlight);
    }
  }
  @keyframes gym-toast {
    from {
      opacity: 0;
      transform: translateY(0.5em);
    }
  }
`;
