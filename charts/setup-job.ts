// A Job running the idempotent setup app (topics, buckets, bucket notification) once per configuration.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
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

/** Pods of the setup job carry this name; the network policy of `setup` lets them reach Kafka and MinIO. */
export const SETUP_NAME = 'setup';

export interface SetupJobProps {
  /** The environment to set up. */
  readonly env: Environment;
  /** Environment variables of the setup app. */
  readonly variables: k8s.EnvVar[];
}

/**
 * Job names carry a hash of what they run: a Job's pod template is immutable, so a changed image or
 * variable becomes a new Job (the deploy step prunes the old one by label) instead of a failed apply.
 */
export function versionedJobName(prefix: string, image: string, variables: readonly k8s.EnvVar[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ image, variables })).digest('hex').slice(0, 8);
  return `${prefix}-${hash}`;
}

/** The Job; it retries while Kafka or MinIO are still starting and gives up after 15 minutes. */
export class SetupJob extends Construct {
  /** Name of the Job. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SetupJobProps) {
    super(scope, id);
    const image = imageRef(props.env.apps.images.setup);
    this.name = versionedJobName(SETUP_NAME, image, props.variables);
    const scratch = scratchDirectories({ tmp: '/tmp' });
    new k8s.KubeJob(this, 'job', {
      metadata: { name: this.name },
      spec: {
        backoffLimit: 12,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels: podLabels(props.env, SETUP_NAME) },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(APP_USER),
            nodeSelector: { ...WORKER_SELECTOR },
            containers: [
              {
                name: SETUP_NAME,
                image,
                imagePullPolicy: 'IfNotPresent',
                env: props.variables,
                resources: resources(RESOURCES.setup),
                securityContext: containerSecurityContext(APP_USER),
                volumeMounts: scratch.mounts,
              },
            ],
            volumes: scratch.volumes,
          },
        },
      },
    });
  }
}
