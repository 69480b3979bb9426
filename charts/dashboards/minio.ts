// MinIO's dashboard: its own cluster metrics (nodes and drives, capacity, S3 requests and traffic, notifications).
import { EXTERNAL_METRICS } from '../alert-rules';
import type { DashboardSpec, PanelQuery } from './panel';
import type { NamespaceQueries } from './queries';

/** MinIO's own cluster metrics (`/minio/v2/metrics/cluster`) that the MinIO dashboard reads. */
export const MINIO_METRICS = {
  nodesOnline: 'minio_cluster_nodes_online_total',
  nodesOffline: EXTERNAL_METRICS.minioNodesOffline,
  drivesOnline: 'minio_cluster_drive_online_total',
  drivesOffline: 'minio_cluster_drive_offline_total',
  usableFree: EXTERNAL_METRICS.minioUsableFree,
  usableTotal: EXTERNAL_METRICS.minioUsableTotal,
  requests: 'minio_s3_requests_total',
  trafficReceived: 'minio_s3_traffic_received_bytes',
  trafficSent: 'minio_s3_traffic_sent_bytes',
  notificationsSent: 'minio_notify_events_sent_total',
  notificationErrors: 'minio_notify_events_errors_total',
} as const;

/** MinIO's dashboard, its queries scoped by `q` to one namespace. */
export function minioDashboard(q: NamespaceQueries): DashboardSpec {
  const { sel, rate } = q;
  // Every MinIO node answers for the whole cluster: the max over the scraped pods counts each value once.
  const minio = (expr: string) => `max without (instance, pod) (${expr})`;
  /** One query per legend: the cluster's value of a gauge, or the per-second rate of a counter. */
  const gauges = (series: Record<string, string>): PanelQuery[] => Object.entries(series).map(([legend, name]) => ({ expr: minio(sel(name)), legend }));
  const rates = (series: Record<string, string>): PanelQuery[] => Object.entries(series).map(([legend, name]) => ({ expr: `sum(${minio(rate(name))})`, legend }));
  const m = MINIO_METRICS;
  return {
    title: 'MinIO',
    description: "MinIO's own cluster metrics: nodes and drives, capacity, S3 requests and traffic, notifications to Kafka.",
    panels: [
      {
        title: 'Nodes and drives',
        description: 'Online and offline nodes and drives of the cluster.',
        unit: 'short',
        queries: gauges({ 'nodes online': m.nodesOnline, 'nodes offline': m.nodesOffline, 'drives online': m.drivesOnline, 'drives offline': m.drivesOffline }),
      },
      {
        title: 'Usable capacity',
        description: 'Free and total usable capacity (MinioDiskLow fires below 10 % free).',
        unit: 'bytes',
        queries: gauges({ free: m.usableFree, total: m.usableTotal }),
      },
      { title: 'S3 requests', description: 'Requests per second, by S3 call.', unit: 'reqps', queries: [{ expr: `sum by (api) (${minio(rate(MINIO_METRICS.requests))})`, legend: '{{api}}' }] },
      { title: 'S3 traffic', description: 'Bytes per second received and sent.', unit: 'Bps', queries: rates({ received: m.trafficReceived, sent: m.trafficSent }) },
      {
        title: 'Upload notifications to Kafka',
        description: 'Bucket notifications MinIO sent to Kafka, and those that failed.',
        unit: 'ops',
        queries: rates({ sent: m.notificationsSent, failed: m.notificationErrors }),
      },
    ],
  };
}
