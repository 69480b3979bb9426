// GitOps: the Argo CD AppProject and Application that sync an environment's rendered manifests from its repository.
import { ApiObject, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import { environmentPaths } from '../config/repository-paths';

export interface GitOpsChartProps extends Omit<ChartProps, 'namespace'> {
  readonly env: Environment;
  /** The manifest file Argo CD syncs from the repository folder (the other files there are not its). */
  readonly manifestFile: string;
  /** The objects of that file: the project allows exactly their namespaces and cluster-scoped kinds. */
  readonly manifests: readonly ManifestObject[];
}

/** What the project needs to know of one object of the manifests. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly namespace?: string };
}

/** The namespaces the manifests put objects in, and the kinds of those that have none (cluster-scoped), sorted. */
function projectScope(manifests: readonly ManifestObject[]): { namespaces: string[]; clusterKinds: { group: string; kind: string }[] } {
  const namespaces = new Set<string>();
  const clusterKinds = new Map<string, { group: string; kind: string }>();
  for (const { apiVersion, kind, metadata } of manifests) {
    if (metadata.namespace !== undefined) namespaces.add(metadata.namespace);
    else {
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
      clusterKinds.set(`${group}/${kind}`, { group, kind });
    }
  }
  return { namespaces: [...namespaces].sort(), clusterKinds: [...clusterKinds.keys()].sort().map((k) => clusterKinds.get(k)!) };
}

/** The file of dist/<env> that holds these objects; Ansible applies it instead of the manifests when GitOps is on. */
export const GITOPS_FILE = 'argocd.k8s.yaml';

/** Name of the environment's AppProject and Application. */
export const gitopsName = (env: Environment): string => `wolke-${env.name}`;

/** The cluster Argo CD runs in, as its Applications name it. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * A project that allows only this environment's repository and the namespaces and cluster-scoped kinds of its
 * manifests, and the Application that keeps that
 * namespace equal to the repository's folder: automated sync with pruning and self-heal. No resources finalizer:
 * deleting the Application (switching GitOps off) leaves the workloads and their data running.
 */
export class GitOpsChart extends Chart {
  constructor(scope: Construct, id: string, props: GitOpsChartProps) {
    const { env } = props;
    const gitops = env.gitops;
    super(scope, id, { ...props, namespace: gitops.argocdNamespace });
    if (gitops.repoUrl === undefined) throw new Error('gitops.repoUrl is required when gitops is enabled');
    const name = gitopsName(env);
    const allowed = projectScope(props.manifests);
    new ApiObject(this, 'project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name },
      spec: {
        description: `wolke environment ${env.name}`,
        sourceRepos: [gitops.repoUrl],
        // With monitoring on, the manifests also hold objects in the monitoring namespace and kube-system (the stack's
        // HelmChart): Argo CD refuses a sync that touches a namespace or cluster-scoped kind its project does not list.
        destinations: allowed.namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
        clusterResourceWhitelist: allowed.clusterKinds,
      },
    });
    new ApiObject(this, 'application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name },
      spec: {
        project: name,
        source: {
          repoURL: gitops.repoUrl,
          targetRevision: gitops.revision,
          path: gitops.path ?? environmentPaths(env.name).manifests,
          directory: { include: props.manifestFile },
        },
        destination: { server: IN_CLUSTER, namespace: env.apps.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          // Server-side apply like Ansible's deploy, so the field owners agree when a cluster moves to GitOps.
          syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
        },
      },
    });
  }
}
