import { css } from "lit";

export const dropoffRiskStyles = css`
  :host {
    --_ms8-block-size: var(--ms8-dropoff-risk-height, 40rem);
  }
  .summary {
    display: flex;
    align-items: center;
    gap: var(--_ms8-gap);
    block-size: 5.5rem;
  }
  .gauge {
    inline-size: 8.5rem;
    block-size: 4.8rem;
    flex: none;
  }
  .gauge path {
    fill: none;
    stroke-width: 10;
    stroke-linecap: round;
  }
  .gauge-track {
    stroke: var(--_ms8-track);
  }
  .gauge-fill {
    stroke: var(--_ms8-good);
  }
  .gauge-fill[data-level="medium"] {
    stroke: var(--_ms8-warn);
  }
  .gauge-fill[data-level="high"] {
    stroke: var(--_ms8-bad);
  }
  .gauge-fill[data-level="critical"] {
    stroke: var(--_ms8-critical);
  }
  .gauge-value {
    font-size: 16px;
    font-weight: 700;
    fill: var(--_ms8-text);
  }
  .level-box p {
    margin: 0;
  }
  .level {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 700;
    font-size: 1.1em;
    color: var(--_ms8-good);
  }
  .level[data-level="medium"] {
    color: var(--_ms8-warn);
  }
  .level[data-level="high"] {
    color: var(--_ms8-bad);
  }
  .level[data-level="critical"] {
    color: var(--_ms8-critical);
  }
  .level-icon {
    inline-size: 1.4rem;
    block-size: 1.4rem;
    fill: currentColor;
    flex: none;
  }
  .score-label {
    font-size: 0.85em;
  }
  .subheading {
    margin: 0;
    font-size: 0.9em;
    font-weight: 600;
  }
  .factors,
  .actions ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  .factor {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
  }
  .factor-head {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    font-size: 0.9em;
  }
  .factor-name {
    font-weight: 600;
  }
  .factor-bar {
    inline-size: 100%;
    block-size: 6px;
  }
  .card[dir="rtl"] .factor-bar {
    transform: scaleX(-1);
  }
  .bar-track {
    fill: var(--_ms8-track);
  }
  .bar-fill {
    fill: var(--_ms8-accent);
  }
  .factor-reason {
    font-size: 0.85em;
    color: var(--_ms8-text-muted);
  }
  .actions {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: 0.5rem var(--_ms8-gap);
    font-size: 0.9em;
  }
  .actions ul {
    gap: 0.25rem;
    padding-inline-start: 1.1rem;
    list-style: disc;
  }
  .action-label {
    margin: 0 0 0.25rem;
    font-weight: 600;
    color: var(--_ms8-text-muted);
  }
  .missing {
    margin: 0;
    font-size: 0.8em;
  }
  .gauge-bone {
    inline-size: 8.5rem;
    block-size: 4.8rem;
  }
  .level-bone {
    inline-size: 40%;
    block-size: 2.5rem;
  }
  .sub-bone {
    inline-size: 35%;
    block-size: 1.2rem;
  }
  .factor-bone {
    block-size: 3.4rem;
  }
  .actions-bone {
    block-size: 5rem;
  }
`;
