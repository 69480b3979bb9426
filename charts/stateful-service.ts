// A clustered data service (Kafka, MinIO) as a hardened StatefulSet with its headless and client Services and a PDB.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { containerSecurityContext, imageRef, podLabels, podSecurityContext, resources, scratchDirectories, selectorLabels, workerPlacement, type ResourceProfile } from './defaults';
import { quantity } from './quantity';

/** A volume of each pod that outlives it: one PersistentVolumeClaim per pod, from the StatefulSet's claim templates. */
export interface StatefulVolume {
  /** Name of the claim template and of the volume in the pod. */
  readonly name: string;
  /** Where the container mounts it. */
  readonly mountPath: string;
  /** Requested size, a Kubernetes quantity (`10Gi`). */
  readonly storage: string;
}

export interface StatefulServiceProps {
  /** The environment the service belongs to. */
  readonly env: Environment;
  /** Name of the StatefulSet, its client Service, its PDB, its container and its pods' name label. */
  readonly name: string;
  /** Name of the headless Service that gives each pod its DNS name. */
  readonly headlessServiceName: string;
  /** Number of pods. */
  readonly replicas: number;
  /** Image and version from the model. */
  readonly image: { image: string; version: string };
  /** Numeric user and group the pods run as; it owns the volumes. */
  readonly user: number;
  /** TCP ports of the container by name, in the order they are listed: the Services refer to them by name. */
  readonly ports: Readonly<Record<string, number>>;
  /** Names of the ports the headless Service publishes (the members' traffic among themselves). */
  readonly headlessPorts: readonly string[];
  /** Names of the ports the client Service publishes (the traffic of the service's clients). */
  readonly clientPorts: readonly string[];
  /** The container's command. @default the image's entrypoint */
  readonly command?: string[];
  /** The container's arguments. @default the image's command */
  readonly args?: string[];
  /** Environment variables of the container (plain values or secret references). @default none */
  readonly variables?: k8s.EnvVar[];
  /** Readiness probe of the container. */
  readonly readinessProbe: k8s.Probe;
  /** Liveness probe of the container. */
  readonly livenessProbe: k8s.Probe;
  /** CPU and memory of the container. */
  readonly resources: ResourceProfile;
  /** The volumes each pod keeps across restarts and rescheduling; the first holds the service's data. */
  readonly persistentVolumes: readonly StatefulVolume[];
  /** Further volumes of the pod (a ConfigMap), mounted by `volumeMounts`. @default none */
  readonly volumes?: k8s.Volume[];
  /** Mounts of `volumes`. @default none */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** Annotations of the pod template (a change rolls the pods). @default none */
  readonly podAnnotations?: Record<string, string>;
}

/**
 * The StatefulSet (pods started in parallel, spread over the agents, read-only root with a scratch /tmp, a minute to
 * stop), its headless Service, its client Service and a PodDisruptionBudget that lets a drain evict one pod at a time.
 */
export class StatefulService extends Construct {
  /** Name of the StatefulSet and its client Service. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id);
    const { env, name, user } = props;
    this.name = name;
    const selector = selectorLabels(name);
    const ports = Object.entries(props.ports);
    const servicePorts = (names: readonly string[]): k8s.ServicePort[] =>
      ports
        .filter(([portName]) => names.includes(portName))
        .map(([portName, port]) => ({ name: portName, port, targetPort: k8s.IntOrString.fromString(portName), protocol: 'TCP' }));
    const scratch = scratchDirectories({ tmp: '/tmp' });

    new k8s.KubeService(this, 'headless', {
      metadata: { name: props.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // Members must find each other by DNS before any of them is ready (a Kafka quorum, a distributed MinIO).
        publishNotReadyAddresses: true,
        selector,
        ports: servicePorts(props.headlessPorts),
      },
    });

    new k8s.KubeService(this, 'client', {
      metadata: { name },
      spec: { type: 'ClusterIP', selector, ports: servicePorts(props.clientPorts) },
    });

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name },
      spec: {
        serviceName: props.headlessServiceName,
        replicas: props.replicas,
        // All members start together; ordered start would wait forever for a quorum that needs the later pods.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: podLabels(env, name), annotations: props.podAnnotations },
          spec: {
            automountServiceAccountToken: false,
            // Service links would add variables like KAFKA_PORT to the environment, which the service does not read.
            enableServiceLinks: false,
            securityContext: podSecurityContext(user),
            terminationGracePeriodSeconds: 60,
            ...workerPlacement(name),
            containers: [
              {
                name,
                image: imageRef(props.image),
                imagePullPolicy: 'IfNotPresent',
                command: props.command,
                args: props.args,
                env: props.variables,
                ports: ports.map(([portName, containerPort]) => ({ name: portName, containerPort, protocol: 'TCP' })),
                readinessProbe: props.readinessProbe,
                livenessProbe: props.livenessProbe,
                resources: resources(props.resources),
                securityContext: containerSecurityContext(user),
                volumeMounts: [
                  ...props.persistentVolumes.map((v) => ({ name: v.name, mountPath: v.mountPath })),
                  ...(props.volumeMounts ?? []),
                  ...scratch.mounts,
                ],
              },
            ],
            volumes: [...(props.volumes ?? []), ...scratch.volumes],
          },
        },
        volumeClaimTemplates: props.persistentVolumes.map((v) => ({
          metadata: { name: v.name, labels: podLabels(env, name) },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: quantity(v.storage) } } },
        })),
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}
