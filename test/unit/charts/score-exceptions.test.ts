// Matching kube-score findings against the written reasons in charts/score-exceptions.yaml.
import { describe, expect, it } from 'vitest';
import { covers, criticalFindings, loadScoreExceptions, staleExceptions, unexplainedFindings, type ScoreFinding } from '../../../charts/score-exceptions';

const pullPolicy = (kind: string, name: string): ScoreFinding => ({ kind, name, check: 'container-image-pull-policy', summary: '' });

describe('score exceptions', () => {
  const exceptions = loadScoreExceptions();

  it('parses the file, and every entry gives a reason', () => {
    expect(exceptions.length).toBeGreaterThan(0);
    for (const e of exceptions) expect(e.reason.length).toBeGreaterThanOrEqual(40);
  });

  it('matches by check and by Kind/name or Kind/*', () => {
    const e = { check: 'container-security-context-user-group-id', objects: ['StatefulSet/kafka'], reason: 'x'.repeat(40) };
    expect(covers(e, { kind: 'StatefulSet', name: 'kafka', check: e.check, summary: '' })).toBe(true);
    expect(covers(e, { kind: 'StatefulSet', name: 'minio', check: e.check, summary: '' })).toBe(false);
    expect(covers(e, pullPolicy('StatefulSet', 'kafka'))).toBe(false);
    expect(covers({ ...e, check: 'container-image-pull-policy', objects: ['Job/*'] }, pullPolicy('Job', 'topics-1234abcd'))).toBe(true);
  });

  it('reports findings without a reason, and reasons without a finding', () => {
    const findings = [pullPolicy('Deployment', 'api'), { kind: 'Deployment', name: 'api', check: 'pod-networkpolicy', summary: '' }];
    expect(unexplainedFindings(findings, exceptions)).toEqual([findings[1]]);
    expect(staleExceptions(findings, exceptions)).toEqual(
      expect.arrayContaining(['container-image-pull-policy StatefulSet/*', 'container-image-pull-policy Job/*']),
    );
    expect(staleExceptions(findings, exceptions)).not.toContain('container-image-pull-policy Deployment/*');
  });

  it('reads CRITICAL, unskipped checks from kube-score JSON', () => {
    const json = JSON.stringify([
      {
        type_meta: { kind: 'Deployment' },
        object_meta: { name: 'api' },
        checks: [
          { check: { id: 'container-image-pull-policy' }, grade: 1, skipped: false, comments: [{ summary: 'ImagePullPolicy is not set to Always' }] },
          { check: { id: 'pod-probes' }, grade: 1, skipped: true, comments: null },
          { check: { id: 'deployment-has-host-podantiaffinity' }, grade: 5, skipped: false, comments: [] },
          { check: { id: 'stable-version' }, grade: 10, skipped: false, comments: null },
        ],
      },
    ]);
    expect(criticalFindings(json)).toEqual([
      { kind: 'Deployment', name: 'api', check: 'container-image-pull-policy', summary: 'ImagePullPolicy is not set to Always' },
    ]);
  });
});
