// The traps around the model's commands, each reproduced: what the CLI writes, runs and prints (no real processes).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inventoryOf } from '../../../../scripts/cli/cluster';
import { ansibleOutcome } from '../../../../scripts/cli/ansible';
import { main } from '../../../../scripts/wolke';
import type { Environment } from '../../../../config/schema';
import { exampleInput } from '../../../support/environments';
import { ansibleJson, recordingIo, type RecordingOptions } from '../../../support/recording-io';

const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop';

/** A fresh environment file `<dir>/<name>.yaml`: the example with an inline key, patched. */
function environmentFile(name: string, patch: (raw: Record<string, any>) => void = () => {}): string {
  const raw = exampleInput();
  raw.name = name;
  raw.openstack.keypair = { name: `wolke-${name}`, publicKey };
  patch(raw);
  const file = join(mkdtempSync(join(tmpdir(), 'wolke-cli-')), `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  return file;
}

const inventory = (name: string) => inventoryOf({ name } as Environment);

/** Runs the CLI against a recording world; the cluster of `name` exists unless said otherwise. */
async function wolke(argv: string[], options: RecordingOptions & { cluster?: string } = {}) {
  const io = recordingIo({ ...options, existing: options.cluster ? [inventory(options.cluster)] : [] });
  const code = await main(argv, io);
  return { code, ...io };
}

const unreachable = (): { status: number; stdout: string; stderr: string } => ({
  status: 4,
  stdout: ansibleJson('wolke-prod-server-0-1a2b3c4d', {
    unreachable: true,
    msg: 'Failed to connect to the host via ssh: ssh: connect to host 203.0.113.10 port 22: Connection timed out',
  }),
  stderr: '',
});

const noStackTrace = (lines: readonly string[]) => expect(lines.filter((l) => /^\s+at /m.test(l))).toEqual([]);

describe('a flag npm swallows never turns a dry run into a real run', () => {
  it('`npm run release 0.2.0 --dry-run` (no --) is a dry run: nothing written, nothing run', async () => {
    const file = environmentFile('prod');
    // npm keeps --dry-run for itself and tells the script only through npm_config_dry_run.
    const run = await wolke(['release', '0.2.0'], { env: { WOLKE_ENV: file, npm_lifecycle_event: 'release', npm_config_dry_run: 'true' }, cluster: 'prod' });
    expect(run.code).toBe(0);
    expect(run.writes).toEqual([]);
    expect(run.runs).toEqual([]);
    expect(run.stdout).toContain('dry run: nothing written, nothing deployed');
    expect(run.stderr[0]).toMatch(/^npm took --dry-run for itself/);
  });

  it('`npm run rollback --env prod` (no --) is refused: npm passed "prod" on as an app', async () => {
    const run = await wolke(['rollback', 'prod'], { env: { npm_lifecycle_event: 'rollback', npm_config_env: 'true' }, cluster: 'example' });
    expect(run.code).toBe(2);
    expect(run.runs).toEqual([]);
    expect(run.stderr[0]).toMatch(/^npm took --env for itself .* `npx wolke rollback … --env <name>`$/);
  });

  it('`npm run release 0.2.0 --no-deploy` (no --) writes the model and deploys nothing, as asked', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', 'api'], { env: { WOLKE_ENV: file, npm_config_deploy: '' } });
    expect(run.code).toBe(0);
    expect(run.writes.map((w) => w.path)).toEqual([file]);
    expect(run.runs).toEqual([]);
  });
});

describe('nothing is written before its preconditions are checked', () => {
  it('release without a cluster writes nothing and says how to create one', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', '--env', file]);
    expect(run.code).toBe(1);
    expect(run.writes).toEqual([]);
    expect(run.stderr.at(-1)).toBe('environment prod has no cluster yet (no ansible/inventory/prod.yml); create it first: WOLKE_ENV=prod npx cdktf deploy');
  });

  it('scale without a cluster writes nothing either', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['scale', '4', 'web', '--env', file]);
    expect(run.code).toBe(1);
    expect(run.writes).toEqual([]);
  });

  it('release with the VPN down writes nothing, synthesizes nothing, and says why', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', '--env', file], { cluster: 'prod', ansible: unreachable });
    expect(run.code).toBe(1);
    expect(run.writes).toEqual([]);
    expect(run.runs).toEqual([expect.stringMatching(/^ansible server\[0\] -i .*prod\.yml --become -m ansible\.builtin\.ping$/)]);
    expect(run.stderr.at(-1)).toBe(
      'reaching prod: wolke-prod-server-0-1a2b3c4d is unreachable: Failed to connect to the host via ssh: ssh: connect to host 203.0.113.10 port 22: Connection timed out (is the VPN up, and is its range in openstack.adminCidrs?)',
    );
  });

  it('release without Ansible installed writes nothing and names the missing tools', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', '--env', file], { cluster: 'prod', tools: [] });
    expect(run.code).toBe(1);
    expect(run.writes).toEqual([]);
    expect(run.stderr.at(-1)).toBe('ansible and ansible-playbook are not installed (not on the PATH); install ansible-core, e.g. pipx install ansible-core');
  });

  it('a release that deploys: checks, synthesizes, writes the model, then applies', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', 'api', '--env', file], { cluster: 'prod' });
    expect(run.code).toBe(0);
    expect(run.runs).toEqual([expect.stringMatching(/ansible\.builtin\.ping$/), 'synthesize prod', expect.stringMatching(/^ansible-playbook -i .*prod\.yml .*ansible\/deploy\.yml$/)]);
    expect(run.writes).toHaveLength(1);
    expect(run.writes[0].text).toContain('version: 0.2.0');
  });

  it('a deploy that fails puts the model file back, so it claims no release that did not happen', async () => {
    const file = environmentFile('prod');
    const before = readFileSync(file, 'utf8');
    const run = await wolke(['release', '0.2.0', '--env', file], { cluster: 'prod', playbook: 2 });
    expect(run.code).toBe(1);
    expect(run.writes.map((w) => w.text === before)).toEqual([false, true]);
    expect(run.stderr.at(-1)).toMatch(/^ansible-playbook ansible\/deploy\.yml failed \(exit 2: a task failed on a host\); its output above says where; .*prod\.yaml is back as it was/);
    // The model as it was is deployed again; here that fails too, and the message says so.
    expect(run.runs.filter((r) => r.startsWith('ansible-playbook'))).toHaveLength(2);
    expect(run.stderr.at(-1)).toMatch(/but deploying it again failed too \(ansible-playbook ansible\/deploy\.yml failed \(exit 2.*npx wolke status --env prod$/);
  });

  it('a release whose deploy fails is rolled back: the model as it was is synthesized and deployed again', async () => {
    const file = environmentFile('prod');
    const before = readFileSync(file, 'utf8');
    const run = await wolke(['release', '0.2.0', 'api', '--env', file], { cluster: 'prod', playbook: [2, 0] });
    expect(run.code).toBe(1);
    expect(run.writes.map((w) => w.text === before)).toEqual([false, true]);
    expect(run.runs).toEqual([
      expect.stringMatching(/ansible\.builtin\.ping$/),
      'synthesize prod',
      expect.stringMatching(/ansible\/deploy\.yml$/),
      'synthesize prod',
      expect.stringMatching(/ansible\/deploy\.yml$/),
    ]);
    expect(run.stderr.at(-1)).toMatch(/; rolled back: .*prod\.yaml is back as it was and the cluster runs it again \(npx wolke status --env prod\)$/);
  });

  it('refuses WOLKE_SET for commands that write or deploy the model', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['release', '0.2.0', '--env', file], { cluster: 'prod', env: { WOLKE_SET: 'apps.web.replicas=3' } });
    expect(run.code).toBe(2);
    expect(run.writes).toEqual([]);
    expect(run.runs).toEqual([]);
  });
});

describe('one identity per environment', () => {
  it('refuses a copy of example.yaml that keeps name: example, before anything is written', async () => {
    const file = environmentFile('prod', (raw) => (raw.name = 'example'));
    const run = await wolke(['release', '0.2.0', '--env', file], { cluster: 'example' });
    expect(run.code).toBe(2);
    expect(run.writes).toEqual([]);
    expect(run.runs).toEqual([]);
    expect(run.stderr).toContain('  name: "example" differs from the file name prod.yaml; the file name is the environment (it names the stack, state, inventory and manifests): set name: prod, or rename the file to example.yaml');
  });

  it('refuses --env and WOLKE_ENV that disagree', async () => {
    const run = await wolke(['status', '--env', 'prod'], { env: { WOLKE_ENV: 'staging' } });
    expect(run.code).toBe(2);
    expect(run.stderr[0]).toBe('--env prod and WOLKE_ENV=staging name different environments; drop one of them');
  });
});

describe('every failure says its cause in one line', () => {
  it('status with the VPN down prints Ansible\'s unreachable reason, not "Command failed"', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['status', '--env', file], { cluster: 'prod', ansible: unreachable });
    expect(run.code).toBe(1);
    expect(run.stderr.at(-1)).toMatch(/^reading the workloads of prod: wolke-prod-server-0-1a2b3c4d is unreachable: .*Connection timed out \(is the VPN up/);
    expect(run.stderr.join('\n')).not.toContain('Command failed');
  });

  it('rollback with the VPN down prints the reason too, and rolls nothing back', async () => {
    const file = environmentFile('prod');
    const run = await wolke(['rollback', 'api', '--env', file], { cluster: 'prod', ansible: unreachable });
    expect(run.code).toBe(1);
    expect(run.stderr.at(-1)).toMatch(/^rolling back api: wolke-prod-server-0-1a2b3c4d is unreachable: .*Connection timed out/);
  });

  it('a command that fails on the server gives its stderr; a refused key gives the ssh-agent hint', () => {
    const failed = { status: 2, stderr: '', stdout: ansibleJson('s0', { failed: true, rc: 1, msg: 'non-zero return code', stderr: 'Error from server (NotFound): deployments.apps "api" not found' }) };
    expect(() => ansibleOutcome(failed, 'rolling back api')).toThrow('rolling back api: failed on s0: Error from server (NotFound): deployments.apps "api" not found');
    const key = { status: 4, stderr: '', stdout: ansibleJson('s0', { unreachable: true, msg: 'Failed to connect to the host via ssh: root@203.0.113.10: Permission denied (publickey).' }) };
    expect(() => ansibleOutcome(key, 'status')).toThrow(/Permission denied \(publickey\)\. \(load the environment's private key into ssh-agent: ssh-add <key>\)$/);
    const broken = { status: 4, stdout: '', stderr: 'ERROR! Unable to parse /x/prod.yml as an inventory source\n' };
    expect(() => ansibleOutcome(broken, 'status')).toThrow('status: ansible failed (exit 4): ERROR! Unable to parse /x/prod.yml as an inventory source');
    expect(() => ansibleOutcome({ status: null, stdout: '', stderr: '', missing: true }, 'status')).toThrow(/ansible is not installed/);
  });

  it('says when the inventory has no server, or cannot be parsed (stderr as ansible-core 2.14 prints it)', () => {
    const noServer = { status: 0, stdout: '{"plays": [{"play": {"name": "Ansible Ad-Hoc"}, "tasks": []}], "stats": {}}', stderr: '[WARNING]: Could not match supplied host pattern, ignoring: server\n[WARNING]: No hosts matched, nothing to do\n' };
    expect(() => ansibleOutcome(noServer, 'status')).toThrow('status: the inventory has no server to run on (Could not match supplied host pattern, ignoring: server)');
    const unparsable = {
      status: 0,
      stdout: noServer.stdout,
      stderr: "[WARNING]:  * Failed to parse /x/prod.yml with yaml plugin: We were unable\nto read either as JSON nor YAML, these are the errors we got from each: JSON:\n[WARNING]: Unable to parse /x/prod.yml as an inventory source\n[WARNING]: Could not match supplied host pattern, ignoring: server\n",
    };
    expect(() => ansibleOutcome(unparsable, 'status')).toThrow('status: the inventory has no server to run on (Unable to parse /x/prod.yml as an inventory source)');
  });

  it('status prints the model next to what the cluster runs when the server answers', async () => {
    const file = environmentFile('prod');
    const items = [{ kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'registry.example.com/wolke/api:0.1.0' }] } } }, status: { readyReplicas: 2, updatedReplicas: 2 } }];
    const run = await wolke(['status', '--env', file], { cluster: 'prod', ansible: () => ({ status: 0, stdout: ansibleJson('s0', { stdout: JSON.stringify({ items }) }), stderr: '' }) });
    expect(run.code).toBe(0);
    expect(run.stdout.join('\n').split('\n')[0]).toMatch(/^APP\s+READY\s+CURRENT\s+MODEL\s+RUNNING$/);
    expect(run.stdout.join('\n')).toMatch(/^api\s+2\/2\s+yes\s+registry\.example\.com\/wolke\/api:0\.1\.0/m);
    expect(run.runs).toEqual([expect.stringMatching(/^ansible server\[0\] -i .*prod\.yml --become -m ansible\.builtin\.command -a \/usr\/local\/bin\/k3s kubectl -n wolke get deployments,statefulsets -l wolke\.dev\/environment=prod -o json$/)]);
  });

  it('--help prints the usage and exits 0', async () => {
    for (const argv of [['--help'], ['release', '--help'], ['-h'], []]) {
      const run = await wolke(argv);
      expect(run.code).toBe(0);
      expect(run.stdout.join('\n')).toMatch(/^usage: npx wolke <command>/);
      expect(run.stderr).toEqual([]);
    }
  });

  it('a bad file is one refusal with exit 2, never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wolke-cli-'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: [unclosed\n');
    writeFileSync(join(dir, 'empty.yaml'), '');
    for (const file of [join(dir, 'broken.yaml'), join(dir, 'empty.yaml'), join(dir, 'missing.yaml'), dir + '/']) {
      const run = await wolke(['status', '--env', file], { cluster: 'broken' });
      expect(run.code).toBe(2);
      expect(run.runs).toEqual([]);
      noStackTrace(run.stderr);
    }
  });

  it.each([
    [['release'], 'release: which version? e.g. npx wolke release 0.2.0 [app...]'],
    [['scale', 'four'], 'scale: replicas must be a whole number (got four), e.g. npx wolke scale 4 web'],
    [['scale', '3', 'web', 'api'], 'scale: one app at a time (got web api)'],
    [['rollback', 'kafka'], 'rollback: unknown app kafka; use one of api, web, processor, producer, aggregator'],
    [['status', 'now'], 'status takes no arguments (got now)'],
    [['deploy', '--dry-run'], 'deploy has no --dry-run; it only applies to release and scale'],
    [['release', '0.2.0', '--dryrun'], "Unknown option '--dryrun'"],
    [['relase', '0.2.0'], 'unknown command "relase"; the commands are release, scale, deploy, rollback, status'],
    [['release', '0.2.0', '--dry-run', '--no-deploy'], '--dry-run and --no-deploy: choose one (a dry run deploys nothing anyway)'],
  ])('refuses %j with exit 2: %s', async (argv, message) => {
    const run = await wolke(argv, { cluster: 'example' });
    expect(run.code).toBe(2);
    expect(run.writes).toEqual([]);
    expect(run.runs).toEqual([]);
    expect(run.stderr).toContain(message);
  });

  it('refuses an unknown app or a bad version of release as an invalid argument', async () => {
    const file = environmentFile('prod');
    for (const argv of [['release', '0.2.0', 'databse'], ['release', 'latest!'], ['scale', '7', 'processor']]) {
      const run = await wolke([...argv, '--env', file], { cluster: 'prod' });
      expect(run.code).toBe(2);
      expect(run.writes).toEqual([]);
      expect(run.runs).toEqual([]);
    }
  });
});

