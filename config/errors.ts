// Turns zod issues into one line per bad path, the way a person reads them.
import type { core } from 'zod';
import { knownKeysAt, nearestKey } from './suggest';

/** The one ConfigError of the repository (the apps throw it too), re-exported where the model's errors are made. */
export { ConfigError } from '../contracts/config-error';

const expectedText: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

/** A value as the YAML author wrote it: `the number 1.1`, `a list`, `nothing`. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (the key has no value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number ' : ''}${String(value)}`;
  return typeof value;
}

/** The text a value was written as in the file (`1.10` for the number 1.1), when known. */
export type SourceOf = (path: readonly PropertyKey[]) => string | undefined;

/** What to write instead when YAML read a scalar as another type than meant. */
function typeHint(expected: string, input: unknown, written: string | undefined): string {
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
    const text = written ?? String(input);
    return `${text !== String(input) ? `, from ${text}` : ''}; put it in quotes so YAML keeps it as written: "${text}"`;
  }
  if (expected === 'number' && typeof input === 'string' && input.trim() !== '' && !Number.isNaN(Number(input))) return '; write it without quotes';
  if (expected === 'boolean' && typeof input === 'string') return '; write true or false without quotes';
  return '';
}

function describe(issue: core.$ZodIssue, root: core.$ZodType | undefined, sourceOf: SourceOf | undefined): string[] {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = root ? knownKeysAt(root, issue.path) : [];
      return issue.keys.map((key) => {
        const near = nearestKey(key, known);
        return `unknown key "${key}" (check the spelling${near ? `: did you mean "${near}"?` : ''})`;
      });
    }
    case 'invalid_type': {
      if (issue.input === undefined) return [`is required (${issue.expected})`];
      // zod's own text starts with "Invalid input"; ours (e.g. on .int()) says it better.
      if (!issue.message.startsWith('Invalid input')) return [issue.message];
      const expected = expectedText[issue.expected] ?? issue.expected;
      return [`must be ${expected} (got ${describeValue(issue.input)}${typeHint(issue.expected, issue.input, sourceOf?.(issue.path))})`];
    }
    case 'invalid_value':
      if (!issue.message.startsWith('Invalid')) return [issue.message];
      return [`must be one of ${issue.values.map((v) => String(v)).join(', ')} (got ${describeValue(issue.input)})`];
    case 'too_small':
      if (!issue.message.startsWith('Too small')) return [issue.message];
      return [issue.origin === 'array' ? `must have at least ${String(issue.minimum)} entries` : `must be at least ${String(issue.minimum)}`];
    case 'too_big':
      if (!issue.message.startsWith('Too big')) return [issue.message];
      return [issue.origin === 'array' ? `must have at most ${String(issue.maximum)} entries` : `must be at most ${String(issue.maximum)}`];
    default:
      return [issue.message];
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

/**
 * One line per issue, `path: what is wrong (got what)`. `root` lets an unknown key name the nearest known one;
 * `sourceOf` lets a value YAML read as a number show how it was written.
 */
export function formatIssues(issues: readonly core.$ZodIssue[], root?: core.$ZodType, sourceOf?: SourceOf): string[] {
  return issues.flatMap(expandUnion).flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    return describe(issue, root, sourceOf).map((text) => `${path || '(top level)'}: ${text}`);
  });
}
