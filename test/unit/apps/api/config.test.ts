import { describe, expect, it } from 'vitest';
import { readApiConfig } from '../../../../apps/api/config';
import { readWebConfig } from '../../../../apps/web/config';

const required = { KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092', MINIO_ENDPOINT: 'http://minio:9000', MINIO_ACCESS_KEY: 'k', MINIO_SECRET_KEY: 's' };

describe('api configuration', () => {
  it('defaults to the contract names and the processor upload limit', () => {
    const config = readApiConfig(required);
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      RESULTS_TOPIC: 'results',
      UPLOADS_BUCKET: 'uploads',
      PROCESSED_BUCKET: 'processed',
      OPS_PORT: 8080,
      GROUP_ID: 'api',
      MAX_UPLOAD_BYTES: 50 * 1024 * 1024,
      URL_EXPIRY_SECONDS: 300,
    });
    expect(config.MINIO_PUBLIC_ENDPOINT).toBeUndefined();
  });

  it('names each bad variable', () => {
    expect(() => readApiConfig({ ...required, MINIO_PUBLIC_ENDPOINT: 'minio.example.com', PROCESSED_BUCKET: 'Not_A_Bucket', KAFKA_BROKERS: '' })).toThrow(
      /KAFKA_BROKERS: is required\n\s+PROCESSED_BUCKET: must be an S3 bucket name\n\s+MINIO_PUBLIC_ENDPOINT: must be an http\(s\) URL/,
    );
  });
});

describe('web configuration', () => {
  it('serves the built UI on 8080 and proxies only when asked', () => {
    const config = readWebConfig({});
    expect(config.OPS_PORT).toBe(8080);
    expect(config.WEB_ROOT).toMatch(/dist\/web$/);
    expect(config.API_PROXY_TARGET).toBeUndefined();
    expect(() => readWebConfig({ API_PROXY_TARGET: 'api:8080' })).toThrow(/API_PROXY_TARGET: must be an http\(s\) URL/);
  });
});
