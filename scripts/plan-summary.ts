// Turns a synthesized stack and manifests into the short summary `npm start` prints; pure.
import { environmentPaths, playbookPath } from '../config/repository-paths';
import type { Environment } from '../config/schema';

export interface ManifestObject {
  kind: string;
  metadata?: { name?: string };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Counts of Terraform resources by type, without the provider prefix. */
export function resourceCounts(stackJson: { resource?: Record<string, Record<string, unknown>> }): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stackJson.resource ?? {})
      .map(([type, byId]) => [type.replace(/^openstack_/, ''), Object.keys(byId).length] as [string, number])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Counts of Kubernetes objects by kind. */
export function kindCounts(objects: ManifestObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export interface SummaryInput {
  env: Environment;
  stackJson: { resource?: Record<string, Record<string, any>> };
  stackFile: string;
  manifests?: { dir: string; objects: ManifestObject[] };
}

export function planSummary({ env, stackJson, stackFile, manifests }: SummaryInput): string {
  const nodes = (Object.values(stackJson.resource?.openstack_compute_instance_v2 ?? {}) as any[]).sort(
    (a, b) => b.metadata['wolke-role'].localeCompare(a.metadata['wolke-role']) || a.name.localeCompare(b.name),
  );
  const rules = Object.keys(stackJson.resource?.openstack_networking_secgroup_rule_v2 ?? {}).length;
  const network = 'cidr' in env.openstack.network ? `new network ${env.openstack.network.cidr}` : `existing network ${env.openstack.network.existing}`;
  const lines = [
    `wolke environment "${env.name}"`,
    '',
    `OpenStack (cdktf → ${stackFile})`,
    `  ${network}, floating IPs from "${env.openstack.externalNetwork}"`,
    `  ${plural(env.cluster.servers.count, 'server')} (${env.cluster.servers.flavor}), ${plural(env.cluster.agents.count, 'agent')} (${env.cluster.agents.flavor}), image ${env.openstack.image}, k3s ${env.cluster.k3sVersion}`,
    ...nodes.map((n) => `    ${n.name}  ${n.flavor_name}  ${n.availability_zone}`),
    `  ${plural(rules, 'security group rule')} from the k3s port matrix; SSH and API from ${env.openstack.adminCidrs.join(', ')}`,
    `  resources: ${Object.entries(resourceCounts(stackJson)).map(([t, n]) => `${n} ${t}`).join(', ')}`,
    '',
    `Ansible: inventory ${environmentPaths(env.name).inventory}, then ${playbookPath('site.yml')} (when you run cdktf deploy)`,
  ];
  if (manifests) {
    lines.push(
      '',
      `Kubernetes (cdk8s → ${manifests.dir})`,
      `  namespace ${env.apps.namespace}: ${Object.entries(kindCounts(manifests.objects)).map(([k, n]) => `${n} ${k}`).join(', ')}`,
      `  images: ${Object.entries(env.apps.images).map(([app, i]) => `${app} ${i.version}`).join(', ')}`,
    );
  }
  lines.push('', 'Next: `npx cdktf diff` with your openrc sourced, then `npx cdktf deploy`.');
  return lines.join('\n');
}
