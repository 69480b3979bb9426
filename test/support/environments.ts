// Environments for tests: the bundled example, and variants of it built by overriding a few fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../config/errors';
import { environmentsDir, parseEnvironment } from '../../config/load';
import type { Environment } from '../../config/schema';

/** The example environment as parsed YAML (before validation), a fresh copy each call. */
export function exampleInput(): Record<string, any> {
  return parse(readFileSync(join(environmentsDir, 'example.yaml'), 'utf8'));
}

type Patch = (raw: Record<string, any>) => void;

/** The example environment with `patch` applied to its YAML, validated. */
export function environment(patch: Patch = () => {}): Environment {
  const raw = exampleInput();
  patch(raw);
  return parseEnvironment(raw, environmentsDir);
}

/** The error lines of the example with `patch` applied; fails the test when the model accepts it. */
export function rejectionOf(patch: Patch): string[] {
  try {
    environment(patch);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error('expected the environment to be rejected');
}

/** A highly available variant: 3 servers, 5 agents, WireGuard, existing network, boot volumes, S3 state. */
export const haEnvironment = (): Environment =>
  environment((raw) => {
    raw.name = 'ha';
    raw.cluster.servers.count = 3;
    raw.cluster.agents.count = 5;
    raw.cluster.wireguard = true;
    raw.openstack.network = { existing: 'shared-net' };
    raw.openstack.bootVolumeSize = 40;
    raw.openstack.availabilityZones = ['az1', 'az2', 'az3'];
    raw.state = { endpoint: 'https://s3.example.com', bucket: 'tfstate', key: 'wolke/ha.tfstate' };
  });

/**
 * Turns the monitoring stack on in a model's YAML, with `settings` for the rest of `monitoring`. The stack's pods do
 * not fit beside the example's apps on the one agent left after a drain (the capacity rule refuses it), so the
 * monitored variant runs a third agent, as the rule's message tells a user to.
 */
export function withMonitoring(raw: Record<string, any>, settings: Record<string, unknown> = {}): void {
  raw.monitoring = { enabled: true, ...settings };
  raw.cluster.agents.count = 3;
}
