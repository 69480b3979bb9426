// Reads charts/score-exceptions.yaml and matches kube-score findings against the written reasons.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const scoreExceptionsSchema = z.array(
  z.strictObject({
    /** kube-score check id, e.g. container-image-pull-policy. */
    check: z.string().min(1),
    /** `Kind/name` or `Kind/*`. */
    objects: z.array(z.string().regex(/^[A-Za-z]+\/[-a-z0-9.*]+$/, { error: 'must be Kind/name or Kind/*' })).min(1),
    /** Why the finding is accepted, for a reviewer. */
    reason: z.string().min(40, { error: 'must explain the exception in a sentence or more' }),
  }),
);

/** One accepted kube-score finding, with its reason. */
export type ScoreException = z.infer<typeof scoreExceptionsSchema>[number];

/** One CRITICAL kube-score finding. */
export interface ScoreFinding {
  readonly kind: string;
  readonly name: string;
  readonly check: string;
  readonly summary: string;
}

/** The exceptions file next to the charts. */
const SCORE_EXCEPTIONS_FILE = join(__dirname, 'score-exceptions.yaml');

/** Parses and validates an exceptions file. */
export function loadScoreExceptions(file: string = SCORE_EXCEPTIONS_FILE): ScoreException[] {
  return scoreExceptionsSchema.parse(parse(readFileSync(file, 'utf8')));
}

/** Whether an exception covers a finding. */
export function covers(exception: ScoreException, finding: ScoreFinding): boolean {
  return (
    exception.check === finding.check &&
    exception.objects.some((o) => o === `${finding.kind}/${finding.name}` || o === `${finding.kind}/*`)
  );
}

/** Findings that no exception explains. */
export function unexplainedFindings(findings: readonly ScoreFinding[], exceptions: readonly ScoreException[]): ScoreFinding[] {
  return findings.filter((f) => !exceptions.some((e) => covers(e, f)));
}

/** `check objects` pairs of the file that no finding needs any more (stale reasons hide new problems). */
export function staleExceptions(findings: readonly ScoreFinding[], exceptions: readonly ScoreException[]): string[] {
  return exceptions.flatMap((e) =>
    e.objects
      .filter((o) => !findings.some((f) => covers({ ...e, objects: [o] }, f)))
      .map((o) => `${e.check} ${o}`),
  );
}

const GRADE_CRITICAL = 1;

interface KubeScoreObject {
  type_meta: { kind: string };
  object_meta: { name: string };
  checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string }[] | null }[];
}

/** The CRITICAL findings of `kube-score score -o json` output. */
export function criticalFindings(kubeScoreJson: string): ScoreFinding[] {
  const objects = JSON.parse(kubeScoreJson) as KubeScoreObject[];
  return objects.flatMap((o) =>
    o.checks
      .filter((c) => !c.skipped && c.grade === GRADE_CRITICAL)
      .map((c) => ({
        kind: o.type_meta.kind,
        name: o.object_meta.name,
        check: c.check.id,
        summary: (c.comments ?? []).map((m) => m.summary).join('; '),
      })),
  );
}
