// The load generator's parameters from flags (local runs) or environment variables (the Kubernetes Job); flags win.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { httpUrl, positiveInt, positiveNumber } from '../lib/config';

const loadOptionsSchema = z
  .strictObject({
    /** Address requested, e.g. http://api:8080/sensors. */
    url: httpUrl,
    /** Requests per second in total. */
    rps: positiveNumber.max(10_000, { error: 'must be at most 10000' }),
    /** Seconds the run lasts; it always stops by itself. */
    duration: positiveInt.max(3_600, { error: 'must be at most 3600 (one hour)' }),
    /** Open connections; at most one request in flight per connection. */
    connections: positiveInt.max(1_000).optional(),
    /** Seconds before a request counts as timed out. */
    timeout: positiveInt.max(120).default(10),
    /** Exit with 1 when errors / requests is above this (0.01 = 1 %); 1 never fails. */
    maxErrorRate: z.coerce.number().min(0).max(1).default(1),
  })
  .transform((o) => ({ ...o, connections: o.connections ?? Math.min(Math.ceil(o.rps), 50) }));

export type LoadOptions = z.infer<typeof loadOptionsSchema>;

const flagOf = { url: 'TARGET_URL', rps: 'RPS', duration: 'DURATION', connections: 'CONNECTIONS', timeout: 'TIMEOUT', maxErrorRate: 'MAX_ERROR_RATE' } as const;

/** Reads `--url --rps --duration [--connections --timeout --max-error-rate]`, falling back to TARGET_URL, RPS, ... */
export function readLoadOptions(argv: string[], env: NodeJS.ProcessEnv): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      rps: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      timeout: { type: 'string' },
      'max-error-rate': { type: 'string' },
    },
  });
  const flags: Record<keyof typeof flagOf, string | undefined> = {
    url: values.url,
    rps: values.rps,
    duration: values.duration,
    connections: values.connections,
    timeout: values.timeout,
    maxErrorRate: values['max-error-rate'],
  };
  const input = Object.fromEntries(
    (Object.keys(flagOf) as (keyof typeof flagOf)[])
      .map((key) => [key, flags[key] ?? (env[flagOf[key]] || undefined)] as const)
      .filter(([, value]) => value !== undefined),
  );
  const parsed = loadOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '') as keyof typeof flagOf;
    const name = key in flagOf ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} (or ${flagOf[key]})` : 'options';
    return `${name}: ${input[key] === undefined && key in flagOf ? 'is required' : issue.message}`;
  });
  throw new Error(`invalid load generator options:\n  ${lines.join('\n  ')}`);
}
