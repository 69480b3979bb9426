// The alerts a team running wolke needs, as Prometheus rule groups built from the metric names the apps export.
import type { Environment } from '../config/schema';
import { APP_METRICS as M } from '../apps/lib/metric-names';
import { SERVICE_NAMES } from './endpoints';
import { KAFKA_BROKER_METRICS } from './kafka-metrics';
import type { AlertingRule, RuleGroup } from './monitoring-kinds';

/** An alert with the runbook line the README carries for it. */
export interface Alert extends AlertingRule {
  /** What to look at and do first when it fires (the README's runbook repeats it). */
  readonly runbook: string;
}

/**
 * Series of other exporters the rules read: kube-state-metrics from the stack, Kafka's brokers (their JMX exporter
 * agent), MinIO, and Traefik from k3s.
 */
export const EXTERNAL_METRICS = {
  podRestarts: 'kube_pod_container_status_restarts_total',
  podReady: 'kube_pod_status_ready',
  podPhase: 'kube_pod_status_phase',
  hpaCurrentReplicas: 'kube_horizontalpodautoscaler_status_current_replicas',
  hpaMaxReplicas: 'kube_horizontalpodautoscaler_spec_max_replicas',
  nodeCondition: 'kube_node_status_condition',
  kafkaPartitionUnderReplicated: KAFKA_BROKER_METRICS.partitionUnderReplicated,
  kafkaOfflinePartitions: KAFKA_BROKER_METRICS.offlinePartitions,
  minioNodesOffline: 'minio_cluster_nodes_offline_total',
  minioUsableFree: 'minio_cluster_capacity_usable_free_bytes',
  minioUsableTotal: 'minio_cluster_capacity_usable_total_bytes',
  traefikCertNotAfter: 'traefik_tls_certs_not_after',
} as const;

/** Thresholds of the alerts: exported so the unit tests of the rules cross them on purpose. */
export const THRESHOLDS = {
  /** Messages behind, summed over a group's partitions, below which a growing lag is not yet worth a page. */
  consumerLag: 100,
  /** Retried attempts per second of the processors together. */
  transientFailuresPerSecond: 0.1,
  /** Share of the api's answers that are 5xx. */
  api5xxRatio: 0.05,
  /** 99th percentile of the api's answer time, in seconds. */
  apiP99Seconds: 1,
  /** Container restarts within 15 minutes. */
  restarts: 3,
  /** Share of MinIO's usable capacity still free. */
  minioFreeRatio: 0.1,
  /** Days before a TLS certificate expires. */
  certificateDays: 14,
} as const;

type Severity = 'warning' | 'critical';

/** What an alert tells the operator: its summary and description (annotations) and the runbook line of the README. */
interface AlertText {
  readonly summary: string;
  readonly description: string;
  readonly runbook: string;
}

/** An alert of a severity: fires when `expr` holds (for `for`, when given). */
function alert(name: string, severity: Severity, rule: { expr: string; for?: string }, text: AlertText): Alert {
  return {
    alert: name,
    expr: rule.expr,
    ...(rule.for === undefined ? {} : { for: rule.for }),
    labels: { severity },
    annotations: { summary: text.summary, description: text.description },
    runbook: text.runbook,
  };
}

/** The alerts of an environment, in the order the README lists them; the certificate alert only with TLS. */
export function alerts(env: Environment): Alert[] {
  const ns = `namespace="${env.apps.namespace}"`;
  // Every replica of a consumer reports the same partitions: the max per partition counts each once.
  const lagByPartition = `max by (group, topic, partition) (${M.consumerLag}{${ns}})`;
  const list: Alert[] = [
    alert('KafkaConsumerLagGrowing', 'warning', { expr: `sum by (group, topic) (${lagByPartition}) > ${THRESHOLDS.consumerLag} and sum by (group, topic) (max by (group, topic, partition) (deriv(${M.consumerLag}{${ns}}[10m]))) > 0`, for: '10m' }, {
      summary: 'Consumer group {{ $labels.group }} falls behind on {{ $labels.topic }}',
      description: 'Group {{ $labels.group }} is more than ' + THRESHOLDS.consumerLag + ' messages behind on {{ $labels.topic }} and the gap has grown for 10 minutes.',
      runbook: 'check the group\'s pods are Ready and not restarting; scale the consumer (`npx wolke scale <n> processor`, at most the topic\'s partitions) or look for a slow dependency (MinIO latency, broker health).',
    }),
    alert('ProcessorDeadLetters', 'warning', { expr: `sum by (reason) (increase(${M.processorDeadLetters}{${ns}}[15m])) > 0` }, {
      summary: 'Uploads go to the dead-letter topic ({{ $labels.reason }})',
      description: 'The processor sent uploads to minio-events.dlq with reason {{ $labels.reason }} in the last 15 minutes.',
      runbook: 'read the messages on `minio-events.dlq` (`reason`, `error`, `event`); bad inputs need nothing, a burst of one reason after a release points at the release (`npx wolke rollback processor`).',
    }),
    alert('ProcessorFailing', 'warning', { expr: `sum(rate(${M.processorTransientFailures}{${ns}}[5m])) > ${THRESHOLDS.transientFailuresPerSecond}`, for: '10m' }, {
      summary: 'The processor keeps retrying',
      description: `The processors retry more than ${THRESHOLDS.transientFailuresPerSecond} attempts a second: MinIO or Kafka is failing them.`,
      runbook: 'the processor\'s log names the failing call; check MinIO (`MinioNodesOffline`) and Kafka (`KafkaOfflinePartitions`) first.',
    }),
    alert('ProcessorStorageRefused', 'critical', { expr: `max(${M.processorStorageRefused}{${ns}}) > 0`, for: '5m' }, {
      summary: 'MinIO refuses the processor',
      description: 'MinIO answers the processor with AccessDenied, NoSuchBucket or a wrong key; no upload is processed.',
      runbook: 'the log line `MinIO refuses this app` names the code; check the `minio-processor` Secret and that the setup Job completed (it creates the user and its policy).',
    }),
    alert('ApiErrors', 'critical', { expr: `sum(rate(${M.apiRequests}{${ns}, status=~"5.."}[5m])) / sum(rate(${M.apiRequests}{${ns}}[5m])) > ${THRESHOLDS.api5xxRatio}`, for: '5m' }, {
      summary: 'The api answers with 5xx',
      description: `More than ${THRESHOLDS.api5xxRatio * 100} % of the api's answers are server errors.`,
      runbook: 'the api\'s log has the error of each 5xx; after a release roll it back (`npx wolke rollback api`), otherwise check MinIO and Kafka.',
    }),
    alert('ApiSlow', 'warning', { expr: `histogram_quantile(0.99, sum by (le) (rate(${M.apiRequestSeconds}_bucket{${ns}}[5m]))) > ${THRESHOLDS.apiP99Seconds}`, for: '10m' }, {
      summary: 'The api is slow',
      description: `The api's 99th percentile answer time is above ${THRESHOLDS.apiP99Seconds} s.`,
      runbook: 'check whether the HPA is at its maximum (`HpaAtMaximum`) and the api pods\' CPU; `/images` waits for MinIO\'s listing, so check MinIO too.',
    }),
    alert('PodRestarting', 'warning', { expr: `increase(${EXTERNAL_METRICS.podRestarts}{${ns}}[15m]) >= ${THRESHOLDS.restarts}` }, {
      summary: 'Pod {{ $labels.pod }} keeps restarting',
      description: `Container {{ $labels.container }} of pod {{ $labels.pod }} restarted at least ${THRESHOLDS.restarts} times in 15 minutes.`,
      runbook: '`kubectl -n <namespace> logs <pod> --previous` shows why the last run ended; `kubectl describe pod` shows OOMKilled or failing probes.',
    }),
    alert('PodNotReady', 'warning', { expr: `sum by (namespace, pod) (${EXTERNAL_METRICS.podPhase}{${ns}, phase=~"Pending|Unknown|Failed"}) > 0 or sum by (namespace, pod) (${EXTERNAL_METRICS.podReady}{${ns}, condition="false"}) * on (namespace, pod) sum by (namespace, pod) (${EXTERNAL_METRICS.podPhase}{${ns}, phase="Running"}) > 0`, for: '15m' }, {
      summary: 'Pod {{ $labels.pod }} is not ready',
      description: 'Pod {{ $labels.pod }} has been pending, failed or running unready for 15 minutes.',
      runbook: '`kubectl -n <namespace> describe pod <pod>`: FailedScheduling (no agent has room: see README, Sizing), a failing readiness probe (the app\'s log says what it waits for) or an image that cannot be pulled.',
    }),
    alert('HpaAtMaximum', 'warning', { expr: `max by (namespace, horizontalpodautoscaler) (${EXTERNAL_METRICS.hpaCurrentReplicas}{${ns}}) >= max by (namespace, horizontalpodautoscaler) (${EXTERNAL_METRICS.hpaMaxReplicas}{${ns}})`, for: '15m' }, {
      summary: 'HPA {{ $labels.horizontalpodautoscaler }} is at its maximum',
      description: 'HPA {{ $labels.horizontalpodautoscaler }} has run at maxReplicas for 15 minutes and cannot add capacity.',
      runbook: 'raise `apps.api.maxReplicas` in the model (the capacity rule checks the agents can hold it) and deploy, or find what makes each request expensive.',
    }),
    // Only a partition's leader reports it, so the sum over the brokers counts each partition once.
    alert('KafkaUnderReplicatedPartitions', 'warning', { expr: `sum by (topic) (${EXTERNAL_METRICS.kafkaPartitionUnderReplicated}{${ns}}) > 0`, for: '10m' }, {
      summary: 'Topic {{ $labels.topic }} has under-replicated partitions',
      description: 'Partitions of {{ $labels.topic }} have fewer in-sync replicas than replicas; a broker is down or slow.',
      runbook: 'find the broker that is not Ready (`kubectl -n <namespace> get pods -l app.kubernetes.io/name=kafka`) and its log; do not drain or roll another node until it clears.',
    }),
    // Every KRaft controller reports the whole cluster's count.
    alert('KafkaOfflinePartitions', 'critical', { expr: `max(${EXTERNAL_METRICS.kafkaOfflinePartitions}{${ns}}) > 0`, for: '1m' }, {
      summary: 'Kafka has partitions without a leader',
      description: 'The KRaft controllers count partitions without a leader: reads and writes to them fail.',
      runbook: 'more brokers are down than the replication allows; bring them back (their pods, volumes and nodes) before anything else. The processor\'s `kafka_topic_offline_partitions{topic}` names the topics.',
    }),
    alert('MinioNodesOffline', 'critical', { expr: `max(${EXTERNAL_METRICS.minioNodesOffline}{${ns}}) > 0`, for: '5m' }, {
      summary: 'MinIO nodes are offline',
      description: 'MinIO reports nodes of its cluster offline; with fewer than half, uploads and renditions fail.',
      runbook: '`kubectl -n <namespace> get pods -l app.kubernetes.io/name=minio`; a pod that is not Ready has its reason in its log, a lost volume heals from the other drives once the pod runs again.',
    }),
    // A PodMonitor's targets carry job="<namespace>/<PodMonitor name>".
    alert('MinioDown', 'critical', { expr: `absent(up{${ns}, job="${env.apps.namespace}/${SERVICE_NAMES.minio}"} == 1)`, for: '5m' }, {
      summary: 'No MinIO answers',
      description: 'Prometheus has reached no MinIO pod for 5 minutes.',
      runbook: 'check the MinIO pods and the `minio` NetworkPolicy; every upload and rendition waits meanwhile.',
    }),
    alert('MinioDiskLow', 'warning', { expr: `min(${EXTERNAL_METRICS.minioUsableFree}{${ns}} / ${EXTERNAL_METRICS.minioUsableTotal}{${ns}}) < ${THRESHOLDS.minioFreeRatio}`, for: '15m' }, {
      summary: 'MinIO is short of disk',
      description: `Less than ${THRESHOLDS.minioFreeRatio * 100} % of MinIO's usable capacity is free.`,
      runbook: 'delete what is no longer needed from `processed` or grow the volumes (README: a storage size change needs the claims expanded by hand).',
    }),
    alert('NodeNotReady', 'critical', { expr: `${EXTERNAL_METRICS.nodeCondition}{condition="Ready", status="true"} == 0`, for: '5m' }, {
      summary: 'Node {{ $labels.node }} is not ready',
      description: 'Node {{ $labels.node }} has not been Ready for 5 minutes; its pods are being moved.',
      runbook: 'check the server in OpenStack (`openstack server show`) and k3s on it (`journalctl -u k3s-agent`); a node that does not come back is replaced by a deploy.',
    }),
  ];
  if (env.apps.ingress.tlsSecret !== undefined) {
    list.push(alert('CertificateExpiring', 'warning', { expr: `min by (cn) (${EXTERNAL_METRICS.traefikCertNotAfter}) - time() < ${THRESHOLDS.certificateDays} * 86400`, for: '1h' }, {
      summary: 'The TLS certificate {{ $labels.cn }} expires soon',
      description: `The certificate Traefik serves for {{ $labels.cn }} expires in less than ${THRESHOLDS.certificateDays} days.`,
      runbook: 'renew the certificate in the Secret that `apps.ingress.tlsSecret` names (Traefik picks it up without a restart).',
    }));
  }
  // Every alert names the environment's namespace, even one summed over it or about a node: the operator routes an
  // AlertmanagerConfig only the alerts labelled with its own namespace.
  return list.map((a) => ({ ...a, labels: { ...a.labels, namespace: env.apps.namespace } }));
}

/** The rule groups of the PrometheusRule: the alerts without their runbook field. */
export function ruleGroups(env: Environment): RuleGroup[] {
  return [{ name: 'wolke', rules: alerts(env).map(({ runbook: _runbook, ...rule }) => rule) }];
}
