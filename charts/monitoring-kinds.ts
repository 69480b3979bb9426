// Typed wrappers of the custom resources monitoring uses: the Prometheus operator's monitors, rules and Alertmanager
// routes, and k3s's HelmChart.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Metadata the wrappers set; the chart adds its labels. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

/** A label selector as Kubernetes writes it. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
}

/** One scrape endpoint of a PodMonitor (the fields wolke sets). */
export interface ScrapeEndpoint {
  /** Name of the container port. */
  readonly port: string;
  /** HTTP path of the metrics. */
  readonly path: string;
  /** Scrape interval, e.g. 30s. */
  readonly interval: string;
}

/** monitoring.coreos.com/v1 PodMonitor: scrapes pods selected by label. */
export interface PodMonitorSpec {
  readonly selector: LabelSelector;
  readonly podMetricsEndpoints: readonly ScrapeEndpoint[];
  readonly namespaceSelector?: { readonly matchNames: readonly string[] };
}

/** One alerting rule of a PrometheusRule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition holds before the alert fires, e.g. 10m. */
  readonly for?: string;
  /** Severity, and the namespace of the environment the alert is about (set on every wolke alert). */
  readonly labels: { readonly severity: 'warning' | 'critical'; readonly namespace?: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url?: string };
}

/** A group of rules evaluated together. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertingRule[];
}

/** monitoring.coreos.com/v1 PrometheusRule. */
export interface PrometheusRuleSpec {
  readonly groups: readonly RuleGroup[];
}

/** helm.cattle.io/v1 HelmChart: k3s's helm controller installs the chart and keeps it at this version. */
export interface HelmChartSpec {
  readonly repo: string;
  readonly chart: string;
  /** Pinned chart version: a change is a release the manifest diff shows. */
  readonly version: string;
  readonly targetNamespace: string;
  readonly createNamespace: boolean;
  /** The chart's values as YAML. */
  readonly valuesContent: string;
}

export class PodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ObjectMeta; spec: PodMonitorSpec }) {
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', ...props });
  }
}

export class PrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ObjectMeta; spec: PrometheusRuleSpec }) {
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', ...props });
  }
}

export class HelmChart extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ObjectMeta; spec: HelmChartSpec }) {
    super(scope, id, { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', ...props });
  }
}

/** A key of a Secret in the object's namespace. */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/** One route of an AlertmanagerConfig: alerts whose labels match go to `receiver`. */
export interface AlertmanagerRoute {
  readonly receiver: string;
  readonly matchers?: readonly { readonly name: string; readonly value: string; readonly matchType: '=' | '!=' | '=~' | '!~' }[];
  readonly groupBy?: readonly string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  /** Whether later sibling routes are tried after this one matched. */
  readonly continue?: boolean;
  readonly routes?: readonly AlertmanagerRoute[];
}

/** One receiver of an AlertmanagerConfig (the kinds wolke renders); every credential is a Secret key. */
export interface AlertmanagerReceiver {
  readonly name: string;
  readonly webhookConfigs?: readonly { readonly urlSecret: SecretKeySelector; readonly sendResolved: boolean }[];
  readonly slackConfigs?: readonly { readonly apiURL: SecretKeySelector; readonly channel: string; readonly sendResolved: boolean }[];
  readonly emailConfigs?: readonly {
    readonly to: string;
    readonly from: string;
    readonly smarthost: string;
    readonly authUsername?: string;
    readonly authPassword?: SecretKeySelector;
    readonly requireTLS: boolean;
    readonly sendResolved: boolean;
  }[];
}

/** monitoring.coreos.com/v1alpha1 AlertmanagerConfig: routes and receivers the operator merges into Alertmanager's. */
export interface AlertmanagerConfigSpec {
  readonly route: AlertmanagerRoute;
  readonly receivers: readonly AlertmanagerReceiver[];
}

export class AlertmanagerConfig extends ApiObject {
  constructor(scope: Construct, id: string, props: { metadata: ObjectMeta; spec: AlertmanagerConfigSpec }) {
    super(scope, id, { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', ...props });
  }
}
