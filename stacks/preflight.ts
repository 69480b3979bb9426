// The deploy's preflight as part of the plan: a local_command data source that scripts/preflight.ts answers.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { DataLocalCommand } from '@cdktf/provider-local/lib/data-local-command';
import { repoRootFromStack } from './inventory';

/** What the preflight checks against the cloud: the model's names and the nodes the stack would run. */
export interface PreflightSpec {
  /** Prefix of every resource name of the environment (wolke-<env>). */
  prefix: string;
  externalNetwork: string;
  /** Image name or id. */
  image: string;
  availabilityZones: string[];
  /** The keypair; publicKey when the stack creates it. */
  keypair: { name: string; publicKey?: string };
  /** Every node of the model, by its versioned name: a name that does not exist yet is a node to create. */
  nodes: { name: string; role: 'server' | 'agent'; flavor: string }[];
}

/**
 * Terraform reads data sources before it plans resources, and the OpenStack provider's configuration refers to this
 * one's output (the region it checked), so a failed preflight stops `cdktf deploy` and `cdktf diff` before the provider
 * is even configured and before anything is created, with one line per problem.
 */
export class Preflight extends Construct {
  /** The region the preflight checked (OS_REGION_NAME, or empty for the cloud's default). */
  readonly region: string;

  constructor(scope: Construct, id: string, spec: PreflightSpec) {
    super(scope, id);
    const check = new DataLocalCommand(this, 'check', {
      command: 'node',
      arguments: ['--import', 'tsx', 'scripts/preflight.ts'],
      workingDirectory: repoRootFromStack,
      stdin: JSON.stringify(spec),
    });
    this.region = Fn.trimspace(check.stdout);
  }
}
