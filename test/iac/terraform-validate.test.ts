// terraform init + validate, offline, with the real providers from the local mirror, on every stack.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, inject, it } from 'vitest';
import { environmentsDir, loadEnvironment } from '../../config/load';
import type { Environment } from '../../config/schema';
import { ClusterStack } from '../../stacks/cluster-stack';
import { haEnvironment } from '../support/environments';

function terraform(dir: string, args: string[]): string {
  return execFileSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: inject('tfCliConfig'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
}

const bundled = readdirSync(environmentsDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => [f, () => loadEnvironment(f.replace(/\.yaml$/, ''), '')] as const);
const cases: (readonly [string, () => Environment])[] = [...bundled, ['3 servers + 5 agents, existing network, volumes, S3 state', haEnvironment]];

describe.each(cases)('terraform validate: %s', (_, makeEnv) => {
  it('initialises offline from the mirror and validates', () => {
    const env = makeEnv();
    const out = Testing.fullSynth(new ClusterStack(Testing.app(), env));
    const dir = join(out, 'stacks', env.name);
    terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
    const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('registry.terraform.io/terraform-provider-openstack/openstack');
    expect(lock).toMatch(/version\s+=\s+"3\.4\.0"/);
    // The only providers a user fetches or mirrors: the Ansible run is built-in terraform_data, not the null provider's.
    expect([...lock.matchAll(/^provider "([^"]+)"/gm)].map((m) => m[1]).sort()).toEqual([
      'registry.terraform.io/hashicorp/local',
      'registry.terraform.io/terraform-provider-openstack/openstack',
    ]);
    const result = JSON.parse(terraform(dir, ['validate', '-json', '-no-color']));
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
