// What the monitoring stack's pods request: the sizes wolke gives kube-prometheus-stack's components in the chart's
// values, and the pods they make read back from those values, so the capacity rule counts what the chart renders.
import { quantityValue } from '../config/quantity';

/** Requests (and limits) of one container, as the chart's values take them. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
}

const sized = (cpu: string, memory: string, memoryLimit = memory): ContainerResources => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/**
 * Where each component's resources sit in the chart's values, and the size wolke gives it. Prometheus may burst to
 * twice its request while it compacts; the others are limited at their request.
 */
const STACK_RESOURCES = [
  { path: ['prometheus', 'prometheusSpec', 'resources'], resources: sized('200m', '1Gi', '2Gi') },
  { path: ['alertmanager', 'alertmanagerSpec', 'resources'], resources: sized('20m', '64Mi') },
  { path: ['prometheusOperator', 'resources'], resources: sized('50m', '128Mi') },
  // The operator adds this sidecar to every Prometheus and Alertmanager pod.
  { path: ['prometheusOperator', 'prometheusConfigReloader', 'resources'], resources: sized('10m', '32Mi') },
  { path: ['kube-state-metrics', 'resources'], resources: sized('50m', '128Mi') },
  { path: ['prometheus-node-exporter', 'resources'], resources: sized('20m', '32Mi') },
  { path: ['grafana', 'resources'], resources: sized('100m', '256Mi') },
  // Grafana's sidecar that loads the dashboards ConfigMaps.
  { path: ['grafana', 'sidecar', 'resources'], resources: sized('20m', '64Mi') },
] as const satisfies readonly { path: readonly string[]; resources: ContainerResources }[];

type Values = Record<string, unknown>;

function at(values: Values, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Values)[key] : undefined), values);
}

/** The values with every component's resources set, leaving everything else as given. */
export function withStackResources(values: Values): Values {
  const copy = structuredClone(values);
  for (const { path, resources } of STACK_RESOURCES) {
    let node = copy;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Values;
    node[path[path.length - 1]] = structuredClone(resources);
  }
  return copy;
}

/** One long-running pod kind of the stack and what it requests in all its containers. */
export interface StackPods {
  readonly name: string;
  /** Pods of it; for the node exporter, pods per node. */
  readonly pods: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

function requestsAt(values: Values, path: readonly string[]): { cpuMilli: number; memoryMiB: number } {
  const requests = (at(values, path) as ContainerResources | undefined)?.requests;
  if (!requests) throw new Error(`the monitoring stack's values have no requests at ${path.join('.')}`);
  return { cpuMilli: Math.round(quantityValue(requests.cpu)! * 1000), memoryMiB: quantityValue(requests.memory)! / 2 ** 20 };
}

function podOf(values: Values, name: string, pods: number, containers: readonly (readonly string[])[]): StackPods {
  const sum = containers.map((c) => requestsAt(values, c)).reduce((a, b) => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryMiB: a.memoryMiB + b.memoryMiB }));
  return { name, pods, ...sum };
}

const replicas = (values: Values, path: readonly string[]) => (at(values, path) as number | undefined) ?? 1;
const enabled = (values: Values, component: string) => (at(values, [component, 'enabled']) as boolean | undefined) ?? true;

/**
 * The stack's pods as the chart renders them from `values`: `workloads` are placed somewhere on the agents, `perNode`
 * runs on every node (the node exporter's DaemonSet). Components switched off in the values are left out.
 */
export function stackPods(values: Values): { workloads: StackPods[]; perNode: StackPods[] } {
  const reloader = ['prometheusOperator', 'prometheusConfigReloader', 'resources'];
  const workloads = [
    podOf(values, 'prometheus', replicas(values, ['prometheus', 'prometheusSpec', 'replicas']), [['prometheus', 'prometheusSpec', 'resources'], reloader]),
    podOf(values, 'prometheus-operator', 1, [['prometheusOperator', 'resources']]),
    ...(enabled(values, 'alertmanager')
      ? [podOf(values, 'alertmanager', replicas(values, ['alertmanager', 'alertmanagerSpec', 'replicas']), [['alertmanager', 'alertmanagerSpec', 'resources'], reloader])]
      : []),
    ...(enabled(values, 'kubeStateMetrics') ? [podOf(values, 'kube-state-metrics', 1, [['kube-state-metrics', 'resources']])] : []),
    ...(enabled(values, 'grafana') ? [podOf(values, 'grafana', 1, [['grafana', 'resources'], ['grafana', 'sidecar', 'resources']])] : []),
  ];
  const perNode = enabled(values, 'nodeExporter') ? [podOf(values, 'node-exporter', 1, [['prometheus-node-exporter', 'resources']])] : [];
  return { workloads, perNode };
}
