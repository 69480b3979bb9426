// Turns zod issues into one line per bad path, the way a person reads them.
import type { core } from 'zod';

/** Invalid configuration: `lines` names each offending path and what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`invalid environment:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    case 'invalid_type':
      if (issue.input === undefined) return `is required (${issue.expected})`;
      // zod's own text starts with "Invalid input"; ours (e.g. on .int()) says it better.
      return issue.message.startsWith('Invalid input') ? `must be a ${issue.expected} (got ${typeof issue.input})` : issue.message;
    default:
      return issue.message;
  }
}

export function formatIssues(issues: readonly core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(top level)'}: ${describe(issue)}`;
  });
}
