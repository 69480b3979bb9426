import { describe, expect, it } from 'vitest';
import { portMatrix, type PortRule } from '../../../stacks/port-matrix';

const key = (r: PortRule) => `${r.from}->${r.to} ${r.portMin}-${r.portMax}/${r.protocol}`;

describe('portMatrix', () => {
  it('1 server + agents: API from agents and admins, VXLAN and kubelet between all nodes, no etcd', () => {
    expect(portMatrix({ servers: 1, wireguard: false }).map(key).sort()).toEqual(
      [
        'admins->servers 22-22/tcp',
        'admins->agents 22-22/tcp',
        'admins->servers 6443-6443/tcp',
        'agents->servers 6443-6443/tcp',
        'servers->servers 10250-10250/tcp',
        'servers->agents 10250-10250/tcp',
        'agents->servers 10250-10250/tcp',
        'agents->agents 10250-10250/tcp',
        'servers->servers 8472-8472/udp',
        'servers->agents 8472-8472/udp',
        'agents->servers 8472-8472/udp',
        'agents->agents 8472-8472/udp',
        'clients->agents 80-80/tcp',
        'clients->agents 443-443/tcp',
      ].sort(),
    );
  });

  it('3 servers: etcd and the API between servers only', () => {
    const rules = portMatrix({ servers: 3, wireguard: false }).map(key);
    expect(rules).toContain('servers->servers 2379-2380/tcp');
    expect(rules).toContain('servers->servers 6443-6443/tcp');
    expect(rules.filter((r) => r.includes('2379'))).toEqual(['servers->servers 2379-2380/tcp']);
  });

  it('WireGuard replaces VXLAN between every pair of roles', () => {
    const rules = portMatrix({ servers: 3, wireguard: true }).map(key);
    expect(rules.filter((r) => r.includes('51820-51821/udp'))).toHaveLength(4);
    expect(rules.some((r) => r.includes('8472'))).toBe(false);
  });

  it('SSH and the API are only ever opened to admins or to cluster roles', () => {
    for (const rule of portMatrix({ servers: 3, wireguard: true })) {
      if (rule.portMin === 22 || rule.portMin === 6443) expect(rule.from).not.toBe('clients');
    }
  });
});
