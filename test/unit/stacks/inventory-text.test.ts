import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderInventory } from '../../../stacks/inventory-text';

describe('renderInventory', () => {
  const input = {
    servers: [{ name: 's0', floatingIp: '203.0.113.10', privateIp: '10.42.0.10' }],
    agents: [
      { name: 'a0', floatingIp: '203.0.113.20', privateIp: '10.42.0.20' },
      { name: 'a1', floatingIp: '203.0.113.21', privateIp: '10.42.0.21' },
    ],
    sshUser: 'debian',
    vars: { k3s_version: 'v1.31.4+k3s1' },
  };

  it('renders the exact k3s-ansible layout', () => {
    expect(renderInventory(input)).toBe(`k3s_cluster:
  children:
    server:
      hosts:
        s0:
          ansible_host: 203.0.113.10
          ansible_user: debian
          private_ip: 10.42.0.10
          floating_ip: 203.0.113.10
          node_name: s0
    agent:
      hosts:
        a0:
          ansible_host: 203.0.113.20
          ansible_user: debian
          private_ip: 10.42.0.20
          floating_ip: 203.0.113.20
          node_name: a0
        a1:
          ansible_host: 203.0.113.21
          ansible_user: debian
          private_ip: 10.42.0.21
          floating_ip: 203.0.113.21
          node_name: a1
  vars:
    k3s_version: v1.31.4+k3s1
`);
  });

  it('keeps an empty agent group valid YAML', () => {
    const doc = parse(renderInventory({ ...input, agents: [] }));
    expect(doc.k3s_cluster.children.agent.hosts).toEqual({});
  });
});
