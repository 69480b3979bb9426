// Invariants of the synthesized manifests, for the example environment and for generated variants of it.
import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../config/schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentsDir, loadEnvironment, parseEnvironment } from '../../../config/load';
import { addCharts } from '../../../charts/manifests';
import { networkFlows, namespaceWorkloads } from '../../../charts/network-flows';

// A loose view of a synthesized object: the invariants read only what they check.
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any };
type Container = any;

function synth(env: Environment): Manifest[] {
  const app = Testing.app();
  return addCharts(app, env).flatMap((chart) => Testing.synth(chart) as Manifest[]);
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob']);

function podTemplate(m: Manifest) {
  const spec = m.spec as { template?: unknown; jobTemplate?: { spec: { template: unknown } } };
  return (spec.template ?? spec.jobTemplate!.spec.template) as { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; [k: string]: unknown } };
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Every invariant the charts promise, as a list of violations (empty when all hold). */
function violations(env: Environment, objects: Manifest[]): string[] {
  const problems: string[] = [];
  const fail = (m: Manifest, what: string) => problems.push(`${m.kind}/${m.metadata.name}: ${what}`);
  const workloads = objects.filter((m) => WORKLOAD_KINDS.has(m.kind));
  const byKind = (kind: string) => objects.filter((m) => m.kind === kind);
  const modelImages = new Set(Object.values(env.apps.images).map((i) => `${i.image}:${i.version}`));

  for (const m of objects) {
    if (m.metadata.labels?.['app.kubernetes.io/part-of'] !== 'wolke') fail(m, 'lacks part-of label');
    if (m.metadata.labels?.['wolke.dev/environment'] !== env.name) fail(m, 'lacks environment label');
    if (m.kind === 'Secret') fail(m, 'a Secret in the manifests');
    if (m.kind !== 'Namespace' && m.metadata.namespace !== env.apps.namespace) fail(m, `namespace ${m.metadata.namespace}`);
  }

  for (const w of workloads) {
    const pod = podTemplate(w);
    const spec = pod.spec as Record<string, any>;
    if (w.kind !== 'Job' && w.kind !== 'CronJob' && !matches(w.spec.selector.matchLabels, pod.metadata.labels)) fail(w, 'selector does not match its pod labels');
    if (pod.metadata.labels['wolke.dev/environment'] !== env.name) fail(w, 'pods lack the environment label');
    if (spec.automountServiceAccountToken !== false) fail(w, 'mounts a service account token');
    if (spec.securityContext?.runAsNonRoot !== true || !(spec.securityContext?.runAsUser > 0)) fail(w, 'pod may run as root');
    if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') fail(w, 'pod lacks seccomp RuntimeDefault');
    if (spec.nodeSelector?.nodepool !== 'worker') fail(w, 'may run on the tainted servers');
    if (w.kind === 'StatefulSet' && spec.enableServiceLinks !== false) fail(w, 'service links would leak into the image config');
    for (const c of pod.spec.containers) {
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) fail(w, `${c.name}: writable root filesystem`);
      if (sc.allowPrivilegeEscalation !== false) fail(w, `${c.name}: may escalate privileges`);
      if (!sc.capabilities?.drop?.includes('ALL')) fail(w, `${c.name}: keeps capabilities`);
      if (sc.runAsNonRoot !== true) fail(w, `${c.name}: may run as root`);
      for (const r of ['cpu', 'memory']) {
        if (c.resources?.limits?.[r] === undefined) fail(w, `${c.name}: no ${r} limit`);
        if (c.resources?.requests?.[r] === undefined) fail(w, `${c.name}: no ${r} request`);
      }
      if (!modelImages.has(c.image)) fail(w, `${c.name}: image ${c.image} is not from the model`);
      const ports: { name?: string; containerPort: number }[] = c.ports ?? [];
      if (ports.length > 0) {
        for (const probe of ['readinessProbe', 'livenessProbe']) {
          const p = c[probe];
          const port = p?.httpGet?.port ?? p?.tcpSocket?.port;
          if (port === undefined) fail(w, `${c.name}: serves but has no ${probe}`);
          else if (!ports.some((cp) => cp.containerPort === port || cp.name === port)) fail(w, `${c.name}: ${probe} on undeclared port ${port}`);
        }
      }
      for (const e of c.env ?? []) {
        if (/PASSWORD|SECRET|ACCESS_KEY|ROOT_USER|TOKEN/.test(e.name) && (e.value !== undefined || e.valueFrom?.secretKeyRef === undefined)) {
          fail(w, `${c.name}: ${e.name} is not read from a Secret`);
        }
      }
    }
  }

  const podsOf = (selector: Record<string, string>) => workloads.filter((w) => w.kind !== 'Job' && matches(selector, podTemplate(w).metadata.labels));
  const services = byKind('Service');
  for (const s of services) {
    const targets = podsOf(s.spec.selector);
    if (targets.length !== 1) fail(s, `selects ${targets.length} workloads`);
    for (const port of s.spec.ports) {
      const declared = targets.flatMap((t) => podTemplate(t).spec.containers.flatMap((c: Container) => c.ports ?? []));
      if (!declared.some((cp: { name?: string; containerPort: number }) => cp.name === port.targetPort || cp.containerPort === port.targetPort)) {
        fail(s, `port ${port.name} targets ${port.targetPort}, which no container declares`);
      }
    }
  }

  for (const pdb of byKind('PodDisruptionBudget')) {
    if (podsOf(pdb.spec.selector.matchLabels).length !== 1) fail(pdb, 'does not select exactly one workload');
  }

  // A drain never leaves a workload at zero pods: one that may run a single pod refuses eviction and is moved by a
  // surge rollout instead; larger ones give up one pod at a time. Spread constraints ignore cordoned nodes. Jobs and
  // CronJobs have none: an evicted report run is retried, and the next run reports the same days again.
  const pdbs = byKind('PodDisruptionBudget');
  for (const w of workloads.filter((x) => x.kind !== 'Job' && x.kind !== 'CronJob')) {
    const pdb = pdbs.find((p) => matches(p.spec.selector.matchLabels, podTemplate(w).metadata.labels));
    if (pdb === undefined) {
      fail(w, 'has no PodDisruptionBudget');
      continue;
    }
    const hpa = objects.find((m) => m.kind === 'HorizontalPodAutoscaler' && m.spec.scaleTargetRef.name === w.metadata.name);
    const fewest: number = w.spec.replicas ?? hpa?.spec.minReplicas;
    // A StatefulSet's pod keeps its name and volume, so no replacement can run beside it: one pod of it stops.
    if (fewest === 1 && w.kind === 'Deployment') {
      if (pdb.spec.minAvailable !== 1 || pdb.spec.maxUnavailable !== undefined) fail(w, 'may run one pod, but its budget lets a drain evict it');
      if (w.spec.strategy?.rollingUpdate?.maxSurge !== 1 || w.spec.strategy?.rollingUpdate?.maxUnavailable !== 0) fail(w, 'runs one pod but cannot surge a replacement');
    } else if (pdb.spec.maxUnavailable !== 1 || pdb.spec.minAvailable !== undefined) fail(w, `runs ${fewest} pods, but its budget does not allow exactly one eviction at a time`);
    for (const c of (podTemplate(w).spec.topologySpreadConstraints ?? []) as { nodeTaintsPolicy?: string }[]) {
      if (c.nodeTaintsPolicy !== 'Honor') fail(w, 'spreads over nodes it cannot be scheduled to (a cordoned node stays a domain)');
    }
  }

  for (const set of byKind('StatefulSet')) {
    const headless = services.find((s) => s.metadata.name === set.spec.serviceName);
    if (headless?.spec.clusterIP !== 'None') fail(set, `serviceName ${set.spec.serviceName} is not a headless Service`);
  }

  const hpas = byKind('HorizontalPodAutoscaler');
  if (hpas.length !== 1) problems.push(`expected one HPA, found ${hpas.length}`);
  for (const hpa of hpas) {
    const target = objects.find((m) => m.kind === hpa.spec.scaleTargetRef.kind && m.metadata.name === hpa.spec.scaleTargetRef.name);
    if (target === undefined) fail(hpa, 'targets a missing Deployment');
    else if (target.spec.replicas !== undefined) fail(hpa, 'target Deployment has fixed replicas that would fight the HPA');
  }

  const middlewares = new Set(byKind('Middleware').map((m) => `${m.metadata.namespace}-${m.metadata.name}@kubernetescrd`));
  for (const ing of byKind('Ingress')) {
    for (const rule of ing.spec.rules) {
      for (const path of rule.http.paths) {
        const svc = services.find((s) => s.metadata.name === path.backend.service.name);
        if (svc === undefined) fail(ing, `backend Service ${path.backend.service.name} does not exist`);
        else if (!svc.spec.ports.some((p: { name: string }) => p.name === path.backend.service.port.name)) fail(ing, 'backend port missing');
      }
    }
    const refs = ing.metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares'];
    for (const ref of refs?.split(',') ?? []) if (!middlewares.has(ref)) fail(ing, `middleware ${ref} does not exist`);
  }

  const policed = new Set(byKind('NetworkPolicy').map((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name']));
  for (const w of workloads) {
    const name = podTemplate(w).metadata.labels['app.kubernetes.io/name'];
    if (!policed.has(name)) fail(w, 'no NetworkPolicy lets its pods talk to anything');
  }
  if (!byKind('NetworkPolicy').some((p) => p.metadata.name === 'default-deny' && Object.keys(p.spec.podSelector).length === 0)) {
    problems.push('no default-deny NetworkPolicy');
  }
  return problems;
}

const example = loadEnvironment('example', '');

describe('manifests of the example environment', () => {
  const objects = synth(example);
  const find = (kind: string, name: string) => objects.find((m) => m.kind === kind && m.metadata.name === name);

  it('keep every invariant', () => {
    expect(violations(example, objects)).toEqual([]);
  });

  it('finds violations when there are some (the checker itself can fail)', () => {
    const broken = structuredClone(objects);
    const api = broken.find((m) => m.kind === 'Deployment' && m.metadata.name === 'api')!;
    api.spec.replicas = 3;
    delete podTemplate(api).spec.containers[0].livenessProbe;
    podTemplate(api).spec.containers[0].env.push({ name: 'MINIO_SECRET_KEY', value: 'plain' });
    broken.find((m) => m.kind === 'Service' && m.metadata.name === 'web')!.spec.ports[0].targetPort = 'nope';
    expect(violations(example, broken)).toEqual(
      expect.arrayContaining([
        'Deployment/api: api: serves but has no livenessProbe',
        'Deployment/api: api: MINIO_SECRET_KEY is not read from a Secret',
        'Service/web: port http targets nope, which no container declares',
        'HorizontalPodAutoscaler/api: target Deployment has fixed replicas that would fight the HPA',
      ]),
    );
  });

  it('create the namespace first, under the restricted Pod Security Standard', () => {
    expect(objects[0].kind).toBe('Namespace');
    expect(objects[0].metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('scale the api from the model with a scale-up and a scale-down behaviour', () => {
    const hpa = find('HorizontalPodAutoscaler', 'api')!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(70);
    expect(hpa.spec.behavior.scaleUp.policies.length).toBeGreaterThan(0);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThan(0);
  });

  it('refuse a drain the eviction of a single-replica app\'s only pod, and let it take one pod of any other workload', () => {
    for (const name of ['producer', 'aggregator']) {
      expect(find('PodDisruptionBudget', name)!.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } });
    }
    for (const name of ['api', 'web', 'processor', 'kafka', 'minio']) expect(find('PodDisruptionBudget', name)!.spec.maxUnavailable).toBe(1);
  });

  it('roll api and web out one extra pod at a time without losing capacity', () => {
    for (const name of ['api', 'web']) {
      expect(find('Deployment', name)!.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
    expect(find('Deployment', 'web')!.spec.replicas).toBe(2);
  });

  it('route / to web and /api through the strip-prefix middleware to the api, on the web entrypoint without TLS', () => {
    const web = find('Ingress', 'web')!;
    const api = find('Ingress', 'api')!;
    expect(web.spec.rules[0].http.paths[0]).toMatchObject({ path: '/', backend: { service: { name: 'web' } } });
    expect(web.metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares']).toBeUndefined();
    expect(api.spec.rules[0].http.paths[0]).toMatchObject({ path: '/api', backend: { service: { name: 'api' } } });
    expect(api.metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/router.middlewares': 'wolke-strip-api@kubernetescrd',
      'traefik.ingress.kubernetes.io/router.entrypoints': 'web',
    });
    expect(find('Middleware', 'strip-api')!.spec).toEqual({ stripPrefix: { prefixes: ['/api'] } });
    expect(api.spec.tls).toBeUndefined();
  });

  it('run a 3-voter KRaft quorum whose node ids come from the pod ordinal', () => {
    const kafka = find('StatefulSet', 'kafka')!;
    const c = podTemplate(kafka).spec.containers[0];
    const properties = (find('ConfigMap', 'kafka') as unknown as { data: Record<string, string> }).data['server.properties']!;
    expect(kafka.spec.replicas).toBe(3);
    expect(properties).toContain(
      `controller.quorum.voters=${[0, 1, 2].map((i) => `${i}@kafka-${i}.kafka-hl.wolke.svc.cluster.local:9093`).join(',')}\n`,
    );
    expect(c.command.join(' ')).toContain('node.id=${HOSTNAME##*-}');
    expect(c.image).toBe('registry.example.com/wolke/kafka:4.4.0');
    expect(kafka.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(find('Service', 'kafka-hl')!.spec.publishNotReadyAddresses).toBe(true);
  });

  it('run distributed MinIO over four pods with credentials only from the minio-credentials Secret', () => {
    const minio = find('StatefulSet', 'minio')!;
    const c = podTemplate(minio).spec.containers[0];
    expect(c.args.slice(0, 2)).toEqual(['server', 'http://minio-{0...3}.minio-hl.wolke.svc.cluster.local/data']);
    const creds = c.env.filter((e: { name: string }) => e.name.startsWith('MINIO_ROOT_'));
    expect(creds).toEqual([
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } },
    ]);
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY', value: 'on' },
        { name: 'MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY', value: 'kafka.wolke.svc.cluster.local:9092' },
        { name: 'MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY', value: 'minio-events' },
        { name: 'MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY', value: '/var/lib/minio-events' },
      ]),
    );
  });

  it('create topics, buckets and the notification with one setup Job that carries the contract variables', () => {
    const jobs = objects.filter((m) => m.kind === 'Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual([expect.stringMatching(/^setup-[0-9a-f]{8}$/)]);
    const env = Object.fromEntries(podTemplate(jobs[0]).spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(JSON.parse(env.TOPICS)).toEqual(example.apps.topics);
    expect(env).toMatchObject({ BUCKETS: 'uploads,processed,lake', NOTIFY_BUCKET: 'uploads', NOTIFY_ARN: 'arn:minio:sqs::PRIMARY:kafka' });
    expect(objects.some((m) => m.metadata.name.startsWith('loadgen'))).toBe(false);
  });

  it('give the processor the renditions and limits of the model', () => {
    const c = podTemplate(find('Deployment', 'processor')!).spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(JSON.parse(env.RENDITIONS)).toEqual(example.apps.processor.renditions);
    expect(env).toMatchObject({ SOURCE_TOPIC: 'minio-events', DLQ_TOPIC: 'minio-events.dlq', PROCESSED_BUCKET: 'processed', MAX_PIXELS: '40000000' });
    expect(find('Deployment', 'processor')!.spec.replicas).toBe(2);
  });

  it('police every workload that has pods', () => {
    const names = new Set(objects.filter((m) => WORKLOAD_KINDS.has(m.kind)).map((w) => podTemplate(w).metadata.labels['app.kubernetes.io/name']));
    expect([...names].sort()).toEqual(namespaceWorkloads(networkFlows(example)));
  });
});

/** Overrides that produce a valid environment from the example, for the property test. */
const variants = fc.record({
  kafkaReplicas: fc.integer({ min: 1, max: 5 }),
  minioReplicas: fc.constantFrom(1, 4, 6, 8),
  namespace: fc.constantFrom('wolke', 'shop-prod', 'x'),
  host: fc.option(fc.constantFrom('wolke.example.com', 'a.b.c'), { nil: undefined }),
  tlsSecret: fc.option(fc.constantFrom('wolke-tls', 'cert'), { nil: undefined }),
  loadgen: fc.boolean(),
  minReplicas: fc.integer({ min: 1, max: 4 }),
  extraReplicas: fc.integer({ min: 0, max: 6 }),
  processorReplicas: fc.integer({ min: 1, max: 6 }),
});

describe('manifests of generated environments', () => {
  it('keep every invariant for any valid model', () => {
    fc.assert(
      fc.property(variants, (v) => {
        const replication = Math.min(3, v.kafkaReplicas);
        const raw = parse(readFileSync(join(environmentsDir, 'example.yaml'), 'utf8'));
        const apps = raw.apps;
        apps.namespace = v.namespace;
        apps.kafka = { replicas: v.kafkaReplicas };
        for (const t of Object.values(apps.topics) as { replication: number }[]) t.replication = replication;
        apps.minio = { replicas: v.minioReplicas };
        apps.loadgen = { enabled: v.loadgen };
        apps.api = { minReplicas: v.minReplicas, maxReplicas: v.minReplicas + v.extraReplicas };
        apps.processor = { replicas: v.processorReplicas };
        apps.ingress = { host: v.host, tlsSecret: v.tlsSecret };
        // The largest variants request ~25 GiB: four m1.xlarge agents hold that with one drained (the capacity rule).
        raw.cluster.agents.count = 4;
        const withTopics = parseEnvironment(raw);
        const objects = synth(withTopics);
        expect(violations(withTopics, objects)).toEqual([]);
        const kafka = objects.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'kafka')!;
        expect(kafka.spec.replicas).toBe(v.kafkaReplicas);
        expect(objects.some((m) => m.kind === 'Job' && m.metadata.name.startsWith('loadgen-'))).toBe(v.loadgen);
        const api = objects.find((m) => m.kind === 'Ingress' && m.metadata.name === 'api')!;
        expect(api.spec.tls === undefined).toBe(v.tlsSecret === undefined);
        expect(api.spec.rules[0].host).toBe(v.host);
      }),
      { numRuns: 15 },
    );
    // Each run synthesizes the whole app; on a busy 2-core machine that takes a while.
  }, 60_000);
});
