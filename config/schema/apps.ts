// The apps' slice of the model: namespace, images, topics, buckets, the data services and every workload's settings.
import { z } from 'zod';
import { defaultBuckets } from '../../contracts/buckets';
import { topics } from '../../contracts/topics';
import { INT16_MAX, INT32_MAX, replicas, wholeNumber } from '../limits';
import { bucketName, dnsLabel, dnsSubdomain, imageRepository, imageTag, ingressHost } from '../names';
import { storageSize } from '../quantity';
import { urlParts, whenValid } from './fields';
import { processorSchema } from './processor';
import { aggregatorSchema, detectorSchema, producerSchema, reportSchema } from './sensors';

/** An image and its version: a version change is a release that `cdktf diff` and the manifest diff show. */
export const image = z.strictObject({
  /** Repository of the image, without tag. */
  image: imageRepository,
  /** Tag of the image. */
  version: imageTag,
});

/** One Kafka topic: its partitions and copies. */
export const topicSchema = z.strictObject({
  /** Kafka takes any int32; every partition costs files and memory on each broker holding it. */
  partitions: wholeNumber(1, { value: 1_000, why: 'every partition costs open files and memory on each broker that holds it' }),
  /** Copies of each partition (an int16 in Kafka's protocol; never more than the brokers). */
  replication: wholeNumber(1, { value: INT16_MAX, why: "Kafka's replication factor is an int16" }),
});

/** Namespaces Kubernetes and k3s run their own components in: default-deny policies there stop CoreDNS and Traefik. */
const reservedNamespace = (ns: string) => ns === 'default' || ns.startsWith('kube-');

/** Images and versions of every workload. */
export const imagesSchema = z.strictObject({
  api: image,
  web: image,
  processor: image,
  producer: image,
  aggregator: image,
  /** Flags abnormal sensor readings on the anomalies topic. */
  detector: image,
  /** Archives the sensor topics to the lake bucket as Parquet. */
  'lake-sink': image,
  /** The report job over the lake on DuckDB (a CronJob). */
  report: image,
  /** The report job on Apache Spark (Java and Spark's jars besides Node.js), used with apps.report.engine: spark. */
  'report-spark': image,
  /** Creates topics, buckets and the bucket notification (a Job). */
  setup: image,
  /** Bounded HTTP load generator (a Job) that shows the HPA scaling. */
  loadgen: image,
  kafka: image,
  minio: image,
});

/** Kafka topics with their partitions and replication factor. */
export const topicsSchema = z.strictObject({
  [topics.events]: topicSchema,
  [topics.results]: topicSchema,
  /** Readings the detector judged abnormal. */
  [topics.anomalies]: topicSchema,
  [topics.minioEvents]: topicSchema,
  [topics.minioEventsDlq]: topicSchema,
  /** Records the lake sink cannot write. */
  [topics.lakeDlq]: topicSchema,
});

/** Buckets: uploads are processed into renditions in processed; the lake holds the topics' archive as Parquet. */
export const bucketsSchema = z.strictObject({ uploads: bucketName, processed: bucketName, lake: bucketName.default(defaultBuckets.lake) });

/** The API tier: scaled by an HPA on CPU. */
export const apiSchema = z.strictObject({
  minReplicas: replicas('the HPA stores minReplicas as int32').default(2),
  maxReplicas: replicas('the HPA stores maxReplicas as int32').default(6),
  /** Average CPU utilisation (percent of requests) the HPA aims for. */
  cpuTarget: wholeNumber(10, 95).default(70),
})
.refine((a) => a.maxReplicas >= a.minReplicas, {
  error: 'maxReplicas must not be below minReplicas',
  path: ['maxReplicas'],
  ...whenValid,
});

/** The web UI tier. */
export const webSchema = z.strictObject({ replicas: replicas().default(2) });

/** Public host name of the ingress; without it the ingress answers any host. */
export const ingressSchema = z.strictObject({
  host: ingressHost.optional(),
  /** Name of an existing TLS Secret; enables the websecure entrypoint with TLS. */
  tlsSecret: dnsSubdomain('a Secret name such as wolke-tls').optional(),
});

/** Kafka's brokers (each also a KRaft controller) and their volumes. */
export const kafkaSchema = z.strictObject({
  /** Brokers; every one is also a KRaft controller, so this is the size of the metadata quorum too. */
  replicas: wholeNumber(1, { value: 9, why: 'every Kafka pod is a KRaft voter, and a larger quorum slows every metadata change' }).default(3),
  storage: storageSize(1, 'Kafka rolls its logs in 1 GiB segments and retention frees only rolled ones, so a smaller volume fills up').default(
    '10Gi',
  ),
});

/** MinIO's servers, their drives and the URL browsers reach it at. */
export const minioSchema = z.strictObject({
  replicas: z
    .number()
    .int({ error: 'must be a whole number' })
    .refine((n) => n === 1 || (n >= 4 && n % 2 === 0), {
      error: (issue) => `must be 1, or an even number of at least 4 for erasure coding (got ${String(issue.input)})`,
      abort: true,
    })
    .max(INT32_MAX, { error: (i) => `must be at most ${INT32_MAX}: Kubernetes stores replicas as int32 (got ${String(i.input)})` })
    .default(4),
  storage: storageSize(1, 'MinIO refuses drives smaller than about 1 GiB').default('10Gi'),
  /** URL browsers reach MinIO at, for presigned URLs; without it the api hands out the in-cluster endpoint. */
  publicEndpoint: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((u) => { const url = urlParts(u); return !url || ((url.pathname === '/' || url.pathname === '') && !url.search && !url.hash); }, {
      error: (i) => `must be only scheme, host and port, e.g. https://s3.example.com: the api signs URLs for a host and refuses a path (got ${JSON.stringify(i.input)})`,
      abort: true,
    })
    .refine((u) => { const url = urlParts(u); return !url || (!url.username && !url.password); }, {
      error: 'must not hold a user or password: it is written into the manifests in clear text; MinIO credentials come from the minio-credentials Secret',
    })
    .optional(),
});

/** The bounded load generator Job that shows the api's HPA scaling; only deployed when enabled. */
export const loadgenSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** How long the Job sends requests; it always stops. */
  durationSeconds: wholeNumber(1, 3_600).default(300),
  /** Requests per second in total. */
  requestsPerSecond: wholeNumber(1, 10_000).default(200),
  /** Path of the api the requests go to. */
  path: z.string().regex(/^\/[-a-zA-Z0-9/_.?=&]*$/, { error: 'must be a path such as /sensors' }).default('/sensors'),
});

/** Everything wolke deploys into the cluster. */
export const appsSchema = z.strictObject({
  /** Kubernetes namespace of everything wolke deploys. */
  namespace: dnsLabel(63)
    .refine((ns) => !reservedNamespace(ns), {
      error: (i) =>
        `must not be ${String(i.input)}: it belongs to Kubernetes and k3s (CoreDNS, Traefik), and wolke puts restricted Pod Security and default-deny policies on its namespace; use e.g. wolke`,
    })
    .default('wolke'),
  images: imagesSchema,
  api: apiSchema,
  web: webSchema,
  ingress: ingressSchema.prefault({}),
  topics: topicsSchema,
  buckets: bucketsSchema,
  kafka: kafkaSchema.prefault({}),
  minio: minioSchema.prefault({}),
  processor: processorSchema.prefault({}),
  producer: producerSchema.prefault({}),
  aggregator: aggregatorSchema.prefault({}),
  detector: detectorSchema.prefault({}),
  report: reportSchema.prefault({}),
  loadgen: loadgenSchema.prefault({}),
});
