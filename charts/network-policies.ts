// NetworkPolicies: deny everything in the namespace, then allow DNS and exactly the flows of the traffic matrix.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import { selectorLabels } from './defaults';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
import { MONITORING_NAMESPACE } from '../config/schema';
import { PROMETHEUS, TRAEFIK, namespaceWorkloads, networkFlows, type Flow } from './network-flows';

function peer(workload: string): k8s.NetworkPolicyPeer {
  if (workload === TRAEFIK) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
    };
  }
  if (workload === PROMETHEUS) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': MONITORING_NAMESPACE } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    };
  }
  return { podSelector: { matchLabels: selectorLabels(workload) } };
}

function tcpPorts(ports: readonly number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
}

/** The policy of one workload: who may connect to it, and where it may connect to. */
export function workloadNetworkPolicy(workload: string, flows: readonly Flow[]): k8s.NetworkPolicySpec {
  const inbound = flows.filter((f) => f.to === workload);
  const outbound = flows.filter((f) => f.from === workload);
  return {
    podSelector: { matchLabels: selectorLabels(workload) },
    policyTypes: ['Ingress', 'Egress'],
    // No rules is written as no list: the server drops an empty one, so `[]` would differ on every apply.
    // Either way the policy type with no rules denies that direction.
    ...(inbound.length > 0 ? { ingress: inbound.map((f) => ({ from: [peer(f.from)], ports: tcpPorts(f.ports) })) } : {}),
    ...(outbound.length > 0 ? { egress: outbound.map((f) => ({ to: [peer(f.to)], ports: tcpPorts(f.ports) })) } : {}),
  };
}

/** Default deny, DNS, and one policy per workload generated from the traffic matrix. */
export class NetworkPoliciesChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const flows = networkFlows(this.env);

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    new k8s.KubeNetworkPolicy(this, 'dns', {
      metadata: { name: 'allow-dns' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });

    for (const workload of namespaceWorkloads(flows)) {
      new k8s.KubeNetworkPolicy(this, workload, { metadata: { name: workload }, spec: workloadNetworkPolicy(workload, flows) });
    }
  }
}
