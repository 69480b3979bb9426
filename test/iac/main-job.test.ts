// The main job as a user runs it: a summary and files for a valid environment, nothing for an invalid one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function mainJob(env: Record<string, string>) {
  const out = mkdtempSync(join(tmpdir(), 'wolke-main-'));
  const run = spawnSync('npm', ['start'], {
    encoding: 'utf8',
    env: { ...process.env, WOLKE_OUT: out, WOLKE_SET: '', ...env },
  });
  return { ...run, out };
}

describe('npm start', () => {
  it('synthesizes the example environment and prints what it would create', () => {
    const run = mainJob({});
    expect(run.stderr).not.toMatch(/invalid environment/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('wolke environment "example"');
    expect(run.stdout).toMatch(/1 server \(m1\.medium\), 2 agents \(m1\.xlarge\)/);
    expect(run.stdout).toMatch(/Kubernetes \(cdk8s → .*dist\/example\/wolke\.k8s\.yaml\)/);
    expect(existsSync(join(run.out, 'cdktf.out', 'stacks', 'example', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(run.out, 'dist', 'example', 'wolke.k8s.yaml'))).toBe(true);
  });

  it('refuses an invalid environment, names both paths and writes nothing', () => {
    const run = mainJob({ WOLKE_SET: 'cluster.servers.count=2; openstack.adminCidrs=[0.0.0.0/0]' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cluster.servers.count: must be odd so embedded etcd keeps quorum (got 2)');
    expect(run.stderr).toContain('openstack.adminCidrs.0: 0.0.0.0/0 opens SSH and the Kubernetes API to the whole internet');
    expect(readdirSync(run.out)).toEqual([]);
  });
});
