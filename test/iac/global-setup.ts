// Builds (or finds cached) the real Terraform providers and hands the CLI config to the iac tests.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** TF_CLI_CONFIG_FILE that installs providers from the local mirror only. */
    tfCliConfig: string;
  }
}

export default function setup(project: TestProject): void {
  const config = execFileSync('bash', ['testbed/providers.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  project.provide('tfCliConfig', config);
}
