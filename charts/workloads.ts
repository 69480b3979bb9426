// The long-running pods of an environment and what each container requests: the charts size their containers from
// RESOURCES, and the model's capacity rule (config/capacity.ts) adds the same numbers up.
import type { EnvironmentFields } from '../config/schema';

/** CPU and memory of one container: requests are what the HPA's utilisation refers to. */
export interface ResourceProfile {
  /** CPU request, e.g. 100m. */
  readonly cpuRequest: string;
  /** CPU limit. */
  readonly cpuLimit: string;
  /** Memory request and limit (equal, so the pod is never OOM-killed for another's burst). */
  readonly memory: string;
}

/** Sizes of every container wolke runs. */
export const RESOURCES = {
  api: { cpuRequest: '100m', cpuLimit: '500m', memory: '256Mi' },
  web: { cpuRequest: '50m', cpuLimit: '200m', memory: '128Mi' },
  processor: { cpuRequest: '250m', cpuLimit: '1000m', memory: '1Gi' },
  producer: { cpuRequest: '50m', cpuLimit: '250m', memory: '192Mi' },
  aggregator: { cpuRequest: '50m', cpuLimit: '250m', memory: '192Mi' },
  detector: { cpuRequest: '50m', cpuLimit: '250m', memory: '192Mi' },
  // Open files hold at most ROLL_BYTES (2 MiB) of records for each of the 9 partitions it reads, as JS objects.
  'lake-sink': { cpuRequest: '50m', cpuLimit: '500m', memory: '256Mi' },
  setup: { cpuRequest: '50m', cpuLimit: '500m', memory: '192Mi' },
  // DuckDB holds a day's readings of every sensor and sorts them for the percentiles; its memory_limit follows the pod's.
  report: { cpuRequest: '100m', cpuLimit: '1000m', memory: '512Mi' },
  // Spark in local mode: a 1 GiB driver heap that runs the executors too, plus the JVM's own and Node.js.
  'report-spark': { cpuRequest: '250m', cpuLimit: '2000m', memory: '1536Mi' },
  loadgen: { cpuRequest: '200m', cpuLimit: '1000m', memory: '256Mi' },
  kafka: { cpuRequest: '250m', cpuLimit: '1000m', memory: '1536Mi' },
  minio: { cpuRequest: '250m', cpuLimit: '1000m', memory: '1Gi' },
} as const satisfies Record<string, ResourceProfile>;

/** One producer: RATE_PER_SECOND is the total rate, a second replica would double it. */
export const PRODUCER_REPLICAS = 1;
/** One aggregator pod, as the pipeline chart has always run it. */
export const AGGREGATOR_REPLICAS = 1;
/** One detector pod: a sensor's state lives with whichever member owns its partition, one suffices at these rates. */
export const DETECTOR_REPLICAS = 1;
/** One lake sink pod: a second would only split the partitions, at these rates one keeps up. */
export const LAKE_SINK_REPLICAS = 1;

/** A Deployment, StatefulSet or CronJob and how many pods of one size it runs. */
export interface WorkloadPods {
  /** Name of the workload (its pods' name label). */
  readonly name: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'CronJob';
  /** Pods it runs normally: the fixed count, or the HPA's minReplicas. */
  readonly replicas: number;
  /** Pods it may run at most: the HPA's maxReplicas where an HPA owns the count, else `replicas`. */
  readonly peakReplicas: number;
  /** Size of its one container. */
  readonly resources: ResourceProfile;
}

/**
 * Every long-running workload of an environment, as the charts deploy it. Jobs (setup, loadgen) are left out: they
 * end, have no disruption budget, and a drain evicts them without waiting for a new pod.
 */
export function workloadPods(env: Pick<EnvironmentFields, 'apps'>): WorkloadPods[] {
  const { apps } = env;
  const fixed = (name: string, kind: WorkloadPods['kind'], replicas: number, resources: ResourceProfile): WorkloadPods => ({
    name,
    kind,
    replicas,
    peakReplicas: replicas,
    resources,
  });
  return [
    fixed('kafka', 'StatefulSet', apps.kafka.replicas, RESOURCES.kafka),
    fixed('minio', 'StatefulSet', apps.minio.replicas, RESOURCES.minio),
    fixed('processor', 'Deployment', apps.processor.replicas, RESOURCES.processor),
    { name: 'api', kind: 'Deployment', replicas: apps.api.minReplicas, peakReplicas: apps.api.maxReplicas, resources: RESOURCES.api },
    fixed('web', 'Deployment', apps.web.replicas, RESOURCES.web),
    fixed('producer', 'Deployment', PRODUCER_REPLICAS, RESOURCES.producer),
    fixed('aggregator', 'Deployment', AGGREGATOR_REPLICAS, RESOURCES.aggregator),
    fixed('detector', 'Deployment', DETECTOR_REPLICAS, RESOURCES.detector),
    fixed('lake-sink', 'Deployment', LAKE_SINK_REPLICAS, RESOURCES['lake-sink']),
  ];
}

/**
 * The pods of the CronJobs: the report job's pod starts whenever its schedule says, a drain or not, so it must find
 * room beside the long-running pods. (The setup and load generator Jobs run once, at a deploy or by hand.)
 */
export function scheduledPods(env: Pick<EnvironmentFields, 'apps'>): WorkloadPods[] {
  const { report } = env.apps;
  if (!report.enabled) return [];
  const resources = report.engine === 'spark' ? RESOURCES['report-spark'] : RESOURCES.report;
  return [{ name: 'report', kind: 'CronJob', replicas: 1, peakReplicas: 1, resources }];
}
