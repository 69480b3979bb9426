// One wolke app as a Deployment: hardened pod, probes on the ops port, spread over the agents, a PDB, optionally a Service.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import {
  APP_USER,
  OPS_PORT,
  containerSecurityContext,
  httpProbe,
  imageRef,
  podLabels,
  podSecurityContext,
  resources,
  scratchDirectories,
  selectorLabels,
  workerPlacement,
  type ResourceProfile,
} from './defaults';

export interface AppDeploymentProps {
  /** The environment the app belongs to. */
  readonly env: Environment;
  /** Name of the Deployment, its pods' name label and its Service. */
  readonly name: string;
  /** Image and version from the model. */
  readonly image: { image: string; version: string };
  /** Fixed replica count; leave undefined when an HPA owns the count. */
  readonly replicas?: number;
  /** The HPA's minReplicas when an HPA owns the count: the fewest pods the disruption budget may count on. */
  readonly minReplicas?: number;
  /** Environment variables of the container (plain values or secret references). */
  readonly variables: k8s.EnvVar[];
  /** CPU and memory of the container. */
  readonly resources: ResourceProfile;
  /** Expose the ops port as a ClusterIP Service on port 80. @default false */
  readonly service?: boolean;
}

/**
 * The disruption budget of a Deployment that runs at least `replicas` pods. With two or more, a drain may evict one
 * at a time. With one, eviction is refused (minAvailable 1): evicting the only pod would leave none until its
 * replacement starts. A drain moves such a Deployment first with a rollout (maxSurge 1, maxUnavailable 0: the new
 * pod is Ready on another node before the old one stops), which the budget does not block; see the k3s_upgrade
 * role's drain.yml.
 */
function disruptionBudget(replicas: number): Pick<k8s.PodDisruptionBudgetSpec, 'maxUnavailable' | 'minAvailable'> {
  return replicas >= 2 ? { maxUnavailable: k8s.IntOrString.fromNumber(1) } : { minAvailable: k8s.IntOrString.fromNumber(1) };
}

/** A Deployment (plus PodDisruptionBudget and optional Service) running one wolke app image. */
export class AppDeployment extends Construct {
  /** Name of the Deployment. */
  public readonly name: string;
  /** Name of the Service, when there is one. */
  public readonly serviceName?: string;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    const { env, name } = props;
    this.name = name;
    const scratch = scratchDirectories({ tmp: '/tmp' });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name },
      spec: {
        replicas: props.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(name) },
        strategy: {
          type: 'RollingUpdate',
          // Start the new pod before stopping an old one: capacity never drops during a release.
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) },
        },
        template: {
          metadata: { labels: podLabels(env, name) },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(APP_USER),
            terminationGracePeriodSeconds: 30,
            ...workerPlacement(name),
            containers: [
              {
                name,
                image: imageRef(props.image),
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: OPS_PORT, protocol: 'TCP' }],
                env: props.variables,
                readinessProbe: httpProbe('/readyz', OPS_PORT, 3),
                livenessProbe: httpProbe('/healthz', OPS_PORT, 6),
                resources: resources(props.resources),
                securityContext: containerSecurityContext(APP_USER),
                volumeMounts: scratch.mounts,
              },
            ],
            volumes: scratch.volumes,
          },
        },
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name },
      spec: { ...disruptionBudget(props.replicas ?? props.minReplicas ?? 1), selector: { matchLabels: selectorLabels(name) } },
    });

    if (props.service === true) {
      this.serviceName = name;
      new k8s.KubeService(this, 'service', {
        metadata: { name },
        spec: {
          type: 'ClusterIP',
          selector: selectorLabels(name),
          ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
        },
      });
    }
  }
}
