import { describe, expect, it } from 'vitest';
import { gatePlan, type PlanJson } from '../../../scripts/plan-gate';

/** A resource change in the shape `terraform show -json` writes it. */
const change = (address: string, role: 'server' | 'agent', actions: string[]) => ({
  address,
  type: 'openstack_compute_instance_v2',
  change: { actions, before: actions[0] === 'create' && actions.length === 1 ? null : { metadata: { 'wolke-role': role } } },
});
const replace = ['create', 'delete'];

describe('gatePlan', () => {
  it('lets one replaced agent through, and ignores creates and other types', () => {
    const plan: PlanJson = {
      resource_changes: [
        change('openstack_compute_instance_v2.agents_server-0', 'agent', replace),
        change('openstack_compute_instance_v2.agents_server-3', 'agent', ['create']),
        { address: 'openstack_networking_port_v2.p', type: 'openstack_networking_port_v2', change: { actions: ['delete', 'create'] } },
      ],
    };
    expect(gatePlan(plan, { maxNodes: 1, force: false })).toEqual({
      replaced: { server: [], agent: ['openstack_compute_instance_v2.agents_server-0'] },
      refusals: [],
    });
  });

  it('refuses more nodes than allowed and more than one server, unless forced', () => {
    const plan: PlanJson = {
      resource_changes: [
        change('s0', 'server', replace),
        change('s1', 'server', ['delete', 'create']),
        change('a0', 'agent', ['delete']),
      ],
    };
    const result = gatePlan(plan, { maxNodes: 2, force: false });
    expect(result.refusals).toEqual([
      'the plan replaces or destroys 3 nodes at once (at most 2): s0, s1, a0',
      'the plan replaces 2 k3s servers at once; etcd would lose quorum — replace them one apply at a time',
    ]);
    expect(gatePlan(plan, { maxNodes: 2, force: true }).refusals).toEqual([]);
  });

  it('allows a no-op plan', () => {
    expect(gatePlan({ resource_changes: [change('a0', 'agent', ['no-op'])] }, { maxNodes: 0, force: false }).refusals).toEqual([]);
  });
});
