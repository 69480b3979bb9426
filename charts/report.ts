// The report over the lake: a CronJob that runs the report job on the model's engine and schedule.
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import { RESOURCES } from './defaults';
import { reportEnv } from './app-env';
import { appJobSpec } from './app-job';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';

/** Pods of the report carry this name; the network policy of `report` lets them reach MinIO only. */
const REPORT_NAME = 'report';

/** The image and container size of the model's engine: DuckDB's small Node.js image, or Spark's with Java. */
function reportProfile(env: Environment) {
  return env.apps.report.engine === 'spark'
    ? { image: env.apps.images['report-spark'], resources: RESOURCES['report-spark'] }
    : { image: env.apps.images.report, resources: RESOURCES.report };
}

/**
 * The CronJob, from apps.report (engine, schedule, days), the report images and the lake bucket. One run at a time
 * (a slow run is not overlapped by the next), a run that misses its slot by more than ten minutes is skipped (the
 * next one reports the same days again), and a run ends within 50 minutes.
 */
export class ReportChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    const profile = reportProfile(env);
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
          spec: appJobSpec({
            env,
            name: REPORT_NAME,
            image: profile.image,
            variables: reportEnv(env),
            resources: profile.resources,
            backoffLimit: 2,
            activeDeadlineSeconds: 3000,
          }),
        },
      },
    });
  }
}
