// Policy checks as a cdktf Aspect: synth is refused when the stack breaks a rule, whatever code built it.
import { Annotations, TerraformElement, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { worldCidrs } from '../config/schema';

export interface ClusterPolicyAspectProps {
  /** The model's explicit opt-in for world-open SSH and Kubernetes API. */
  readonly allowWorldAccess: boolean;
}

/** A rule that was broken, and the Terraform resource (logical id) that broke it. */
export interface PolicyViolation {
  resource?: string;
  message: string;
}

type Resources = Record<string, Record<string, any>>;

const adminPorts = [22, 6443];
const spreadingPolicies = new Set(['anti-affinity', 'soft-anti-affinity']);

/** Checks a synthesized stack's resources (as Terraform will see them) against the cluster rules. */
export function policyViolations(resources: Resources, props: ClusterPolicyAspectProps): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  if (!props.allowWorldAccess) {
    for (const [id, rule] of Object.entries(resources.openstack_networking_secgroup_rule_v2 ?? {})) {
      if (rule.direction !== 'ingress' || !worldCidrs.has(rule.remote_ip_prefix)) continue;
      const open = adminPorts.filter((p) => p >= (rule.port_range_min ?? 1) && p <= (rule.port_range_max ?? 65535));
      if (open.length > 0) {
        violations.push({
          resource: id,
          message: `policy: ${rule.remote_ip_prefix} may not reach port ${open.join(', ')} (SSH / Kubernetes API) without openstack.allowWorldAccess`,
        });
      }
    }
  }

  const instances = Object.entries(resources.openstack_compute_instance_v2 ?? {});
  const servers = instances.filter(([, i]) => i.metadata?.['wolke-role'] === 'server').length;
  if (servers % 2 === 0) {
    violations.push({ message: `policy: ${servers} k3s servers; embedded etcd needs an odd number to keep quorum` });
  }

  const spreading = new Set(
    Object.entries(resources.openstack_compute_servergroup_v2 ?? {})
      .filter(([, g]) => (g.policies ?? []).some((p: string) => spreadingPolicies.has(p)))
      .map(([id]) => `\${openstack_compute_servergroup_v2.${id}.id}`),
  );
  for (const [id, instance] of instances) {
    if (!spreading.has(instance.scheduler_hints?.[0]?.group)) {
      violations.push({ resource: id, message: `policy: server ${instance.name ?? id} is not in an anti-affinity server group` });
    }
  }
  return violations;
}

/** The Aspect: each violation becomes an error annotation, which makes `cdktf synth` refuse the stack. */
export class ClusterPolicyAspect implements IAspect {
  constructor(private readonly props: ClusterPolicyAspectProps) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const resources: Resources = node.toTerraform().resource ?? {};
    const byId = new Map(
      node.node
        .findAll()
        .filter((c): c is TerraformElement => c instanceof TerraformElement)
        .map((c) => [c.friendlyUniqueId, c] as const),
    );
    for (const v of policyViolations(resources, this.props)) {
      Annotations.of((v.resource && byId.get(v.resource)) || node).addError(v.message);
    }
  }
}
