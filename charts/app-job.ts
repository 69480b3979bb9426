// One wolke app run to completion: a hardened Job (or a CronJob's job template) whose name says what it runs.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { APP_USER, WORKER_SELECTOR, containerSecurityContext, imageRef, podLabels, podSecurityContext, resources, scratchDirectories, type ResourceProfile } from './defaults';

export interface AppJobProps {
  /** The environment the Job belongs to. */
  readonly env: Environment;
  /** Name of the container and its pods' name label (the network policy of that name applies to them). */
  readonly name: string;
  /** Image and version from the model. */
  readonly image: { image: string; version: string };
  /** Environment variables of the container (plain values or secret references). */
  readonly variables: k8s.EnvVar[];
  /** CPU and memory of the container. */
  readonly resources: ResourceProfile;
  /** `OnFailure` restarts the container in its pod; `Never` starts a new pod for each retry. @default 'Never' */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  /** Retries before the Job counts as failed. @default 0 */
  readonly backoffLimit?: number;
  /** Seconds after which the Job is stopped, whatever it is doing: the backstop of a run that hangs. */
  readonly activeDeadlineSeconds: number;
  /** Seconds a finished Job is kept before Kubernetes deletes it. @default kept until the deploy step prunes it */
  readonly ttlSecondsAfterFinished?: number;
}

/**
 * Job names carry a hash of what they run: a Job's pod template is immutable, so a changed image or
 * variable becomes a new Job (the deploy step prunes the old one by label) instead of a failed apply.
 */
export function versionedJobName(prefix: string, image: string, variables: readonly k8s.EnvVar[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ image, variables })).digest('hex').slice(0, 8);
  return `${prefix}-${hash}`;
}

/**
 * The spec of a Job running one app: on the agents, as the app user with a read-only root and a scratch /tmp, no
 * service account token and no service links. A CronJob uses it as its job template.
 */
export function appJobSpec(props: AppJobProps): k8s.JobSpec {
  const scratch = scratchDirectories({ tmp: '/tmp' });
  return {
    backoffLimit: props.backoffLimit ?? 0,
    activeDeadlineSeconds: props.activeDeadlineSeconds,
    ttlSecondsAfterFinished: props.ttlSecondsAfterFinished,
    template: {
      metadata: { labels: podLabels(props.env, props.name) },
      spec: {
        restartPolicy: props.restartPolicy ?? 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: podSecurityContext(APP_USER),
        nodeSelector: { ...WORKER_SELECTOR },
        containers: [
          {
            name: props.name,
            image: imageRef(props.image),
            imagePullPolicy: 'IfNotPresent',
            env: props.variables,
            resources: resources(props.resources),
            securityContext: containerSecurityContext(APP_USER),
            volumeMounts: scratch.mounts,
          },
        ],
        volumes: scratch.volumes,
      },
    },
  };
}

/** The Job, named `<name>-<hash of image and variables>` (see versionedJobName). */
export class AppJob extends Construct {
  /** Name of the Job. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AppJobProps) {
    super(scope, id);
    this.name = versionedJobName(props.name, imageRef(props.image), props.variables);
    new k8s.KubeJob(this, 'job', { metadata: { name: this.name }, spec: appJobSpec(props) });
  }
}
