// Statistics of benchmark samples: percentiles, medians, ratios and the A B A B order of interleaved runs.

/** The p-th percentile (0–100) of `values`, linearly interpolated between the closest ranks (R type 7). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100 (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

/** The median (50th percentile). */
export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * How many times better `subject` is than `baseline`: subject/baseline when higher is better (throughput),
 * baseline/subject when lower is better (latency, time); so above 1 always means the subject wins.
 */
export function speedup(subject: number, baseline: number, better: 'higher' | 'lower'): number {
  const [numerator, denominator] = better === 'higher' ? [subject, baseline] : [baseline, subject];
  if (!(denominator > 0)) throw new Error(`cannot compare with ${denominator}`);
  return numerator / denominator;
}

/** Events per second from `count` events over `ms` milliseconds. */
export function ratePerSecond(count: number, ms: number): number {
  if (!(ms > 0)) throw new Error(`a rate needs a positive duration (got ${ms} ms)`);
  return (count * 1000) / ms;
}

/**
 * The order of `rounds` rounds over `subjects`, alternating (A B A B …) so that a slow phase of a noisy
 * machine hits every subject alike; each entry is [subject, round].
 */
export function interleave<T>(subjects: readonly T[], rounds: number): [T, number][] {
  const order: [T, number][] = [];
  for (let round = 0; round < rounds; round++) for (const subject of subjects) order.push([subject, round]);
  return order;
}
