// Shared defaults of every wolke workload: labels, security contexts, placement, resources and probes.
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { quantity } from './quantity';
import type { ResourceProfile } from './workloads';

/** Numeric user and group of the wolke app images (the Dockerfiles create user 10001). */
export const APP_USER = 10001;
/** Port every wolke app serves /healthz, /readyz and /metrics on (OPS_PORT); the api and web serve there too. */
export const OPS_PORT = 8080;
/** Node label Ansible puts on the k3s agents; servers are tainted and never carry it. */
export const WORKER_SELECTOR = { nodepool: 'worker' } as const;
/** Label that names a workload; selectors, network policies and anti-affinity use it. */
const NAME_LABEL = 'app.kubernetes.io/name';

/** Label that names the environment of every object; Ansible prunes and waits by it (the stack hands it the key). */
export const ENVIRONMENT_LABEL = 'wolke.dev/environment';

/** Labels on every object: Ansible prunes by the environment label. */
export function environmentLabels(env: Environment): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'wolke', [ENVIRONMENT_LABEL]: env.name };
}

/** Labels that select the pods of one workload. */
export function selectorLabels(name: string): Record<string, string> {
  return { [NAME_LABEL]: name };
}

/** Labels on the pods of one workload: its selector plus the environment labels. */
export function podLabels(env: Environment, name: string): Record<string, string> {
  return { ...selectorLabels(name), ...environmentLabels(env) };
}

/** Pod-level security: a numeric non-root user, its group owning the volumes, the runtime's seccomp profile. */
export function podSecurityContext(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    // Only change ownership when the volume root does not match, so large Kafka and MinIO volumes mount fast.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security: read-only root, no capabilities, no privilege escalation. */
export function containerSecurityContext(user: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export { RESOURCES, type ResourceProfile } from './workloads';

/** Requests and limits of a container, including the scratch disk it may fill. */
export function resources(profile: ResourceProfile): k8s.ResourceRequirements {
  return {
    requests: {
      cpu: quantity(profile.cpuRequest),
      memory: quantity(profile.memory),
      'ephemeral-storage': quantity('64Mi'),
    },
    limits: {
      cpu: quantity(profile.cpuLimit),
      memory: quantity(profile.memory),
      'ephemeral-storage': quantity('512Mi'),
    },
  };
}

/** Writable scratch directories on a read-only root: one size-limited emptyDir each. */
export function scratchDirectories(dirs: Record<string, string>): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const entries = Object.entries(dirs);
  return {
    volumes: entries.map(([name]) => ({ name, emptyDir: { sizeLimit: quantity('256Mi') } })),
    mounts: entries.map(([name, mountPath]) => ({ name, mountPath })),
  };
}

/**
 * Runs a workload on the agents only, spread evenly over them (hard: skew of one node at most) and
 * preferably one pod per node. Preferred, not required, anti-affinity: a 3-broker Kafka still schedules on 2 agents.
 * The spread counts only nodes whose taints the pod tolerates: a cordoned node (tainted unschedulable) would
 * otherwise stay a domain with no pods, and no evicted pod could land on the other agents during a drain.
 */
export function workerPlacement(name: string): Pick<k8s.PodSpec, 'nodeSelector' | 'topologySpreadConstraints' | 'affinity'> {
  return {
    nodeSelector: { ...WORKER_SELECTOR },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        nodeTaintsPolicy: 'Honor',
        labelSelector: { matchLabels: selectorLabels(name) },
      },
    ],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selectorLabels(name) } },
          },
        ],
      },
    },
  };
}

/** An HTTP GET probe on a port; readiness and liveness differ in path and patience. */
export function httpProbe(path: string, port: number, failureThreshold: number): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromNumber(port) },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

/** A TCP probe on a port. */
export function tcpProbe(port: number, failureThreshold: number, initialDelaySeconds = 0): k8s.Probe {
  return {
    tcpSocket: { port: k8s.IntOrString.fromNumber(port) },
    // The server drops a zero here, so writing one would make every apply differ from what is stored.
    ...(initialDelaySeconds > 0 ? { initialDelaySeconds } : {}),
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

/** Plain environment variables, in the order given. */
export function envVars(values: Record<string, string>): k8s.EnvVar[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/** An environment variable read from a key of a Secret, so the value never enters a manifest. */
export function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** `image:version` of a model image. */
export function imageRef(image: { image: string; version: string }): string {
  return `${image.image}:${image.version}`;
}
