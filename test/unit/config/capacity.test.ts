// The capacity rule: with one agent drained or lost, the other agents hold every long-running pod's requests.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestsYaml } from '../../../charts/manifests';
import { stackValues } from '../../../charts/monitoring-stack';
import { stackPods } from '../../../charts/monitoring-requests';
import { K3S_RESERVE, agentSize, monitoringRequests, packs, podCapacity, totals, workloadRequests, type WorkloadRequests } from '../../../config/capacity';
import { ConfigError } from '../../../config/errors';
import { quantityValue } from '../../../config/quantity';
import type { Environment } from '../../../config/schema';
import { environment, withMonitoring } from '../../support/environments';

/** The error lines for the example with `patch` applied; [] when it is accepted. */
function errors(patch: (raw: Record<string, any>) => void): string[] {
  try {
    environment(patch);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
}

interface Workload {
  kind: string;
  metadata: { name: string };
  spec: {
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    scaleTargetRef?: { name: string };
    template?: { spec: { containers: { resources: { requests: { cpu: string; memory: string } } }[] } };
    jobTemplate?: { spec: { template: { spec: { containers: { resources: { requests: { cpu: string; memory: string } } }[] } } } };
  };
}

/**
 * What the synthesized manifests ask of the scheduler, per Deployment, StatefulSet and CronJob: pods (the HPA's ceiling
 * where one owns the count; one run of a CronJob) and each pod's summed container requests. Read from the manifests, not from the charts' tables.
 */
function manifestRequests(env: Environment): Record<string, { pods: number; cpuMilli: number; memoryMiB: number }> {
  const objects = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS() as Workload);
  const hpa = (name: string) => objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef?.name === name);
  return Object.fromEntries(
    objects
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'CronJob')
      .map((o) => {
        const containers = (o.spec.template ?? o.spec.jobTemplate!.spec.template).spec.containers;
        const sum = (pick: (r: { cpu: string; memory: string }) => number) => containers.reduce((s, c) => s + pick(c.resources.requests), 0);
        return [
          o.metadata.name,
          {
            pods: o.kind === 'CronJob' ? 1 : (o.spec.replicas ?? hpa(o.metadata.name)!.spec.maxReplicas!),
            cpuMilli: Math.round(sum((r) => quantityValue(r.cpu)! * 1000)),
            memoryMiB: sum((r) => quantityValue(r.memory)! / 2 ** 20),
          },
        ];
      }),
  );
}

const asRecord = (list: readonly WorkloadRequests[]) => Object.fromEntries(list.map((w) => [w.name, { pods: w.pods, cpuMilli: w.cpuMilli, memoryMiB: w.memoryMiB }]));

describe('the pods the capacity rule counts', () => {
  it.each([
    ['the example', () => environment()],
    ['more of everything', () => environment((r) => {
      r.cluster.agents.count = 6;
      r.apps.kafka = { replicas: 5 };
      r.apps.minio = { replicas: 8 };
      r.apps.processor = { replicas: 5 };
      r.apps.web = { replicas: 3 };
      r.apps.api = { minReplicas: 3, maxReplicas: 9 };
    })],
    ['the report on Spark', () => environment((r) => (r.apps.report = { engine: 'spark' }))],
    ['no report', () => environment((r) => (r.apps.report = { enabled: false }))],
    ['single pods', () => environment((r) => {
      r.apps.kafka = { replicas: 1 };
      r.apps.minio = { replicas: 1 };
      r.apps.processor = { replicas: 1 };
      r.apps.web = { replicas: 1 };
      r.apps.api = { minReplicas: 1, maxReplicas: 1 };
      r.apps.topics = Object.fromEntries(Object.keys(r.apps.topics).map((t) => [t, { partitions: 1, replication: 1 }]));
    })],
  ])('are exactly the Deployments, StatefulSets and CronJobs the manifests of %s run, with their requests', (_, build) => {
    const env = build();
    expect(asRecord(workloadRequests(env))).toEqual(manifestRequests(env));
  });

  it('counts the api at the HPA\'s maxReplicas: a drain happens at whatever count the HPA has reached', () => {
    const api = workloadRequests(environment()).find((w) => w.name === 'api')!;
    expect(api).toMatchObject({ pods: 6, scaled: true });
  });
});

describe('the example sizing', () => {
  it('requests 3250m CPU and 13888 MiB with a report run, which one m1.xlarge agent holds after k3s\'s reserve (7500m, 15360 MiB)', () => {
    const env = environment();
    expect(totals(workloadRequests(env))).toEqual({ cpuMilli: 3250, memoryMiB: 13888, pods: 22 });
    expect(agentSize(env.cluster.agents)).toEqual({ vcpus: 8, ramMiB: 16384 });
    expect(podCapacity(env.cluster.agents.count - 1, agentSize(env.cluster.agents)!)).toEqual({ cpuMilli: 7500, memoryMiB: 15360, pods: 110 });
    expect(K3S_RESERVE).toEqual({ cpuMilli: 500, memoryMiB: 1024 });
  });

  it('was 2 × m1.large, which is refused: one m1.large holds 7168 MiB for pods', () => {
    expect(errors((r) => (r.cluster.agents.flavor = 'm1.large'))).toEqual([
      "cluster.agents: with one of 2 agents drained or lost, 1 agent (m1.large: 4 vCPU, 8192 MiB each, less k3s's reserve of 500m CPU and 1024 MiB) holds 3500m CPU and 7168 MiB for pods, " +
        "but the pods request 3250m CPU and 13888 MiB (kafka 3 × (1536 MiB, 250m), minio 4 × (1024 MiB, 250m), processor 2 × (1024 MiB, 250m), api 6 × (256 MiB, 100m) at the HPA's maxReplicas, " +
        'report 1 × (512 MiB, 100m), web 2 × (128 MiB, 50m), lake-sink 1 × (256 MiB, 50m), producer 1 × (192 MiB, 50m), aggregator 1 × (192 MiB, 50m), detector 1 × (192 MiB, 50m)): too little memory; set cluster.agents.count to 3 or more, or a larger cluster.agents.flavor ' +
        '(a drain waits forever for pods that fit nowhere, and an upgrade or a node replacement stops there)',
    ]);
    // The count the message names is enough, and one fewer is not.
    expect(errors((r) => { r.cluster.agents.flavor = 'm1.large'; r.cluster.agents.count = 3; })).toEqual([]);
  });
});

describe('the capacity rule', () => {
  it('refuses a single agent: a drain leaves nothing to run on', () => {
    const lines = errors((r) => (r.cluster.agents.count = 1));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cluster\.agents: with one of 1 agent drained or lost, 0 agents .* hold 0 vCPU and 0 MiB for pods, .*; set cluster\.agents\.count to 2 or more/);
  });

  it('takes the HPA ceiling: 11 api pods fit beside the rest and a report run on one m1.xlarge, 12 do not', () => {
    expect(errors((r) => (r.apps.api.maxReplicas = 11))).toEqual([]);
    const lines = errors((r) => (r.apps.api.maxReplicas = 12));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the pods request 3850m CPU and 15424 MiB');
    expect(lines[0]).toContain("api 12 × (256 MiB, 100m) at the HPA's maxReplicas");
  });

  it('makes room for the report\'s pod: Spark\'s 1536 MiB does not fit beside 8 api pods on one m1.xlarge, DuckDB\'s 512 MiB does', () => {
    expect(errors((r) => (r.apps.api.maxReplicas = 8))).toEqual([]);
    const lines = errors((r) => { r.apps.api.maxReplicas = 8; r.apps.report = { engine: 'spark' }; });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('report 1 × (1536 MiB, 250m)');
  });

  it('says when CPU is what runs short', () => {
    // 2 vCPU agents hold 1500m each after the reserve: enough memory in 6 of them, not enough CPU in 1.
    const lines = errors((r) => (r.cluster.agents = { count: 2, flavor: 'custom', vcpus: 2, ramMiB: 65536 }));
    expect(lines).toEqual([expect.stringMatching(/holds 1500m CPU and 64512 MiB for pods, but the pods request 3250m CPU .*: too little CPU; set cluster\.agents\.count to 4 or more/)]);
  });

  it('names a single pod larger than an agent, and then only a larger flavor helps', () => {
    const lines = errors((r) => (r.cluster.agents = { count: 12, flavor: 'm1.small' }));
    expect(lines).toEqual([expect.stringMatching(/one kafka pod alone needs more than an agent holds; set a larger cluster\.agents\.flavor \(/)]);
  });

  it('packs whole pods, not totals: two agents with 1000 MiB free each do not hold one pod of 1500 MiB', () => {
    const size = { vcpus: 2, ramMiB: 1000 + K3S_RESERVE.memoryMiB };
    const pod: WorkloadRequests = { name: 'big', pods: 1, cpuMilli: 100, memoryMiB: 1500, scaled: false };
    expect(packs([pod], 2, size)).toBe(false);
    expect(packs([{ ...pod, memoryMiB: 1000 }, { ...pod, name: 'other', memoryMiB: 1000 }], 2, size)).toBe(true);
    expect(packs([{ ...pod, memoryMiB: 1000, pods: 3 }], 2, size)).toBe(false);
  });

  it('needs the size of a flavor it does not know by name, and takes the model\'s size over a known name', () => {
    expect(errors((r) => (r.cluster.agents.flavor = 'b1.c8r16'))).toEqual([
      'cluster.agents.flavor: wolke does not know the size of flavor "b1.c8r16" (it knows m1.tiny, m1.small, m1.medium, m1.large, m1.xlarge); ' +
        'give it as cluster.agents.vcpus and cluster.agents.ramMiB (see `openstack flavor show b1.c8r16`), so the model can check the agents hold the pods',
    ]);
    expect(errors((r) => (r.cluster.agents = { count: 2, flavor: 'b1.c8r16', vcpus: 8, ramMiB: 16384 }))).toEqual([]);
    // This cloud's m1.xlarge is smaller than Nova's default one: its own size counts.
    expect(errors((r) => (r.cluster.agents = { count: 2, flavor: 'm1.xlarge', vcpus: 4, ramMiB: 8192 }))).toEqual([
      expect.stringMatching(/^cluster\.agents: with one of 2 agents drained or lost, 1 agent \(m1\.xlarge: 4 vCPU, 8192 MiB each/),
    ]);
    expect(errors((r) => (r.cluster.agents.vcpus = 8))).toEqual([
      'cluster.agents.ramMiB: give both vcpus and ramMiB of flavor "m1.xlarge" (`openstack flavor show m1.xlarge`), or neither for a flavor wolke knows by name',
    ]);
  });
});

describe('the capacity rule with monitoring on', () => {
  const monitored = (patch: (raw: Record<string, any>) => void = () => {}) => (raw: Record<string, any>) => {
    withMonitoring(raw);
    patch(raw);
  };
  /** The kube-prometheus-stack values exactly as the HelmChart in the manifests carries them. */
  const renderedValues = (env: Environment): Record<string, any> => {
    const chart = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS()).find((d) => d.kind === 'HelmChart');
    return parseAllDocuments(chart.spec.valuesContent)[0].toJS();
  };
  const mebi = (q: string) => quantityValue(q)! / 2 ** 20;
  const milli = (q: string) => Math.round(quantityValue(q)! * 1000);

  it('counts the stack\'s pods with the requests the HelmChart\'s values give them, the node exporter on every node', () => {
    const env = environment(monitored());
    const v = renderedValues(env);
    const reloader = v.prometheusOperator.prometheusConfigReloader.resources.requests;
    const pod = (...requests: { cpu: string; memory: string }[]) => ({
      pods: 1,
      cpuMilli: requests.reduce((s, r) => s + milli(r.cpu), 0),
      memoryMiB: requests.reduce((s, r) => s + mebi(r.memory), 0),
    });
    const { workloads, perNode } = monitoringRequests(env);
    expect(asRecord(workloads)).toEqual({
      prometheus: pod(v.prometheus.prometheusSpec.resources.requests, reloader),
      'prometheus-operator': pod(v.prometheusOperator.resources.requests),
      alertmanager: pod(v.alertmanager.alertmanagerSpec.resources.requests, reloader),
      'kube-state-metrics': pod(v['kube-state-metrics'].resources.requests),
      grafana: pod(v.grafana.resources.requests, v.grafana.sidecar.resources.requests),
    });
    expect(perNode).toEqual({ names: ['node-exporter'], ...pod(v['prometheus-node-exporter'].resources.requests) });
    // Real sizes, not zeros: Prometheus alone asks for a GiB.
    expect(workloads.find((w) => w.name === 'prometheus')).toMatchObject({ cpuMilli: 210, memoryMiB: 1056 });
    expect(monitoringRequests(environment())).toEqual({ workloads: [], perNode: { names: [], cpuMilli: 0, memoryMiB: 0, pods: 0 } });
  });

  it('counts Grafana with its dashboards sidecar while the values switch it on', () => {
    const values = stackValues(environment(monitored()));
    expect(stackPods(values).workloads.find((w) => w.name === 'grafana')).toEqual({ name: 'grafana', pods: 1, cpuMilli: 120, memoryMiB: 320 });
    const withoutGrafana = { ...values, grafana: { ...(values.grafana as object), enabled: false } };
    expect(stackPods(withoutGrafana).workloads.map((w) => w.name)).not.toContain('grafana');
  });

  it('refuses agents that hold the apps but not the stack beside them, naming its pods and the per-node exporter', () => {
    // The example's apps fit on the one m1.xlarge of its two agents left after a drain; Prometheus and friends beside
    // them do not, so a monitored example needs a third agent (withMonitoring gives it one).
    const twoAgents = (r: Record<string, any>) => (r.cluster.agents.count = 2);
    expect(errors(twoAgents)).toEqual([]);
    const lines = errors(monitored(twoAgents));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("less k3s's reserve of 500m CPU and 1024 MiB and the node-exporter on every node (20m CPU, 32 MiB)) holds 7480m CPU and 15328 MiB for pods");
    expect(lines[0]).toContain('the pods request 3710m CPU and 15616 MiB');
    expect(lines[0]).toContain('prometheus 1 × (1056 MiB, 210m)');
    expect(lines[0]).toContain('grafana 1 × (320 MiB, 120m)');
    expect(lines[0]).toContain('alertmanager 1 × (96 MiB, 30m)');
    expect(lines[0]).toContain('set cluster.agents.count to 3 or more');
    expect(errors(monitored())).toEqual([]);
  });
});
