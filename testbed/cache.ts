// Where the test bed keeps what it fetched or built (Kafka jars, the JMX exporter agent, the MinIO binary), so a second run starts in seconds.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kafkaRelease, kafkaVersions } from './kafka-release';
import { minioRelease } from './minio-release';

/** Root of the wolke cache: $WOLKE_CACHE, or ~/.cache/wolke. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.WOLKE_CACHE && env.WOLKE_CACHE.length > 0 ? env.WOLKE_CACHE : join(homedir(), '.cache', 'wolke');
}

/** Directory holding the Kafka jars (classpath `libs/*`), one per release so that a release change refetches. */
export function kafkaLibsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'kafka', kafkaRelease(), 'libs');
}

/** The Prometheus JMX exporter's java agent that every test-bed broker loads, as the image's brokers do. */
export function jmxExporterAgent(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'jmx-exporter', kafkaVersions().jmxExporter, 'jmx_prometheus_javaagent.jar');
}

/** Path of the MinIO server binary. */
export function minioBinary(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'minio', minioRelease().release, 'minio');
}
