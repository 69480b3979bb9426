// Creates the minio-js client of an app from an endpoint URL and credentials.
import { Client, type ClientOptions } from 'minio';
import { MINIO_REGION } from '../../contracts/minio-region';
import type { MinioConfig } from './config';

/** minio-js options for an endpoint URL such as http://minio:9000 (the port defaults from the scheme). */
export function minioClientOptions(
  endpoint: string,
  credentials: { accessKey: string; secretKey: string; region?: string },
): ClientOptions {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`MinIO endpoint must be http(s), got ${url.protocol} in ${endpoint}`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new Error(`MinIO endpoint must not have a path (got ${url.pathname} in ${endpoint})`);
  }
  const useSSL = url.protocol === 'https:';
  return {
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    region: credentials.region ?? MINIO_REGION,
    pathStyle: true,
  };
}

/** A minio-js client for the app's MINIO_* configuration. */
export function createMinio(config: MinioConfig): Client {
  return new Client(
    minioClientOptions(config.MINIO_ENDPOINT, {
      accessKey: config.MINIO_ACCESS_KEY,
      secretKey: config.MINIO_SECRET_KEY,
      region: config.MINIO_REGION,
    }),
  );
}
