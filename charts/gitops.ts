// GitOps: the Argo CD AppProject and Application that sync an environment's rendered manifests from its repository.
import { ApiObject, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Environment } from '../config/schema';

export interface GitOpsChartProps extends Omit<ChartProps, 'namespace'> {
  readonly env: Environment;
  /** The manifest file Argo CD syncs from the repository folder (the other files there are not its). */
  readonly manifestFile: string;
}

/** The file of dist/<env> that holds these objects; Ansible applies it instead of the manifests when GitOps is on. */
export const GITOPS_FILE = 'argocd.k8s.yaml';

/** Name of the environment's AppProject and Application. */
export const gitopsName = (env: Environment): string => `wolke-${env.name}`;

/** The cluster Argo CD runs in, as its Applications name it. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * A project that allows only this environment's repository and namespace, and the Application that keeps that
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
    new ApiObject(this, 'project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name },
      spec: {
        description: `wolke environment ${env.name}`,
        sourceRepos: [gitops.repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace: env.apps.namespace }],
        // The manifests create their namespace; nothing else they hold is cluster-scoped.
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
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
          path: gitops.path ?? `dist/${env.name}`,
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
