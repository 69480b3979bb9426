import { describe, expect, it } from 'vitest';
import type { RunningNode } from '../../../../scripts/preflight/roll';
import { k3sVersionSkew } from '../../../../scripts/preflight/version-skew';

const node = (name: string, k3sVersion: string | undefined): RunningNode => ({
  name,
  slot: name.replace(/-[0-9a-f]+$/, ''),
  role: name.startsWith('server') ? 'server' : 'agent',
  spec: k3sVersion === undefined ? undefined : { k3sVersion, image: 'debian-12', flavor: 'm1.large', availabilityZone: 'nova', keyPair: 'k', bootVolumeSize: null },
  imageId: 'image',
  status: 'ACTIVE',
  created: '2026-12-01T00:00:00Z',
});

describe('k3sVersionSkew', () => {
  it('lets the same or the next minor roll, and a first deploy', () => {
    expect(k3sVersionSkew([], 'v1.36.4+k3s1')).toBeUndefined();
    expect(k3sVersionSkew([node('server-0-a', 'v1.36.1+k3s1')], 'v1.36.4+k3s1')).toBeUndefined();
    expect(k3sVersionSkew([node('server-0-a', 'v1.35.9+k3s1'), node('agent-0-b', 'v1.36.4+k3s1')], 'v1.36.4+k3s1')).toBeUndefined();
    // A node without readable metadata says nothing about its release; the roll refuses it on its own.
    expect(k3sVersionSkew([node('agent-0-c', undefined)], 'v1.36.4+k3s1')).toBeUndefined();
  });

  it('refuses skipping minors, naming the nodes, the oldest release and the next step', () => {
    const running = [node('server-0-a', 'v1.31.4+k3s1'), node('agent-0-b', 'v1.31.4+k3s1'), node('agent-1-c', 'v1.35.2+k3s1')];
    expect(k3sVersionSkew(running, 'v1.36.4+k3s1')).toBe(
      'cluster.k3sVersion v1.36.4+k3s1 is 5 minor releases ahead of v1.31.4+k3s1, which server-0-a, agent-0-b run; ' +
        'Kubernetes upgrades one minor at a time: set v1.32.x first and deploy until nodes_waiting_to_roll is empty, then the next minor',
    );
  });

  it('refuses a new minor while an earlier roll has not finished', () => {
    const running = [node('server-0-a', 'v1.33.1+k3s1'), node('agent-0-b', 'v1.32.6+k3s1')];
    expect(k3sVersionSkew(running, 'v1.34.2+k3s1')).toMatch(/^cluster\.k3sVersion v1\.34\.2\+k3s1 is 2 minor releases ahead of v1\.32\.6\+k3s1, which agent-0-b runs;/);
  });

  it('refuses a downgrade', () => {
    expect(k3sVersionSkew([node('server-0-a', 'v1.36.4+k3s1')], 'v1.35.9+k3s1')).toBe(
      'cluster.k3sVersion v1.35.9+k3s1 is older than v1.36.4+k3s1, which server-0-a runs; Kubernetes does not support downgrades: put the running release back in the model',
    );
  });
});
