// Environment variables of the wolke apps in the cluster: the apps contract (contracts/app-environment.ts) with the
// cluster's Services and each app's MinIO identity from a Secret.
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { appEnvironment, webEnvironment, type AppWiring, type MinioApp, type ModelApp, type SecretKeyRef } from '../contracts/app-environment';
import { MINIO_REGION } from '../contracts/minio-region';
import { OPS_PORT, envVars, secretEnv } from './defaults';
import { MINIO_CREDENTIALS_KEYS, MINIO_CREDENTIALS_SECRET, kafkaBootstrap, minioEndpoint } from './endpoints';

export type { MinioApp };

/**
 * The Secret of each app's MinIO identity (keys accessKey, secretKey), created with random values by the deploy step
 * like minio-credentials. Only the app's own pods and the setup Job read it.
 */
export const MINIO_APP_SECRETS: Record<MinioApp, string> = { processor: 'minio-processor', api: 'minio-api', 'lake-sink': 'minio-lake-sink', report: 'minio-report' };
/** Keys of each app's MinIO identity Secret. */
export const MINIO_APP_SECRET_KEYS = { access: 'accessKey', secret: 'secretKey' } as const;

/** Where the report-spark image keeps Spark's jars and the compiled job (its Dockerfile puts them there). */
const SPARK_IMAGE_JARS = '/opt/spark';

/** The cluster's side of the apps contract: Services, the ops port, each app's identity Secret. */
export function clusterWiring(env: Environment): AppWiring<SecretKeyRef> {
  return {
    kafkaBrokers: kafkaBootstrap(env),
    minioEndpoint: minioEndpoint(env),
    minioPublicEndpoint: env.apps.minio.publicEndpoint ?? minioEndpoint(env),
    minioCredentials: (app) => ({
      accessKey: { secret: MINIO_APP_SECRETS[app], key: MINIO_APP_SECRET_KEYS.access },
      secretKey: { secret: MINIO_APP_SECRETS[app], key: MINIO_APP_SECRET_KEYS.secret },
    }),
    opsPort: () => OPS_PORT,
    clientId: (app) => app,
    sparkJars: SPARK_IMAGE_JARS,
  };
}

/** The contract's variables as a container's env: text as values, Secret references as secretKeyRefs. */
function toEnvVars(values: Record<string, string | SecretKeyRef>): k8s.EnvVar[] {
  return Object.entries(values).map(([name, value]) => (typeof value === 'string' ? { name, value } : secretEnv(name, value.secret, value.key)));
}

/** Variables of one app in the cluster. */
const modelAppEnv = (app: ModelApp, env: Environment): k8s.EnvVar[] => toEnvVars(appEnvironment(app, env.apps, clusterWiring(env)));

/** What every app reads: its Kafka client id, log level and ops port (the setup Job's, which the contract does not map). */
export function commonEnv(env: Environment, clientId: string): k8s.EnvVar[] {
  return envVars({ KAFKA_BROKERS: kafkaBootstrap(env), KAFKA_CLIENT_ID: clientId, LOG_LEVEL: 'info', OPS_PORT: String(OPS_PORT) });
}

/**
 * MinIO endpoint and credentials; the credentials come from a Secret, never from the manifest. An app gets its own
 * identity; only MinIO and the setup Job get the root credentials.
 */
export function minioEnv(env: Environment, identity: MinioApp | 'root'): k8s.EnvVar[] {
  const credentials: Record<'accessKey' | 'secretKey', SecretKeyRef> =
    identity === 'root'
      ? { accessKey: { secret: MINIO_CREDENTIALS_SECRET, key: MINIO_CREDENTIALS_KEYS.user }, secretKey: { secret: MINIO_CREDENTIALS_SECRET, key: MINIO_CREDENTIALS_KEYS.password } }
      : clusterWiring(env).minioCredentials(identity);
  return toEnvVars({ MINIO_ENDPOINT: minioEndpoint(env), MINIO_REGION, MINIO_ACCESS_KEY: credentials.accessKey, MINIO_SECRET_KEY: credentials.secretKey });
}

/** The apps' identities as the setup Job reads them: MINIO_<APP>_ACCESS_KEY and MINIO_<APP>_SECRET_KEY (`-` as `_`). */
export function appIdentitiesEnv(): k8s.EnvVar[] {
  return (Object.keys(MINIO_APP_SECRETS) as MinioApp[]).flatMap((app) => {
    const name = app.toUpperCase().replaceAll('-', '_');
    return [
      secretEnv(`MINIO_${name}_ACCESS_KEY`, MINIO_APP_SECRETS[app], MINIO_APP_SECRET_KEYS.access),
      secretEnv(`MINIO_${name}_SECRET_KEY`, MINIO_APP_SECRETS[app], MINIO_APP_SECRET_KEYS.secret),
    ];
  });
}

/** Variables of the processor: where events come from, where renditions and failures go, and its limits. */
export const processorEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('processor', env);

/** Variables of the producer. */
export const producerEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('producer', env);

/** Variables of the aggregator. */
export const aggregatorEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('aggregator', env);

/** Variables of the detector: the events it judges, where anomalies go, and its parameters from the model. */
export const detectorEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('detector', env);

/** Variables of the lake sink: the topics it archives, the lake bucket and its dead-letter topic. */
export const lakeSinkEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('lake-sink', env);

/** Variables of the report job: the lake, the topics it reads, the engine and the days of each run. */
export const reportEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('report', env);

/** Variables of the api: results to stream, buckets to list, and the endpoint browsers use for presigned URLs. */
export const apiEnv = (env: Environment): k8s.EnvVar[] => modelAppEnv('api', env);

/** Variables of the web UI. */
export const webEnv = (): k8s.EnvVar[] => envVars(webEnvironment(OPS_PORT));
