// The report on Apache Spark: Spark SQL in local mode (java with Spark's and hadoop-aws's jars, SensorDailyReport
// compiled against them), reading the lake over s3a; for a lake that outgrows one machine, point SPARK_MASTER at a cluster.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { MinioConfig } from '../lib/config';
import type { ReportEngine, ReportRun } from './engine';

/** The JVM flags Spark's own launcher adds on Java 17 and newer (Spark's JavaModuleOptions). */
const sparkJavaOptions = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  '--add-modules=jdk.incubator.vector',
  ...['java.lang', 'java.lang.invoke', 'java.lang.reflect', 'java.io', 'java.net', 'java.nio', 'java.util', 'java.util.concurrent', 'java.util.concurrent.atomic', 'jdk.internal.ref', 'sun.nio.ch', 'sun.nio.cs', 'sun.security.action', 'sun.util.calendar'].map(
    (pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`,
  ),
  '-Djdk.reflect.useDirectMethodHandle=false',
  '-Dio.netty.tryReflectionSetAccessible=true',
];

export interface SparkEngineOptions {
  /** Folder with Spark's jars and `classes/` holding SensorDailyReport (testbed/spark.sh lays it out). */
  jars: string;
  minio: MinioConfig;
  /** Heap of the driver, which runs the executors too in local mode. */
  heap?: string;
}

export function sparkEngine(options: SparkEngineOptions): ReportEngine {
  return {
    name: 'spark',
    async run(run: ReportRun): Promise<string[]> {
      const work = dirname(run.outputDir);
      mkdirSync(run.outputDir, { recursive: true });
      const sqlFile = join(work, 'sensor-daily.sql');
      const eventsList = join(work, 'events.list');
      const anomaliesList = join(work, 'anomalies.list');
      writeFileSync(sqlFile, run.sql);
      writeFileSync(eventsList, run.events.files.join('\n'));
      writeFileSync(anomaliesList, run.anomalies.files.join('\n'));
      const classpath = [join(options.jars, 'classes'), join(options.jars, '*')].join(delimiter);
      const args = [`-Xmx${options.heap ?? '1g'}`, ...sparkJavaOptions, '-cp', classpath, 'SensorDailyReport', sqlFile, eventsList, anomaliesList, run.outputDir];
      const output: string[] = [];
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.env.JAVA ?? 'java', args, {
          env: {
            ...process.env,
            LAKE_S3_ENDPOINT: options.minio.MINIO_ENDPOINT,
            AWS_ACCESS_KEY_ID: options.minio.MINIO_ACCESS_KEY,
            AWS_SECRET_ACCESS_KEY: options.minio.MINIO_SECRET_KEY,
            AWS_REGION: options.minio.MINIO_REGION,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const keep = (chunk: Buffer) => {
          output.push(chunk.toString());
          if (output.length > 400) output.splice(0, output.length - 400);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.once('error', reject);
        child.once('close', resolve);
      });
      if (code !== 0) throw new Error(`Spark exited with ${code}:\n${output.join('').split('\n').slice(-40).join('\n')}`);
      return readdirSync(run.outputDir)
        .filter((d) => d.startsWith('date='))
        .map((d) => d.slice('date='.length))
        .sort();
    },
  };
}
