// The cdk8s CLI path: `npx cdk8s synth --stdout` prints the same manifests as synthesizeManifests, namespace first.
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../config/load';
import { manifestsYaml } from '../../charts/manifests';

function cdk8sSynthStdout(env: Record<string, string>) {
  return spawnSync('npx', ['cdk8s', 'synth', '--stdout', '--no-check-upgrade'], {
    encoding: 'utf8',
    env: { ...process.env, WOLKE_SET: '', ...env },
  });
}

describe('npx cdk8s synth --stdout', () => {
  it('prints the manifests of the selected environment, ready for kubectl apply -f -', () => {
    const run = cdk8sSynthStdout({ WOLKE_ENV: 'example' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(manifestsYaml(loadEnvironment('example', '')));
    const kinds = parseAllDocuments(run.stdout).map((d) => d.get('kind'));
    expect(kinds[0]).toBe('Namespace');
    expect(kinds).toContain('StatefulSet');
  });

  it('fails with the model error for an invalid environment and prints no manifest', () => {
    const run = cdk8sSynthStdout({ WOLKE_ENV: 'example', WOLKE_SET: 'apps.processor.replicas=9' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('apps.processor.replicas: must not exceed the partitions of topic minio-events (6)');
    expect(run.stdout).not.toContain('kind:');
  });
});
