// The contract between charts and apps: each app's variables in the manifests pass that app's own config schema.
import { randomBytes } from 'node:crypto';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadEnvironment } from '../../../config/load';
import { addCharts } from '../../../charts/manifests';
import { aggregatorEnv } from '../../../apps/aggregator/config';
import { apiEnv } from '../../../apps/api/config';
import { detectorEnv } from '../../../apps/detector/config';
import { lakeSinkEnv } from '../../../apps/lake-sink/config';
import { reportEnv } from '../../../apps/report/config';
import { processorEnv } from '../../../apps/processor/config';
import { producerEnv } from '../../../apps/producer/config';
import { setupEnv } from '../../../apps/setup/config';
import { webEnv } from '../../../apps/web/config';
import { readLoadOptions } from '../../../apps/loadgen/options';

const schemas: Record<string, z.ZodObject> = {
  api: apiEnv,
  web: webEnv,
  processor: processorEnv,
  producer: producerEnv,
  aggregator: aggregatorEnv,
  detector: detectorEnv,
  'lake-sink': lakeSinkEnv,
  report: reportEnv,
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
  .filter((m) => ['Deployment', 'Job', 'CronJob'].includes(m.kind))
  .flatMap((m) => (m.spec.template ?? m.spec.jobTemplate.spec.template).spec.containers as { name: string; env: EnvVar[] }[]);

// What the Secrets hold in a cluster: random per run, as the deploy step creates them (40 letters and digits).
const random40 = () => randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40);
const secrets: Record<string, Record<string, string>> = {
  'minio-credentials': { rootUser: random40(), rootPassword: random40() },
  'minio-processor': { accessKey: random40(), secretKey: random40() },
  'minio-api': { accessKey: random40(), secretKey: random40() },
  'minio-lake-sink': { accessKey: random40(), secretKey: random40() },
  'minio-report': { accessKey: random40(), secretKey: random40() },
};
const secret = secrets['minio-credentials']!;

function resolved(vars: EnvVar[]): Record<string, string> {
  return Object.fromEntries(
    vars.map((v) => {
      const ref = v.valueFrom?.secretKeyRef;
      if (ref !== undefined) {
        expect(Object.keys(secrets)).toContain(ref.name);
        return [v.name, secrets[ref.name]![ref.key]];
      }
      return [v.name, v.value ?? ''];
    }),
  );
}

/** The Secrets a container reads. */
const secretsOf = (app: string): string[] =>
  [...new Set(containers.find((c) => c.name === app)!.env.flatMap((v) => (v.valueFrom?.secretKeyRef ? [v.valueFrom.secretKeyRef.name] : [])))].sort();

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
    expect(parse('producer')).toMatchObject({
      SENSORS: example.apps.producer.sensors,
      RATE_PER_SECOND: example.apps.producer.ratePerSecond,
      ANOMALY_RATE: example.apps.producer.anomalyRate,
    });
    expect(parse('detector')).toMatchObject({
      DETECTOR_ALPHA: example.apps.detector.alpha,
      DETECTOR_THRESHOLD: example.apps.detector.threshold,
      DETECTOR_WARMUP: example.apps.detector.warmup,
      ANOMALIES_TOPIC: 'anomalies',
    });
    expect(parse('api')).toMatchObject({ MAX_UPLOAD_BYTES: example.apps.processor.maxBytes, MINIO_SECRET_KEY: secrets['minio-api']!.secretKey });
    expect(parse('setup')).toMatchObject({ TOPICS: example.apps.topics, BUCKETS: ['uploads', 'processed', 'lake'], MINIO_SECRET_KEY: secret.rootPassword });
  });

  it('give each app its own MinIO identity, and the root credentials only to setup', () => {
    expect(secretsOf('processor')).toEqual(['minio-processor']);
    expect(secretsOf('api')).toEqual(['minio-api']);
    expect(secretsOf('lake-sink')).toEqual(['minio-lake-sink']);
    expect(secretsOf('report')).toEqual(['minio-report']);
    expect(secretsOf('setup')).toEqual(['minio-api', 'minio-credentials', 'minio-lake-sink', 'minio-processor', 'minio-report']);
    for (const app of ['web', 'producer', 'aggregator', 'detector']) expect(secretsOf(app)).toEqual([]);
    const setup = schemas.setup!.parse(resolved(containers.find((c) => c.name === 'setup')!.env)) as Record<string, unknown>;
    expect(setup).toMatchObject({
      MINIO_PROCESSOR_ACCESS_KEY: secrets['minio-processor']!.accessKey,
      MINIO_API_SECRET_KEY: secrets['minio-api']!.secretKey,
      PROCESSED_BUCKET: 'processed',
      LAKE_BUCKET: 'lake',
      MINIO_LAKE_SINK_SECRET_KEY: secrets['minio-lake-sink']!.secretKey,
      MINIO_REPORT_SECRET_KEY: secrets['minio-report']!.secretKey,
    });
  });
});
