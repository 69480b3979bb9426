import { describe, expect, it } from 'vitest';
import { clusterShape, shapeOverride } from '../../../bench/p3-synth';

describe('clusterShape', () => {
  it('uses one server for small clusters and an odd quorum of three above', () => {
    expect(clusterShape(3)).toEqual({ servers: 1, agents: 2 });
    expect(clusterShape(30)).toEqual({ servers: 3, agents: 27 });
    expect(clusterShape(100)).toEqual({ servers: 3, agents: 97 });
  });

  it('refuses clusters without an agent', () => {
    expect(() => clusterShape(1)).toThrow(/at least 2 nodes/);
    expect(() => clusterShape(2.5)).toThrow(/at least 2 nodes/);
  });

  it('writes the WOLKE_SET override', () => {
    expect(shapeOverride(clusterShape(100))).toBe('cluster.servers.count=3;cluster.agents.count=97');
  });
});
