// Rules between the networks of one environment: the node subnet, k3s's pod and Service networks, the admin and
// ingress networks. A node routes the pod and Service networks into the cluster, so any other network there breaks.
import type { EnvironmentFields } from './schema';
import { overlaps, prefixLength, within } from './networks';

/** A refused combination: the model path it is reported at, and why. */
export interface NetworkIssue {
  path: (string | number)[];
  message: string;
}

/** How many nodes a pod network of this size holds: k3s gives every node a /24. */
export const nodeRanges = (podCidr: string): number => 2 ** Math.max(0, 24 - prefixLength(podCidr));

export function clusterNetworkIssues(env: EnvironmentFields): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  const { podCidr, serviceCidr, servers, agents } = env.cluster;
  const clusterNetworks = [
    { path: 'cluster.podCidr', cidr: podCidr, what: "k3s's pod network (its cluster-cidr)" },
    { path: 'cluster.serviceCidr', cidr: serviceCidr, what: "k3s's Service network (its service-cidr)" },
  ];

  if (overlaps(podCidr, serviceCidr)) {
    issues.push({
      path: ['cluster', 'serviceCidr'],
      message: `overlaps cluster.podCidr (${podCidr}): k3s would hand the same addresses to pods and Services; choose networks that do not overlap, such as 10.42.0.0/16 and 10.43.0.0/16`,
    });
  }

  const network = env.openstack.network;
  if ('cidr' in network) {
    for (const cluster of clusterNetworks) {
      if (overlaps(network.cidr, cluster.cidr)) {
        issues.push({
          path: ['openstack', 'network', 'cidr'],
          message: `overlaps ${cluster.path} (${cluster.cidr}), ${cluster.what}: the nodes would route their neighbours' addresses into the cluster; choose another range such as 10.20.0.0/24, or move ${cluster.path}`,
        });
      }
    }
  }

  // A larger network that holds a cluster network (10.0.0.0/8, 0.0.0.0/0) still reaches the nodes from the rest of it.
  const operatorNetworks = [
    { key: 'adminCidrs', cidrs: env.openstack.adminCidrs, reach: 'SSH and the Kubernetes API' },
    { key: 'ingressCidrs', cidrs: env.openstack.ingressCidrs, reach: 'the web ingress' },
  ] as const;
  for (const { key, cidrs, reach } of operatorNetworks) {
    cidrs.forEach((cidr, i) => {
      for (const cluster of clusterNetworks) {
        if (within(cidr, cluster.cidr)) {
          issues.push({
            path: ['openstack', key, i],
            message: `lies within ${cluster.path} (${cluster.cidr}), ${cluster.what}: the nodes send their answers to that range into the cluster, so it never reaches ${reach}; move ${cluster.path} to a range clear of it`,
          });
        }
      }
    });
  }

  // A replacement node registers (and gets its range) before the node it replaces is deleted.
  const nodes = servers.count + agents.count;
  const available = nodeRanges(podCidr);
  if (available < 2 * nodes) {
    issues.push({
      path: ['cluster', 'podCidr'],
      message: `holds ${available} node ranges (a /24 each), and ${nodes} nodes need ${2 * nodes} (a replacement node gets its range before the old one is deleted); use a larger network such as a /16`,
    });
  }
  return issues;
}
