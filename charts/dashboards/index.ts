// The Grafana dashboards of an environment, generated with Grafana's Foundation SDK: one file per dashboard beside this.
import { DashboardBuilder, DashboardCursorSync, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Environment } from '../../config/schema';
import { HPA_METRICS, apiDashboard } from './api';
import { imagesDashboard } from './images';
import { kafkaDashboard } from './kafka';
import { minioDashboard } from './minio';
import { timeseries, type DashboardSpec } from './panel';
import { namespaceQueries, type NamespaceQueries } from './queries';
import { sensorsDashboard } from './sensors';

export { HPA_METRICS } from './api';
export { MINIO_METRICS } from './minio';
export { PROMETHEUS_DATASOURCE, type PanelQuery } from './panel';
export { atRateInterval } from './queries';

/** Series that only a cluster has, with the reason; their panels cannot be checked against the local pipeline. */
export const CLUSTER_ONLY_METRICS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(HPA_METRICS).map((name) => [name, 'kube-state-metrics reads HorizontalPodAutoscalers from the Kubernetes API; the local pipeline has none']),
);

/** Key of a dashboard: the last part of its uid and of its ConfigMap's name. */
export type DashboardKey = 'images' | 'sensors' | 'api' | 'kafka' | 'minio';

/** A generated dashboard with the key it is shipped under. */
export interface WolkeDashboard {
  readonly key: DashboardKey;
  readonly dashboard: Dashboard;
}

/** Grafana's limit for a dashboard uid. */
export const MAX_UID_LENGTH = 40;

/** The dashboards in the order they are shipped. */
const DASHBOARDS: Record<DashboardKey, (q: NamespaceQueries) => DashboardSpec> = {
  images: imagesDashboard,
  sensors: sensorsDashboard,
  api: apiDashboard,
  kafka: kafkaDashboard,
  minio: minioDashboard,
};

/** The five dashboards of an environment, every query scoped to its namespace. */
export function dashboards(env: Environment): WolkeDashboard[] {
  const queries = namespaceQueries(env);
  return (Object.keys(DASHBOARDS) as DashboardKey[]).map((key) => {
    const spec = DASHBOARDS[key](queries);
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
function dashboardUid(env: Environment, key: DashboardKey): string {
  return `${env.name}-${key}`;
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
