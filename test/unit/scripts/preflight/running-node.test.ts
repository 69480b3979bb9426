import { describe, expect, it } from 'vitest';
import { runningNode, type Server } from '../../../../scripts/preflight';

const server = (network: string): Server => ({
  name: 'wolke-ha-server-0-0123abcd',
  status: 'ACTIVE',
  created: '2026-12-01T00:00:00Z',
  metadata: { 'wolke-slot': 'wolke-ha-server-0', 'wolke-role': 'server' },
  image: { id: 'image-1' },
  addresses: {
    [network]: [
      { addr: '10.30.0.5', 'OS-EXT-IPS:type': 'fixed' },
      { addr: '203.0.113.5', 'OS-EXT-IPS:type': 'floating' },
    ],
  },
});

describe('runningNode', () => {
  it("reads the private address on the nodes' network, the one a replacement joins through", () => {
    expect(runningNode(server('wolke-ha-net'), 'wolke-ha-net')).toMatchObject({ slot: 'wolke-ha-server-0', role: 'server', privateIp: '10.30.0.5' });
  });

  it('finds it on an existing network too, which Nova lists under its own name', () => {
    expect(runningNode(server('shared-net'), 'shared-net')?.privateIp).toBe('10.30.0.5');
    // Looked up under the stack's own network name, it is missing: no join address, and a replacement would
    // initialise a second cluster.
    expect(runningNode(server('shared-net'), 'wolke-ha-net')?.privateIp).toBeUndefined();
  });
});
