import { describe, expect, it } from 'vitest';
import { planRoll, type RunningNode, type WantedNode } from '../../../../scripts/preflight/roll';
import { nodeName, type NodeSpec } from '../../../../stacks/node-identity';

const spec = (patch: Partial<NodeSpec> = {}): NodeSpec => ({
  k3sVersion: 'v1.31.4+k3s1',
  image: 'debian-12',
  flavor: 'm1.large',
  availabilityZone: 'nova',
  keyPair: 'wolke-example',
  bootVolumeSize: null,
  ...patch,
});
const slots = ['server-0', 'agent-0', 'agent-1'];
const wanted = (target: NodeSpec): WantedNode[] => slots.map((slot) => ({ slot, role: slot.startsWith('server') ? 'server' : 'agent', target }));
const running = (on: NodeSpec, only = slots): RunningNode[] =>
  only.map((slot, i) => ({
    name: nodeName(slot, on),
    slot,
    role: slot.startsWith('server') ? 'server' : 'agent',
    spec: on,
    imageId: 'image-old',
    status: 'ACTIVE',
    privateIp: `10.20.0.${10 + i}`,
    created: `2026-12-01T00:00:0${i}Z`,
  }));

describe('planRoll', () => {
  it('a first deploy creates every node on the target spec; there is no cluster to join', () => {
    const step = planRoll({ wanted: wanted(spec()), running: [], surge: 1 });
    expect(Object.values(step.nodes).map((n) => n.name)).toEqual(slots.map((s) => nodeName(s, spec())));
    expect(step.replacing).toEqual([]);
    expect(step.joinAddress).toBe('');
    // A name image is resolved by the caller when no node runs it yet.
    expect(step.nodes['agent-0'].imageId).toBe('');
  });

  it('nothing changed: every node keeps its server and image id, so the plan is empty', () => {
    const step = planRoll({ wanted: wanted(spec()), running: running(spec()), surge: 1 });
    expect(step.nodes['agent-1']).toEqual({ ...spec(), name: nodeName('agent-1', spec()), imageId: 'image-old' });
    expect(step.replacing).toEqual([]);
    expect(step.waiting).toEqual([]);
  });

  it('a version change moves one node per apply, the server first, then the agents in order', () => {
    const next = spec({ k3sVersion: 'v1.32.1+k3s1' });
    let now = running(spec());
    const moved: string[] = [];
    for (let apply = 0; apply < 3; apply++) {
      const step = planRoll({ wanted: wanted(next), running: now, surge: 1 });
      expect(step.replacing).toHaveLength(1);
      moved.push(step.replacing[0].slot);
      // Not-yet-moved nodes keep their spec exactly, so Terraform leaves them alone.
      for (const slot of step.waiting) expect(step.nodes[slot].k3sVersion).toBe('v1.31.4+k3s1');
      now = now.map((r) => (r.slot === step.replacing[0].slot ? { ...r, name: step.nodes[r.slot].name, spec: next, created: `2026-12-02T00:00:0${apply}Z` } : r));
    }
    expect(moved).toEqual(slots);
    expect(planRoll({ wanted: wanted(next), running: now, surge: 1 }).replacing).toEqual([]);
  });

  it('the node that replaces the only server joins it: the join address is the old server until the new one runs', () => {
    const step = planRoll({ wanted: wanted(spec({ flavor: 'm1.xlarge' })), running: running(spec()), surge: 1 });
    expect(step.replacing[0]).toEqual({ slot: 'server-0', from: nodeName('server-0', spec()), to: nodeName('server-0', spec({ flavor: 'm1.xlarge' })) });
    expect(step.joinAddress).toBe('10.20.0.10');
  });

  it('with more servers, a server that stays through this apply is the join address', () => {
    const three = ['server-0', 'server-1', 'server-2'];
    const want = three.map((slot) => ({ slot, role: 'server' as const, target: spec({ flavor: 'm1.xlarge' }) }));
    const step = planRoll({ wanted: want, running: running(spec(), three), surge: 1 });
    expect(step.replacing.map((r) => r.slot)).toEqual(['server-0']);
    expect(step.joinAddress).toBe('10.20.0.11');
  });

  it('a configured surge moves that many nodes; a forced roll moves every outdated node at once', () => {
    const next = spec({ image: 'debian-13' });
    expect(planRoll({ wanted: wanted(next), running: running(spec()), surge: 2 }).replacing.map((r) => r.slot)).toEqual(['server-0', 'agent-0']);
    expect(planRoll({ wanted: wanted(next), running: running(spec()), surge: Infinity }).replacing).toHaveLength(3);
  });

  it('an image refreshed under the same name is not picked up: new nodes boot the id the others run', () => {
    const step = planRoll({ wanted: [...wanted(spec()), { slot: 'agent-2', role: 'agent', target: spec() }], running: running(spec()), surge: 1 });
    expect(step.nodes['agent-2'].imageId).toBe('image-old');
    expect(step.replacing).toEqual([]);
  });

  it('an image given by id boots that id', () => {
    const id = '0b6f3f3e-1a2b-4c5d-8e9f-0123456789ab';
    expect(planRoll({ wanted: wanted(spec({ image: id })), running: [], surge: 1 }).nodes['server-0'].imageId).toBe(id);
  });

  it('after an interrupted step (old and new server of a slot both exist), the one on the target spec is current', () => {
    const next = spec({ k3sVersion: 'v1.32.1+k3s1' });
    const now = running(spec());
    now.push({ ...now[0], name: nodeName('server-0', next), spec: next, created: '2026-12-02T00:00:00Z', privateIp: '10.20.0.20' });
    const step = planRoll({ wanted: wanted(next), running: now, surge: 1 });
    expect(step.nodes['server-0'].name).toBe(nodeName('server-0', next));
    expect(step.replacing.map((r) => r.slot)).toEqual(['agent-0']);
  });

  it('a server without readable spec metadata is replaced in turn, and refused when it would have to wait', () => {
    const now = running(spec()).map((r) => ({ ...r, spec: undefined }));
    expect(planRoll({ wanted: wanted(spec()), running: now.slice(0, 1), surge: 1 }).replacing.map((r) => r.slot)).toEqual(['server-0']);
    expect(() => planRoll({ wanted: wanted(spec()), running: now, surge: 1 })).toThrow(/agent-0-\w+ has no readable wolke-spec metadata.*WOLKE_ROLL_SURGE=all/);
  });
});

describe('rollSurge', () => {
  it("is the model's unless WOLKE_ROLL_SURGE says a number or all; anything else is refused", async () => {
    const { rollSurge } = await import('../../../../scripts/preflight');
    expect(rollSurge({}, 1)).toBe(1);
    expect(rollSurge({ WOLKE_ROLL_SURGE: '2' }, 1)).toBe(2);
    expect(rollSurge({ WOLKE_ROLL_SURGE: 'all' }, 1)).toBe(Infinity);
    expect(() => rollSurge({ WOLKE_ROLL_SURGE: '0' }, 1)).toThrow('WOLKE_ROLL_SURGE must be a positive whole number or "all", got "0"');
  });
});
