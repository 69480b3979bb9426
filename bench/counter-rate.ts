// The rate of a subject measured from a counter on its /metrics: scraped until it reaches the total or time runs out.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Supervised } from '../testbed/process';
import { counterValue } from './prometheus-text';
import { ratePerSecond } from './stats';
import { whileAlive } from './subject-process';

/** A rate between two observations of a subject's count; `complete` when it had handled every record. */
export interface Observed {
  rate: number;
  complete: boolean;
}

interface Observation {
  at: number;
  count: number;
}

export function observedRate(first: Observation, last: Observation, total: number, name: string): Observed {
  if (last.at <= first.at || last.count <= first.count) throw new Error(`${name}: no progress between two observations`);
  return { rate: ratePerSecond(last.count - first.count, last.at - first.at), complete: last.count >= total };
}

export interface CounterRateOptions {
  /** The subject's name, for errors. */
  name: string;
  /** Where its /metrics is, on 127.0.0.1. */
  port: number;
  counter: string;
  /** The count at which it is done. */
  total: number;
  deadlineSeconds: number;
  /**
   * Whether the first scrape that shows progress counts from zero (the counter moves in large steps, e.g. a whole
   * file at a time) instead of from its own value (a counter that moves record by record).
   */
  fromZero?: boolean;
  /** What the subject did not do when it did nothing, e.g. `consumed`, `wrote`. */
  verb: string;
}

/** The rate between the first scrape that shows progress and the one that shows the total (or the last one before the deadline). */
export async function counterRate(child: Supervised, options: CounterRateOptions): Promise<Observed> {
  const deadline = Date.now() + options.deadlineSeconds * 1000;
  let first: Observation | undefined;
  let last: Observation | undefined;
  while (Date.now() < deadline && (last === undefined || last.count < options.total)) {
    const count = await fetch(`http://127.0.0.1:${options.port}/metrics`)
      .then(async (r) => counterValue(await r.text(), options.counter) ?? 0)
      .catch(() => 0);
    const observation = { at: Date.now(), count };
    if (first === undefined && count > 0) first = options.fromZero ? { at: observation.at, count: 0 } : observation;
    else if (first !== undefined) last = observation;
    if (last === undefined || last.count < options.total) await whileAlive(child, sleep(50));
  }
  if (first === undefined || last === undefined) throw new Error(`${options.name}: ${options.verb} nothing within ${options.deadlineSeconds} s`);
  return observedRate(first, last, options.total, options.name);
}
