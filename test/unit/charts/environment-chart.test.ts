// The base of the environment's charts: every object lands in the model's namespace with the environment labels.
import { App, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { describe, expect, it } from 'vitest';
import { EnvironmentChart, type EnvironmentChartProps } from '../../../charts/environment-chart';
import { environment } from '../../support/environments';

class OneConfigMap extends EnvironmentChart {
  constructor(scope: App, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    new k8s.KubeConfigMap(this, 'config', { metadata: { name: `${this.env.name}-config` } });
  }
}

describe('EnvironmentChart', () => {
  const env = environment((raw) => {
    raw.apps.namespace = 'elsewhere';
  });

  it('puts its objects in the model\'s namespace with the environment labels, and hands the model to the subclass', () => {
    const [object] = Testing.synth(new OneConfigMap(Testing.app(), 'one', { env }));
    expect(object.metadata).toEqual({
      name: `${env.name}-config`,
      namespace: 'elsewhere',
      labels: { 'app.kubernetes.io/part-of': 'wolke', 'wolke.dev/environment': env.name },
    });
  });

  it('takes another namespace when one is given', () => {
    const [object] = Testing.synth(new OneConfigMap(Testing.app(), 'one', { env, namespace: 'other' }));
    expect(object.metadata.namespace).toBe('other');
  });
});
