// The API's Prometheus metrics, registered on one registry that `/metrics` serves.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { APP_METRICS } from '../lib/metric-names';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route'>;
  resultsConsumed: Counter<'outcome'>;
  streamClients: Gauge;
  uploadUrlsSigned: Counter;
  /** Full listings of the processed bucket, by result (done, failed). */
  indexRepairs: Counter<'result'>;
}

/** Registers the API's series on `registry` (one per API instance, so tests can run several in one process). */
export function createApiMetrics(registry: Registry): ApiMetrics {
  return {
    registry,
    requests: new Counter({
      name: APP_METRICS.apiRequests,
      help: 'HTTP requests answered, by route and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: APP_METRICS.apiRequestSeconds,
      help: 'Time to answer an HTTP request (until headers for the event stream).',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    resultsConsumed: new Counter({
      name: 'api_results_consumed_total',
      help: 'Messages read from the results topic, by outcome (applied, stale, invalid; renditions, other-bucket for announced renditions).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    streamClients: new Gauge({
      name: 'api_sensor_stream_clients',
      help: 'Open /sensors/stream connections.',
      registers: [registry],
    }),
    uploadUrlsSigned: new Counter({
      name: 'api_upload_urls_signed_total',
      help: 'Presigned upload URLs handed out.',
      registers: [registry],
    }),
    indexRepairs: new Counter({
      name: 'api_image_index_listings_total',
      help: 'Full listings of the processed bucket (at start, then every IMAGES_REPAIR_INTERVAL_MS), by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
