// Runs upgrade.yml's version gate (k3s_upgrade/tasks/version-gate.yml) in Ansible on `k3s --version` outputs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ansibleDir = resolve(__dirname, '../../ansible');
const work = mkdtempSync(join(tmpdir(), 'wolke-upgrade-gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The gate runs on localhost over the local connection: it only parses and compares, so no node is needed.
const playbook = join(work, 'gate.yml');
writeFileSync(
  playbook,
  `- name: Version gate
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Gate
      ansible.builtin.include_role:
        name: k3s_upgrade
        tasks_from: version-gate.yml
    - name: Show the parsed installed version
      ansible.builtin.debug:
        msg: "from={{ k3s_upgrade_from }}"
`,
);

/** `k3s --version` prints two lines; the first names the release. */
const versionOutput = (release: string) => `k3s version ${release} (0123abcd)\ngo version go1.22.9`;

async function gate(installed: string, target: string) {
  const extra = JSON.stringify({ k3s_upgrade_version_output: versionOutput(installed), k3s_version: target, node_name: 'server-1' });
  try {
    const { stdout } = await run('ansible-playbook', ['-i', 'localhost,', playbook, '-e', extra], {
      env: { ...process.env, ANSIBLE_ROLES_PATH: join(ansibleDir, 'roles'), ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' },
    });
    return { passed: true, output: stdout };
  } catch (error) {
    return { passed: false, output: (error as { stdout?: string }).stdout ?? String(error) };
  }
}

// Each case is its own ansible-playbook process; they run side by side.
describe.concurrent('upgrade version gate', () => {
  it('allows the next minor release and reads the installed one', async () => {
    const result = await gate('v1.31.4+k3s1', 'v1.32.1+k3s1');
    expect(result.passed, result.output).toBe(true);
    expect(result.output).toContain('from=v1.31.4+k3s1');
  });

  it('allows a patch release and a newer k3s build of the same release', async () => {
    expect((await gate('v1.31.4+k3s1', 'v1.31.6+k3s1')).passed).toBe(true);
    expect((await gate('v1.31.4+k3s1', 'v1.31.4+k3s2')).passed).toBe(true);
  });

  it('refuses to skip a minor release', async () => {
    const result = await gate('v1.31.4+k3s1', 'v1.33.0+k3s1');
    expect(result.passed).toBe(false);
    expect(result.output).toContain('server-1 runs v1.31.4+k3s1; v1.33.0+k3s1 is not the same or the next minor release');
  });

  it('refuses a downgrade, also within a release', async () => {
    for (const [installed, target] of [
      ['v1.31.4+k3s1', 'v1.30.9+k3s1'],
      ['v1.31.4+k3s2', 'v1.31.4+k3s1'],
    ]) {
      const result = await gate(installed, target);
      expect(result.passed).toBe(false);
      expect(result.output).toContain(`runs ${installed}; ${target} is not the same or the next minor release`);
    }
  });

  it('refuses output it cannot read', async () => {
    const result = await gate('garbage', 'v1.31.4+k3s1');
    expect(result.passed).toBe(false);
    expect(result.output).toContain('cannot compare');
  });
});
