// Reads an app's configuration from environment variables through a zod schema, naming every bad variable.
import { z } from 'zod';
import { ConfigError } from '../../contracts/config-error';
import { MINIO_REGION } from '../../contracts/minio-region';

/** A zod object schema whose keys are environment variable names. */
export type EnvSchema = z.ZodObject;

/** Thrown when the environment does not fit the schema; `variables` lists the bad names (the model's ConfigError too). */
export { ConfigError } from '../../contracts/config-error';

/** One line per bad variable, e.g. `KAFKA_BROKERS: is required`. */
function describeIssues(issues: readonly z.core.$ZodIssue[], env: NodeJS.ProcessEnv): string[] {
  return issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const missing = issue.path.length === 1 && env[variable] === undefined;
    return `${variable}: ${missing ? 'is required' : issue.message}`;
  });
}

/** Parses `env` with `schema`; throws a ConfigError that names each bad variable. */
export function readConfig<S extends EnvSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings count as unset, so `FOO=` in a manifest falls back to the default instead of failing oddly.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues, present);
  const variables = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '(environment)')))];
  throw new ConfigError(lines, { heading: 'invalid configuration', variables });
}

/** Text split at commas, each entry trimmed, empty entries dropped. */
const commaSeparated = z.string().transform((value) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0),
);

/** A comma list of host:port, e.g. `kafka-0:9092,kafka-1:9092`. */
const brokerList = commaSeparated.pipe(
  z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: 'each broker must be host:port' })).min(1, { error: 'must name at least one broker' }),
);

/** A comma list of non-empty names, e.g. `A,B,C`. */
export const nameList = commaSeparated.pipe(z.array(z.string()).min(1, { error: 'must name at least one entry' }));

/** A TCP port given as text. */
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be between 0 and 65535' })
  .max(65535, { error: 'must be between 0 and 65535' });

/** A positive whole number given as text. */
export const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .positive({ error: 'must be at least 1' });

/** A positive number given as text. */
export const positiveNumber = z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be above 0' });

/** JSON text that must fit `schema`, e.g. RENDITIONS or TOPICS. */
export function jsonOf<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** An http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://minio:9000' });

/** Variables every app reads: log level and the port of /healthz, /readyz and /metrics. */
export const commonEnv = z.object({
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  OPS_PORT: port.default(8080),
  /** Address the ops server binds: all interfaces in a pod, 127.0.0.1 for local runs and tests. */
  OPS_HOST: z.string().min(1).default('0.0.0.0'),
});

/** Variables of apps that talk to Kafka. */
export const kafkaEnv = z.object({
  KAFKA_BROKERS: brokerList,
  KAFKA_CLIENT_ID: z.string().min(1).default('wolke'),
});

/** Variables of consumers that export their lag on /metrics (apps/lib/lag-metrics.ts). */
export const lagMetricsEnv = z.object({
  /** How often the consumer lag on /metrics is read from Kafka. */
  LAG_METRICS_INTERVAL_MS: positiveInt.default(15_000),
});

/** Variables of apps that consume as a member of a consumer group that moves partitions between its members. */
export const groupMemberEnv = z.object({
  /** How long the group waits for a silent member before moving its partitions (kafkajs default 30 s). */
  SESSION_TIMEOUT_MS: positiveInt.default(30_000),
});

/** Variables of apps that talk to MinIO. */
export const minioEnv = z.object({
  MINIO_ENDPOINT: httpUrl,
  MINIO_ACCESS_KEY: z.string().min(1, { error: 'must not be empty' }),
  MINIO_SECRET_KEY: z.string().min(1, { error: 'must not be empty' }),
  MINIO_REGION: z.string().min(1).default(MINIO_REGION),
});

export type CommonConfig = z.infer<typeof commonEnv>;
export type KafkaConfig = z.infer<typeof kafkaEnv>;
export type MinioConfig = z.infer<typeof minioEnv>;
