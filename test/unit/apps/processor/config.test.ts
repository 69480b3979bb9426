// Unit tests of the processor's environment: defaults from the model, RENDITIONS as JSON, errors naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../apps/lib/config';
import { readProcessorConfig } from '../../../../apps/processor/config';

const required = {
  KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
  MINIO_ENDPOINT: 'http://minio:9000',
  MINIO_ACCESS_KEY: 'processor',
  MINIO_SECRET_KEY: 'generated-in-the-test',
};

const errorOf = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    readProcessorConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('readProcessorConfig', () => {
  it('fills the contract defaults and the model defaults of renditions and limits', () => {
    expect(readProcessorConfig(required)).toMatchObject({
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      SOURCE_TOPIC: 'minio-events',
      DLQ_TOPIC: 'minio-events.dlq',
      PROCESSED_BUCKET: 'processed',
      GROUP_ID: 'processor',
      MAX_PIXELS: 40_000_000,
      MAX_BYTES: 50 * 1024 * 1024,
      OPS_PORT: 8080,
      RENDITIONS: [
        { name: 'thumb', size: 320, format: 'webp' },
        { name: 'preview', size: 1280, format: 'webp' },
      ],
    });
  });

  it('reads RENDITIONS, limits and concurrency from text', () => {
    const config = readProcessorConfig({
      ...required,
      RENDITIONS: '[{"name":"small","size":64,"format":"avif"}]',
      MAX_PIXELS: '1000000',
      MAX_BYTES: '2048',
      CONCURRENCY: '8',
    });
    expect(config.RENDITIONS).toEqual([{ name: 'small', size: 64, format: 'avif' }]);
    expect([config.MAX_PIXELS, config.MAX_BYTES, config.CONCURRENCY]).toEqual([1_000_000, 2048, 8]);
  });

  it('names the variable that is missing or wrong', () => {
    expect(errorOf({ ...required, KAFKA_BROKERS: undefined }).variables).toEqual(['KAFKA_BROKERS']);
    expect(errorOf({ ...required, RENDITIONS: '[{"name":"x","size":0,"format":"webp"}]' }).message).toMatch(/RENDITIONS/);
    expect(errorOf({ ...required, RENDITIONS: 'not json' }).message).toMatch(/RENDITIONS: must be valid JSON/);
    expect(errorOf({ ...required, RENDITIONS: '[{"name":"x","size":10,"format":"gif"}]' }).variables).toEqual(['RENDITIONS']);
    expect(errorOf({ ...required, CONCURRENCY: '0' }).variables).toEqual(['CONCURRENCY']);
  });
});
