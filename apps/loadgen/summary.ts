// The summary a load run prints: requests, errors, latency percentiles and the rate actually reached.
import type { Result } from 'autocannon';

export interface LoadSummary {
  url: string;
  /** Responses received (any status). */
  requests: number;
  /** Responses that were not 2xx. */
  non2xx: number;
  /** Requests without a response: connection errors and timeouts. */
  failed: number;
  timeouts: number;
  /** (non2xx + failed) / (requests + failed). */
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationSeconds: number;
  achievedRps: number;
}

export function summarize(result: Pick<Result, 'url' | 'requests' | 'latency' | 'errors' | 'timeouts' | 'non2xx' | 'duration'>): LoadSummary {
  const requests = result.requests.total;
  const attempts = requests + result.errors;
  return {
    url: result.url,
    requests,
    non2xx: result.non2xx,
    failed: result.errors,
    timeouts: result.timeouts,
    errorRate: attempts === 0 ? 0 : Number(((result.non2xx + result.errors) / attempts).toFixed(4)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    durationSeconds: Number(result.duration.toFixed(2)),
    achievedRps: result.duration > 0 ? Number((requests / result.duration).toFixed(1)) : 0,
  };
}

/** A few lines for a person reading the Job's log; the JSON line before them is for machines. */
export function formatSummary(s: LoadSummary): string {
  return [
    `load on ${s.url}: ${s.requests} requests in ${s.durationSeconds} s (${s.achievedRps}/s)`,
    `errors: ${s.non2xx} non-2xx, ${s.failed} failed (${s.timeouts} timeouts), error rate ${(s.errorRate * 100).toFixed(2)} %`,
    `latency: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms`,
  ].join('\n');
}
