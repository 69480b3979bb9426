// Paths of promtool and prometheus from testbed/prometheus.sh (built once from the Go module proxy, then cached).
import { resolve } from 'node:path';
import { runScriptOutputs } from '../../testbed/script-outputs';

export interface PrometheusTools {
  promtool: string;
  prometheus: string;
}

/** Runs testbed/prometheus.sh (about a second once cached) and reads the paths it prints. */
export function prometheusTools(): PrometheusTools {
  const value = runScriptOutputs(resolve(__dirname, '..', '..', 'testbed', 'prometheus.sh'));
  return { promtool: value('PROMTOOL'), prometheus: value('PROMETHEUS') };
}
