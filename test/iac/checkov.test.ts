// checkov on every synthesized cdk.tf.json and manifest: no finding but the justified ones in checkov-skips.yaml.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Skip {
  id: string;
  check: string;
  reason: string;
  resources?: string[];
}
interface Finding {
  check_id: string;
  check_name: string;
  resource: string;
}

const skips: Skip[] = parse(readFileSync(join(__dirname, 'checkov-skips.yaml'), 'utf8'));
let checkov = '';
let out = '';

beforeAll(() => {
  checkov = execFileSync('bash', ['testbed/checkov.sh'], { encoding: 'utf8' }).trim();
  out = mkdtempSync(join(tmpdir(), 'wolke-checkov-'));
  execFileSync('npx', ['tsx', 'scripts/synth-all.ts'], { env: { ...process.env, WOLKE_OUT: out, WOLKE_SET: '' }, stdio: 'ignore' });
}, 900_000);

function scan(file: string, framework: string): { passed: number; failed: Finding[] } {
  const run = spawnSync(checkov, ['-f', file, '--framework', framework, '--skip-download', '--quiet', '--compact', '-o', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
    maxBuffer: 1 << 26,
  });
  const reports = [JSON.parse(run.stdout)].flat();
  return {
    passed: reports.reduce((n, r) => n + (r.summary?.passed ?? 0), 0),
    failed: reports.flatMap((r) => r.results?.failed_checks ?? []),
  };
}

const accepted = (f: Finding) => skips.some((s) => s.id === f.check_id && (!s.resources || s.resources.includes(f.resource)));

describe('checkov', () => {
  const used = new Set<string>();

  it('keeps a reason for every accepted finding', () => {
    for (const s of skips) expect(s.reason?.length ?? 0, s.id).toBeGreaterThan(40);
  });

  it('finds nothing in the Terraform JSON of the example stack', () => {
    const result = scan(join(out, 'cdktf.out', 'stacks', 'example', 'cdk.tf.json'), 'terraform_json');
    expect(result.passed).toBeGreaterThan(10);
    expect(result.failed.filter((f) => !accepted(f))).toEqual([]);
    result.failed.forEach((f) => used.add(f.check_id));
  });

  it('finds nothing but the accepted findings in the manifests', () => {
    const result = scan(join(out, 'dist', 'example', 'wolke.k8s.yaml'), 'kubernetes');
    expect(result.passed).toBeGreaterThan(100);
    expect(result.failed.filter((f) => !accepted(f)).map((f) => `${f.check_id} ${f.check_name} ${f.resource}`)).toEqual([]);
    result.failed.forEach((f) => used.add(f.check_id));
    expect(skips.filter((s) => !used.has(s.id)).map((s) => s.id), 'stale entries in checkov-skips.yaml').toEqual([]);
  });
});
