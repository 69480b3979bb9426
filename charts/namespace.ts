// The namespace of an environment, enforcing the "restricted" Pod Security Standard on everything in it.
import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';

export interface NamespaceChartProps extends Omit<ChartProps, 'namespace'> {
  /** The environment whose namespace this is. */
  readonly env: Environment;
}

/** The namespace; the API server rejects any pod in it that is not restricted-compliant. */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, props);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.env.apps.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          // Enforcement only rejects pods; warn makes `kubectl apply` name a non-compliant Deployment or Job at once.
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    });
  }
}
