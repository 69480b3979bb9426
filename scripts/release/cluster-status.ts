// Compares what the model says (images, replicas) with the workloads running in the cluster; pure, unit-tested.
import type { Environment } from '../../config/schema';

/** The part of a Deployment or StatefulSet (`kubectl get -o json`) that status reads. */
export interface Workload {
  kind: string;
  metadata: { name: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name: string; image: string }[] } } };
  status?: { readyReplicas?: number; updatedReplicas?: number };
}

/** One row of `npm run status`. */
export interface StatusRow {
  app: string;
  /** image:version the model asks for. */
  wanted: string;
  /** Images the cluster runs, `-` when the workload is missing. */
  running: string;
  ready: string;
  /** True when the cluster runs what the model asks for. */
  current: boolean;
}

/** The workload of each model image; the setup and load generator images run as Jobs and are left out. */
const workloadOf: Record<string, string> = {
  api: 'api',
  web: 'web',
  processor: 'processor',
  producer: 'producer',
  aggregator: 'aggregator',
  detector: 'detector',
  'lake-sink': 'lake-sink',
  kafka: 'kafka',
  minio: 'minio',
};

export function compareWithModel(env: Environment, workloads: readonly Workload[]): StatusRow[] {
  return Object.entries(workloadOf).map(([app, name]) => {
    const image = env.apps.images[app as keyof Environment['apps']['images']];
    const wanted = `${image.image}:${image.version}`;
    const workload = workloads.find((w) => w.metadata.name === name);
    if (!workload) return { app, wanted, running: '-', ready: '-', current: false };
    const images = (workload.spec?.template?.spec?.containers ?? []).map((c) => c.image);
    const replicas = workload.spec?.replicas ?? 0;
    const ready = workload.status?.readyReplicas ?? 0;
    return {
      app,
      wanted,
      running: images.join(', ') || '-',
      ready: `${ready}/${replicas}`,
      current: images.includes(wanted) && ready === replicas && (workload.status?.updatedReplicas ?? replicas) === replicas,
    };
  });
}

/** The rows as an aligned text table. */
export function formatStatus(rows: readonly StatusRow[]): string {
  const table = [['APP', 'READY', 'CURRENT', 'MODEL', 'RUNNING'], ...rows.map((r) => [r.app, r.ready, r.current ? 'yes' : 'no', r.wanted, r.running])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
