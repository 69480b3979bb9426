// The PromQL pieces the dashboards' queries are made of, every selector scoped to the environment's namespace.
import { APP_METRICS as M } from '../../apps/lib/metric-names';
import type { Environment } from '../../config/schema';
import type { PanelQuery } from './panel';

/** Window of rate() and the quantiles: Grafana's own, at least four scrapes and one step of the graph. */
const GRAFANA_RATE_INTERVAL = '$__rate_interval';
/** Window of the counts of rare events (dead letters, anomalies), as the alerts count them. */
export const COUNT_WINDOW = '15m';
/** The topic the processor consumes (a key of the model's `apps.topics`, so a rename fails to compile). */
export const UPLOADS_TOPIC: keyof Environment['apps']['topics'] = 'minio-events';

/** Query builders of one namespace. */
export interface NamespaceQueries {
  /** A series of the namespace, with further label matchers. */
  sel(name: string, extra?: string): string;
  /** Its per-second rate over Grafana's rate interval. */
  rate(name: string, extra?: string): string;
  /** Quantiles of a histogram over all its series, legend `p<percent>`. */
  quantiles(histogram: string, qs: readonly number[]): PanelQuery[];
  /** Consumer lag per group, topic and partition. */
  lagByPartition(extra?: string): string;
}

/** The query builders of an environment's namespace. */
export function namespaceQueries(env: Environment): NamespaceQueries {
  const ns = `namespace="${env.apps.namespace}"`;
  const sel = (name: string, extra = '') => `${name}{${ns}${extra ? `, ${extra}` : ''}}`;
  const rate = (name: string, extra = '') => `rate(${sel(name, extra)}[${GRAFANA_RATE_INTERVAL}])`;
  return {
    sel,
    rate,
    quantiles: (histogram, qs) =>
      qs.map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (${rate(`${histogram}_bucket`)}))`, legend: `p${Math.round(q * 100)}` })),
    // Every replica of a consumer reports the lag of all its group's partitions: the max per partition counts each once.
    lagByPartition: (extra = '') => `max by (group, topic, partition) (${sel(M.consumerLag, extra)})`,
  };
}

/** A query as Prometheus takes it outside Grafana: its rate interval replaced by a duration such as 1m. */
export function atRateInterval(expr: string, interval: string): string {
  return expr.replaceAll(GRAFANA_RATE_INTERVAL, interval);
}
