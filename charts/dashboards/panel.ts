// A dashboard's content as data (title, description, panels of PromQL queries) and the Grafana panel each panel becomes.
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';

/** The Prometheus datasource kube-prometheus-stack provisions in its Grafana (`grafana.sidecar.datasources.uid`). */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

/** One PromQL query of a panel, with the legend Grafana draws for its series. */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
}

/** What a panel shows: the generator turns it into a Grafana time series panel. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id (ops, reqps, s, bytes, percentunit, short). */
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
  /** A red line at this value: the alert's threshold. */
  readonly threshold?: number;
}

/** What a dashboard shows: its title, what it is for and its panels in order. */
export interface DashboardSpec {
  readonly title: string;
  readonly description: string;
  readonly panels: readonly PanelSpec[];
}

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/** A time series panel of a spec; panels flow two to a row. */
export function timeseries(spec: PanelSpec, index: number): PanelBuilder {
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
