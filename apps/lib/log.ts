// A tiny JSON-lines logger: one object per line with level, time, app, msg and fields, on stdout.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

/** Errors become {name, message, stack} instead of `{}` in JSON. */
function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The JSON line for one entry; app, level, time and msg win over fields of the same name. */
export function formatLine(entry: { level: LogLevel; time: Date; app: string; msg: string; fields?: LogFields }): string {
  return JSON.stringify(
    { ...entry.fields, level: entry.level, time: entry.time.toISOString(), app: entry.app, msg: entry.msg },
    jsonValue,
  );
}

/** Whether an entry of `level` is written by a logger set to `threshold`. */
export function enabled(level: LogLevel, threshold: LogLevel): boolean {
  return rank[level] >= rank[threshold];
}

/** A logger for `app` that writes lines at or above `level` to `write` (stdout by default). */
export function createLogger(
  app: string,
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  base: LogFields = {},
): Logger {
  const emit = (entryLevel: LogLevel, msg: string, fields?: LogFields) => {
    if (!enabled(entryLevel, level)) return;
    write(formatLine({ level: entryLevel, time: new Date(), app, msg, fields: { ...base, ...fields } }));
  };
  return {
    level,
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(app, level, write, { ...base, ...fields }),
  };
}
