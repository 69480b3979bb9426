// Sizes and the seeded kill schedule of the chaos tests, read from the environment so a failure can be replayed.
import { randomInt } from 'node:crypto';
import fc from 'fast-check';

/** A whole number from `name`, or `fallback` when unset; anything else is an error naming the variable. */
export function envCount(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got ${JSON.stringify(text)}`);
  return value;
}

/** How long each processor lives after joining its group before it is SIGKILLed, in ms; the same seed, the same list. */
export function killDelays(seed: number, kills: number, minMs = 200, maxMs = 3_000): number[] {
  if (kills === 0) return [];
  const schedule = fc.array(fc.noBias(fc.integer({ min: minMs, max: maxMs })), { minLength: kills, maxLength: kills });
  return fc.sample(schedule, { seed, numRuns: 1 })[0]!;
}

/** The seed of this run: WOLKE_CHAOS_SEED to replay a failure, a fresh one otherwise. */
export function chaosSeed(env: NodeJS.ProcessEnv): number {
  return envCount(env, 'WOLKE_CHAOS_SEED', randomInt(1, 2 ** 31 - 1));
}

/** Splits `total` items into `parts` consecutive chunks whose sizes differ by at most one. */
export function chunkSizes(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
}
