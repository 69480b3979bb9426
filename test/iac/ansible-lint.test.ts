// Lints the playbooks and roles with ansible-lint's production profile and syntax-checks every playbook.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderInventory } from '../../stacks/inventory-text';

const run = promisify(execFile);
const ansibleDir = resolve(__dirname, '../../ansible');
const work = mkdtempSync(join(tmpdir(), 'wolke-ansible-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command and returns its exit code and output, so a failure shows what the tool said. */
async function outcome(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: ansibleDir, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('ansible', () => {
  it('passes ansible-lint with the production profile', async () => {
    const result = await outcome('ansible-lint', ['--profile', 'production', '--nocolor'], { NO_COLOR: '1' });
    expect(result.output).toMatch(/Passed with production profile/);
    expect(result.code, result.output).toBe(0);
  });

  // An HA inventory (3 servers), as renderInventory writes it, so server[1:] plays are checked too.
  const inventory = join(work, 'inventory.yml');
  writeFileSync(
    inventory,
    renderInventory({
      servers: [1, 2, 3].map((i) => ({ name: `server-${i}`, floatingIp: `192.0.2.${i}`, privateIp: `10.42.0.${i}` })),
      agents: [{ name: 'agent-1', floatingIp: '192.0.2.10', privateIp: '10.42.0.10' }],
      sshUser: 'debian',
      vars: { wolke_environment: 'lint', k3s_version: 'v1.31.4+k3s1' },
    }),
  );

  for (const playbook of ['site.yml', 'deploy.yml', 'upgrade.yml']) {
    it(`syntax-checks ${playbook}`, async () => {
      const result = await outcome('ansible-playbook', ['--syntax-check', '-i', inventory, playbook], {
        ANSIBLE_CONFIG: join(ansibleDir, 'ansible.cfg'),
      });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`playbook: ${playbook}`);
    });
  }
});
