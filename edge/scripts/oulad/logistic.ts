/**
 * Logistic regression by Newton's method with a ridge (L2) penalty on the slopes, small enough to
 * read: a handful of features, a few thousand rows, converges in under ten steps. The ridge keeps
 * the weights from chasing one module's quirks.
 */

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
}

export function fitLogistic(rows: number[][], labels: boolean[], ridge = 1, maxIterations = 50): LogisticFit {
  const p = (rows[0]?.length ?? 0) + 1;
  const w = new Array<number>(p).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < rows.length; i++) {
      const x = [1, ...rows[i]!];
      let z = 0;
      for (let j = 0; j < p; j++) z += w[j]! * x[j]!;
      const prob = 1 / (1 + Math.exp(-z));
      const residual = (labels[i] ? 1 : 0) - prob;
      const curvature = prob * (1 - prob);
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * x[j]!;
        for (let k = 0; k <= j; k++) hessian[j]![k]! += curvature * x[j]! * x[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j]! -= ridge * w[j]!;
      hessian[j]![j]! += ridge;
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) hessian[j]![k] = hessian[k]![j]!;
    const step = solve(hessian, gradient);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      w[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-9) break;
  }
  return { intercept: w[0]!, coefficients: w.slice(1), iterations };
}

/** Gaussian elimination with partial pivoting; the Hessian is positive definite thanks to the ridge. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const logit = (p: number) => Math.log(p / (1 - p));
