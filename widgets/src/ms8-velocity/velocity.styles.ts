import { css } from "lit";

export const velocityStyles = css`
  :host {
    --_ms8-block-size: var(--ms8-velocity-height, 30rem);
    --_ms8-chart-height: var(--ms8-chart-height, 160px);
  }
  .metrics {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: calc(var(--_ms8-gap) * 0.5);
  }
  .metric {
    display: flex;
    flex-direction: column;
    block-size: 4.75rem;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_ms8-radius) * 0.6);
    background: var(--_ms8-surface-raised);
  }
  .metric-label,
  .metric-unit {
    font-size: 0.8em;
    color: var(--_ms8-text-muted);
  }
  .metric-value {
    font-size: 1.5em;
    font-weight: 650;
    line-height: 1.2;
    font-variant-numeric: tabular-nums;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    align-items: center;
    min-block-size: 1.5rem;
  }
  .row p,
  .completion {
    margin: 0;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    flex-wrap: wrap;
  }
  .status {
    font-weight: 600;
  }
  .status .dot {
    inline-size: 0.65rem;
    block-size: 0.65rem;
  }
  .status[data-status="ahead"] .dot,
  .status[data-status="on_track"] .dot {
    fill: var(--_ms8-good);
  }
  .status[data-status="behind"] .dot {
    fill: var(--_ms8-warn);
  }
  .status[data-status="at_risk"] .dot {
    fill: var(--_ms8-bad);
  }
  /* Arrow and words stay together; the words wrap beside the arrow, not under it. */
  .row .trend {
    flex-wrap: nowrap;
    align-items: center;
  }
  .trend .arrow {
    flex: none;
    inline-size: 1rem;
    block-size: 1rem;
    fill: currentColor;
  }
  /* Arrows point in the reading direction for "flat". */
  .card[dir="rtl"] .trend[data-trend="flat"] .arrow {
    transform: scaleX(-1);
  }
  /* The trend is a direction, not a verdict (more units can still be too few): neutral colour,
     the arrow and the words carry it; the status beside it says good or bad. */
  .trend {
    color: var(--_ms8-text);
  }
  .completion {
    font-size: 0.9em;
  }
  .legend {
    display: flex;
    gap: 1rem;
    font-size: 0.8em;
    color: var(--_ms8-text-muted);
    block-size: 1.1rem;
  }
  .legend span {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  .legend svg {
    inline-size: 1.25rem;
    block-size: 0.3rem;
  }
  .pace-line {
    stroke: var(--_ms8-accent);
    stroke-width: 4;
  }
  .target-line {
    stroke: var(--_ms8-target);
    stroke-width: 4;
    stroke-dasharray: 6 4;
  }
  .chart {
    position: relative;
    inline-size: 100%;
    block-size: var(--_ms8-chart-height);
  }
  .metric-bone {
    block-size: 4.75rem;
  }
  .line-bone {
    block-size: 1.25rem;
    inline-size: 55%;
  }
  .line-bone.wide {
    inline-size: 80%;
  }
  .legend-bone {
    block-size: 1.1rem;
    inline-size: 40%;
  }
  .summary-bone {
    block-size: 1.2rem;
    inline-size: 30%;
  }
`;
