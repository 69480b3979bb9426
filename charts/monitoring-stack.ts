// The monitoring stack as k3s installs charts: a HelmChart of kube-prometheus-stack at a pinned version, values from the model.
import { stringify } from 'yaml';
import { MONITORING_NAMESPACE, type Environment } from '../config/schema';
import { grafanaValues } from './grafana';
import { WORKER_SELECTOR, environmentLabels } from './defaults';
import type { HelmChartSpec } from './monitoring-kinds';
import { withStackResources } from './monitoring-requests';

/** kube-prometheus-stack release: the Prometheus operator v0.9x, Prometheus 3.x, Alertmanager, kube-state-metrics. */
export const STACK_CHART = {
  repo: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '91.5.0',
} as const;

/**
 * The chart's values: wolke's retention and storage, monitors and rules from every namespace, the environment's
 * alert routing, k3s's layout, and every component's requests (charts/monitoring-requests.ts).
 */
export function stackValues(env: Environment): Record<string, unknown> {
  const { retention, storage } = env.monitoring;
  return withStackResources({
    prometheus: {
      prometheusSpec: {
        retention,
        storageSpec: {
          volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } },
        },
        // Without these the operator only picks up monitors and rules labelled with the Helm release.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        nodeSelector: { ...WORKER_SELECTOR },
      },
    },
    // Grafana reads its admin password from the Secret the deploy generates, and wolke's dashboards from ConfigMaps.
    grafana: grafanaValues(),
    // k3s runs the control plane in one process without these endpoints; their monitors would only alert.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    // Alertmanager takes the routing of this environment's alerts from its AlertmanagerConfig (charts/alert-routing.ts).
    alertmanager: {
      alertmanagerSpec: {
        alertmanagerConfigSelector: { matchLabels: { 'wolke.dev/environment': environmentLabels(env)['wolke.dev/environment'] } },
        alertmanagerConfigNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': env.apps.namespace } },
      },
    },
  });
}

/** The HelmChart spec of the stack, installed into the monitoring namespace. */
export function stackHelmChart(env: Environment): HelmChartSpec {
  return {
    ...STACK_CHART,
    targetNamespace: MONITORING_NAMESPACE,
    createNamespace: true,
    valuesContent: stringify(stackValues(env)),
  };
}
