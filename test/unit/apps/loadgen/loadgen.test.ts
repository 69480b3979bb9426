import { describe, expect, it } from 'vitest';
import { readLoadOptions } from '../../../../apps/loadgen/options';
import { formatSummary, summarize } from '../../../../apps/loadgen/summary';

describe('load generator options', () => {
  it('reads flags, falls back to the environment, and caps connections by the rate', () => {
    expect(readLoadOptions(['--url', 'http://api:8080/sensors', '--rps', '20', '--duration', '30'], {})).toEqual({
      url: 'http://api:8080/sensors',
      rps: 20,
      duration: 30,
      connections: 20,
      timeout: 10,
      maxErrorRate: 1,
    });
    const fromEnv = readLoadOptions(['--rps', '500'], { TARGET_URL: 'http://web/api/images', RPS: '5', DURATION: '60', MAX_ERROR_RATE: '0.01' });
    expect(fromEnv).toMatchObject({ url: 'http://web/api/images', rps: 500, duration: 60, connections: 50, maxErrorRate: 0.01 });
  });

  it('names each missing or bad parameter with its flag and variable', () => {
    expect(() => readLoadOptions(['--rps=-1', '--duration', '99999'], {})).toThrow(
      'invalid load generator options:\n  --url (or TARGET_URL): is required\n  --rps (or RPS): must be above 0\n  --duration (or DURATION): must be at most 3600 (one hour)',
    );
    expect(() => readLoadOptions(['--url', 'ftp://x', '--rps', '1', '--duration', '1'], {})).toThrow(/--url \(or TARGET_URL\): must be an http\(s\) URL/);
    expect(() => readLoadOptions(['--bogus'], {})).toThrow(/bogus/);
  });
});

describe('load summary', () => {
  const result = {
    url: 'http://api/sensors',
    requests: { total: 990 } as never,
    latency: { p50: 3, p99: 41, max: 120 } as never,
    errors: 10,
    timeouts: 4,
    non2xx: 40,
    duration: 10.04,
  };

  it('counts failed requests and non-2xx answers as errors', () => {
    expect(summarize(result)).toEqual({
      url: 'http://api/sensors',
      requests: 990,
      non2xx: 40,
      failed: 10,
      timeouts: 4,
      errorRate: 0.05,
      p50Ms: 3,
      p99Ms: 41,
      maxMs: 120,
      durationSeconds: 10.04,
      achievedRps: 98.6,
    });
    expect(formatSummary(summarize(result))).toBe(
      'load on http://api/sensors: 990 requests in 10.04 s (98.6/s)\nerrors: 40 non-2xx, 10 failed (4 timeouts), error rate 5.00 %\nlatency: p50 3 ms, p99 41 ms, max 120 ms',
    );
  });
});
