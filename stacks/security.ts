// Security groups for servers and agents, rule for rule from the k3s port matrix.
import { Construct } from 'constructs';
import { NetworkingSecgroupV2 } from '../.gen/providers/openstack/networking-secgroup-v2';
import { NetworkingSecgroupRuleV2 } from '../.gen/providers/openstack/networking-secgroup-rule-v2';
import { portMatrix, type NodeRole, type PortRule } from './port-matrix';

export interface ClusterSecurityProps {
  readonly namePrefix: string;
  /** Number of servers (3+ opens etcd between them). */
  readonly servers: number;
  /** Flannel over WireGuard instead of VXLAN. */
  readonly wireguard: boolean;
  /** Networks that reach SSH and the Kubernetes API. */
  readonly adminCidrs: string[];
  /** Networks that reach the web ingress. */
  readonly ingressCidrs: string[];
}

const ethertype = (cidr: string) => (cidr.includes(':') ? 'IPv6' : 'IPv4');

/** One security group per node role; rules inside the cluster use remote groups, never CIDRs. */
export class ClusterSecurity extends Construct {
  readonly groupIds: Record<NodeRole, string>;
  /** The rules this construct created from, for outputs and tests. */
  readonly rules: PortRule[];

  constructor(scope: Construct, id: string, props: ClusterSecurityProps) {
    super(scope, id);
    const groups = {
      servers: new NetworkingSecgroupV2(this, 'servers', {
        name: `${props.namePrefix}-servers`,
        description: 'k3s servers (control plane)',
      }),
      agents: new NetworkingSecgroupV2(this, 'agents', {
        name: `${props.namePrefix}-agents`,
        description: 'k3s agents (workers)',
      }),
    };
    this.groupIds = { servers: groups.servers.id, agents: groups.agents.id };
    this.rules = portMatrix({ servers: props.servers, wireguard: props.wireguard });

    for (const rule of this.rules) {
      const base = {
        direction: 'ingress',
        protocol: rule.protocol,
        portRangeMin: rule.portMin,
        portRangeMax: rule.portMax,
        securityGroupId: groups[rule.to].id,
        description: rule.description,
      };
      const ruleId = `${rule.from}-to-${rule.to}-${rule.protocol}-${rule.portMin}`;
      if (rule.from === 'servers' || rule.from === 'agents') {
        new NetworkingSecgroupRuleV2(this, ruleId, { ...base, ethertype: 'IPv4', remoteGroupId: groups[rule.from].id });
        continue;
      }
      const cidrs = rule.from === 'admins' ? props.adminCidrs : props.ingressCidrs;
      // Keyed by the CIDR, not its list position: removing one CIDR touches only its own rules.
      for (const cidr of cidrs) {
        new NetworkingSecgroupRuleV2(this, `${ruleId}-from-${cidr.replace(/[.:]/g, '-').replace('/', '_')}`, { ...base, ethertype: ethertype(cidr), remoteIpPrefix: cidr });
      }
    }
  }
}
