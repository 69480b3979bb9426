// wolke's alerts as synthesized into the PrometheusRule, run by Prometheus's own promtool: each fires on its story and
// stays quiet on the other.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestsYaml } from '../../charts/manifests';
import { alerts, type Alert } from '../../charts/alert-rules';
import { environment, withMonitoring } from '../support/environments';
import { prometheusTools, type PrometheusTools } from '../support/prometheus-tools';
import { alertCases, type AlertCase } from '../support/alert-cases';

// TLS on, so the certificate alert is in the rules too.
const env = environment((raw) => {
  withMonitoring(raw);
  raw.apps.ingress = { host: 'wolke.example.com', tlsSecret: 'wolke-tls' };
});
const cases = alertCases(env.apps.namespace);
let tools: PrometheusTools;
let dir: string;

beforeAll(() => {
  tools = prometheusTools();
  dir = mkdtempSync(join(tmpdir(), 'wolke-alerts-'));
  // The rule file is the PrometheusRule's spec exactly as the manifests carry it.
  const rule = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS()).find((d) => d.kind === 'PrometheusRule');
  writeFileSync(join(dir, 'rules.yaml'), stringify(rule.spec));
});

/** An annotation as Prometheus renders it for an alert with these labels (the rules use only `$labels`). */
function render(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '');
}

/** One promtool test of a case. */
function promtoolTest(c: AlertCase, alert: Alert) {
  const labels = c.fires && { ...c.fires, ...alert.labels };
  return {
    name: `${c.alert}: ${c.story}`,
    interval: '1m',
    input_series: c.series,
    alert_rule_test: [
      {
        eval_time: `${c.evalMinutes}m`,
        alertname: c.alert,
        exp_alerts: labels
          ? [{ exp_labels: labels, exp_annotations: { summary: render(alert.annotations.summary, labels), description: render(alert.annotations.description, labels) } }]
          : [],
      },
    ],
  };
}

/** Runs `promtool test rules` on the cases; returns its exit code and output. */
function promtool(list: readonly AlertCase[]): { status: number | null; output: string } {
  const byName = new Map(alerts(env).map((a) => [a.alert, a]));
  const file = join(dir, 'tests.yaml');
  writeFileSync(file, stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: list.map((c) => promtoolTest(c, byName.get(c.alert)!)) }));
  const run = spawnSync(tools.promtool, ['test', 'rules', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('alert rules (promtool test rules)', () => {
  it('has a firing and a quiet case for every alert, and no case for an alert that does not exist', () => {
    const names = alerts(env).map((a) => a.alert);
    for (const name of names) {
      expect(cases.some((c) => c.alert === name && c.fires), `${name} fires`).toBe(true);
      expect(cases.some((c) => c.alert === name && !c.fires), `${name} quiet`).toBe(true);
    }
    expect(cases.filter((c) => !names.includes(c.alert))).toEqual([]);
  });

  it('passes the rule file through promtool check rules', () => {
    const run = spawnSync(tools.promtool, ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toMatch(new RegExp(`SUCCESS: ${alerts(env).length} rules found`));
    expect(run.status).toBe(0);
  });

  it('fires every alert on its story and keeps it quiet on the other', () => {
    const { status, output } = promtool(cases);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it('fails when a quiet case is claimed to fire and a firing one to be quiet (the check can fail)', () => {
    const quiet = cases.find((c) => c.alert === 'ProcessorStorageRefused' && !c.fires)!;
    const firing = cases.find((c) => c.alert === 'HpaAtMaximum' && c.fires)!;
    const { status, output } = promtool([{ ...quiet, fires: {} }, { ...firing, fires: undefined }]);
    expect(status).not.toBe(0);
    expect(output).toContain('ProcessorStorageRefused');
    expect(output).toContain('HpaAtMaximum');
  });
});
