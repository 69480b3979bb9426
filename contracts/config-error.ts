// The one error for bad configuration, thrown by the model loader (a YAML path per line) and by the apps (an
// environment variable per line); a small module without imports so both layers share it without importing each other.

/** What names the problem and, for the apps, which variables were bad. */
export interface ConfigErrorOptions {
  /** First line of the message; the model says `invalid environment`, the apps `invalid configuration`. */
  heading?: string;
  /** Environment variables the lines are about (the apps' errors); empty for the model's. */
  variables?: string[];
}

/** Invalid configuration: `lines` names each offending path or variable and what is wrong with it. */
export class ConfigError extends Error {
  readonly variables: string[];

  constructor(
    readonly lines: string[],
    options: ConfigErrorOptions = {},
  ) {
    super(`${options.heading ?? 'invalid environment'}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'ConfigError';
    this.variables = options.variables ?? [];
  }
}
