// `npm run dashboards:images`, the README's command for the dashboard pictures, run as a user would (it starts the
// pipeline and Prometheus itself), for one minute into a temporary folder instead of docs/dashboards.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CLUSTER_ONLY_METRICS, dashboardQueries, dashboards } from '../../charts/dashboards';
import { loadEnvironment } from '../../config/load';

const repoRoot = resolve(__dirname, '..', '..');

describe('npm run dashboards:images', () => {
  it('starts the pipeline and Prometheus, and draws every dashboard with data in every panel a local run can fill', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wolke-dashboard-images-'));
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'dashboards:images', '--', '--minutes', '1', '--out', out], {
        cwd: repoRoot,
        timeout: 900_000,
      });
      for (const { key, dashboard } of dashboards(loadEnvironment('example'))) {
        const panels = dashboard.panels!.length;
        const clusterOnly = new Set(
          dashboardQueries(dashboard)
            .filter((q) => Object.keys(CLUSTER_ONLY_METRICS).some((name) => q.expr.includes(name)))
            .map((q) => q.panel),
        ).size;
        const line = stdout.split('\n').find((l) => l.includes(`${key}.png`));
        expect(line, stdout).toContain(`: ${panels - clusterOnly} of ${panels} panels with data, ${clusterOnly} only in a cluster`);
        const image = readFileSync(join(out, `${key}.png`));
        expect(image.length, key).toBeLessThan(200 * 1024);
        expect((await sharp(image).metadata()).format).toBe('png');
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);
});
