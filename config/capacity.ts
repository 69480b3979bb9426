// The capacity rule: with one agent drained (an upgrade, a replacement) or lost, the others still hold every pod.
import { stackValues } from '../charts/monitoring-stack';
import { stackPods } from '../charts/monitoring-requests';
import { scheduledPods, workloadPods, type WorkloadPods } from '../charts/workloads';
import { KNOWN_FLAVORS } from './flavors';
import { quantityValue } from './quantity';
import type { EnvironmentFields } from './schema';

/** CPU and memory of one agent, as the flavor (or the model's own vcpus/ramMiB) gives them. */
export interface AgentSize {
  readonly vcpus: number;
  readonly ramMiB: number;
}

/**
 * What an agent keeps for itself before pods get anything: the kubelet's hard eviction threshold (100 MiB), the
 * k3s agent process with containerd and flannel (300-500 MiB resident), the operating system, and the requests of
 * the pods k3s itself may put on an agent (CoreDNS and metrics-server, 100m CPU and 70 MiB each).
 */
export const K3S_RESERVE = { cpuMilli: 500, memoryMiB: 1024 } as const;
/** Pods a k3s node runs at most (the kubelet's max-pods default). */
const MAX_PODS_PER_NODE = 110;

/** The agents' size: the model's vcpus/ramMiB when given, else the known shape of the flavor; undefined when neither. */
export function agentSize(agents: { flavor: string; vcpus?: number; ramMiB?: number }): AgentSize | undefined {
  if (agents.vcpus !== undefined && agents.ramMiB !== undefined) return { vcpus: agents.vcpus, ramMiB: agents.ramMiB };
  const known = KNOWN_FLAVORS[agents.flavor];
  return known && { vcpus: known.vcpus, ramMiB: known.ramMiB };
}

/** The requests of one workload's pods, in millicores and MiB. */
export interface WorkloadRequests {
  readonly name: string;
  /** Pods a drain must place: the HPA's maxReplicas where an HPA owns the count. */
  readonly pods: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  /** True when an HPA owns the count and `pods` is its ceiling. */
  readonly scaled: boolean;
}

const milli = (text: string) => Math.round(quantityValue(text)! * 1000);
const mebi = (text: string) => quantityValue(text)! / 2 ** 20;

/**
 * Requests of every long-running workload, per pod, at the peak count, and of the CronJobs' pods, which start on
 * schedule whatever else runs. An HPA may have raised the api to its maxReplicas when a drain starts; the
 * PodDisruptionBudget then counts on that many, so the peak is what must fit.
 */
export function workloadRequests(env: Pick<EnvironmentFields, 'apps'>): WorkloadRequests[] {
  return [...workloadPods(env), ...scheduledPods(env)].map((w: WorkloadPods) => ({
    name: w.name,
    pods: w.peakReplicas,
    cpuMilli: milli(w.resources.cpuRequest),
    memoryMiB: mebi(w.resources.memory),
    scaled: w.peakReplicas !== w.replicas,
  }));
}

/** Pods every agent runs besides the workloads (DaemonSets), summed: what they request on each node. */
export interface PerNodePods {
  readonly names: readonly string[];
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

/** No DaemonSets beside k3s's own (which K3S_RESERVE covers). */
const NO_DAEMONS: PerNodePods = { names: [], cpuMilli: 0, memoryMiB: 0, pods: 0 };

/**
 * The monitoring stack's pods when monitoring is on, with the requests the chart renders from wolke's values:
 * Prometheus, the operator, Alertmanager, kube-state-metrics and Grafana somewhere on the agents, the node exporter
 * on every node. None when it is off.
 */
export function monitoringRequests(env: EnvironmentFields): { workloads: WorkloadRequests[]; perNode: PerNodePods } {
  if (!env.monitoring.enabled) return { workloads: [], perNode: NO_DAEMONS };
  const { workloads, perNode } = stackPods(stackValues(env));
  return {
    workloads: workloads.map((w) => ({ ...w, scaled: false })),
    perNode: perNode.reduce(
      (sum, d) => ({ names: [...sum.names, d.name], cpuMilli: sum.cpuMilli + d.cpuMilli, memoryMiB: sum.memoryMiB + d.memoryMiB, pods: sum.pods + d.pods }),
      NO_DAEMONS,
    ),
  };
}

/** What `nodes` agents of `size` hold for pods, after k3s's reserve and the DaemonSets' pods on each. */
export function podCapacity(nodes: number, size: AgentSize, daemons: PerNodePods = NO_DAEMONS): { cpuMilli: number; memoryMiB: number; pods: number } {
  const per = perNode(size, daemons);
  return { cpuMilli: nodes * per.cpuMilli, memoryMiB: nodes * per.memoryMiB, pods: nodes * per.pods };
}

function perNode(size: AgentSize, daemons: PerNodePods = NO_DAEMONS): { cpuMilli: number; memoryMiB: number; pods: number } {
  return {
    cpuMilli: Math.max(0, size.vcpus * 1000 - K3S_RESERVE.cpuMilli - daemons.cpuMilli),
    memoryMiB: Math.max(0, size.ramMiB - K3S_RESERVE.memoryMiB - daemons.memoryMiB),
    pods: MAX_PODS_PER_NODE - daemons.pods,
  };
}

/**
 * True when the pods fit on `nodes` agents pod by pod (first fit, largest memory first), not only in total: the
 * scheduler places whole pods, so two agents with 1 GiB free each do not hold one pod of 2 GiB.
 */
export function packs(workloads: readonly WorkloadRequests[], nodes: number, size: AgentSize, daemons: PerNodePods = NO_DAEMONS): boolean {
  const total = podCapacity(nodes, size, daemons);
  const sum = totals(workloads);
  if (sum.cpuMilli > total.cpuMilli || sum.memoryMiB > total.memoryMiB || sum.pods > total.pods) return false;
  const per = perNode(size, daemons);
  const free = Array.from({ length: nodes }, () => ({ ...per }));
  const sorted = [...workloads].sort((a, b) => b.memoryMiB - a.memoryMiB || b.cpuMilli - a.cpuMilli);
  // The totals above bound the pods to at most 110 a node, so this loop stays small.
  for (const w of sorted) {
    for (let i = 0; i < w.pods; i++) {
      const node = free.find((n) => n.cpuMilli >= w.cpuMilli && n.memoryMiB >= w.memoryMiB && n.pods >= 1);
      if (!node) return false;
      node.cpuMilli -= w.cpuMilli;
      node.memoryMiB -= w.memoryMiB;
      node.pods -= 1;
    }
  }
  return true;
}

/** Sum of the requests. */
export function totals(workloads: readonly WorkloadRequests[]): { cpuMilli: number; memoryMiB: number; pods: number } {
  return workloads.reduce(
    (s, w) => ({ cpuMilli: s.cpuMilli + w.pods * w.cpuMilli, memoryMiB: s.memoryMiB + w.pods * w.memoryMiB, pods: s.pods + w.pods }),
    { cpuMilli: 0, memoryMiB: 0, pods: 0 },
  );
}

/** The fewest agents of `size` whose all-but-one hold the pods, up to `max`; undefined when even `max` do not. */
export function agentsNeeded(workloads: readonly WorkloadRequests[], size: AgentSize, max: number, daemons: PerNodePods = NO_DAEMONS): number | undefined {
  const sum = totals(workloads);
  const per = perNode(size, daemons);
  if (per.cpuMilli === 0 || per.memoryMiB === 0) return undefined;
  // No fewer than the totals need; packing whole pods may need a few more.
  const lower = Math.max(1, Math.ceil(sum.cpuMilli / per.cpuMilli), Math.ceil(sum.memoryMiB / per.memoryMiB), Math.ceil(sum.pods / per.pods));
  for (let n = lower + 1; n <= Math.min(max, lower + 1 + 16); n++) if (packs(workloads, n - 1, size, daemons)) return n;
  return undefined;
}

const cores = (m: number) => (m % 1000 === 0 ? `${m / 1000} vCPU` : `${m}m CPU`);
const mib = (n: number) => `${Math.round(n)} MiB`;

/** `kafka 3 × 1536 MiB` for each workload, largest first. */
function breakdown(workloads: readonly WorkloadRequests[]): string {
  return [...workloads]
    .filter((w) => w.pods > 0)
    .sort((a, b) => b.pods * b.memoryMiB - a.pods * a.memoryMiB)
    .map((w) => `${w.name} ${w.pods} × (${mib(w.memoryMiB)}, ${w.cpuMilli}m)${w.scaled ? ' at the HPA\'s maxReplicas' : ''}`)
    .join(', ');
}

/** A refusal of the rule: the model path and the message. */
export interface CapacityIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Refuses agents that, one of them drained or lost, cannot hold every long-running pod's requests plus k3s's
 * reserve on each; the message has the numbers and what to change. Undefined when the agents hold them.
 */
export function capacityIssue(env: EnvironmentFields, maxAgents: number): CapacityIssue | undefined {
  const { agents } = env.cluster;
  const size = agentSize(agents);
  if (!size) {
    return {
      path: ['cluster', 'agents', 'flavor'],
      message:
        `wolke does not know the size of flavor "${agents.flavor}" (it knows ${Object.keys(KNOWN_FLAVORS).join(', ')}); ` +
        `give it as cluster.agents.vcpus and cluster.agents.ramMiB (see \`openstack flavor show ${agents.flavor}\`), so the model can check the agents hold the pods`,
    };
  }
  const monitoring = monitoringRequests(env);
  const workloads = [...workloadRequests(env), ...monitoring.workloads];
  const daemons = monitoring.perNode;
  const remaining = agents.count - 1;
  if (packs(workloads, remaining, size, daemons)) return undefined;

  const sum = totals(workloads);
  const held = podCapacity(remaining, size, daemons);
  const per = perNode(size, daemons);
  const largest = [...workloads].sort((a, b) => b.memoryMiB - a.memoryMiB)[0];
  const short = [
    sum.memoryMiB > held.memoryMiB ? 'memory' : undefined,
    sum.cpuMilli > held.cpuMilli ? 'CPU' : undefined,
    sum.pods > held.pods ? `pods (${MAX_PODS_PER_NODE} a node)` : undefined,
  ].filter(Boolean);
  const flavor = `${agents.flavor}: ${size.vcpus} vCPU, ${size.ramMiB} MiB`;
  const tooLarge = largest && (largest.memoryMiB > per.memoryMiB || largest.cpuMilli > per.cpuMilli);
  const needed = tooLarge ? undefined : agentsNeeded(workloads, size, maxAgents, daemons);
  const fix = needed
    ? `set cluster.agents.count to ${needed} or more, or a larger cluster.agents.flavor`
    : 'set a larger cluster.agents.flavor';
  return {
    path: ['cluster', 'agents'],
    message:
      `with one of ${agents.count} agent${agents.count === 1 ? '' : 's'} drained or lost, ${remaining} agent${remaining === 1 ? '' : 's'} (${flavor} each, ` +
      `less k3s's reserve of ${K3S_RESERVE.cpuMilli}m CPU and ${K3S_RESERVE.memoryMiB} MiB` +
      (daemons.names.length > 0 ? ` and the ${daemons.names.join(', ')} on every node (${daemons.cpuMilli}m CPU, ${mib(daemons.memoryMiB)})` : '') +
      `) hold${remaining === 1 ? 's' : ''} ${cores(held.cpuMilli)} and ${mib(held.memoryMiB)} for pods, ` +
      `but the pods request ${cores(sum.cpuMilli)} and ${mib(sum.memoryMiB)} (${breakdown(workloads)})` +
      (short.length > 0 ? `: too little ${short.join(' and ')}` : ': whole pods do not pack onto them') +
      (tooLarge ? `; one ${largest.name} pod alone needs more than an agent holds` : '') +
      `; ${fix} (a drain waits forever for pods that fit nowhere, and an upgrade or a node replacement stops there)`,
  };
}
