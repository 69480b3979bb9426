// The monitoring switch: off leaves the manifests as they were; on adds the stack, a monitor per target and the alerts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestsYaml } from '../../../charts/manifests';
import { EXTERNAL_METRICS, alerts } from '../../../charts/alert-rules';
import { STACK_CHART } from '../../../charts/monitoring-stack';
import { APP_METRICS } from '../../../apps/lib/metric-names';
import { ConfigError } from '../../../config/errors';
import { environment, withMonitoring } from '../../support/environments';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: any };

const objects = (yaml: string): Manifest[] => parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);
const monitored = (patch: (raw: Record<string, any>) => void = () => {}) =>
  environment((raw) => {
    withMonitoring(raw, { retention: '30d', storage: '50Gi' });
    patch(raw);
  });

describe('monitoring disabled', () => {
  it('leaves the manifests byte for byte as without the monitoring block', () => {
    const without = manifestsYaml(environment());
    const disabled = manifestsYaml(environment((raw) => (raw.monitoring = { enabled: false, retention: '90d', storage: '100Gi' })));
    expect(disabled).toBe(without);
    expect(without).not.toMatch(/monitoring\.coreos\.com|HelmChart|MINIO_PROMETHEUS|grafana/);
  });
});

describe('monitoring enabled', () => {
  const env = monitored();
  const docs = objects(manifestsYaml(env));
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

  it('installs kube-prometheus-stack the k3s way, at the pinned version, with the model retention and storage', () => {
    const [chart] = byKind('HelmChart');
    expect(chart.apiVersion).toBe('helm.cattle.io/v1');
    expect(chart.metadata.namespace).toBe('kube-system');
    expect(chart.spec).toMatchObject({ chart: 'kube-prometheus-stack', version: STACK_CHART.version, targetNamespace: 'monitoring' });
    expect(chart.spec.version).toMatch(/^\d+\.\d+\.\d+$/);
    const values = parseAllDocuments(chart.spec.valuesContent)[0].toJS();
    expect(values.prometheus.prometheusSpec.retention).toBe('30d');
    expect(values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('50Gi');
    // No Grafana with the chart's default admin password: it reads the Secret the deploy generates.
    expect(values.grafana.admin.existingSecret).toBe('grafana-admin');
  });

  it('scrapes every app, Kafka and MinIO on a port their pods declare, and lets Prometheus through their policies', () => {
    const monitors = byKind('PodMonitor').filter((m) => m.metadata.namespace === 'wolke');
    const targets = monitors.map((m) => m.spec.selector.matchLabels['app.kubernetes.io/name']).sort();
    expect(targets).toEqual(['aggregator', 'api', 'detector', 'kafka', 'lake-sink', 'minio', 'processor', 'producer', 'web']);
    for (const monitor of monitors) {
      const name = monitor.spec.selector.matchLabels['app.kubernetes.io/name'];
      const workload = docs.find((d) => (d.kind === 'Deployment' || d.kind === 'StatefulSet') && d.spec.template.metadata.labels['app.kubernetes.io/name'] === name);
      expect(workload, name).toBeDefined();
      const port = workload!.spec.template.spec.containers[0].ports.find((p: any) => p.name === monitor.spec.podMetricsEndpoints[0].port);
      expect(port, `${name} port`).toBeDefined();
      const policy = docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === name)!;
      const fromPrometheus = policy.spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring');
      expect(fromPrometheus?.ports.map((p: any) => p.port), `${name} policy`).toEqual([port.containerPort]);
    }
    const minio = docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'minio')!;
    expect(minio.spec.template.spec.containers[0].env).toContainEqual({ name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' });
  });

  it('ships one PrometheusRule whose alerts read only metrics the apps and the stack export', () => {
    const [rule] = byKind('PrometheusRule');
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.map((r: any) => r.alert)).toEqual(alerts(env).map((a) => a.alert));
    expect(rules.every((r: any) => r.runbook === undefined && ['warning', 'critical'].includes(r.labels.severity))).toBe(true);
    const known = new Set<string>([...Object.values(APP_METRICS), ...Object.values(EXTERNAL_METRICS), 'up']);
    for (const r of rules) {
      const names = [...(r.expr as string).matchAll(/\b([a-z_]+)(?:_bucket)?\{/g)].map((m) => m[1].replace(/_bucket$/, ''));
      expect(names.length, r.alert).toBeGreaterThan(0);
      for (const name of names) expect(known, `${r.alert} reads ${name}`).toContain(name);
    }
  });

  it('watches certificate expiry only when the ingress has TLS', () => {
    const names = (e: ReturnType<typeof monitored>) => alerts(e).map((a) => a.alert);
    expect(names(env)).not.toContain('CertificateExpiring');
    const tls = monitored((raw) => (raw.apps.ingress = { host: 'wolke.example.com', tlsSecret: 'wolke-tls' }));
    expect(names(tls)).toContain('CertificateExpiring');
    expect(objects(manifestsYaml(tls)).filter((d) => d.kind === 'PodMonitor' && d.metadata.namespace === 'kube-system')).toHaveLength(1);
  });
});

describe('monitoring model', () => {
  const refusal = (patch: (raw: Record<string, any>) => void) => {
    try {
      environment(patch);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('refuses a retention Prometheus would not take, naming the path', () => {
    expect(refusal((raw) => (raw.monitoring = { enabled: true, retention: '15 days' }))).toMatch(/monitoring\.retention: must be a Prometheus duration/);
  });

  it('refuses a storage below what Prometheus needs, naming the path', () => {
    expect(refusal((raw) => (raw.monitoring = { enabled: true, storage: '500Mi' }))).toMatch(/monitoring\.storage: must be at least 1Gi/);
  });

  it('refuses the apps in the monitoring namespace when monitoring is on', () => {
    expect(refusal((raw) => { raw.apps.namespace = 'monitoring'; raw.monitoring = { enabled: true }; })).toMatch(/apps\.namespace: must not be monitoring/);
    expect(refusal((raw) => (raw.apps.namespace = 'monitoring'))).toBe('accepted');
  });
});

describe('README runbook', () => {
  it('has the line of every alert, with the runbook the rules carry', () => {
    const readme = readFileSync(resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8').split('\n');
    const tls = monitored((raw) => (raw.apps.ingress = { host: 'wolke.example.com', tlsSecret: 'wolke-tls' }));
    for (const alert of alerts(tls)) {
      const line = readme.find((l) => l.startsWith(`| \`${alert.alert}\` |`));
      expect(line, alert.alert).toBeDefined();
      expect(line).toContain(`| ${alert.labels.severity} |`);
      expect(line).toContain(`| ${alert.runbook} |`);
    }
  });
});
