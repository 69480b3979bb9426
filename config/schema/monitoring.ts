// The monitoring slice of the model: Prometheus, Grafana and Alertmanager from kube-prometheus-stack.
import { z } from 'zod';
import { alertingSchema } from '../alerting-schema';
import { storageSize } from '../quantity';

/** Prometheus durations as its flags take them, e.g. 15d, 12h or 2w. */
const prometheusDuration = z.string().regex(/^[1-9][0-9]{0,5}(ms|s|m|h|d|w|y)$/, {
  error: (i) => `must be a Prometheus duration such as 15d, 12h or 2w (got ${JSON.stringify(i.input)})`,
});

/** Namespace the monitoring stack (operator, Prometheus, Grafana) is installed in. */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * Monitoring the kube-prometheus-stack way: the operator, Prometheus and Grafana from the chart k3s installs, plus
 * wolke's scrape targets and alerts. Off by default: the manifests are then exactly what they are without it.
 */
export const monitoringSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** How long Prometheus keeps samples. */
    retention: prometheusDuration.default('15d'),
    /** Volume of each Prometheus replica's time series database. */
    storage: storageSize(1, 'Prometheus needs room for at least two hours of samples plus its write-ahead log').default('20Gi'),
    /** Who Alertmanager notifies of wolke's alerts, by severity (config/alerting-schema.ts). */
    alerting: alertingSchema,
  })
  .refine((m) => m.enabled || m.alerting.receivers.length === 0, {
    path: ['alerting', 'receivers'],
    error: 'need monitoring.enabled: true; without the monitoring stack no Alertmanager runs to notify them',
  });
