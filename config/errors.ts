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

/**
 * A union (e.g. a new or an existing network) reports "must be either ...". When exactly one of its
 * branches comes closest (fewest issues), that branch's issues name the real path, e.g. network.cidr.
 */
function expandUnion(issue: core.$ZodIssue): readonly core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const sizes = issue.errors.map((branch) => branch.length);
  const best = Math.min(...sizes);
  if (sizes.filter((n) => n === best).length !== 1) return [issue];
  const branch = issue.errors[sizes.indexOf(best)];
  return branch.flatMap((inner) => expandUnion({ ...inner, path: [...issue.path, ...inner.path] } as core.$ZodIssue));
}

export function formatIssues(issues: readonly core.$ZodIssue[]): string[] {
  return issues.flatMap(expandUnion).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(top level)'}: ${describe(issue)}`;
  });
}
