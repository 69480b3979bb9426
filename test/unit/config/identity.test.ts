// One identity per environment: the file name is the environment, and nothing is shared with another by accident.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../../config/errors';
import { environmentFile, environmentsDir, loadEnvironment } from '../../../config/load';
import { exampleInput } from '../../support/environments';

const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop';

/** Writes the example, renamed to the file's name and patched, into `dir`; returns its path. */
function writeEnvironment(dir: string, name: string, patch: (raw: Record<string, any>) => void = () => {}): string {
  const raw = exampleInput();
  raw.name = name;
  raw.openstack.keypair = { name: `wolke-${name}`, publicKey };
  patch(raw);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return file;
}

function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'wolke-identity-'));

describe('the file name is the environment', () => {
  it('maps a name to config/environments and keeps a path a path', () => {
    expect(environmentFile('prod')).toBe(join(environmentsDir, 'prod.yaml'));
    expect(environmentFile('/tmp/x/lc1234.yaml')).toBe('/tmp/x/lc1234.yaml');
  });

  it('loads a file elsewhere whose base name is its name (WOLKE_ENV=/tmp/x/lc1234.yaml)', () => {
    const file = writeEnvironment(tempDir(), 'lc1234');
    expect(loadEnvironment(file, '').name).toBe('lc1234');
  });

  it('refuses a copy of the example that keeps name: example, naming both fixes', () => {
    const dir = tempDir();
    const file = writeEnvironment(dir, 'prod', (raw) => (raw.name = 'example'));
    expect(refusal(() => loadEnvironment(file, ''))).toEqual([
      'name: "example" differs from the file name prod.yaml; the file name is the environment (it names the stack, state, inventory and manifests): set name: prod, or rename the file to example.yaml',
    ]);
  });

  it('refuses a WOLKE_SET that renames the environment', () => {
    const file = writeEnvironment(tempDir(), 'lc1');
    expect(refusal(() => loadEnvironment(file, 'name=other'))[0]).toMatch(/^name: "other" differs from the file name lc1\.yaml/);
  });

  it('refuses a file elsewhere that has the name of one in config/environments', () => {
    const file = writeEnvironment(tempDir(), 'example', (raw) => (raw.openstack.keypair.name = 'wolke-example-copy'));
    expect(refusal(() => loadEnvironment(file, ''))).toEqual([
      expect.stringMatching(/^name: .*config\/environments\/example\.yaml is environment "example" too; both would use cdktf\.out\/stacks\/example/),
    ]);
  });

  it('says an empty file is empty, a folder is a folder, without a stack trace', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.yaml'), '');
    expect(refusal(() => loadEnvironment(join(dir, 'empty.yaml'), ''))).toEqual([
      '(top level): the file is empty; start from a copy of config/environments/example.yaml',
    ]);
    mkdirSync(join(dir, 'folder.yaml'));
    expect(refusal(() => loadEnvironment(join(dir, 'folder.yaml'), '', '--env'))).toEqual([`--env: ${join(dir, 'folder.yaml')} is a folder, not a file`]);
    expect(refusal(() => loadEnvironment(join(dir, 'missing.yaml'), '', '--env'))).toEqual([`--env: no environment file ${join(dir, 'missing.yaml')}`]);
  });
});

describe('nothing shared with another environment by accident', () => {
  it('refuses a keypair the stack would create in both', () => {
    const dir = tempDir();
    writeEnvironment(dir, 'staging', (raw) => (raw.openstack.keypair.name = 'team-key'));
    const prod = writeEnvironment(dir, 'prod', (raw) => (raw.openstack.keypair.name = 'team-key'));
    expect(refusal(() => loadEnvironment(prod, ''))).toEqual([
      expect.stringMatching(/^openstack\.keypair\.name: "team-key" is also created by environment staging \(.*staging\.yaml\); Nova refuses the second, .* name it e\.g\. wolke-prod$/),
    ]);
  });

  it('allows sharing an existing keypair, which neither stack creates', () => {
    const dir = tempDir();
    writeEnvironment(dir, 'staging', (raw) => (raw.openstack.keypair = { name: 'team-key' }));
    const prod = writeEnvironment(dir, 'prod', (raw) => (raw.openstack.keypair = { name: 'team-key' }));
    expect(loadEnvironment(prod, '').openstack.keypair.name).toBe('team-key');
  });

  it('refuses a shared Terraform state, ingress host or MinIO endpoint', () => {
    const dir = tempDir();
    const shared = (raw: Record<string, any>) => {
      // A key that names both environments passes the rule that a key names its environment; only the neighbour check sees it.
      raw.state = { endpoint: 'https://s3.example.com', bucket: 'tfstate', key: 'wolke/shop/env.tfstate' };
      raw.apps.ingress = { host: 'shop.example.com' };
      raw.apps.minio = { publicEndpoint: 'https://s3.shop.example.com' };
    };
    writeEnvironment(dir, 'env', shared);
    const copy = writeEnvironment(dir, 'shop', shared);
    expect(refusal(() => loadEnvironment(copy, ''))).toEqual([
      expect.stringMatching(/^state\.key: "wolke\/shop\/env\.tfstate" in bucket tfstate is also the state of environment env .*; each would overwrite the other: use e\.g\. wolke\/shop\.tfstate$/),
      expect.stringMatching(/^apps\.ingress\.host: "shop\.example\.com" is also the host of environment env /),
      expect.stringMatching(/^apps\.minio\.publicEndpoint: "https:\/\/s3\.shop\.example\.com" is also the MinIO endpoint of environment env /),
    ]);
  });

  it('refuses a state key that does not name the environment', () => {
    const file = writeEnvironment(tempDir(), 'shop', (raw) => {
      raw.state = { endpoint: 'https://s3.example.com', bucket: 'tfstate', key: 'wolke/env.tfstate' };
    });
    expect(refusal(() => loadEnvironment(file, ''))).toEqual([
      'state.key: must name the environment, e.g. wolke/shop.tfstate: another environment writing the same key would overwrite this one\'s state (got "wolke/env.tfstate")',
    ]);
  });
});
