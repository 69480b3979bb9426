// The days a run reports and the lake partitions it must read for them.

/** Inclusive range of UTC days, as YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

const dayMs = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The `days` days that end with `to` (default: the UTC day of `now`). */
export function reportRange(days: number, to: string | undefined, now: number): DayRange {
  const last = to ?? dayOf(now);
  if (Number.isNaN(msOf(last))) throw new Error(`REPORT_TO: ${last} is not a day`);
  return { from: dayOf(msOf(last) - (days - 1) * dayMs), to: last };
}

/**
 * The `date=` partitions that can hold readings of the range: a file sits in the partition of its first record, so a
 * file opened before midnight may hold the first readings of the next day; the day before the range is read too.
 */
export function partitionDays(range: DayRange): string[] {
  const days: string[] = [];
  for (let ms = msOf(range.from) - dayMs; ms <= msOf(range.to); ms += dayMs) days.push(dayOf(ms));
  return days;
}
