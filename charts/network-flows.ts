// The traffic matrix of the namespace: every connection a workload needs, and nothing else.
import type { Environment } from '../config/schema';
import { OPS_PORT } from './defaults';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT, MINIO_API_PORT } from './endpoints';

/** The k3s-bundled Traefik, which lives in kube-system, outside our namespace. */
export const TRAEFIK = 'traefik';

/** Prometheus of the monitoring stack, which lives in the monitoring namespace. */
export const PROMETHEUS = 'prometheus';

/** Peers outside the namespace. */
const outside: ReadonlySet<string> = new Set([TRAEFIK, PROMETHEUS]);

/** The apps that serve /metrics on OPS_PORT. */
export const METRICS_APPS = ['api', 'web', 'processor', 'producer', 'aggregator', 'detector', 'lake-sink'] as const;

/** One allowed connection: pods named `from` may open TCP connections to pods named `to` on these ports. */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly number[];
}

/** Every flow wolke needs; `setup` is the setup job, `traefik` the ingress controller. */
export function networkFlows(env: Environment): Flow[] {
  const kafka = [KAFKA_CLIENT_PORT];
  const minio = [MINIO_API_PORT];
  const flows: Flow[] = [
    { from: TRAEFIK, to: 'web', ports: [OPS_PORT] },
    { from: TRAEFIK, to: 'api', ports: [OPS_PORT] },
    { from: 'api', to: 'kafka', ports: kafka },
    { from: 'api', to: 'minio', ports: minio },
    { from: 'processor', to: 'kafka', ports: kafka },
    { from: 'processor', to: 'minio', ports: minio },
    { from: 'aggregator', to: 'kafka', ports: kafka },
    { from: 'detector', to: 'kafka', ports: kafka },
    { from: 'lake-sink', to: 'kafka', ports: kafka },
    { from: 'lake-sink', to: 'minio', ports: minio },
    { from: 'producer', to: 'kafka', ports: kafka },
    // Bucket notifications: MinIO produces to minio-events.
    { from: 'minio', to: 'kafka', ports: kafka },
    // Distributed MinIO nodes talk to each other on the S3 port.
    { from: 'minio', to: 'minio', ports: minio },
    // Replication on the client listener, the KRaft quorum on the controller listener.
    { from: 'kafka', to: 'kafka', ports: [KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT] },
    { from: 'setup', to: 'kafka', ports: kafka },
    { from: 'setup', to: 'minio', ports: minio },
  ];
  if (env.apps.loadgen.enabled) flows.push({ from: 'loadgen', to: 'api', ports: [OPS_PORT] });
  if (env.monitoring.enabled) {
    for (const app of METRICS_APPS) flows.push({ from: PROMETHEUS, to: app, ports: [OPS_PORT] });
    flows.push({ from: PROMETHEUS, to: 'minio', ports: minio });
    flows.push({ from: PROMETHEUS, to: 'kafka', ports: [KAFKA_METRICS_PORT] });
  }
  return flows;
}

/** Workloads in the namespace that appear in the flows (Traefik and Prometheus are outside it). */
export function namespaceWorkloads(flows: readonly Flow[]): string[] {
  return [...new Set(flows.flatMap((f) => [f.from, f.to]))].filter((w) => !outside.has(w)).sort();
}
