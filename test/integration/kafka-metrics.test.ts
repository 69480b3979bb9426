// The Kafka alerts read series that real brokers serve: a real Prometheus scrapes the JMX exporter agent of each node of
// the 3-node test bed (the agent and its configuration the Kafka image carries) with wolke's rules loaded, finds every
// series of charts/kafka-metrics.ts under its name, and, with a broker stopped, sees KafkaUnderReplicatedPartitions and
// KafkaOfflinePartitions match the topics that broker took down with it; they go quiet again once it is back.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { alerts } from '../../charts/alert-rules';
import { KAFKA_BROKER_METRICS } from '../../charts/kafka-metrics';
import { manifestsYaml } from '../../charts/manifests';
import { startKafka, type KafkaTestbed } from '../../testbed/kafka';
import { freePort } from '../../testbed/ports';
import { eventually } from '../../testbed/pipeline-prometheus';
import { supervise, tail, type Supervised } from '../../testbed/process';
import { createRunDir } from '../../testbed/run-dir';
import { environment, withMonitoring } from '../support/environments';
import { prometheusTools } from '../support/prometheus-tools';

const repoRoot = resolve(__dirname, '..', '..');
const env = environment((raw) => withMonitoring(raw));
const ns = env.apps.namespace;

let kafka: KafkaTestbed | undefined;
let prometheus: Supervised | undefined;
afterAll(async () => {
  await prometheus?.stop();
  await kafka?.stop();
}, 60_000);

describe('Kafka broker metrics scraped by Prometheus', () => {
  it('finds every series the alerts and dashboards read, and the partition alerts match a stopped broker', async () => {
    const { prometheus: binary } = prometheusTools();
    const dir = createRunDir(resolve(repoRoot, 'test-output', 'kafka-metrics'));
    const started = Date.now();
    kafka = await startKafka({ nodes: 3, dir: resolve(dir, 'kafka') });
    console.log(`3-node kafka with exporter agents ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Labelled as the Kafka PodMonitor's targets are in the cluster (job <namespace>/<monitor>, namespace, pod).
    mkdirSync(resolve(dir, 'prometheus'), { recursive: true });
    const rule = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS()).find((d) => d.kind === 'PrometheusRule');
    writeFileSync(resolve(dir, 'prometheus', 'rules.yaml'), stringify(rule.spec));
    writeFileSync(
      resolve(dir, 'prometheus', 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '2s', evaluation_interval: '2s' },
        rule_files: ['rules.yaml'],
        scrape_configs: [
          {
            job_name: `${ns}/kafka`,
            static_configs: kafka.metrics.map((url, i) => ({ targets: [new URL(url).host], labels: { namespace: ns, pod: `kafka-${i}` } })),
          },
        ],
      }),
    );
    const port = await freePort();
    prometheus = supervise(
      binary,
      [
        `--config.file=${resolve(dir, 'prometheus', 'prometheus.yml')}`,
        `--storage.tsdb.path=${resolve(dir, 'prometheus', 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { logFile: resolve(dir, 'prometheus.log') },
    );
    const api = `http://127.0.0.1:${port}/api/v1`;
    const query = async (promql: string) => {
      const body = (await (await fetch(`${api}/query?query=${encodeURIComponent(promql)}`)).json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
      return body.data.result;
    };
    await eventually(`prometheus ready (${tail(prometheus.logFile)})`, async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined), 60);

    // `replicated` has a copy on every broker; `single` lives on node 3 (index 2) only.
    const client = new Kafka({ clientId: 'kafka-metrics-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'replicated', numPartitions: 3, replicationFactor: 3 },
        { topic: 'single', replicaAssignment: [{ partition: 0, replicas: [3] }] },
      ],
    });
    await admin.disconnect();
    const producer = client.producer();
    await producer.connect();
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 6}`, value: `reading ${i}` }));
    await producer.send({ topic: 'replicated', acks: -1, messages });
    await producer.send({ topic: 'single', acks: -1, messages });
    await producer.disconnect();
    const consumer = client.consumer({ groupId: 'kafka-metrics-test' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'replicated', fromBeginning: true });
    let consumed = 0;
    await consumer.run({ eachMessage: async () => void consumed++ });
    await eventually('the replicated topic consumed', async () => (consumed >= messages.length ? true : undefined), 60);
    await consumer.disconnect();

    // Every series of charts/kafka-metrics.ts has data under its name; the per-topic counters add up per topic.
    await eventually('all three brokers scraped', async () => ((await query(`up{job="${ns}/kafka"} == 1`)).length === 3 ? true : undefined), 60);
    for (const name of Object.values(KAFKA_BROKER_METRICS)) {
      await eventually(`data for ${name}`, async () => ((await query(`${name}{namespace="${ns}"}`)).length > 0 ? true : undefined), 60);
    }
    const messagesIn = await eventually('messages in per topic', async () => {
      const result = await query(`sum by (topic) (${KAFKA_BROKER_METRICS.messagesIn}{topic=~"replicated|single"})`);
      return result.length === 2 && result.every((r) => Number(r.value[1]) === messages.length) ? result : undefined;
    }, 60);
    expect(messagesIn.map((r) => r.metric.topic).sort()).toEqual(['replicated', 'single']);
    expect(Number((await query(`sum(${KAFKA_BROKER_METRICS.bytesIn}{topic="replicated"})`))[0]!.value[1])).toBeGreaterThan(0);
    expect(await query(`sum(${KAFKA_BROKER_METRICS.activeController})`)).toMatchObject([{ value: [expect.any(Number), '1'] }]);

    const exprOf = (name: string) => alerts(env).find((a) => a.alert === name)!.expr;
    const underReplicated = exprOf('KafkaUnderReplicatedPartitions');
    const offline = exprOf('KafkaOfflinePartitions');
    expect(await query(underReplicated)).toEqual([]);
    expect(await query(offline)).toEqual([]);

    // Node 3 down: the other leaders report their partitions under-replicated, the controllers count `single` offline.
    await kafka.stopBroker(2, 'SIGKILL');
    // Every topic with a copy on node 3 and a leader elsewhere: `replicated` and the group offsets the consumer wrote.
    const topics = await eventually('KafkaUnderReplicatedPartitions to match', async () => {
      const result = (await query(underReplicated)).map((r) => r.metric.topic!).sort();
      return result.length === 2 ? result : undefined;
    }, 120);
    expect(topics).toEqual(['__consumer_offsets', 'replicated']);
    const count = await eventually('KafkaOfflinePartitions to match', async () => {
      const result = await query(offline);
      return result.length > 0 ? Number(result[0]!.value[1]) : undefined;
    }, 120);
    expect(count).toBe(1);
    const active = await eventually('both alerts pending or firing', async () => {
      const body = (await (await fetch(`${api}/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
      const names = body.data.alerts.map((a) => a.labels.alertname);
      const count = (name: string) => names.filter((n) => n === name).length;
      return count('KafkaUnderReplicatedPartitions') === 2 && count('KafkaOfflinePartitions') === 1 ? body.data.alerts : undefined;
    }, 60);
    const topicsAlerted = active.filter((a) => a.labels.alertname === 'KafkaUnderReplicatedPartitions').map((a) => a.labels.topic).sort();
    expect(topicsAlerted).toEqual(['__consumer_offsets', 'replicated']);
    expect(active.find((a) => a.labels.alertname === 'KafkaOfflinePartitions')!.labels.severity).toBe('critical');

    // Back up: the replicas catch up and the partition has its leader again, so both go quiet.
    await kafka.startBroker(2);
    await eventually('both alerts quiet again', async () => ((await query(underReplicated)).length === 0 && (await query(offline)).length === 0 ? true : undefined), 180);
  }, 600_000);
});
