// The Grafana dashboards of an environment, built with Grafana's foundation SDK from the metric names the apps export.
import { DashboardBuilder, DashboardCursorSync, ThresholdsConfigBuilder, ThresholdsMode, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { APP_METRICS as M } from '../apps/lib/metric-names';
import type { Environment } from '../config/schema';
import { EXTERNAL_METRICS, THRESHOLDS } from './alert-rules';
import { SERVICE_NAMES } from './endpoints';
import { KAFKA_BROKER_METRICS as K } from './kafka-metrics';

/** The Prometheus datasource kube-prometheus-stack provisions in its Grafana (`grafana.sidecar.datasources.uid`). */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

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

/** kube-state-metrics' HPA series the API dashboard reads (its docs, horizontalpodautoscaler-metrics). */
export const HPA_METRICS = {
  currentReplicas: EXTERNAL_METRICS.hpaCurrentReplicas,
  desiredReplicas: 'kube_horizontalpodautoscaler_status_desired_replicas',
  minReplicas: 'kube_horizontalpodautoscaler_spec_min_replicas',
  maxReplicas: EXTERNAL_METRICS.hpaMaxReplicas,
  targetMetric: 'kube_horizontalpodautoscaler_spec_target_metric',
  currentMetric: 'kube_horizontalpodautoscaler_status_target_metric',
} as const;

/** Series that only a cluster has, with the reason; their panels cannot be checked against the local pipeline. */
export const CLUSTER_ONLY_METRICS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(HPA_METRICS).map((name) => [name, 'kube-state-metrics reads HorizontalPodAutoscalers from the Kubernetes API; the local pipeline has none']),
);

/** One PromQL query of a panel, with the legend Grafana draws for its series. */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
}

/** What a panel shows: the generator turns it into a Grafana time series panel. */
interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id (ops, reqps, s, bytes, percentunit, short). */
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
  /** A red line at this value: the alert's threshold. */
  readonly threshold?: number;
}

/** Key of a dashboard: the last part of its uid and of its ConfigMap's name. */
export type DashboardKey = 'images' | 'sensors' | 'api' | 'kafka' | 'minio';

/** A generated dashboard with the key it is shipped under. */
export interface WolkeDashboard {
  readonly key: DashboardKey;
  readonly dashboard: Dashboard;
}

/** Grafana's limit for a dashboard uid. */
export const MAX_UID_LENGTH = 40;

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;
/** Window of rate() and the quantiles: Grafana's own, at least four scrapes and one step of the graph. */
export const GRAFANA_RATE_INTERVAL = '$__rate_interval';
const RATE = GRAFANA_RATE_INTERVAL;
/** Window of the counts of rare events (dead letters, anomalies), as the alerts count them. */
const COUNT_WINDOW = '15m';
/** The topic the processor consumes (a key of the model's `apps.topics`, so a rename fails to compile). */
const UPLOADS_TOPIC: keyof Environment['apps']['topics'] = 'minio-events';

/** The five dashboards of an environment, every query scoped to its namespace. */
export function dashboards(env: Environment): WolkeDashboard[] {
  const ns = `namespace="${env.apps.namespace}"`;
  const sel = (name: string, extra = '') => `${name}{${ns}${extra ? `, ${extra}` : ''}}`;
  const rate = (name: string, extra = '') => `rate(${sel(name, extra)}[${RATE}])`;
  const quantiles = (histogram: string, qs: readonly number[]): PanelQuery[] =>
    qs.map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (${rate(`${histogram}_bucket`)}))`, legend: `p${Math.round(q * 100)}` }));
  // Every replica of a consumer reports the lag of all its group's partitions: the max per partition counts each once.
  const lagByPartition = (extra = '') => `max by (group, topic, partition) (${sel(M.consumerLag, extra)})`;
  // Every MinIO node answers for the whole cluster: the max over the scraped pods counts each value once.
  const minio = (expr: string) => `max without (instance, pod) (${expr})`;

  const specs: Record<DashboardKey, { title: string; description: string; panels: PanelSpec[] }> = {
    images: {
      title: 'Image pipeline',
      description: 'Uploads through the processor: what it handles, the renditions it writes, dead letters, lag and time per object.',
      panels: [
        { title: 'Uploads handled', description: 'Objects the processors finished, by result.', unit: 'ops', queries: [{ expr: `sum by (result) (${rate(M.processorObjects)})`, legend: '{{result}}' }] },
        { title: 'Renditions written', description: 'Renditions written to the processed bucket, by rendition.', unit: 'ops', queries: [{ expr: `sum by (rendition) (${rate(M.processorRenditions)})`, legend: '{{rendition}}' }] },
        {
          title: `Dead letters (${COUNT_WINDOW})`,
          description: 'Uploads sent to the dead-letter topic, by reason (the ProcessorDeadLetters alert).',
          unit: 'short',
          queries: [{ expr: `sum by (reason) (increase(${sel(M.processorDeadLetters)}[${COUNT_WINDOW}]))`, legend: '{{reason}}' }],
        },
        {
          title: 'Consumer lag of the uploads',
          description: `Notifications on ${UPLOADS_TOPIC} the processor group has not committed yet.`,
          unit: 'short',
          queries: [{ expr: `sum by (group) (${lagByPartition(`topic="${UPLOADS_TOPIC}"`)})`, legend: '{{group}}' }],
          threshold: THRESHOLDS.consumerLag,
        },
        { title: 'Time per object', description: 'From stat to the last rendition uploaded.', unit: 's', queries: quantiles(M.processorObjectSeconds, [0.5, 0.95, 0.99]) },
        {
          title: 'Retries and refusals',
          description: 'Attempts retried with backoff per second, and 1 while MinIO refuses the processor.',
          unit: 'short',
          queries: [
            { expr: `sum(${rate(M.processorTransientFailures)})`, legend: 'retried attempts/s' },
            { expr: `max(${sel(M.processorStorageRefused)})`, legend: 'storage refused' },
          ],
        },
      ],
    },
    sensors: {
      title: 'Sensors',
      description: 'Sensor events from the producer through the aggregator and detector to the lake.',
      panels: [
        {
          title: 'Event rate',
          description: 'Events Kafka acknowledged to the producer, and events the aggregator and the detector read.',
          unit: 'ops',
          queries: [
            { expr: `sum(${rate(M.producerEventsSent)})`, legend: 'produced' },
            { expr: `sum(${rate(M.aggregatorEventsConsumed)})`, legend: 'aggregator read' },
            { expr: `sum(${rate(M.detectorEventsConsumed)})`, legend: 'detector read' },
          ],
        },
        { title: 'Window averages', description: 'Average of the last closed window of each sensor.', unit: 'short', queries: [{ expr: `max by (sensor) (${sel(M.aggregatorWindowAverage)})`, legend: '{{sensor}}' }] },
        { title: 'Window results written', description: 'Window results the aggregator wrote to the results topic.', unit: 'ops', queries: [{ expr: `sum(${rate(M.aggregatorResultsProduced)})`, legend: 'results' }] },
        {
          title: `Anomalies (${COUNT_WINDOW})`,
          description: 'Anomalies the detector found, by sensor.',
          unit: 'short',
          queries: [{ expr: `sum by (sensor) (increase(${sel(M.detectorAnomalies)}[${COUNT_WINDOW}]))`, legend: '{{sensor}}' }],
        },
        { title: 'Records archived to the lake', description: 'Records the lake sink wrote as Parquet, by topic.', unit: 'ops', queries: [{ expr: `sum by (topic) (${rate(M.lakeRecordsWritten)})`, legend: '{{topic}}' }] },
        {
          title: 'Consumer lag of the sensor consumers',
          description: 'Messages each group has not committed yet, summed over its partitions.',
          unit: 'short',
          queries: [{ expr: `sum by (group, topic) (${lagByPartition(`topic!="${UPLOADS_TOPIC}"`)})`, legend: '{{group}} on {{topic}}' }],
          threshold: THRESHOLDS.consumerLag,
        },
      ],
    },
    api: {
      title: 'API',
      description: 'The api: request rate, latency, server errors, and its replicas against the HPA.',
      panels: [
        { title: 'Requests', description: 'Answers per second, by route and status.', unit: 'reqps', queries: [{ expr: `sum by (route, status) (${rate(M.apiRequests)})`, legend: '{{route}} {{status}}' }] },
        {
          title: 'Latency',
          description: 'Quantiles of the time to answer (the ApiSlow alert reads p99).',
          unit: 's',
          queries: quantiles(M.apiRequestSeconds, [0.5, 0.9, 0.99]),
          threshold: THRESHOLDS.apiP99Seconds,
        },
        {
          title: 'Server errors',
          description: 'Share of answers that are 5xx (the ApiErrors alert); 0 while there are none.',
          unit: 'percentunit',
          queries: [{ expr: `(sum(${rate(M.apiRequests, 'status=~"5.."')}) or vector(0)) / sum(${rate(M.apiRequests)})`, legend: '5xx share' }],
          threshold: THRESHOLDS.api5xxRatio,
        },
        {
          title: 'Replicas and the HPA bounds',
          description: 'Replicas the HPA runs and wants, between its minimum and maximum (HpaAtMaximum fires at the maximum).',
          unit: 'short',
          queries: (['currentReplicas', 'desiredReplicas', 'minReplicas', 'maxReplicas'] as const).map((key) => ({
            expr: `max(${sel(HPA_METRICS[key], `horizontalpodautoscaler="${SERVICE_NAMES.api}"`)})`,
            legend: key.replace('Replicas', ''),
          })),
        },
        {
          title: 'CPU against the HPA target',
          description: "The api pods' average CPU utilisation and the target the HPA scales to.",
          unit: 'percent',
          queries: [
            { expr: `max(${sel(HPA_METRICS.currentMetric, `horizontalpodautoscaler="${SERVICE_NAMES.api}", metric_name="cpu"`)})`, legend: 'utilisation' },
            { expr: `max(${sel(HPA_METRICS.targetMetric, `horizontalpodautoscaler="${SERVICE_NAMES.api}", metric_name="cpu"`)})`, legend: 'target' },
          ],
        },
      ],
    },
    kafka: {
      title: 'Kafka',
      description: "Kafka's brokers (their JMX exporter agent) and the apps' view: traffic per topic, partition health, consumer lag.",
      panels: [
        {
          title: 'Messages written per topic',
          description: 'Messages producers wrote, counted by the leader of each partition.',
          unit: 'ops',
          queries: [{ expr: `sum by (topic) (${rate(K.messagesIn)})`, legend: '{{topic}}' }],
        },
        {
          title: 'Broker traffic',
          description: 'Bytes producers wrote and consumers and followers read, all brokers together.',
          unit: 'Bps',
          queries: [
            { expr: `sum(${rate(K.bytesIn)})`, legend: 'in' },
            { expr: `sum(${rate(K.bytesOut)})`, legend: 'out' },
          ],
        },
        {
          title: 'Partitions short of replicas (brokers)',
          description: 'Partitions whose leader reports them under-replicated or under min.insync.replicas (KafkaUnderReplicatedPartitions).',
          unit: 'short',
          queries: [
            { expr: `sum(${sel(K.partitionUnderReplicated)})`, legend: 'under-replicated' },
            { expr: `sum(${sel(K.partitionUnderMinIsr)})`, legend: 'under min ISR' },
          ],
        },
        {
          title: 'Controllers',
          description: 'Partitions without a leader as the KRaft controllers count them (KafkaOfflinePartitions), and the active controllers (1 when healthy).',
          unit: 'short',
          queries: [
            { expr: `max(${sel(K.offlinePartitions)})`, legend: 'offline partitions' },
            { expr: `sum(${sel(K.activeController)})`, legend: 'active controllers' },
          ],
        },
        { title: 'Consumer lag per group', description: 'Messages not yet committed, summed over the partitions.', unit: 'short', queries: [{ expr: `sum by (group, topic) (${lagByPartition()})`, legend: '{{group}} on {{topic}}' }], threshold: THRESHOLDS.consumerLag },
        { title: 'Consumer lag per partition', description: 'Messages not yet committed in each partition.', unit: 'short', queries: [{ expr: lagByPartition(), legend: '{{group}} {{topic}}/{{partition}}' }] },
        {
          title: 'Partition health as the apps see it',
          description: "Partitions without enough in-sync replicas or without a leader, by topic, from the processor's metadata reads.",
          unit: 'short',
          queries: [
            { expr: `max by (topic) (${sel(M.underReplicatedPartitions)})`, legend: 'under-replicated {{topic}}' },
            { expr: `max by (topic) (${sel(M.offlinePartitions)})`, legend: 'offline {{topic}}' },
          ],
        },
      ],
    },
    minio: {
      title: 'MinIO',
      description: "MinIO's own cluster metrics: nodes and drives, capacity, S3 requests and traffic, notifications to Kafka.",
      panels: [
        {
          title: 'Nodes and drives',
          description: 'Online and offline nodes and drives of the cluster.',
          unit: 'short',
          queries: [
            { expr: minio(sel(MINIO_METRICS.nodesOnline)), legend: 'nodes online' },
            { expr: minio(sel(MINIO_METRICS.nodesOffline)), legend: 'nodes offline' },
            { expr: minio(sel(MINIO_METRICS.drivesOnline)), legend: 'drives online' },
            { expr: minio(sel(MINIO_METRICS.drivesOffline)), legend: 'drives offline' },
          ],
        },
        {
          title: 'Usable capacity',
          description: 'Free and total usable capacity (MinioDiskLow fires below 10 % free).',
          unit: 'bytes',
          queries: [
            { expr: minio(sel(MINIO_METRICS.usableFree)), legend: 'free' },
            { expr: minio(sel(MINIO_METRICS.usableTotal)), legend: 'total' },
          ],
        },
        { title: 'S3 requests', description: 'Requests per second, by S3 call.', unit: 'reqps', queries: [{ expr: `sum by (api) (${minio(rate(MINIO_METRICS.requests))})`, legend: '{{api}}' }] },
        {
          title: 'S3 traffic',
          description: 'Bytes per second received and sent.',
          unit: 'Bps',
          queries: [
            { expr: `sum(${minio(rate(MINIO_METRICS.trafficReceived))})`, legend: 'received' },
            { expr: `sum(${minio(rate(MINIO_METRICS.trafficSent))})`, legend: 'sent' },
          ],
        },
        {
          title: 'Upload notifications to Kafka',
          description: 'Bucket notifications MinIO sent to Kafka, and those that failed.',
          unit: 'ops',
          queries: [
            { expr: `sum(${minio(rate(MINIO_METRICS.notificationsSent))})`, legend: 'sent' },
            { expr: `sum(${minio(rate(MINIO_METRICS.notificationErrors))})`, legend: 'failed' },
          ],
        },
      ],
    },
  };

  return (Object.keys(specs) as DashboardKey[]).map((key) => {
    const spec = specs[key];
    const builder = new DashboardBuilder(`wolke ${env.name} / ${spec.title}`)
      .uid(dashboardUid(env, key))
      .description(spec.description)
      .tags(['wolke', env.name])
      .editable()
      .tooltip(DashboardCursorSync.Crosshair)
      .time({ from: 'now-1h', to: 'now' })
      .refresh('30s');
    spec.panels.forEach((panel, index) => builder.withPanel(timeseries(panel, index)));
    return { key, dashboard: builder.build() };
  });
}

/** The uid of a dashboard: stable across deploys, so links and bookmarks keep working. */
export function dashboardUid(env: Environment, key: DashboardKey): string {
  return `${env.name}-${key}`;
}

/** A query as Prometheus takes it outside Grafana: its rate interval replaced by a duration such as 1m. */
export function atRateInterval(expr: string, interval: string): string {
  return expr.replaceAll(GRAFANA_RATE_INTERVAL, interval);
}

/** Every query of a dashboard with the panel it belongs to. */
export function dashboardQueries(dashboard: Dashboard): { panel: string; refId: string; expr: string; legend: string }[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    'targets' in panel
      ? (panel.targets ?? []).map((target) => {
          const query = target as { refId?: string; expr?: string; legendFormat?: string };
          return { panel: panel.title ?? '', refId: query.refId ?? '', expr: query.expr ?? '', legend: query.legendFormat ?? '' };
        })
      : [],
  );
}

/** A time series panel of a spec; panels flow two to a row. */
function timeseries(spec: PanelSpec, index: number): PanelBuilder {
  const panel = new PanelBuilder()
    .id(index + 1)
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .gridPos({ x: (index % 2) * PANEL_WIDTH, y: Math.floor(index / 2) * PANEL_HEIGHT, w: PANEL_WIDTH, h: PANEL_HEIGHT })
    .unit(spec.unit)
    .min(0)
    .fillOpacity(10)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom));
  spec.queries.forEach((query, i) =>
    panel.withTarget(
      new DataqueryBuilder()
        .datasource(PROMETHEUS_DATASOURCE)
        .refId(String.fromCharCode(65 + i))
        .expr(query.expr)
        .legendFormat(query.legend)
        .range(),
    ),
  );
  if (spec.threshold !== undefined) {
    panel.thresholds(
      new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: spec.threshold, color: 'red' },
      ]),
    );
    panel.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}
