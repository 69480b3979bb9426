// Starts real Kafka (KRaft, 1 or 3 combined nodes) on loopback from the cached official jars, each node with the JMX
// exporter agent the Kafka image runs; run by hand it prints the brokers and their metrics endpoints.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { jmxExporterAgent, kafkaLibsDir } from './cache';
import { freePorts } from './ports';
import { serverProperties, randomClusterId, type NodePorts } from './kafka-properties';
import { supervise, tail, waitUntil, type Supervised } from './process';
import { runUntilSignal } from './run-until-signal';

export interface StartKafkaOptions {
  /** 1 for normal tests, 3 for chaos tests (one quorum of three combined nodes). */
  nodes?: 1 | 3;
  /** Where data and logs go; a fresh temporary directory (removed on stop) when not given. */
  dir?: string;
}

export interface KafkaTestbed {
  /** host:port of every node, for KAFKA_BROKERS. */
  brokers: string[];
  /** The Prometheus endpoint (http://host:port/metrics) of every node's JMX exporter agent, in node order. */
  metrics: string[];
  /** Directory with each node's server.log and JVM output. */
  logDir: string;
  /** Stops node `index` (0-based) with `signal` and starts it again on the same ports and data dir. */
  restartBroker(index: number, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops node `index` and leaves it down (a broker outage); startBroker brings it back. */
  stopBroker(index: number, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a node stopped by stopBroker and waits until the cluster sees it again. */
  startBroker(index: number): Promise<void>;
  /** Stops every node; removes the directory only if the test bed created it. */
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '..');
const log4jConfig = join(__dirname, 'kafka', 'log4j2.yaml');
/** The exporter's configuration: the file the Kafka image carries. */
export const JMX_EXPORTER_CONFIG = join(repoRoot, 'apps', 'kafka', 'jmx-exporter.yaml');

/** Fetches the Kafka jars and the exporter agent into the cache through testbed/prepare.sh when they are not there yet. */
export function ensureKafkaJars(): string {
  const libs = kafkaLibsDir();
  if (!existsSync(join(libs, '.complete')) || !existsSync(jmxExporterAgent())) {
    execFileSync('bash', [join(__dirname, 'prepare.sh'), 'kafka'], { stdio: 'inherit', cwd: repoRoot });
  }
  return libs;
}

/** The class-data-sharing archive of the broker's classes, next to the jars; JVMs that map it start faster. */
export function classArchive(libs: string): string {
  return join(dirname(libs), 'kafka-classes.jsa');
}

/**
 * JVM flags for class data sharing: use the archive when it exists; otherwise `dumpTo`, if given, names the file
 * this JVM writes its loaded classes to when it exits (the first broker of a run without an archive does that).
 */
export function classSharingArgs(archive: string, archiveExists: boolean, dumpTo?: string): string[] {
  if (archiveExists) return [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto', '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
  return dumpTo ? [`-XX:ArchiveClassesAtExit=${dumpTo}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'] : [];
}

function javaArgs(libs: string, nodeLogDir: string, mainClass: string, args: string[], sharing: string[] = []): string[] {
  return [
    ...sharing,
    // Small heaps and a serial collector: the box has 2 cores and runs up to three nodes plus the tests.
    '-Xmx512m',
    '-Xms64m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    `-Dkafka.logs.dir=${nodeLogDir}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];
}

/** Starts Kafka and resolves once every node answers a kafkajs describeCluster. */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaTestbed> {
  const count = options.nodes ?? 1;
  const libs = ensureKafkaJars();
  const ownsDir = options.dir === undefined;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'wolke-kafka-'));
  const logDir = join(root, 'logs');
  mkdirSync(logDir, { recursive: true });

  const allPorts = await freePorts(count * 3);
  const ports: NodePorts[] = Array.from({ length: count }, (_, i) => ({
    broker: allPorts[3 * i]!,
    controller: allPorts[3 * i + 1]!,
  }));
  const metricsPorts = Array.from({ length: count }, (_, i) => allPorts[3 * i + 2]!);
  const brokers = ports.map((p) => `127.0.0.1:${p.broker}`);
  const agent = jmxExporterAgent();
  const clusterId = randomClusterId();
  const archive = classArchive(libs);
  // Written by node 1 when it exits; renamed into place on stop, so a half-written archive is never used.
  const archiveDump = `${archive}.${process.pid}.tmp`;

  const nodeDirs = ports.map((_, i) => {
    const data = join(root, `node-${i + 1}`, 'data');
    const logs = join(logDir, `node-${i + 1}`);
    mkdirSync(data, { recursive: true });
    mkdirSync(logs, { recursive: true });
    const properties = join(root, `node-${i + 1}`, 'server.properties');
    writeFileSync(properties, serverProperties(ports, i, data));
    return { data, logs, properties };
  });

  // Formatting runs one short JVM per node; in parallel, it costs one JVM start.
  await Promise.all(
    nodeDirs.map(async (node) => {
      const format = supervise(
        'java',
        javaArgs(libs, node.logs, 'kafka.tools.StorageTool', [
          'format',
          '--cluster-id',
          clusterId,
          '--config',
          node.properties,
          '--ignore-formatted',
        ], classSharingArgs(archive, existsSync(archive))),
        { logFile: join(node.logs, 'format.out') },
      );
      const code = await format.exited;
      if (code !== 0) {
        throw new Error(`kafka storage format failed (exit ${code}); see ${format.logFile}:\n${tail(format.logFile)}`);
      }
    }),
  );

  const running: (Supervised | undefined)[] = [];
  const startNode = (i: number) => {
    const node = nodeDirs[i]!;
    const sharing = classSharingArgs(archive, existsSync(archive), i === 0 ? archiveDump : undefined);
    const exporter = `-javaagent:${agent}=127.0.0.1:${metricsPorts[i]}:${JMX_EXPORTER_CONFIG}`;
    running[i] = supervise('java', javaArgs(libs, node.logs, 'kafka.Kafka', [node.properties], [...sharing, exporter]), {
      logFile: join(node.logs, 'jvm.out'),
    });
  };
  // If the test runner dies, the JVMs must not outlive it.
  const killAll = () => running.forEach((p) => p?.kill('SIGKILL'));
  process.once('exit', killAll);

  const admin = new Kafka({
    clientId: 'wolke-testbed',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  }).admin();

  const describe = async (expected: number, aliveIndex?: number) => {
    await waitUntil(
      `kafka (${count} node${count > 1 ? 's' : ''}, logs in ${logDir})`,
      async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length >= expected;
      },
      {
        attempts: 240,
        intervalMs: 250,
        alive: () =>
          running.every((p, i) => (aliveIndex !== undefined && i !== aliveIndex) || !p || p.child.exitCode === null),
      },
    ).catch((error: Error) => {
      const logs = nodeDirs.map((n) => `--- ${n.logs}/server.log\n${tail(join(n.logs, 'server.log'), 15)}`);
      throw new Error(`${error.message}\n${logs.join('\n')}`);
    });
  };

  nodeDirs.forEach((_, i) => startNode(i));
  try {
    await describe(count);
  } catch (error) {
    killAll();
    throw error;
  } finally {
    await admin.disconnect();
  }

  const stopNode = async (index: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const node = running[index];
    if (!node) throw new Error(`no kafka node ${index}; the cluster has ${count}`);
    await node.stop(signal, 20_000);
  };
  const startBroker = async (index: number) => {
    if (index < 0 || index >= count) throw new Error(`no kafka node ${index}; the cluster has ${count}`);
    const current = running[index];
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      throw new Error(`kafka node ${index} is still running`);
    }
    startNode(index);
    // Nodes a chaos test keeps down on purpose are not waited for.
    const up = running.filter((p) => p && p.child.exitCode === null && p.child.signalCode === null).length;
    try {
      await describe(up, index);
    } finally {
      await admin.disconnect();
    }
  };

  return {
    brokers,
    metrics: metricsPorts.map((port) => `http://127.0.0.1:${port}/metrics`),
    logDir,
    stopBroker: stopNode,
    startBroker,
    async restartBroker(index, signal = 'SIGTERM') {
      await stopNode(index, signal);
      await startBroker(index);
    },
    async stop() {
      // Brokers stopping together cannot all shut down in a controlled way; after a short grace, kill.
      // One node shuts down on its own; the first node of a run without a class archive also writes it at exit.
      const dumping = !existsSync(archive);
      await Promise.all(running.map((p, i) => p?.stop('SIGTERM', count === 1 || (i === 0 && dumping) ? 30_000 : 5_000)));
      process.removeListener('exit', killAll);
      if (existsSync(archiveDump)) {
        if (existsSync(archive)) rmSync(archiveDump, { force: true });
        else renameSync(archiveDump, archive);
      }
      if (ownsDir) rmSync(root, { recursive: true, force: true });
    },
  };
}

if (require.main === module) {
  const nodes = process.argv.includes('--nodes=3') ? 3 : 1;
  const started = Date.now();
  runUntilSignal(
    () => startKafka({ nodes }),
    (kafka) => {
      console.log(`kafka ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(`KAFKA_BROKERS=${kafka.brokers.join(',')}`);
      console.log(`metrics: ${kafka.metrics.join(' ')}`);
      console.log(`logs: ${kafka.logDir}  (Ctrl-C stops)`);
    },
  );
}
