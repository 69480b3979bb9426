// The deploy's preflight as part of the plan: a local_command data source that scripts/preflight.ts answers.
import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { scriptDataSource } from './script-data-source';
import type { WantedNode } from '../scripts/preflight/roll';
import type { ClusterNetworks } from '../scripts/preflight/cluster-networks';

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
  /** Every node of the model: its slot and the spec the model wants; servers first, the order of the roll. */
  nodes: WantedNode[];
  /** How many nodes one apply may replace (the model's cluster.rollSurge). */
  surge: number;
  /** The model's server-group policy: a change replaces every node at once and needs the forced roll. */
  serverGroupPolicy: string;
  /** The model's pod and Service networks: a running cluster cannot move to others. */
  clusterNetworks: ClusterNetworks;
  /** The existing network the nodes attach to (and its subnet, if named), whose subnets must be clear of those. */
  existingNetwork?: { name: string; subnet?: string };
}

/** One node as this apply runs it (Terraform expressions into the preflight's answer). */
export interface PlannedNodeRef {
  name: string;
  flavor: string;
  imageId: string;
  availabilityZone: string;
  keyPair: string;
  bootVolumeSize: number;
  k3sVersion: string;
  image: string;
}

/**
 * Terraform reads data sources before it plans resources, and the OpenStack provider's configuration refers to this
 * one's output (the region it checked), so a failed preflight stops `cdktf deploy` and `cdktf diff` before the provider
 * is even configured and before anything is created, with one line per problem.
 */
export class Preflight extends Construct {
  /** The region the preflight checked (OS_REGION_NAME, or empty for the cloud's default). */
  readonly region: string;
  /** Private address of a server of the running cluster that new nodes join; empty when there is none yet. */
  readonly joinAddress: string;
  /** Slots still on another spec after this apply: the next deploys move them. */
  readonly waiting: string;
  private readonly answer: string;

  constructor(scope: Construct, id: string, spec: PreflightSpec) {
    super(scope, id);
    const check = scriptDataSource(this, 'check', 'scripts/preflight.ts', JSON.stringify(spec));
    this.answer = check.stdout;
    this.region = this.field(['region']);
    this.joinAddress = this.field(['joinAddress']);
    this.waiting = this.field(['waiting']);
  }

  private field(path: string[]): string {
    return Fn.lookupNested(Fn.jsondecode(this.answer), path);
  }

  /** What the node of `slot` runs after this apply: the roll keeps nodes that wait for their turn as they are. */
  planned(slot: string): PlannedNodeRef {
    const at = (key: string) => this.field(['nodes', slot, key]);
    return {
      name: at('name'),
      flavor: at('flavor'),
      imageId: at('imageId'),
      availabilityZone: at('availabilityZone'),
      keyPair: at('keyPair'),
      bootVolumeSize: Token.asNumber(at('bootVolumeSize')),
      k3sVersion: at('k3sVersion'),
      image: at('image'),
    };
  }
}
