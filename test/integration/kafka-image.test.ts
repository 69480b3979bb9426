// The broker start script and server.properties that the Kafka chart renders start a real broker on the test bed's
// jars, laid out as apps/kafka/Dockerfile lays them out in the image: a KRaft single node that kafkajs produces to and
// consumes from, that serves the exporter's metrics, and that restarts on its formatted volume. Only what cannot exist
// here is replaced: the image's paths (KAFKA_HOME, the ConfigMap mount, the volume) point into a temporary directory,
// and the pod's DNS name resolves to loopback through a hosts file for Java and a socket factory for kafkajs.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Testing } from 'cdk8s';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaChart } from '../../charts/kafka';
import { KAFKA_CONFIG_FILE } from '../../charts/kafka-config';
import { KAFKA_IMAGE_FILES } from '../../charts/kafka-image';
import { KAFKA_BROKER_METRICS as K } from '../../charts/kafka-metrics';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT, SERVICE_NAMES, statefulPodHost } from '../../charts/endpoints';
import { jmxExporterAgent } from '../../testbed/cache';
import { ensureKafkaJars } from '../../testbed/kafka';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';
import { environment } from '../support/environments';
import { parseSamples, samplesOf } from '../support/prometheus-text';

const repoRoot = resolve(__dirname, '..', '..');

// One broker: the chart's single-replica rendering (every topic then has one copy).
const env = environment((raw) => {
  raw.apps.kafka = { ...raw.apps.kafka, replicas: 1 };
  for (const topic of Object.values(raw.apps.topics) as { replication: number }[]) topic.replication = 1;
});
const objects = Testing.synth(new KafkaChart(Testing.app(), 'kafka', { env, namespace: env.apps.namespace }));
const configMap = objects.find((o) => o.kind === 'ConfigMap');
const container = objects.find((o) => o.kind === 'StatefulSet').spec.template.spec.containers[0];
const podName = `${SERVICE_NAMES.kafka}-0`;
const podHost = statefulPodHost(env, SERVICE_NAMES.kafka, SERVICE_NAMES.kafkaHeadless, 0);

/** Fails with the port's name when something on this machine already listens on it. */
async function ensureFree(port: number, what: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const server = createServer();
    server.once('error', () => fail(new Error(`port ${port} (${what}) is in use on this machine; the chart's broker listens on fixed ports`)));
    server.listen(port, () => server.close(() => done()));
  });
}

/** A KAFKA_HOME laid out like the image's: the cached jars and agent, the repository's config files. */
function imageHome(root: string): string {
  const home = join(root, 'opt-kafka');
  const place = (file: keyof typeof KAFKA_IMAGE_FILES, make: (path: string) => void) => {
    const path = join(home, KAFKA_IMAGE_FILES[file]);
    mkdirSync(dirname(path), { recursive: true });
    make(path);
  };
  place('libs', (path) => symlinkSync(ensureKafkaJars(), path));
  place('exporterAgent', (path) => symlinkSync(jmxExporterAgent(), path));
  place('exporterConfig', (path) => copyFileSync(join(repoRoot, 'apps', 'kafka', 'jmx-exporter.yaml'), path));
  place('logConfig', (path) => copyFileSync(join(repoRoot, 'apps', 'kafka', 'log4j2.yaml'), path));
  return home;
}

const root = mkdtempSync(join(tmpdir(), 'wolke-kafka-image-'));
let broker: Supervised | undefined;
afterAll(async () => {
  await broker?.stop('SIGTERM', 30_000);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe("the Kafka chart's start script on the image's layout", () => {
  it('starts a KRaft broker that kafkajs produces to and consumes from, with metrics, and restarts on its volume', async () => {
    for (const [port, what] of [[KAFKA_CLIENT_PORT, 'client'], [KAFKA_CONTROLLER_PORT, 'controller'], [KAFKA_METRICS_PORT, 'metrics']] as const) {
      await ensureFree(port, what);
    }
    const home = imageHome(root);
    const configDir = join(root, 'etc-kafka');
    const dataDir = join(root, 'data');
    mkdirSync(configDir);
    mkdirSync(dataDir);
    writeFileSync(join(configDir, KAFKA_CONFIG_FILE), configMap.data[KAFKA_CONFIG_FILE]);
    const hosts = join(root, 'hosts');
    writeFileSync(hosts, ['localhost', hostname(), podHost].map((name) => `127.0.0.1 ${name}`).join('\n') + '\n');

    const chartEnv: Record<string, string> = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const processEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...chartEnv,
      // The image's ENV, the ConfigMap's mount and the volume, here.
      KAFKA_HOME: home,
      KAFKA_CONFIG: join(configDir, KAFKA_CONFIG_FILE),
      KAFKA_DATA_DIR: dataDir,
      HOSTNAME: podName,
      JAVA_TOOL_OPTIONS: `-Djdk.net.hosts.file=${hosts}`,
    };
    expect(Object.keys(chartEnv).sort()).toEqual(['CLUSTER_ID', 'KAFKA_CONFIG', 'KAFKA_DATA_DIR', 'KAFKA_HEAP_OPTS']);
    const [command, ...args] = container.command as string[];
    const start = () => supervise(command!, args, { logFile: join(root, 'broker.log'), env: processEnv });

    const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
      const socket = connect({ host: host === podHost ? '127.0.0.1' : host, port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    };
    const kafka = new Kafka({
      clientId: 'kafka-image-test',
      brokers: [`${podHost}:${KAFKA_CLIENT_PORT}`],
      socketFactory,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 8 },
    });
    const admin = kafka.admin();
    const ready = async (what: string) => {
      await waitUntil(`${what} (log: ${join(root, 'broker.log')})`, async () => {
        await admin.connect();
        return (await admin.describeCluster()).brokers.length === 1;
      }, { attempts: 240, intervalMs: 500, alive: () => broker!.child.exitCode === null }).catch((error: Error) => {
        throw new Error(`${error.message}\n${tail(join(root, 'broker.log'), 30)}`);
      });
    };

    const started = Date.now();
    broker = start();
    await ready('the chart-rendered broker');
    console.log(`chart-rendered broker ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const cluster = await admin.describeCluster();
    // node.id from the pod's ordinal, advertised under the pod's headless DNS name.
    expect(cluster.brokers).toEqual([{ nodeId: 0, host: podHost, port: KAFKA_CLIENT_PORT }]);

    const topic = 'events';
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    const messages = Array.from({ length: 200 }, (_, i) => ({ key: `sensor-${i % 5}`, value: JSON.stringify({ i }) }));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();

    const consumeAll = async (group: string): Promise<number[]> => {
      const consumer = kafka.consumer({ groupId: group });
      const seen: number[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`consumed ${seen.length} of ${messages.length}`)), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push((JSON.parse(message.value!.toString()) as { i: number }).i);
            if (seen.length === messages.length) {
              clearTimeout(timer);
              done();
            }
          },
        });
      });
      await consumer.disconnect();
      return seen.sort((a, b) => a - b);
    };
    expect(await consumeAll('first')).toEqual(messages.map((_, i) => i));

    // The exporter agent on the port the chart declares, with the series the alerts and dashboards read.
    const samples = parseSamples(await (await fetch(`http://127.0.0.1:${KAFKA_METRICS_PORT}/metrics`)).text());
    expect(samplesOf(samples, K.messagesIn, { topic }).map((s) => s.value)).toEqual([messages.length]);
    expect(samplesOf(samples, K.bytesIn, { topic })[0]!.value).toBeGreaterThan(0);
    expect(samplesOf(samples, K.partitionUnderReplicated, { topic }).map((s) => s.labels.partition).sort()).toEqual(['0', '1', '2']);
    expect(samplesOf(samples, K.offlinePartitions).map((s) => s.value)).toEqual([0]);

    // A pod restart runs the script again: the formatted volume is kept, and so are the messages.
    await broker.stop('SIGTERM', 30_000);
    await admin.disconnect();
    broker = start();
    await ready('the restarted broker');
    expect(await consumeAll('after-restart')).toEqual(messages.map((_, i) => i));
    await admin.disconnect();
  }, 300_000);
});
