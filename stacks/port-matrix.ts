// The k3s port matrix as data: which node role may reach which port of which other role.
// Source: the k3s networking requirements (inbound rules for server and agent nodes). No rule names the pod or Service
// network: flannel (VXLAN or WireGuard) carries pod traffic from node address to node address, and masquerades what
// pods send elsewhere behind their node's address.
import { isHighlyAvailable } from '../config/high-availability';

/** A role of node, or the operators' networks. */
export type Peer = 'servers' | 'agents' | 'admins' | 'clients';
export type NodeRole = 'servers' | 'agents';

/** One ingress rule: `from` may reach `to` on these ports. */
export interface PortRule {
  description: string;
  from: Peer;
  to: NodeRole;
  protocol: 'tcp' | 'udp';
  portMin: number;
  portMax: number;
}

export interface PortMatrixInput {
  /** Number of servers; with a highly available control plane they reach each other's API and etcd. */
  servers: number;
  /** Flannel's wireguard-native backend instead of VXLAN. */
  wireguard: boolean;
}

const nodeRoles: NodeRole[] = ['servers', 'agents'];

function betweenNodes(description: string, protocol: 'tcp' | 'udp', portMin: number, portMax = portMin): PortRule[] {
  return nodeRoles.flatMap((from) => nodeRoles.map((to) => ({ description, from, to, protocol, portMin, portMax })));
}

/** Ingress rules for a cluster of this shape; the admin and client networks are resolved to CIDRs later. */
export function portMatrix({ servers, wireguard }: PortMatrixInput): PortRule[] {
  const rules: PortRule[] = [
    { description: 'SSH from admin networks', from: 'admins', to: 'servers', protocol: 'tcp', portMin: 22, portMax: 22 },
    { description: 'SSH from admin networks', from: 'admins', to: 'agents', protocol: 'tcp', portMin: 22, portMax: 22 },
    { description: 'Kubernetes API from admin networks', from: 'admins', to: 'servers', protocol: 'tcp', portMin: 6443, portMax: 6443 },
    { description: 'Kubernetes API from agents', from: 'agents', to: 'servers', protocol: 'tcp', portMin: 6443, portMax: 6443 },
    ...betweenNodes('Kubelet metrics between nodes', 'tcp', 10250),
    ...(wireguard
      ? betweenNodes('Flannel WireGuard between nodes', 'udp', 51820, 51821)
      : betweenNodes('Flannel VXLAN between nodes', 'udp', 8472)),
    { description: 'Web ingress (Traefik) from clients', from: 'clients', to: 'agents', protocol: 'tcp', portMin: 80, portMax: 80 },
    { description: 'Web ingress (Traefik) from clients', from: 'clients', to: 'agents', protocol: 'tcp', portMin: 443, portMax: 443 },
  ];
  if (isHighlyAvailable(servers)) {
    rules.push(
      { description: 'Kubernetes API between servers', from: 'servers', to: 'servers', protocol: 'tcp', portMin: 6443, portMax: 6443 },
      { description: 'Embedded etcd between servers', from: 'servers', to: 'servers', protocol: 'tcp', portMin: 2379, portMax: 2380 },
    );
  }
  return rules;
}
