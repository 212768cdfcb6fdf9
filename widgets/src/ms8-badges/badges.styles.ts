import { css } from "lit";

export const badgesStyles = css`
  :host {
    --_ms8-block-size: var(--ms8-badges-height, 36rem);
    --_ms8-badge-min: var(--ms8-badge-min-width, 7.5rem);
  }
  .figures {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: calc(var(--_ms8-gap) * 0.5);
  }
  .figure {
    display: flex;
    flex-direction: column;
    block-size: 5.25rem;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_ms8-radius) * 0.6);
    background: var(--_ms8-surface-raised);
  }
  .figure-label {
    font-size: 0.8em;
    color: var(--_ms8-text-muted);
  }
  .figure-value {
    font-size: 1.5em;
    font-weight: 650;
    line-height: 1.2;
    font-variant-numeric: tabular-nums;
  }
  .level {
    display: flex;
    flex-direction: column;
    gap: 0.3rem;
    block-size: 4.5rem;
  }
  .level p {
    margin: 0;
  }
  .level-name {
    font-weight: 600;
  }
  .progress svg {
    display: block;
    inline-size: 100%;
    block-size: 8px;
  }
  .card[dir="rtl"] .progress svg {
    transform: scaleX(-1);
  }
  .bar-track {
    fill: var(--_ms8-track);
  }
  .bar-fill {
    fill: var(--_ms8-accent);
  }
  .progress-text {
    font-size: 0.85em;
  }
  .subheading {
    margin: 0;
    font-size: 0.9em;
    font-weight: 600;
  }
  .badge-grid {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--_ms8-badge-min)), 1fr));
    gap: 0.5rem;
  }
  .badge {
    display: flex;
    flex-direction: column;
    gap: 0.15rem;
    padding: 0.6rem;
    border-radius: calc(var(--_ms8-radius) * 0.6);
    border: 1px solid var(--_ms8-border);
    background: var(--_ms8-surface-raised);
    font-size: 0.85em;
  }
  .badge-icon {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    fill: var(--_ms8-accent);
  }
  .badge.locked {
    border-style: dashed;
    background: transparent;
  }
  .badge.locked .badge-icon {
    fill: var(--_ms8-text-muted);
  }
  .badge-name {
    font-weight: 600;
  }
  .badge-state,
  .badge-how {
    color: var(--_ms8-text-muted);
  }
  .figure-bone {
    block-size: 5.25rem;
  }
  .level-bone {
    block-size: 4.5rem;
  }
  .sub-bone {
    inline-size: 30%;
    block-size: 1.2rem;
  }
  .badge-bone {
    block-size: 6.5rem;
  }
`;
