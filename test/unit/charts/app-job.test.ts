// The AppJob construct and its spec: a versioned name, the defaults a Job gets, and the hardening every pod gets.
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppJob, appJobSpec, type AppJobProps } from '../../../charts/app-job';
import { RESOURCES, envVars } from '../../../charts/defaults';
import { environment } from '../../support/environments';

const props: AppJobProps = {
  env: environment(),
  name: 'task',
  image: { image: 'registry.example.com/wolke/task', version: '1.0.0' },
  variables: envVars({ A: '1' }),
  resources: RESOURCES.setup,
  activeDeadlineSeconds: 300,
};

function jobName(overrides: Partial<AppJobProps>): string {
  const chart = Testing.chart();
  return new AppJob(chart, 'task', { ...props, ...overrides }).name;
}

describe('AppJob', () => {
  it('is named after what it runs: a new image or variable is a new Job, the same ones the same Job', () => {
    const name = jobName({});
    expect(name).toMatch(/^task-[0-9a-f]{8}$/);
    expect(jobName({})).toBe(name);
    expect(jobName({ image: { ...props.image, version: '1.0.1' } })).not.toBe(name);
    expect(jobName({ variables: envVars({ A: '2' }) })).not.toBe(name);
  });

  it('synthesizes one Job with that name and its spec', () => {
    const chart = Testing.chart();
    const job = new AppJob(chart, 'task', props);
    const [object] = Testing.synth(chart);
    expect(object.kind).toBe('Job');
    expect(object.metadata.name).toBe(job.name);
    expect(object.spec.activeDeadlineSeconds).toBe(300);
  });
});

describe('appJobSpec', () => {
  it('fails without retries and new pods by default, and keeps the Job until it is pruned', () => {
    const spec = appJobSpec(props);
    expect(spec.backoffLimit).toBe(0);
    expect(spec.template.spec?.restartPolicy).toBe('Never');
    expect(spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it('takes the retries, restart policy and time to live given', () => {
    const spec = appJobSpec({ ...props, backoffLimit: 12, restartPolicy: 'OnFailure', ttlSecondsAfterFinished: 3600 });
    expect(spec).toMatchObject({ backoffLimit: 12, ttlSecondsAfterFinished: 3600, template: { spec: { restartPolicy: 'OnFailure' } } });
  });

  it('hardens the pod: no token, no service links, the app user, read-only root with a scratch /tmp, on the agents', () => {
    const pod = appJobSpec(props).template.spec!;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.nodeSelector).toEqual({ nodepool: 'worker' });
    const [container] = pod.containers;
    expect(container).toMatchObject({ name: 'task', image: 'registry.example.com/wolke/task:1.0.0', env: [{ name: 'A', value: '1' }] });
    expect(container!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container!.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(appJobSpec(props).template.metadata?.labels).toMatchObject({ 'app.kubernetes.io/name': 'task', 'wolke.dev/environment': props.env.name });
  });
});
