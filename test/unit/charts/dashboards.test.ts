// The Grafana dashboards: every panel queries the stack's Prometheus datasource, ids and uids are unique, every metric
// is one the apps, Kafka's exporter, MinIO or kube-state-metrics export; they ship as sidecar ConfigMaps next to a Grafana whose admin
// password only the deploy generates.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { APP_HISTOGRAMS, APP_METRICS } from '../../../apps/lib/metric-names';
import { MONITORING_NAMESPACE } from '../../../config/schema';
import { CLUSTER_ONLY_METRICS, HPA_METRICS, MAX_UID_LENGTH, MINIO_METRICS, PROMETHEUS_DATASOURCE, dashboardQueries, dashboards } from '../../../charts/dashboards';
import { DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET } from '../../../charts/grafana';
import { KAFKA_BROKER_METRICS } from '../../../charts/kafka-metrics';
import { manifestsYaml } from '../../../charts/manifests';
import { environment, withMonitoring } from '../../support/environments';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; data?: Record<string, string>; spec: any };

const objects = (yaml: string): Manifest[] => parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);
const monitored = (patch: (raw: Record<string, any>) => void = () => {}) =>
  environment((raw) => {
    withMonitoring(raw);
    patch(raw);
  });

/** Metric names a PromQL expression reads: identifiers directly before a label matcher. */
const metricNames = (expr: string) => [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\{/g)].map((m) => m[1]!);

describe('dashboard generator', () => {
  const env = monitored();
  const list = dashboards(env);

  it('builds the five dashboards with unique uids Grafana accepts, also for the longest environment name', () => {
    expect(list.map((d) => d.key)).toEqual(['images', 'sensors', 'api', 'kafka', 'minio']);
    const long = dashboards(monitored((raw) => (raw.name = 'a'.repeat(32))));
    for (const set of [list, long]) {
      const uids = set.map((d) => d.dashboard.uid!);
      expect(new Set(uids).size).toBe(uids.length);
      for (const uid of uids) expect(uid.length, uid).toBeLessThanOrEqual(MAX_UID_LENGTH);
    }
  });

  it('gives every panel a unique id, a place on the grid of its own, and at least one query on the Prometheus datasource', () => {
    for (const { key, dashboard } of list) {
      const panels = dashboard.panels as { id: number; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource: unknown; targets: any[] }[];
      expect(panels.length, key).toBeGreaterThan(0);
      expect(new Set(panels.map((p) => p.id)).size, key).toBe(panels.length);
      const cells = new Set<string>();
      for (const panel of panels) {
        expect(panel.datasource, panel.title).toEqual(PROMETHEUS_DATASOURCE);
        expect(panel.targets.length, panel.title).toBeGreaterThan(0);
        expect(new Set(panel.targets.map((t) => t.refId)).size, panel.title).toBe(panel.targets.length);
        for (const target of panel.targets) {
          expect(target.datasource, panel.title).toEqual(PROMETHEUS_DATASOURCE);
          expect(target.expr, panel.title).toMatch(/\S/);
        }
        const { x, y, w, h } = panel.gridPos;
        expect(x + w, panel.title).toBeLessThanOrEqual(24);
        for (let row = y; row < y + h; row++) {
          for (let col = x; col < x + w; col++) {
            expect(cells.has(`${row}:${col}`), `${key}: ${panel.title} overlaps`).toBe(false);
            cells.add(`${row}:${col}`);
          }
        }
      }
    }
  });

  it("reads only metrics the apps, Kafka's exporter, MinIO and kube-state-metrics export, always in the environment's namespace", () => {
    const known = new Set<string>([
      ...Object.values(APP_METRICS),
      ...APP_HISTOGRAMS.map((h) => `${h}_bucket`),
      ...Object.values(MINIO_METRICS),
      ...Object.values(KAFKA_BROKER_METRICS),
      ...Object.values(HPA_METRICS),
    ]);
    for (const { dashboard } of list) {
      for (const query of dashboardQueries(dashboard)) {
        const names = metricNames(query.expr);
        expect(names.length, query.panel).toBeGreaterThan(0);
        for (const name of names) expect(known, `${query.panel} reads ${name}`).toContain(name);
        const selectors = [...query.expr.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
        for (const selector of selectors) expect(selector, query.panel).toContain(`namespace="${env.apps.namespace}"`);
      }
    }
  });

  it('names a reason for every metric only a cluster has, and uses none of them outside the API dashboard', () => {
    for (const reason of Object.values(CLUSTER_ONLY_METRICS)) expect(reason.length).toBeGreaterThan(10);
    const clusterOnly = list.flatMap(({ key, dashboard }) =>
      dashboardQueries(dashboard).filter((q) => metricNames(q.expr).some((n) => n in CLUSTER_ONLY_METRICS)).map(() => key),
    );
    expect(new Set(clusterOnly)).toEqual(new Set(['api']));
  });

  it('reads every app metric the apps export under its shared name somewhere', () => {
    const read = new Set(list.flatMap(({ dashboard }) => dashboardQueries(dashboard).flatMap((q) => metricNames(q.expr))));
    for (const name of Object.values(APP_METRICS)) {
      const series = APP_HISTOGRAMS.includes(name) ? `${name}_bucket` : name;
      expect(read, name).toContain(series);
    }
  });
});

describe('dashboards in the manifests', () => {
  it('ships one ConfigMap per dashboard in the monitoring namespace, labelled for the sidecar', () => {
    const env = monitored();
    const maps = objects(manifestsYaml(env)).filter((d) => d.kind === 'ConfigMap' && d.metadata.labels?.grafana_dashboard !== undefined);
    expect(maps).toHaveLength(5);
    for (const map of maps) {
      expect(map.metadata.namespace).toBe(MONITORING_NAMESPACE);
      expect(map.metadata.labels).toMatchObject(DASHBOARD_LABEL);
    }
    const shipped = maps.map((m) => JSON.parse(Object.values(m.data!)[0]!));
    expect(shipped).toEqual(dashboards(env).map((d) => JSON.parse(JSON.stringify(d.dashboard))));
  });

  it('ships none without monitoring', () => {
    expect(manifestsYaml(environment())).not.toMatch(/grafana_dashboard/);
  });
});

describe("Grafana's admin password", () => {
  const env = monitored();
  const docs = objects(manifestsYaml(env));
  const chart = docs.find((d) => d.kind === 'HelmChart')!;
  const grafana = parse(chart.spec.valuesContent).grafana;

  it('is read from the generated Secret, and neither the values nor the manifests hold one', () => {
    expect(grafana.enabled).toBe(true);
    expect(grafana.admin).toEqual({ existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey });
    expect(grafana.adminPassword).toBeUndefined();
    expect(chart.spec.valuesContent).not.toMatch(/prom-operator|adminPassword/);
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    expect(grafana.sidecar.datasources.uid).toBe(PROMETHEUS_DATASOURCE.uid);
    expect(grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1' });
  });

  it('is generated by the deploy role under the name and keys Grafana reads, in the monitoring namespace', () => {
    const defaults = parse(readFileSync(resolve(__dirname, '..', '..', '..', 'ansible/roles/deploy/defaults/main.yml'), 'utf8'));
    expect(defaults.wolke_monitoring).toBe(false);
    expect(defaults.deploy_monitoring_namespace).toBe(MONITORING_NAMESPACE);
    const secret = defaults.deploy_monitoring_secrets.find((s: any) => s.name === GRAFANA_ADMIN_SECRET.name);
    expect(secret.namespace).toBe('{{ deploy_monitoring_namespace }}');
    // The password is one of the random keys; only the user name is fixed.
    expect(secret.keys).toEqual([GRAFANA_ADMIN_SECRET.passwordKey]);
    expect(Object.keys(secret.fixed)).toEqual([GRAFANA_ADMIN_SECRET.userKey]);
  });
});
