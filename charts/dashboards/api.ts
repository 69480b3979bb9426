// The api's dashboard: request rate, latency, server errors, and its replicas against the HPA.
import { APP_METRICS as M } from '../../apps/lib/metric-names';
import { EXTERNAL_METRICS, THRESHOLDS } from '../alert-rules';
import { SERVICE_NAMES } from '../endpoints';
import type { DashboardSpec } from './panel';
import type { NamespaceQueries } from './queries';

/** kube-state-metrics' HPA series the API dashboard reads (its docs, horizontalpodautoscaler-metrics). */
export const HPA_METRICS = {
  currentReplicas: EXTERNAL_METRICS.hpaCurrentReplicas,
  desiredReplicas: 'kube_horizontalpodautoscaler_status_desired_replicas',
  minReplicas: 'kube_horizontalpodautoscaler_spec_min_replicas',
  maxReplicas: EXTERNAL_METRICS.hpaMaxReplicas,
  targetMetric: 'kube_horizontalpodautoscaler_spec_target_metric',
  currentMetric: 'kube_horizontalpodautoscaler_status_target_metric',
} as const;

/** The api's dashboard, its queries scoped by `q` to one namespace. */
export function apiDashboard(q: NamespaceQueries): DashboardSpec {
  const { sel, rate, quantiles } = q;
  return {
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
  };
}
