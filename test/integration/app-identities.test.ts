// Least privilege against the real MinIO: setup gives the processor, the API and the lake sink a user each, and MinIO
// refuses each one everything outside its policy (other buckets, deletes, writes where it only reads, bucket settings).
import { join } from 'node:path';
import { createMinio } from '../../apps/lib/minio';
import { MinioAdmin } from '../../apps/lib/minio-admin';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Identity, type Pipeline, randomIdentity, runDirectory, runSetupApp, startPipeline } from '../support/pipeline-bed';

const brokers = inject('kafkaBrokers');
let p: Pipeline;
const other = 'identities-other';

beforeAll(async () => {
  p = await startPipeline({ prefix: 'identities', brokers, logDir: runDirectory('app-identities'), partitions: 1, replication: 1 });
  await p.client.makeBucket(other, 'us-east-1');
  await p.client.putObject(other, 'secret.txt', Buffer.from('not yours'));
  await p.client.putObject(p.names.uploadsBucket, 'photos/in.jpg', Buffer.from('upload'));
  await p.client.putObject(p.names.processedBucket, 'photos/in/thumb.webp', Buffer.from('rendition'));
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

const clientOf = (identity: Identity) =>
  createMinio({ MINIO_ENDPOINT: p.minio.endpoint, MINIO_ACCESS_KEY: identity.accessKey, MINIO_SECRET_KEY: identity.secretKey, MINIO_REGION: 'us-east-1' });

/** Resolves with the S3 code MinIO refused with; fails the test if the call succeeded. */
async function refusal(what: string, call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error(`${what} was allowed`);
}

async function keys(client: ReturnType<typeof createMinio>, bucket: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true) as AsyncIterable<{ name?: string }>) if (item.name) found.push(item.name);
  return found;
}

const put = (url: string, body = 'x') => fetch(url, { method: 'PUT', body }).then((r) => r.status);
const get = (url: string) => fetch(url).then((r) => r.status);

describe('app identities', () => {
  it('setup made one user per app with its own policy, and a second run changes nothing that matters', async () => {
    const admin = new MinioAdmin(p.minio.endpoint, p.minio.accessKey, p.minio.secretKey);
    expect(await admin.userPolicies(p.identities.processor.accessKey)).toEqual(['wolke-processor']);
    expect(await admin.userPolicies(p.identities.api.accessKey)).toEqual(['wolke-api']);
    await runSetupApp(
      {
        KAFKA_BROKERS: brokers.join(','),
        MINIO_ENDPOINT: p.minio.endpoint,
        MINIO_ACCESS_KEY: p.minio.accessKey,
        MINIO_SECRET_KEY: p.minio.secretKey,
        TOPICS: JSON.stringify({ [p.names.sourceTopic]: { partitions: 1, replication: 1 } }),
        BUCKETS: `${p.names.uploadsBucket},${p.names.processedBucket}`,
        NOTIFY_BUCKET: p.names.uploadsBucket,
        PROCESSED_BUCKET: p.names.processedBucket,
        MINIO_PROCESSOR_ACCESS_KEY: p.identities.processor.accessKey,
        MINIO_PROCESSOR_SECRET_KEY: p.identities.processor.secretKey,
        MINIO_API_ACCESS_KEY: p.identities.api.accessKey,
        MINIO_API_SECRET_KEY: p.identities.api.secretKey,
      },
      join(p.logDir, 'setup-again.log'),
    );
    expect(await keys(clientOf(p.identities.processor), p.names.uploadsBucket)).toEqual(['photos/in.jpg']);
  });

  it('the processor reads uploads and writes renditions, and is refused everything else', async () => {
    const processor = clientOf(p.identities.processor);
    const { uploadsBucket: uploads, processedBucket: processed } = p.names;
    // Allowed: what processing, reconciling and the access check do.
    expect((await processor.statObject(uploads, 'photos/in.jpg')).size).toBe(6);
    expect(await keys(processor, uploads)).toEqual(['photos/in.jpg']);
    await processor.putObject(processed, 'photos/in/preview.jpeg', Buffer.from('made'), 4, { 'source-etag': 'e' });
    const withMetadata: string[] = [];
    for await (const item of processor.extensions.listObjectsV2WithMetadata(processed, '', true, '') as AsyncIterable<{ name: string }>) {
      withMetadata.push(item.name);
    }
    expect(withMetadata.sort()).toEqual(['photos/in/preview.jpeg', 'photos/in/thumb.webp']);
    expect((await processor.statObject(processed, 'photos/in/preview.jpeg')).metaData['source-etag']).toBe('e');
    expect(await processor.bucketExists(uploads)).toBe(true);
    expect(await processor.bucketExists(processed)).toBe(true);

    const refused = {
      'write into uploads': await refusal('write into uploads', processor.putObject(uploads, 'photos/new.jpg', Buffer.from('x'))),
      'delete an upload': await refusal('delete an upload', processor.removeObject(uploads, 'photos/in.jpg')),
      'delete a rendition': await refusal('delete a rendition', processor.removeObject(processed, 'photos/in/thumb.webp')),
      'read another bucket': await refusal('read another bucket', processor.statObject(other, 'secret.txt')),
      'write another bucket': await refusal('write another bucket', processor.putObject(other, 'x', Buffer.from('x'))),
      'list another bucket': await refusal('list another bucket', keys(processor, other)),
      'make a bucket': await refusal('make a bucket', processor.makeBucket('identities-new', 'us-east-1')),
      'change notifications': await refusal('change notifications', processor.removeAllBucketNotification(uploads)),
      'change a bucket policy': await refusal('change a bucket policy', processor.setBucketPolicy(processed, '')),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 'AccessDenied'])));
    // MinIO answers a bucket listing with the buckets the user may use: the other bucket is not among them.
    expect((await processor.listBuckets()).map((b) => b.name)).not.toContain(other);
    // Everything is still there.
    expect(await keys(p.client, uploads)).toEqual(['photos/in.jpg']);
    expect(await keys(p.client, other)).toEqual(['secret.txt']);
  });

  it('the API signs uploads into uploads and lists and signs reads of processed, and is refused everything else', async () => {
    const api = clientOf(p.identities.api);
    const { uploadsBucket: uploads, processedBucket: processed } = p.names;
    // Allowed: the presigned URLs the browser uses, and the listing of /images.
    expect(await put(await api.presignedPutObject(uploads, 'photos/browser.jpg', 600))).toBe(200);
    expect(await get(await api.presignedGetObject(processed, 'photos/in/thumb.webp', 600))).toBe(200);
    expect(await keys(api, processed)).toContain('photos/in/thumb.webp');

    // Refused, also through URLs it signs: a signature cannot grant more than the signer has.
    expect(await get(await api.presignedGetObject(uploads, 'photos/in.jpg', 600))).toBe(403);
    expect(await put(await api.presignedPutObject(processed, 'photos/in/thumb.webp', 600))).toBe(403);
    expect(await put(await api.presignedPutObject(other, 'x', 600))).toBe(403);
    const refused = {
      'read an upload': await refusal('read an upload', api.statObject(uploads, 'photos/in.jpg')),
      'list uploads': await refusal('list uploads', keys(api, uploads)),
      'write a rendition': await refusal('write a rendition', api.putObject(processed, 'photos/in/thumb.webp', Buffer.from('x'))),
      'delete a rendition': await refusal('delete a rendition', api.removeObject(processed, 'photos/in/thumb.webp')),
      'delete an upload': await refusal('delete an upload', api.removeObject(uploads, 'photos/in.jpg')),
      'read another bucket': await refusal('read another bucket', api.statObject(other, 'secret.txt')),
      'remove a bucket': await refusal('remove a bucket', api.removeBucket(other)),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 'AccessDenied'])));
    expect((await api.listBuckets()).map((b) => b.name)).not.toContain(other);
    expect((await p.client.statObject(processed, 'photos/in/thumb.webp')).size).toBe(9);
  });

  it('the lake sink lists and writes the lake, and is refused everything else', async () => {
    const lake = `${p.names.processedBucket.replace('-processed-', '-lake-')}`;
    const identity = randomIdentity('lake-sink');
    await runSetupApp(
      {
        KAFKA_BROKERS: brokers.join(','),
        MINIO_ENDPOINT: p.minio.endpoint,
        MINIO_ACCESS_KEY: p.minio.accessKey,
        MINIO_SECRET_KEY: p.minio.secretKey,
        TOPICS: JSON.stringify({ [p.names.sourceTopic]: { partitions: 1, replication: 1 } }),
        BUCKETS: `${p.names.uploadsBucket},${p.names.processedBucket},${lake}`,
        NOTIFY_BUCKET: p.names.uploadsBucket,
        PROCESSED_BUCKET: p.names.processedBucket,
        LAKE_BUCKET: lake,
        MINIO_LAKE_SINK_ACCESS_KEY: identity.accessKey,
        MINIO_LAKE_SINK_SECRET_KEY: identity.secretKey,
      },
      join(p.logDir, 'setup-lake-sink.log'),
    );
    expect(await new MinioAdmin(p.minio.endpoint, p.minio.accessKey, p.minio.secretKey).userPolicies(identity.accessKey)).toEqual(['wolke-lake-sink']);
    const sink = clientOf(identity);
    // Allowed: writing files, and listing to find a file a crash left uncommitted.
    await sink.putObject(lake, 'topic=events/date=2026-12-02/hour=04/events-0-1-2.parquet', Buffer.from('PAR1'));
    expect(await keys(sink, lake)).toEqual(['topic=events/date=2026-12-02/hour=04/events-0-1-2.parquet']);

    const refused = {
      'read a lake file': await refusal('read a lake file', sink.statObject(lake, 'topic=events/date=2026-12-02/hour=04/events-0-1-2.parquet')),
      'delete a lake file': await refusal('delete a lake file', sink.removeObject(lake, 'topic=events/date=2026-12-02/hour=04/events-0-1-2.parquet')),
      'read an upload': await refusal('read an upload', sink.statObject(p.names.uploadsBucket, 'photos/in.jpg')),
      'write processed': await refusal('write processed', sink.putObject(p.names.processedBucket, 'x', Buffer.from('x'))),
      'list another bucket': await refusal('list another bucket', keys(sink, other)),
      'make a bucket': await refusal('make a bucket', sink.makeBucket('identities-lake-new', 'us-east-1')),
      'change a bucket policy': await refusal('change a bucket policy', sink.setBucketPolicy(lake, '')),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 'AccessDenied'])));
    const admin = new MinioAdmin(p.minio.endpoint, identity.accessKey, identity.secretKey);
    await expect(admin.putUser(`${identity.accessKey.slice(0, 10)}-x`, 'a-secret-key-123')).rejects.toMatchObject({ status: 403 });
  });

  it('the report job lists and reads the lake and writes only reports; the API reads reports and no topic file', async () => {
    const lake = `${p.names.processedBucket.replace('-processed-', '-lakereport-')}`;
    const identity = randomIdentity('report');
    await runSetupApp(
      {
        KAFKA_BROKERS: brokers.join(','),
        MINIO_ENDPOINT: p.minio.endpoint,
        MINIO_ACCESS_KEY: p.minio.accessKey,
        MINIO_SECRET_KEY: p.minio.secretKey,
        TOPICS: JSON.stringify({ [p.names.sourceTopic]: { partitions: 1, replication: 1 } }),
        BUCKETS: `${p.names.uploadsBucket},${p.names.processedBucket},${lake}`,
        NOTIFY_BUCKET: p.names.uploadsBucket,
        PROCESSED_BUCKET: p.names.processedBucket,
        LAKE_BUCKET: lake,
        MINIO_REPORT_ACCESS_KEY: identity.accessKey,
        MINIO_REPORT_SECRET_KEY: identity.secretKey,
        MINIO_API_ACCESS_KEY: p.identities.api.accessKey,
        MINIO_API_SECRET_KEY: p.identities.api.secretKey,
      },
      join(p.logDir, 'setup-report.log'),
    );
    expect(await new MinioAdmin(p.minio.endpoint, p.minio.accessKey, p.minio.secretKey).userPolicies(identity.accessKey)).toEqual(['wolke-report']);
    const root = createMinio({ MINIO_ENDPOINT: p.minio.endpoint, MINIO_ACCESS_KEY: p.minio.accessKey, MINIO_SECRET_KEY: p.minio.secretKey, MINIO_REGION: 'us-east-1' });
    const file = 'topic=events/date=2026-12-02/hour=04/events-0-1-2.parquet';
    await root.putObject(lake, file, Buffer.from('PAR1'));
    const report = clientOf(identity);
    // Allowed: listing and reading the topics' files, writing a report.
    expect(await keys(report, lake)).toEqual([file]);
    await report.statObject(lake, file);
    await report.putObject(lake, 'reports/sensor-daily/date=2026-12-02/sensor-daily.parquet', Buffer.from('PAR1'));
    const api = clientOf(p.identities.api);
    await api.statObject(lake, 'reports/sensor-daily/date=2026-12-02/sensor-daily.parquet');

    const refused = {
      'write a topic file': await refusal('write a topic file', report.putObject(lake, file, Buffer.from('x'))),
      'delete a report': await refusal('delete a report', report.removeObject(lake, 'reports/sensor-daily/date=2026-12-02/sensor-daily.parquet')),
      'read an upload': await refusal('read an upload', report.statObject(p.names.uploadsBucket, 'photos/in.jpg')),
      'list another bucket': await refusal('list another bucket', keys(report, other)),
      'api: read a topic file': await refusal('api: read a topic file', api.statObject(lake, file)),
      'api: write a report': await refusal('api: write a report', api.putObject(lake, 'reports/x.parquet', Buffer.from('x'))),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 'AccessDenied'])));
  });

  it('neither app can use the admin API', async () => {
    for (const identity of [p.identities.processor, p.identities.api]) {
      const admin = new MinioAdmin(p.minio.endpoint, identity.accessKey, identity.secretKey);
      await expect(admin.putUser(`${identity.accessKey.slice(0, 10)}-x`, 'a-secret-key-123')).rejects.toMatchObject({ status: 403 });
    }
  });
});
