// A data source that runs one of the repository's TypeScript scripts (with tsx, from the repository root) whenever
// Terraform reads data, and hands its stdout to the stack: how the stack asks what only code can answer.
import type { Construct } from 'constructs';
import { DataLocalCommand } from '@cdktf/provider-local/lib/data-local-command';
import { repoRootFromStack } from './inventory';

/** Runs `script` (relative to the repository root) with `stdin`; its stdout is the data source's `stdout`. */
export function scriptDataSource(scope: Construct, id: string, script: string, stdin: string): DataLocalCommand {
  return new DataLocalCommand(scope, id, {
    command: 'node',
    arguments: ['--import', 'tsx', script],
    workingDirectory: repoRootFromStack,
    stdin,
  });
}
