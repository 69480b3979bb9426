// Unit tests of `status`: the model's images and the cluster's workloads side by side (pure, no cluster).
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../../config/load';
import { compareWithModel, formatStatus, type Workload } from '../../../../scripts/release/cluster-status';

const env = loadEnvironment('example', '');

function workload(name: string, image: string, replicas: number, ready: number, kind = 'Deployment'): Workload {
  return {
    kind,
    metadata: { name },
    spec: { replicas, template: { spec: { containers: [{ name, image }] } } },
    status: { readyReplicas: ready, updatedReplicas: replicas },
  };
}

const running: Workload[] = (['api', 'web', 'processor', 'producer', 'aggregator', 'detector', 'lake-sink'] as const)
  .map((app) => workload(app, `${env.apps.images[app].image}:${env.apps.images[app].version}`, 2, 2))
  .concat([
    workload('kafka', 'registry.example.com/wolke/kafka:4.4.0', 3, 3, 'StatefulSet'),
    workload('minio', 'registry.example.com/wolke/minio:RELEASE.2025-10-15T17-29-55Z', 4, 4, 'StatefulSet'),
  ]);

describe('compareWithModel', () => {
  it('calls a cluster that runs the model current', () => {
    const rows = compareWithModel(env, running);
    expect(rows.map((r) => r.app)).toEqual(['api', 'web', 'processor', 'producer', 'aggregator', 'detector', 'lake-sink', 'kafka', 'minio']);
    expect(rows.every((r) => r.current)).toBe(true);
    expect(rows.find((r) => r.app === 'minio')?.ready).toBe('4/4');
  });

  it('shows an old image, an unready rollout and a missing workload', () => {
    const cluster = running
      .filter((w) => w.metadata.name !== 'producer')
      .map((w) => (w.metadata.name === 'api' ? workload('api', 'registry.example.com/wolke/api:0.0.9', 2, 2) : w))
      .map((w) => (w.metadata.name === 'web' ? workload('web', 'registry.example.com/wolke/web:0.1.0', 2, 1) : w));
    const rows = Object.fromEntries(compareWithModel(env, cluster).map((r) => [r.app, r]));
    expect(rows.api).toMatchObject({ current: false, running: 'registry.example.com/wolke/api:0.0.9', wanted: 'registry.example.com/wolke/api:0.1.0' });
    expect(rows.web).toMatchObject({ current: false, ready: '1/2' });
    expect(rows.producer).toMatchObject({ current: false, running: '-', ready: '-' });
    expect(rows.processor.current).toBe(true);
  });
});

describe('formatStatus', () => {
  it('aligns the columns under their headings', () => {
    const lines = formatStatus(compareWithModel(env, running)).split('\n');
    expect(lines[0]).toMatch(/^APP\s+READY\s+CURRENT\s+MODEL\s+RUNNING$/);
    expect(lines).toHaveLength(10);
    const column = lines[0].indexOf('MODEL');
    for (const line of lines.slice(1)) expect(line.slice(column)).toMatch(/^(registry\.example\.com|docker\.io)\//);
  });
});
