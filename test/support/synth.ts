// Synthesizes a cluster stack in memory (cdktf Testing) and gives typed access to its resources.
import { Testing } from 'cdktf';
import type { Environment } from '../../config/schema';
import { ClusterStack } from '../../stacks/cluster-stack';

export interface SynthesizedStack {
  json: Record<string, any>;
  /** All resources of one Terraform type, by logical id. */
  resources(type: string): Record<string, any>;
}

export function synthStack(env: Environment): SynthesizedStack {
  const stack = new ClusterStack(Testing.app(), env);
  const json = JSON.parse(Testing.synth(stack));
  return { json, resources: (type) => json.resource?.[type] ?? {} };
}
