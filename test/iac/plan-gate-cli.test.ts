// The plan gate as a command: help, argument errors and files that are not plans each get one line and exit 2.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '../..');
// Inside the checkout, as cdktf.out/stacks/<env> is: npm finds the project from there.
mkdirSync(join(repoRoot, 'cdktf.out'), { recursive: true });
const work = mkdtempSync(join(repoRoot, 'cdktf.out', 'plan-gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gate(args: string[], cwd = repoRoot) {
  const result = spawnSync('npm', ['run', '--silent', 'plan-gate', '--', ...args], { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm run plan-gate', () => {
  it('prints its usage for --help', () => {
    const r = gate(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: npm run plan-gate -- <saved plan file>');
  });

  it('refuses a --max-nodes that is not a whole number instead of disabling the limit', () => {
    writeFileSync(join(work, 'some.tfplan'), 'x');
    const r = gate(['some.tfplan', '--max-nodes', 'abc'], work);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage:');
  });

  it('names a missing plan file, resolved from where npm was run', () => {
    const r = gate(['missing.tfplan'], work);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`plan-gate: no plan file ${join(work, 'missing.tfplan')}`);
  });

  it('says in one line, without a stack trace, that a file is not a saved plan', () => {
    writeFileSync(join(work, 'not-a-plan.tfplan'), 'not a plan');
    const r = gate(['not-a-plan.tfplan'], work);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^plan-gate: terraform cannot read .*not-a-plan\.tfplan as a saved plan: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
