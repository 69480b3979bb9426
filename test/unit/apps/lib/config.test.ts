// readConfig: typed values from the environment, and errors that name every bad variable.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnv, ConfigError, jsonOf, kafkaEnv, minioEnv, nameList, readConfig } from '../../../../apps/lib/config';

const schema = z.object({ ...commonEnv.shape, ...kafkaEnv.shape, ...minioEnv.shape });
const valid = {
  KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
  MINIO_ENDPOINT: 'http://minio:9000',
  MINIO_ACCESS_KEY: 'wolke',
  MINIO_SECRET_KEY: 'generated-elsewhere',
};

describe('readConfig', () => {
  it('returns typed values with defaults', () => {
    const config = readConfig(schema, valid);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-0:9092', 'kafka-1:9092']);
    expect(config.OPS_PORT).toBe(8080);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.MINIO_REGION).toBe('us-east-1');
    expect(config.KAFKA_CLIENT_ID).toBe('wolke');
  });

  it('converts numbers given as text', () => {
    expect(readConfig(schema, { ...valid, OPS_PORT: '9100' }).OPS_PORT).toBe(9100);
  });

  it('names every missing variable', () => {
    const error = (() => {
      try {
        readConfig(schema, { KAFKA_BROKERS: 'k:9092' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables.sort()).toEqual(['MINIO_ACCESS_KEY', 'MINIO_ENDPOINT', 'MINIO_SECRET_KEY']);
    expect((error as ConfigError).message).toContain('MINIO_ENDPOINT: is required');
  });

  it('names the variable and the rule for bad values', () => {
    expect(() => readConfig(schema, { ...valid, KAFKA_BROKERS: 'kafka-0' })).toThrow(/KAFKA_BROKERS: each broker must be host:port/);
    expect(() => readConfig(schema, { ...valid, OPS_PORT: 'eighty' })).toThrow(/OPS_PORT: must be a port number/);
    expect(() => readConfig(schema, { ...valid, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL:/);
    expect(() => readConfig(schema, { ...valid, MINIO_ENDPOINT: 'minio:9000' })).toThrow(/MINIO_ENDPOINT: must be an http\(s\) URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig(schema, { ...valid, LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
    expect(() => readConfig(schema, { ...valid, MINIO_SECRET_KEY: '' })).toThrow(/MINIO_SECRET_KEY: is required/);
  });

  it('parses JSON variables against their schema', () => {
    const topics = z.object({ TOPICS: jsonOf(z.record(z.string(), z.object({ partitions: z.number() }))) });
    expect(readConfig(topics, { TOPICS: '{"events":{"partitions":3}}' }).TOPICS).toEqual({ events: { partitions: 3 } });
    expect(() => readConfig(topics, { TOPICS: '{events' })).toThrow(/TOPICS: must be valid JSON/);
    expect(() => readConfig(topics, { TOPICS: '{"events":{"partitions":"3"}}' })).toThrow(/TOPICS:/);
  });

  it('splits comma lists and rejects empty ones', () => {
    const sensors = z.object({ SENSORS: nameList });
    expect(readConfig(sensors, { SENSORS: 'A, B,,C' }).SENSORS).toEqual(['A', 'B', 'C']);
    expect(() => readConfig(sensors, { SENSORS: ' , ' })).toThrow(/SENSORS: must name at least one entry/);
  });
});
