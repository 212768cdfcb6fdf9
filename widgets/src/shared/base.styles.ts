/**
 * Design tokens and the pieces every widget shares. Public knobs are `--ms8-*`; inside, each is
 * copied into a private `--_ms8-*` with a light or dark default so a host sets one variable and
 * the widget stays consistent. Colours meet WCAG AA (4.5:1 for text) on their own surface.
 */
import { css } from "lit";

const lightTokens = css`
  color-scheme: light;
  --_ms8-surface: var(--ms8-surface, #ffffff);
  --_ms8-surface-raised: var(--ms8-surface-raised, #f6f8fa);
  --_ms8-text: var(--ms8-text, #1f2328);
  --_ms8-text-muted: var(--ms8-text-muted, #59636e);
  --_ms8-border: var(--ms8-border, #d1d9e0);
  --_ms8-accent: var(--ms8-accent, #0a5bc4);
  --_ms8-accent-text: var(--ms8-accent-text, #ffffff);
  --_ms8-target: var(--ms8-target, #8c4a00);
  --_ms8-good: var(--ms8-good, #1a7f37);
  --_ms8-warn: var(--ms8-warn, #8a5b00);
  --_ms8-bad: var(--ms8-bad, #c4212d);
  --_ms8-critical: var(--ms8-critical, #86061d);
  --_ms8-skeleton: var(--ms8-skeleton, #e6eaef);
  --_ms8-track: var(--ms8-track, #dde3e9);
`;

const darkTokens = css`
  color-scheme: dark;
  --_ms8-surface: var(--ms8-surface, #151b23);
  --_ms8-surface-raised: var(--ms8-surface-raised, #212830);
  --_ms8-text: var(--ms8-text, #f0f6fc);
  --_ms8-text-muted: var(--ms8-text-muted, #9ea8b3);
  --_ms8-border: var(--ms8-border, #3d444d);
  --_ms8-accent: var(--ms8-accent, #71b7ff);
  --_ms8-accent-text: var(--ms8-accent-text, #0d1117);
  --_ms8-target: var(--ms8-target, #f0b357);
  --_ms8-good: var(--ms8-good, #4ac26b);
  --_ms8-warn: var(--ms8-warn, #d9a23b);
  --_ms8-bad: var(--ms8-bad, #ff7b72);
  --_ms8-critical: var(--ms8-critical, #ffa198);
  --_ms8-skeleton: var(--ms8-skeleton, #2a313a);
  --_ms8-track: var(--ms8-track, #343c46);
`;

export const baseStyles = css`
  :host {
    ${lightTokens}
    --_ms8-radius: var(--ms8-radius, 12px);
    --_ms8-gap: var(--ms8-gap, 1rem);
    --_ms8-font: var(--ms8-font-family, inherit);
    display: block;
    box-sizing: border-box;
    min-inline-size: 280px;
    font-family: var(--_ms8-font);
    font-size: var(--ms8-font-size, 1rem);
    line-height: 1.4;
    color: var(--_ms8-text);
    contain: content;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme="dark"]) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) {
      ${darkTokens}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_ms8-gap) * 0.75);
    block-size: 100%;
    min-block-size: var(--_ms8-block-size);
    padding: var(--_ms8-gap);
    background: var(--_ms8-surface);
    color: var(--_ms8-text);
    border: 1px solid var(--_ms8-border);
    border-radius: var(--_ms8-radius);
  }
  .heading {
    margin: 0;
    font-size: 1.05em;
    font-weight: 600;
    line-height: 1.5rem;
  }
  .state {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_ms8-gap) * 0.75);
    flex: 1;
  }
  .message {
    margin: 0;
    color: var(--_ms8-text-muted);
  }
  .state.message {
    justify-content: center;
    align-items: flex-start;
  }
  .state-icon {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    fill: currentColor;
  }
  .error-title {
    margin: 0;
    font-weight: 600;
    color: var(--_ms8-text);
  }
  .error-detail {
    margin: 0;
  }
  .retry {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border-radius: calc(var(--_ms8-radius) / 2);
    border: 1px solid var(--_ms8-accent);
    background: var(--_ms8-accent);
    color: var(--_ms8-accent-text);
    cursor: pointer;
  }
  :focus-visible {
    outline: 3px solid var(--_ms8-accent);
    outline-offset: 2px;
  }
  .freshness {
    margin: 0;
    margin-block-start: auto;
    font-size: 0.8em;
    color: var(--_ms8-text-muted);
  }
  .muted {
    color: var(--_ms8-text-muted);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .bone {
    display: block;
    border-radius: 6px;
    background: var(--_ms8-skeleton);
    animation: ms8-pulse 1.4s ease-in-out infinite;
  }
  @keyframes ms8-pulse {
    50% {
      opacity: 0.55;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .bone {
      animation: none;
    }
  }
  details > summary {
    cursor: pointer;
    color: var(--_ms8-accent);
    font-size: 0.85em;
  }
  table {
    border-collapse: collapse;
    font-size: 0.85em;
    margin-block-start: 0.5rem;
    inline-size: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.2rem 0.4rem;
    border-block-end: 1px solid var(--_ms8-border);
  }
`;
