// Paths of promtool and prometheus from testbed/prometheus.sh (built once from the Go module proxy, then cached).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface PrometheusTools {
  promtool: string;
  prometheus: string;
}

/** Runs testbed/prometheus.sh (about a second once cached) and reads the paths it prints. */
export function prometheusTools(): PrometheusTools {
  const out = execFileSync('bash', [resolve(__dirname, '..', '..', 'testbed', 'prometheus.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const value = (key: string) => {
    const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
    if (line === undefined) throw new Error(`prometheus.sh printed no ${key}`);
    return line.slice(key.length + 1);
  };
  return { promtool: value('PROMTOOL'), prometheus: value('PROMETHEUS') };
}
