import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ComputeInstanceV2 } from '../../../.gen/providers/openstack/compute-instance-v2';
import { ComputeServergroupV2 } from '../../../.gen/providers/openstack/compute-servergroup-v2';
import { NetworkingSecgroupRuleV2 } from '../../../.gen/providers/openstack/networking-secgroup-rule-v2';
import { ClusterStack } from '../../../stacks/cluster-stack';
import { environment } from '../../support/environments';

/** Builds the example stack, lets `tamper` add to it as careless code would, and synthesizes. */
function synthWith(tamper: (stack: ClusterStack) => void, patch?: (raw: any) => void) {
  const app = Testing.app();
  const stack = new ClusterStack(app, environment(patch));
  tamper(stack);
  // The app's synth, as `cdktf synth` runs it: aspects, then refusal on error annotations.
  return () => app.synth();
}

const worldSsh = (stack: ClusterStack) =>
  new NetworkingSecgroupRuleV2(stack, 'careless', {
    direction: 'ingress',
    ethertype: 'IPv4',
    protocol: 'tcp',
    portRangeMin: 1,
    portRangeMax: 1024,
    remoteIpPrefix: '0.0.0.0/0',
    securityGroupId: 'sg',
  });

describe('ClusterPolicyAspect', () => {
  it('lets the example stack through', () => {
    expect(synthWith(() => {})).not.toThrow();
  });

  it('refuses a rule that opens SSH to the world without the opt-in', () => {
    expect(synthWith(worldSsh)).toThrow(/policy: 0\.0\.0\.0\/0 may not reach port 22 \(SSH \/ Kubernetes API\)/);
  });

  it('accepts the same rule with allowWorldAccess', () => {
    const allow = (raw: any) => (raw.openstack.allowWorldAccess = true);
    expect(synthWith(worldSsh, allow)).not.toThrow();
  });

  it('refuses an even number of servers', () => {
    const extraServer = (stack: ClusterStack) =>
      new ComputeInstanceV2(stack, 'extra', {
        name: 'extra',
        metadata: { 'wolke-role': 'server' },
        schedulerHints: [{ group: stack.servers.serverGroupId }],
      });
    expect(synthWith(extraServer)).toThrow(/policy: 2 k3s servers; embedded etcd needs an odd number/);
  });

  it('refuses a server outside an anti-affinity group', () => {
    const stray = (stack: ClusterStack) => {
      const packed = new ComputeServergroupV2(stack, 'packed', { name: 'packed', policies: ['affinity'] });
      new ComputeInstanceV2(stack, 'stray', { name: 'stray', schedulerHints: [{ group: packed.id }] });
      new ComputeInstanceV2(stack, 'loose', { name: 'loose' });
    };
    const synth = synthWith(stray);
    expect(synth).toThrow(/policy: server stray is not in an anti-affinity server group/);
    expect(synth).toThrow(/policy: server loose is not in an anti-affinity server group/);
  });
});
