// The report over the lake: a CronJob that runs the report job on the model's engine and schedule.
import { Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import {
  APP_USER,
  RESOURCES,
  WORKER_SELECTOR,
  containerSecurityContext,
  imageRef,
  podLabels,
  podSecurityContext,
  resources,
  scratchDirectories,
} from './defaults';
import { reportEnv } from './app-env';

/** Pods of the report carry this name; the network policy of `report` lets them reach MinIO only. */
export const REPORT_NAME = 'report';

/** The image and container size of the model's engine: DuckDB's small Node.js image, or Spark's with Java. */
export function reportProfile(env: Environment) {
  return env.apps.report.engine === 'spark'
    ? { image: env.apps.images['report-spark'], resources: RESOURCES['report-spark'] }
    : { image: env.apps.images.report, resources: RESOURCES.report };
}

export interface ReportChartProps extends ChartProps {
  /** The environment: apps.report (engine, schedule, days), the report images and the lake bucket. */
  readonly env: Environment;
}

/**
 * The CronJob. One run at a time (a slow run is not overlapped by the next), a run that misses its slot by more than
 * ten minutes is skipped (the next one reports the same days again), and a run ends within 50 minutes.
 */
export class ReportChart extends Chart {
  constructor(scope: Construct, id: string, props: ReportChartProps) {
    super(scope, id, props);
    const { env } = props;
    const profile = reportProfile(env);
    const scratch = scratchDirectories({ tmp: '/tmp' });
    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: REPORT_NAME },
      spec: {
        schedule: env.apps.report.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3000,
            template: {
              metadata: { labels: podLabels(env, REPORT_NAME) },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurityContext(APP_USER),
                nodeSelector: { ...WORKER_SELECTOR },
                containers: [
                  {
                    name: REPORT_NAME,
                    image: imageRef(profile.image),
                    imagePullPolicy: 'IfNotPresent',
                    env: reportEnv(env),
                    resources: resources(profile.resources),
                    securityContext: containerSecurityContext(APP_USER),
                    volumeMounts: scratch.mounts,
                  },
                ],
                volumes: scratch.volumes,
              },
            },
          },
        },
      },
    });
  }
}
