// The contract between charts and apps: each app's variables in the manifests pass that app's own config schema.
import { randomBytes } from 'node:crypto';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadEnvironment } from '../../config/load';
import { addCharts } from '../../charts/main';
import { aggregatorEnv } from '../../apps/aggregator/config';
import { apiEnv } from '../../apps/api/config';
import { processorEnv } from '../../apps/processor/config';
import { producerEnv } from '../../apps/producer/config';
import { setupEnv } from '../../apps/setup/config';
import { webEnv } from '../../apps/web/config';
import { readLoadOptions } from '../../apps/loadgen/options';

const schemas: Record<string, z.ZodObject> = {
  api: apiEnv,
  web: webEnv,
  processor: processorEnv,
  producer: producerEnv,
  aggregator: aggregatorEnv,
  setup: setupEnv,
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

const example = loadEnvironment('example', '');
const containers = addCharts(Testing.app(), example)
  .flatMap((chart) => Testing.synth(chart))
  .filter((m) => ['Deployment', 'Job'].includes(m.kind))
  .flatMap((m) => m.spec.template.spec.containers as { name: string; env: EnvVar[] }[]);

// What the Secret holds in a cluster: random per run, as the deploy step creates it.
const secret: Record<string, string> = { rootUser: `user-${randomBytes(4).toString('hex')}`, rootPassword: randomBytes(24).toString('base64url') };

function resolved(vars: EnvVar[]): Record<string, string> {
  return Object.fromEntries(
    vars.map((v) => {
      const ref = v.valueFrom?.secretKeyRef;
      if (ref !== undefined) {
        expect(ref.name).toBe('minio-credentials');
        return [v.name, secret[ref.key]];
      }
      return [v.name, v.value ?? ''];
    }),
  );
}

describe('app variables in the manifests', () => {
  it('cover every app the charts deploy', () => {
    expect(containers.map((c) => c.name).sort()).toEqual(Object.keys(schemas).sort());
  });

  for (const [app, schema] of Object.entries(schemas)) {
    it(`satisfy the ${app} config schema, with no variable the app does not read`, () => {
      const container = containers.find((c) => c.name === app)!;
      const variables = resolved(container.env);
      const parsed = schema.safeParse(variables);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(Object.keys(variables).filter((name) => !(name in schema.shape))).toEqual([]);
    });
  }

  it('give the load generator, when enabled, options its own parser accepts, aimed at the api Service', () => {
    const withLoadgen = { ...example, apps: { ...example.apps, loadgen: { ...example.apps.loadgen, enabled: true } } };
    const job = addCharts(Testing.app(), withLoadgen)
      .flatMap((chart) => Testing.synth(chart))
      .find((m) => m.kind === 'Job' && m.metadata.name.startsWith('loadgen-'));
    const options = readLoadOptions([], resolved(job.spec.template.spec.containers[0].env));
    expect(options).toMatchObject({ url: 'http://api.wolke.svc.cluster.local/sensors', rps: 200, duration: 300 });
  });

  it('hand the processor, aggregator and producer the values of the model', () => {
    const parse = (app: string) => schemas[app].parse(resolved(containers.find((c) => c.name === app)!.env)) as Record<string, unknown>;
    expect(parse('processor')).toMatchObject({ RENDITIONS: example.apps.processor.renditions, MAX_BYTES: example.apps.processor.maxBytes });
    expect(parse('aggregator')).toMatchObject({ WINDOW_SIZE: example.apps.aggregator.window, RESULTS_TOPIC: 'results' });
    expect(parse('producer')).toMatchObject({ SENSORS: example.apps.producer.sensors, RATE_PER_SECOND: example.apps.producer.ratePerSecond });
    expect(parse('api')).toMatchObject({ MAX_UPLOAD_BYTES: example.apps.processor.maxBytes, MINIO_SECRET_KEY: secret.rootPassword });
    expect(parse('setup')).toMatchObject({ TOPICS: example.apps.topics, BUCKETS: ['uploads', 'processed'] });
  });
});
