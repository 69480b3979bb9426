// Client factories: MinIO options from an endpoint URL, kafkajs log levels mapped onto ours.
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { levelOf } from '../../../../apps/lib/kafka';
import { minioClientOptions } from '../../../../apps/lib/minio';

const credentials = { accessKey: 'a', secretKey: 'b' };

describe('minioClientOptions', () => {
  it('takes host, port and TLS from the URL', () => {
    expect(minioClientOptions('http://minio:9000', credentials)).toMatchObject({
      endPoint: 'minio',
      port: 9000,
      useSSL: false,
      region: 'us-east-1',
      pathStyle: true,
    });
    expect(minioClientOptions('https://s3.example.com', { ...credentials, region: 'eu-1' })).toMatchObject({
      endPoint: 's3.example.com',
      port: 443,
      useSSL: true,
      region: 'eu-1',
    });
    expect(minioClientOptions('http://127.0.0.1', credentials).port).toBe(80);
  });

  it('strips the brackets of an IPv6 host', () => {
    expect(minioClientOptions('http://[::1]:9000', credentials).endPoint).toBe('::1');
  });

  it('rejects other schemes and paths', () => {
    expect(() => minioClientOptions('ftp://minio:21', credentials)).toThrow(/must be http\(s\)/);
    expect(() => minioClientOptions('http://minio:9000/bucket', credentials)).toThrow(/must not have a path/);
  });
});

describe('levelOf', () => {
  it('keeps errors and warnings and turns chatty kafkajs info into debug', () => {
    expect(levelOf(logLevel.ERROR)).toBe('error');
    expect(levelOf(logLevel.WARN)).toBe('warn');
    expect(levelOf(logLevel.INFO)).toBe('debug');
    expect(levelOf(logLevel.NOTHING)).toBeUndefined();
  });
});
