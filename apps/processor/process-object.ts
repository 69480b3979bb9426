// Turns one uploaded object into its renditions: stat, download, check, decode once, resize, upload to the processed bucket.
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { PermanentError } from './errors';
import { inspectImage, renderRenditions } from './image';
import { renditionKey } from '../../contracts/rendition-key';
import type { Rendition } from '../../contracts/renditions';
import { contentTypeOf } from './rendition';

export interface ProcessingLimits {
  renditions: Rendition[];
  processedBucket: string;
  maxBytes: number;
  maxPixels: number;
}

export interface StoredRendition {
  name: string;
  key: string;
  width: number;
  height: number;
  /** Bytes written. */
  size: number;
  /** When the write was acknowledged. */
  writtenAt: Date;
}

export interface ProcessedObject {
  /** ETag of the source that was rendered (stored as `source-etag` on every rendition). */
  sourceEtag: string;
  renditions: StoredRendition[];
}

/** Reads a download fully, giving up as soon as it grows past `maxBytes` (the object may have been replaced). */
async function readAtMost(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      stream.destroy();
      throw new PermanentError('too-many-bytes', `download exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Processes one object. Bad input throws PermanentError (or an S3 "gone" error); anything else that throws is
 * worth retrying, and a retry redoes the whole object, overwriting what a failed attempt already uploaded.
 */
export async function processObject(
  minio: Client,
  limits: ProcessingLimits,
  bucket: string,
  key: string,
  /** Filled with the source's ETag as soon as it is known, also when processing then fails. */
  observed: { sourceEtag?: string } = {},
): Promise<ProcessedObject> {
  const stat = await minio.statObject(bucket, key);
  observed.sourceEtag = stat.etag;
  if (stat.size === 0) throw new PermanentError('empty-object', `${bucket}/${key} is empty`);
  if (stat.size > limits.maxBytes) {
    throw new PermanentError('too-many-bytes', `${bucket}/${key} has ${stat.size} bytes, the limit is ${limits.maxBytes}`);
  }
  const data = await readAtMost(await minio.getObject(bucket, key), limits.maxBytes);
  const source = await inspectImage(data, limits.maxPixels);

  const rendered = await renderRenditions(data, source, limits.renditions, limits.maxPixels);
  // Written at once: each is its own object, and a retry rewrites them all anyway.
  const renditions = await Promise.all(
    limits.renditions.map(async (rendition, i): Promise<StoredRendition> => {
      const { body, width, height } = rendered[i]!;
      const target = renditionKey(key, rendition);
      await minio.putObject(limits.processedBucket, target, body, body.length, {
        'Content-Type': contentTypeOf(rendition.format),
        'source-etag': stat.etag,
      });
      return { name: rendition.name, key: target, width, height, size: body.length, writtenAt: new Date() };
    }),
  );
  return { sourceEtag: stat.etag, renditions };
}
