import { css } from 'lit';

/** Air below a widget when something follows it, as a paragraph has; `--gym-block-spacing: 0` turns it off. */
export const blockSpacing = css`
  :host(:not(:last-child)) {
    margin-block-end: var(--gym-block-spacing, 1em);
  }
`;

/**
 * Placeholder bars (`.bone`) for content on its way: the feed's first rows,
 * the first figures. They shimmer (a slow pulse); baseStyles stops that under
 * reduced motion.
 */
export const skeletonStyles = css`
  .bone {
    border-radius: 4px;
    background: var(--_border);
    animation: gym-shimmer 1.5s ease-in-out infinite;
  }
  @keyframes gym-shimmer {
    50% {
      opacity: 0.4;
    }
  }
`;
