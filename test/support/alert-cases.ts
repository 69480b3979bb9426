// promtool unit-test cases of wolke's alerts: for every alert one series that makes it fire and one that keeps it quiet.
import { EXTERNAL_METRICS as X, THRESHOLDS } from '../../charts/alert-rules';
import { APP_METRICS as M } from '../../apps/lib/metric-names';

/** One promtool test: input series (1 minute apart), an evaluation time and whether the alert fires then. */
export interface AlertCase {
  readonly alert: string;
  /** What the series show, for the test's name and promtool's failure message. */
  readonly story: string;
  readonly series: readonly { readonly series: string; readonly values: string }[];
  /** Minutes after the first sample. */
  readonly evalMinutes: number;
  /** Labels of the firing alert besides severity; undefined for a case that must stay quiet. */
  readonly fires?: Record<string, string>;
}

/** Labels of a series as PromQL writes them. */
const sel = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

/** The cases for an environment whose apps run in `namespace`. */
export function alertCases(namespace: string): AlertCase[] {
  const ns = { namespace };
  const lag = (pod: string) => `${M.consumerLag}${sel({ ...ns, pod, group: 'processor', topic: 'minio-events', partition: '0' })}`;
  const requests = (status: string) => `${M.apiRequests}${sel({ ...ns, pod: 'api-1', method: 'GET', route: '/sensors', status })}`;
  const bucket = (le: string) => `${M.apiRequestSeconds}_bucket${sel({ ...ns, pod: 'api-1', method: 'GET', route: '/images', le })}`;
  const phase = (p: string) => `${X.podPhase}${sel({ ...ns, pod: 'api-1', phase: p })}`;
  const ready = (condition: string) => `${X.podReady}${sel({ ...ns, pod: 'api-1', condition })}`;
  const hpa = { ...ns, horizontalpodautoscaler: 'api' };
  const minioJob = { ...ns, job: `${namespace}/minio` };
  const node = { node: 'wolke-example-agent-0', condition: 'Ready', status: 'true' };
  const days = (n: number) => String(n * 86_400);
  return [
    {
      alert: 'KafkaConsumerLagGrowing',
      story: 'two processors report a lag that grows by 10 a minute',
      series: [
        { series: lag('processor-a'), values: '0+10x40' },
        { series: lag('processor-b'), values: '0+10x40' },
      ],
      evalMinutes: 30,
      fires: { group: 'processor', topic: 'minio-events' },
    },
    {
      alert: 'KafkaConsumerLagGrowing',
      story: `a lag above ${THRESHOLDS.consumerLag} that holds steady`,
      series: [{ series: lag('processor-a'), values: '500x40' }],
      evalMinutes: 30,
    },
    {
      alert: 'ProcessorDeadLetters',
      story: 'one upload dead-lettered as corrupt',
      series: [{ series: `${M.processorDeadLetters}${sel({ ...ns, pod: 'processor-a', reason: 'corrupt' })}`, values: '0 0 0 1x10' }],
      evalMinutes: 6,
      fires: { reason: 'corrupt' },
    },
    {
      alert: 'ProcessorDeadLetters',
      story: 'no dead letters (every reason exported as 0)',
      series: [{ series: `${M.processorDeadLetters}${sel({ ...ns, pod: 'processor-a', reason: 'corrupt' })}`, values: '0x20' }],
      evalMinutes: 15,
    },
    {
      alert: 'ProcessorFailing',
      story: '0.2 retries a second for 20 minutes',
      series: [{ series: `${M.processorTransientFailures}${sel({ ...ns, pod: 'processor-a' })}`, values: '0+12x30' }],
      evalMinutes: 20,
      fires: {},
    },
    {
      alert: 'ProcessorFailing',
      story: '0.05 retries a second',
      series: [{ series: `${M.processorTransientFailures}${sel({ ...ns, pod: 'processor-a' })}`, values: '0+3x30' }],
      evalMinutes: 20,
    },
    {
      alert: 'ProcessorStorageRefused',
      story: 'MinIO refuses the processor for 10 minutes',
      series: [{ series: `${M.processorStorageRefused}${sel({ ...ns, pod: 'processor-a' })}`, values: '1x20' }],
      evalMinutes: 10,
      fires: {},
    },
    {
      alert: 'ProcessorStorageRefused',
      story: 'a refusal of 3 minutes that cleared',
      series: [{ series: `${M.processorStorageRefused}${sel({ ...ns, pod: 'processor-a' })}`, values: '1 1 1 0x17' }],
      evalMinutes: 10,
    },
    {
      alert: 'ApiErrors',
      story: '60 of 660 answers a minute are 500s',
      series: [
        { series: requests('500'), values: '0+60x30' },
        { series: requests('200'), values: '0+600x30' },
      ],
      evalMinutes: 15,
      fires: {},
    },
    {
      alert: 'ApiErrors',
      story: '6 of 606 answers a minute are 500s',
      series: [
        { series: requests('500'), values: '0+6x30' },
        { series: requests('200'), values: '0+600x30' },
      ],
      evalMinutes: 15,
    },
    {
      alert: 'ApiSlow',
      story: 'every answer takes between 1 and 2.5 s',
      series: [
        { series: bucket('0.5'), values: '0x30' },
        { series: bucket('1'), values: '0x30' },
        { series: bucket('2.5'), values: '0+10x30' },
        { series: bucket('+Inf'), values: '0+10x30' },
      ],
      evalMinutes: 20,
      fires: {},
    },
    {
      alert: 'ApiSlow',
      story: 'every answer within 0.5 s',
      series: [
        { series: bucket('0.5'), values: '0+10x30' },
        { series: bucket('1'), values: '0+10x30' },
        { series: bucket('2.5'), values: '0+10x30' },
        { series: bucket('+Inf'), values: '0+10x30' },
      ],
      evalMinutes: 20,
    },
    {
      alert: 'PodRestarting',
      story: 'a container restarting every minute',
      series: [{ series: `${X.podRestarts}${sel({ ...ns, pod: 'processor-a', container: 'processor' })}`, values: '0+1x10' }],
      evalMinutes: 6,
      fires: { namespace, pod: 'processor-a', container: 'processor' },
    },
    {
      alert: 'PodRestarting',
      story: 'one restart',
      series: [{ series: `${X.podRestarts}${sel({ ...ns, pod: 'processor-a', container: 'processor' })}`, values: '0 0 1x8' }],
      evalMinutes: 6,
    },
    {
      alert: 'PodNotReady',
      story: 'a pod pending for 20 minutes',
      series: [{ series: phase('Pending'), values: '1x30' }],
      evalMinutes: 20,
      fires: { namespace, pod: 'api-1' },
    },
    {
      alert: 'PodNotReady',
      story: 'a pod running unready for 20 minutes',
      series: [
        { series: phase('Running'), values: '1x30' },
        { series: ready('false'), values: '1x30' },
      ],
      evalMinutes: 20,
      fires: { namespace, pod: 'api-1' },
    },
    {
      alert: 'PodNotReady',
      story: 'a pod running and ready',
      series: [
        { series: phase('Pending'), values: '0x30' },
        { series: phase('Running'), values: '1x30' },
        { series: ready('false'), values: '0x30' },
      ],
      evalMinutes: 20,
    },
    {
      alert: 'HpaAtMaximum',
      story: 'the api at 6 of 6 replicas for 20 minutes',
      series: [
        { series: `${X.hpaCurrentReplicas}${sel(hpa)}`, values: '6x30' },
        { series: `${X.hpaMaxReplicas}${sel(hpa)}`, values: '6x30' },
      ],
      evalMinutes: 20,
      fires: hpa,
    },
    {
      alert: 'HpaAtMaximum',
      story: 'the api at 4 of 6 replicas',
      series: [
        { series: `${X.hpaCurrentReplicas}${sel(hpa)}`, values: '4x30' },
        { series: `${X.hpaMaxReplicas}${sel(hpa)}`, values: '6x30' },
      ],
      evalMinutes: 20,
    },
    {
      alert: 'KafkaUnderReplicatedPartitions',
      story: 'two partitions of events out of sync, each reported by its leader (the followers report 0)',
      series: [
        { series: `${X.kafkaPartitionUnderReplicated}${sel({ ...ns, pod: 'kafka-0', topic: 'events', partition: '0' })}`, values: '1x20' },
        { series: `${X.kafkaPartitionUnderReplicated}${sel({ ...ns, pod: 'kafka-1', topic: 'events', partition: '1' })}`, values: '1x20' },
        { series: `${X.kafkaPartitionUnderReplicated}${sel({ ...ns, pod: 'kafka-1', topic: 'events', partition: '2' })}`, values: '0x20' },
      ],
      evalMinutes: 15,
      fires: { topic: 'events' },
    },
    {
      alert: 'KafkaUnderReplicatedPartitions',
      story: 'every partition in sync',
      series: [
        { series: `${X.kafkaPartitionUnderReplicated}${sel({ ...ns, pod: 'kafka-0', topic: 'events', partition: '0' })}`, values: '0x20' },
        { series: `${X.kafkaPartitionUnderReplicated}${sel({ ...ns, pod: 'kafka-1', topic: 'events', partition: '1' })}`, values: '0x20' },
      ],
      evalMinutes: 15,
    },
    {
      alert: 'KafkaOfflinePartitions',
      story: 'the controllers count a partition without a leader',
      series: [
        { series: `${X.kafkaOfflinePartitions}${sel({ ...ns, pod: 'kafka-0' })}`, values: '1x5' },
        { series: `${X.kafkaOfflinePartitions}${sel({ ...ns, pod: 'kafka-2' })}`, values: '1x5' },
      ],
      evalMinutes: 3,
      fires: {},
    },
    {
      alert: 'KafkaOfflinePartitions',
      story: 'every partition led',
      series: [{ series: `${X.kafkaOfflinePartitions}${sel({ ...ns, pod: 'kafka-0' })}`, values: '0x5' }],
      evalMinutes: 3,
    },
    {
      alert: 'MinioNodesOffline',
      story: 'one MinIO node offline for 8 minutes',
      series: [{ series: `${X.minioNodesOffline}${sel({ ...ns, pod: 'minio-0' })}`, values: '1x10' }],
      evalMinutes: 8,
      fires: {},
    },
    {
      alert: 'MinioNodesOffline',
      story: 'every MinIO node online',
      series: [{ series: `${X.minioNodesOffline}${sel({ ...ns, pod: 'minio-0' })}`, values: '0x10' }],
      evalMinutes: 8,
    },
    {
      alert: 'MinioDown',
      story: 'the only MinIO target fails its scrapes',
      series: [{ series: `up${sel({ ...minioJob, pod: 'minio-0' })}`, values: '0x10' }],
      evalMinutes: 8,
      // absent() of a comparison carries no labels of the selector.
      fires: {},
    },
    {
      alert: 'MinioDown',
      story: 'one of two MinIO targets down',
      series: [
        { series: `up${sel({ ...minioJob, pod: 'minio-0' })}`, values: '0x10' },
        { series: `up${sel({ ...minioJob, pod: 'minio-1' })}`, values: '1x10' },
      ],
      evalMinutes: 8,
    },
    {
      alert: 'MinioDiskLow',
      story: '5 % of the usable capacity free',
      series: [
        { series: `${X.minioUsableFree}${sel({ ...ns, pod: 'minio-0' })}`, values: '5x30' },
        { series: `${X.minioUsableTotal}${sel({ ...ns, pod: 'minio-0' })}`, values: '100x30' },
      ],
      evalMinutes: 20,
      fires: {},
    },
    {
      alert: 'MinioDiskLow',
      story: 'half the usable capacity free',
      series: [
        { series: `${X.minioUsableFree}${sel({ ...ns, pod: 'minio-0' })}`, values: '50x30' },
        { series: `${X.minioUsableTotal}${sel({ ...ns, pod: 'minio-0' })}`, values: '100x30' },
      ],
      evalMinutes: 20,
    },
    {
      alert: 'NodeNotReady',
      story: 'an agent not ready for 8 minutes',
      series: [{ series: `${X.nodeCondition}${sel(node)}`, values: '0x10' }],
      evalMinutes: 8,
      fires: node,
    },
    {
      alert: 'NodeNotReady',
      story: 'every node ready',
      series: [{ series: `${X.nodeCondition}${sel(node)}`, values: '1x10' }],
      evalMinutes: 8,
    },
    {
      alert: 'CertificateExpiring',
      story: 'a certificate valid for 10 more days',
      series: [{ series: `${X.traefikCertNotAfter}${sel({ cn: 'wolke.example.com', serial: '1', sans: 'wolke.example.com' })}`, values: `${days(10)}x120` }],
      evalMinutes: 90,
      fires: { cn: 'wolke.example.com' },
    },
    {
      alert: 'CertificateExpiring',
      story: 'a certificate valid for 30 more days',
      series: [{ series: `${X.traefikCertNotAfter}${sel({ cn: 'wolke.example.com', serial: '1', sans: 'wolke.example.com' })}`, values: `${days(30)}x120` }],
      evalMinutes: 90,
    },
  ];
}
