// Unit tests of MinIO notification parsing: encoded keys, several records, non-create events, malformed input.
import { describe, expect, it } from 'vitest';
import { decodeObjectKey, isObjectCreated, parseNotification } from '../../../../apps/processor/event';

// Shaped like what MinIO's Kafka target sends: {EventName, Key, Records}, the S3 record key query-escaped.
const record = (eventName: string, key: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '2.0',
  eventSource: 'minio:s3',
  eventName,
  s3: {
    s3SchemaVersion: '1.0',
    bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
    object: { key, size: 1234, eTag: 'd41d8cd98f00b204e9800998ecf8427e', contentType: 'image/jpeg', ...extra },
  },
});
const message = (...records: unknown[]) =>
  Buffer.from(JSON.stringify({ EventName: 's3:ObjectCreated:Put', Key: 'uploads/x', Records: records }));

describe('decodeObjectKey', () => {
  it('decodes Go url.QueryEscape: "+" is a space, "%2B" a plus, "%2F" a slash', () => {
    expect(decodeObjectKey('holiday+photos%2Fbeach+%2B+sun.jpg')).toBe('holiday photos/beach + sun.jpg');
  });
  it('decodes UTF-8 escapes', () => {
    expect(decodeObjectKey('f%C3%BCnf%2F%E5%86%99%E7%9C%9F.png')).toBe('fünf/写真.png');
  });
  it('throws on a broken escape', () => {
    expect(() => decodeObjectKey('bad%E0%A4%A')).toThrow(URIError);
  });
});

describe('isObjectCreated', () => {
  it('accepts every s3:ObjectCreated:* event and nothing else', () => {
    expect(isObjectCreated('s3:ObjectCreated:Put')).toBe(true);
    expect(isObjectCreated('s3:ObjectCreated:CompleteMultipartUpload')).toBe(true);
    expect(isObjectCreated('s3:ObjectCreated:Copy')).toBe(true);
    expect(isObjectCreated('s3:ObjectRemoved:Delete')).toBe(false);
    expect(isObjectCreated('s3:ObjectAccessed:Get')).toBe(false);
  });
});

// A message as MinIO RELEASE.2025-10-15T17-29-55Z's Kafka target sent it on the test bed (ids shortened).
const realMessage = JSON.stringify({
  EventName: 's3:ObjectCreated:Put',
  Key: 'probe/dir one/fünf + sechs&x=1?.jpg',
  Records: [
    {
      eventVersion: '2.0',
      eventSource: 'minio:s3',
      awsRegion: '',
      eventTime: '2026-11-23T23:57:34.410Z',
      eventName: 's3:ObjectCreated:Put',
      userIdentity: { principalId: 'test-user' },
      requestParameters: { principalId: 'test-user', region: '', sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': '18EAD1F5A3C4A99D', 'x-minio-origin-endpoint': 'http://127.0.0.1:42097' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'Config',
        bucket: { name: 'probe', ownerIdentity: { principalId: 'test-user' }, arn: 'arn:aws:s3:::probe' },
        object: {
          key: 'dir+one%2Ff%C3%BCnf+%2B+sechs%26x%3D1%3F.jpg',
          size: 5,
          eTag: '5d41402abc4b2a76b9719d911017c592',
          contentType: 'text/plain',
          userMetadata: { 'content-type': 'text/plain' },
          sequencer: '18EAD1F5A3E0857A',
        },
      },
      source: { host: '127.0.0.1', port: '', userAgent: 'MinIO (linux; x64) minio-js/8.0.7' },
    },
  ],
});

describe('parseNotification', () => {
  it('reads a real MinIO message: query-escaped key with space, plus, umlaut, & = ?', () => {
    expect(parseNotification(Buffer.from(realMessage))).toEqual({
      ok: true,
      ignored: 0,
      created: [
        {
          bucket: 'probe',
          key: 'dir one/fünf + sechs&x=1?.jpg',
          eventName: 's3:ObjectCreated:Put',
          eTag: '5d41402abc4b2a76b9719d911017c592',
          size: 5,
        },
      ],
    });
  });

  it('returns the created object with its decoded key, bucket, eTag and size', () => {
    const parsed = parseNotification(message(record('s3:ObjectCreated:Put', 'cats%2Fmy+cat.jpg')));
    expect(parsed).toEqual({
      ok: true,
      ignored: 0,
      created: [
        {
          bucket: 'uploads',
          key: 'cats/my cat.jpg',
          eventName: 's3:ObjectCreated:Put',
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          size: 1234,
        },
      ],
    });
  });

  it('returns every created object of a message with several records, in order', () => {
    const parsed = parseNotification(
      message(
        record('s3:ObjectCreated:Put', 'a.png'),
        record('s3:ObjectRemoved:Delete', 'gone.png'),
        record('s3:ObjectCreated:CompleteMultipartUpload', 'b.webp'),
      ),
    );
    expect(parsed.ok && parsed.created.map((c) => c.key)).toEqual(['a.png', 'b.webp']);
    expect(parsed.ok && parsed.ignored).toBe(1);
  });

  it('ignores non-create events even when they lack object details', () => {
    const removed = { eventName: 's3:ObjectRemoved:Delete', s3: { bucket: { name: 'uploads' }, object: { key: 'x' } } };
    expect(parseNotification(message(removed))).toEqual({ ok: true, created: [], ignored: 1 });
  });

  it('accepts a string value and records without eTag or size', () => {
    const bare = { eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'k' } } };
    const parsed = parseNotification(JSON.stringify({ Records: [bare] }));
    expect(parsed).toEqual({ ok: true, ignored: 0, created: [{ bucket: 'b', key: 'k', eventName: 's3:ObjectCreated:Put' }] });
  });

  it.each([
    ['null value', null, /empty/],
    ['empty value', Buffer.alloc(0), /empty/],
    ['not JSON', Buffer.from('{"Records": ['), /not JSON/],
    ['JSON without Records', Buffer.from('{"EventName":"s3:ObjectCreated:Put"}'), /Records/],
    ['empty Records', Buffer.from('{"Records":[]}'), /Records/],
    ['a JSON array', Buffer.from('[1,2]'), /root/],
    ['a record without eventName', Buffer.from('{"Records":[{"s3":{}}]}'), /Records\.0\.eventName/],
  ])('reports %s as malformed', (_name, value, error) => {
    const parsed = parseNotification(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });

  it('reports a create record without a bucket, or with a broken key escape, as malformed', () => {
    const noBucket = { eventName: 's3:ObjectCreated:Put', s3: { object: { key: 'k' } } };
    const first = parseNotification(message(noBucket));
    expect(!first.ok && first.error).toMatch(/Records\.0: s3\.bucket/);
    const second = parseNotification(message(record('s3:ObjectCreated:Put', 'ok.png'), record('s3:ObjectCreated:Put', '%zz')));
    expect(!second.ok && second.error).toMatch(/Records\.1\.s3\.object\.key: broken escape/);
  });
});
