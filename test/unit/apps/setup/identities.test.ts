// The apps' MinIO policies and the setup variables of their identities, without MinIO.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../../apps/lib/config';
import { setupEnv } from '../../../../apps/setup/config';
import { appPolicy, minioApps } from '../../../../apps/setup/identities';
import { wantedIdentities } from '../../../../apps/setup/run';

const buckets = { uploads: 'up', processed: 'done', lake: 'lake' };
const base = {
  KAFKA_BROKERS: 'k:9092',
  MINIO_ENDPOINT: 'http://minio:9000',
  MINIO_ACCESS_KEY: 'root',
  MINIO_SECRET_KEY: 'root-secret',
  TOPICS: '{}',
  BUCKETS: 'up,done',
  NOTIFY_BUCKET: 'up',
};

const grants = (app: (typeof minioApps)[number]) =>
  appPolicy(app, buckets).Statement.flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${s.Effect} ${a} ${r}`))).sort();

describe('appPolicy', () => {
  it('lets the processor list both buckets, read uploads and read and write processed, nothing more', () => {
    expect(grants('processor')).toEqual([
      'Allow s3:GetObject arn:aws:s3:::done/*',
      'Allow s3:GetObject arn:aws:s3:::up/*',
      'Allow s3:ListBucket arn:aws:s3:::done',
      'Allow s3:ListBucket arn:aws:s3:::up',
      'Allow s3:PutObject arn:aws:s3:::done/*',
    ]);
  });
  it('lets the API write uploads (signed PUTs), list and read processed and read the lake\'s reports, nothing more', () => {
    expect(grants('api')).toEqual([
      'Allow s3:GetObject arn:aws:s3:::done/*',
      'Allow s3:GetObject arn:aws:s3:::lake/reports/*',
      'Allow s3:ListBucket arn:aws:s3:::done',
      'Allow s3:ListBucket arn:aws:s3:::lake',
      'Allow s3:PutObject arn:aws:s3:::up/*',
    ]);
  });
  it('lets the report job list and read the lake and write only its reports', () => {
    expect(grants('report')).toEqual([
      'Allow s3:GetObject arn:aws:s3:::lake/*',
      'Allow s3:ListBucket arn:aws:s3:::lake',
      'Allow s3:PutObject arn:aws:s3:::lake/reports/*',
    ]);
  });
  it('lets the lake sink list and write the lake, nothing more (it never reads)', () => {
    expect(grants('lake-sink')).toEqual(['Allow s3:ListBucket arn:aws:s3:::lake', 'Allow s3:PutObject arn:aws:s3:::lake/*']);
  });
  it('grants no wildcard action and no delete to any app', () => {
    for (const app of minioApps) expect(grants(app).join('\n')).not.toMatch(/s3:\*|Delete|Bucket(Policy|Notification)/);
  });
});

describe('setup identity variables', () => {
  it('creates an identity only when both its key and secret are set', () => {
    const config = readConfig(setupEnv, { ...base, MINIO_PROCESSOR_ACCESS_KEY: 'processor-1', MINIO_PROCESSOR_SECRET_KEY: 'a-long-secret' });
    expect(wantedIdentities(config).map((i) => i.app)).toEqual(['processor']);
    expect(wantedIdentities(readConfig(setupEnv, base))).toEqual([]);
  });
  it('names the missing half of a pair, a short secret, and the root user reused', () => {
    const error = (env: Record<string, string>) => {
      try {
        readConfig(setupEnv, { ...base, ...env });
      } catch (e) {
        return (e as ConfigError).message;
      }
      return 'accepted';
    };
    expect(error({ MINIO_API_ACCESS_KEY: 'api-1' })).toContain('MINIO_API_SECRET_KEY: is required');
    expect(error({ MINIO_API_ACCESS_KEY: 'api-1', MINIO_API_SECRET_KEY: 'short' })).toContain('MINIO_API_SECRET_KEY: must be at least 8 characters');
    expect(error({ MINIO_API_ACCESS_KEY: 'root', MINIO_API_SECRET_KEY: 'long-enough' })).toContain('MINIO_API_ACCESS_KEY: must not be the root user');
  });
});
