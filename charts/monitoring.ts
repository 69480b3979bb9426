// Monitoring of an environment: the kube-prometheus-stack HelmChart, a PodMonitor per app, for Kafka and for MinIO,
// Traefik's PodMonitor when TLS is on (certificate expiry), the PrometheusRule of wolke's alerts, their routing to
// the model's receivers and the Grafana dashboards.
import { Construct } from 'constructs';
import { ruleGroups } from './alert-rules';
import { ALERT_ROUTING_NAME, alertRouting } from './alert-routing';
import { selectorLabels } from './defaults';
import { SERVICE_NAMES } from './endpoints';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
import { DashboardConfigMaps } from './grafana';
import { AlertmanagerConfig, HelmChart, PodMonitor, PrometheusRule } from './monitoring-kinds';
import { stackHelmChart } from './monitoring-stack';
import { METRICS_APPS } from './network-flows';

/** MinIO's cluster-wide metrics (v2), served without a token when monitoring is on (charts/minio.ts). */
export const MINIO_METRICS_PATH = '/minio/v2/metrics/cluster';

/** How often Prometheus scrapes wolke's targets. */
const SCRAPE_INTERVAL = '30s';

/** Only added when `monitoring.enabled`; without it the manifests are exactly those of an unmonitored environment. */
export class MonitoringChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    const namespace = env.apps.namespace;

    // k3s's helm controller watches HelmCharts in kube-system and installs them into their target namespace.
    new HelmChart(this, 'stack', { metadata: { name: `wolke-${env.name}-monitoring`, namespace: 'kube-system' }, spec: stackHelmChart(env) });

    for (const app of METRICS_APPS) {
      new PodMonitor(this, `monitor-${app}`, {
        metadata: { name: app, namespace },
        spec: { selector: { matchLabels: selectorLabels(app) }, podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: SCRAPE_INTERVAL }] },
      });
    }

    // Every broker's JMX exporter agent (in the project's Kafka image) serves its partitions and the controllers' view.
    new PodMonitor(this, 'monitor-kafka', {
      metadata: { name: SERVICE_NAMES.kafka, namespace },
      spec: { selector: { matchLabels: selectorLabels(SERVICE_NAMES.kafka) }, podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: SCRAPE_INTERVAL }] },
    });

    // Every MinIO node answers for the whole cluster; the alerts take the max over the pods.
    new PodMonitor(this, 'monitor-minio', {
      metadata: { name: SERVICE_NAMES.minio, namespace },
      spec: { selector: { matchLabels: selectorLabels(SERVICE_NAMES.minio) }, podMetricsEndpoints: [{ port: 'api', path: MINIO_METRICS_PATH, interval: SCRAPE_INTERVAL }] },
    });

    if (env.apps.ingress.tlsSecret !== undefined) {
      // Traefik (bundled with k3s) exports the expiry of the certificates it serves on its metrics port.
      new PodMonitor(this, 'monitor-traefik', {
        metadata: { name: `wolke-${env.name}-traefik`, namespace: 'kube-system' },
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
          namespaceSelector: { matchNames: ['kube-system'] },
          podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: SCRAPE_INTERVAL }],
        },
      });
    }

    new PrometheusRule(this, 'alerts', { metadata: { name: 'wolke-alerts', namespace }, spec: { groups: ruleGroups(env) } });

    new DashboardConfigMaps(this, 'dashboards', { env });
    // Without receivers the alerts are only seen in Alertmanager's and Prometheus's UIs.
    const { receivers } = env.monitoring.alerting;
    if (receivers.length > 0) {
      new AlertmanagerConfig(this, 'routing', { metadata: { name: ALERT_ROUTING_NAME, namespace }, spec: alertRouting(receivers) });
    }
  }
}
