// Building blocks the model's slices share: lists with bounds, a non-empty string, rules between fields, URLs.
import { z } from 'zod';

/** Bounds and the reason a repeat breaks something, for `list`. */
interface ListRules {
  min?: { value: number; error: string };
  max?: { value: number; error: string };
  /** What a repeated entry would break; repeats are allowed without it. */
  repeat?: string;
}

/**
 * A list with bounds on its length and, optionally, no repeats. The checks are refinements, so a value that is not
 * a list at all gets one message ("must be a list") instead of zod's length checks, which also measure strings.
 */
export function list<T extends z.ZodType>(item: T, rules: ListRules) {
  return z.array(item).superRefine((items, ctx) => {
    if (rules.min && items.length < rules.min.value) ctx.addIssue({ code: 'custom', message: rules.min.error, input: items });
    if (rules.max && items.length > rules.max.value) ctx.addIssue({ code: 'custom', message: `${rules.max.error} (got ${items.length})`, input: items });
    if (rules.repeat === undefined) return;
    items.forEach((value, i) => {
      const first = items.indexOf(value);
      if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${JSON.stringify(value)} (entry ${first}); ${rules.repeat}`, input: value });
    });
  });
}

/** A string that says something. */
export const nonEmpty = z.string().min(1, { error: 'must not be empty' });

/** Runs a rule between fields only once every field is valid on its own, so it never reads a half-checked value. */
export const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** The parts of a URL, or undefined when it is none (the url check reports that). */
export function urlParts(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}
