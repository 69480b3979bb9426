// The base of every chart in an environment's namespace: the model it is built from, the namespace and the labels.
import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import { environmentLabels } from './defaults';

export interface EnvironmentChartProps extends ChartProps {
  /** The environment the chart's objects are built from. */
  readonly env: Environment;
  /** Namespace of every object. @default env.apps.namespace */
  readonly namespace?: string;
  /** Labels on every object. @default the environment labels (Ansible prunes by them) */
  readonly labels?: Record<string, string>;
  /** Whether generated names go without cdk8s's hash suffix. @default true: every object names itself */
  readonly disableResourceNameHashes?: boolean;
}

/** A chart of one environment; subclasses add their objects in the constructor and read the model from `env`. */
export abstract class EnvironmentChart extends Chart {
  /** The environment the chart is built from. */
  protected readonly env: Environment;

  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    const { env, ...chartProps } = props;
    super(scope, id, { namespace: env.apps.namespace, labels: environmentLabels(env), disableResourceNameHashes: true, ...chartProps });
    this.env = env;
  }
}
