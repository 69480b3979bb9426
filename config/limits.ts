// Numeric ranges: what the receiving APIs store (Kubernetes int32, Kafka int16) and wolke's bounds that keep a synth fast.
import { z } from 'zod';

/** Kubernetes stores replica counts, ports and most integers as int32. */
export const INT32_MAX = 2_147_483_647;
/** Kafka's CreateTopics request carries the replication factor as int16. */
export const INT16_MAX = 32_767;

/** One end of a range, and why it is there when that is not obvious. */
export interface Bound {
  readonly value: number;
  readonly why?: string;
}

const bound = (b: number | Bound): Bound => (typeof b === 'number' ? { value: b } : b);

/** A whole number from `min` to `max`; each message names the bound, its reason and the value given. */
export function wholeNumber(min: number | Bound, max: number | Bound) {
  const low = bound(min);
  const high = bound(max);
  return z
    .number()
    .int({ error: 'must be a whole number', abort: true })
    .min(low.value, { error: (i) => (low.why ? `must be at least ${low.value}: ${low.why} (got ${String(i.input)})` : `must be at least ${low.value}`), abort: true })
    .max(high.value, {
      error: (i) => `must be at most ${high.value}${high.why ? `: ${high.why}` : ''} (got ${String(i.input)})`,
      abort: true,
    });
}

/** A replica count as a Kubernetes workload takes it: at least 1, an int32. */
export const replicas = (why = 'Kubernetes stores replicas as int32') => wholeNumber(1, { value: INT32_MAX, why });

/** A positive number up to `max`. */
export function positiveNumber(max: Bound) {
  return z
    .number()
    .positive({ error: (i) => `must be above 0 (got ${String(i.input)})`, abort: true })
    .max(max.value, { error: (i) => `must be at most ${max.value}${max.why ? `: ${max.why}` : ''} (got ${String(i.input)})` });
}
