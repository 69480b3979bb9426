// The typed model of one wolke environment: every layer (cdktf, Ansible, cdk8s, apps) reads this.
import { z } from 'zod';

/** Admin CIDRs that open SSH and the Kubernetes API to everyone; allowed only with allowWorldAccess. */
export const worldCidrs: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** An IPv4 or IPv6 network in CIDR notation. */
export const cidr = z
  .string()
  .refine((v) => z.cidrv4().safeParse(v).success || z.cidrv6().safeParse(v).success, {
    error: (issue) => `must be a CIDR such as 10.0.0.0/24 or 2001:db8::/64 (got ${JSON.stringify(issue.input)})`,
  });

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, {
    error: 'must be a lowercase DNS label: letters, digits and "-", starting with a letter, at most 32 characters',
  });

const nonEmpty = z.string().min(1, { error: 'must not be empty' });

/** A container image without its tag, e.g. `docker.io/apache/kafka`; the tag is the separate version. */
const imageRepository = z
  .string()
  .regex(/^([a-z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
    error: 'must be an image name without a tag, e.g. docker.io/apache/kafka',
  });

const imageVersion = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be an image tag such as 1.4.2' });

/** An image and its version: a version change is a release that `cdktf diff` and the manifest diff show. */
export const image = z.strictObject({
  /** Repository of the image, without tag. */
  image: imageRepository,
  /** Tag of the image. */
  version: imageVersion,
});

const positiveInt = z.number().int({ error: 'must be a whole number' }).positive({ error: 'must be at least 1' });

/** Where a file comes from in an airgapped install: a local path or a URL, checked against its sha256. */
const artifact = z
  .strictObject({
    /** Local path on the machine that runs Ansible. */
    path: z.string().min(1).optional(),
    /** URL Ansible downloads from (https). */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** sha256 of the file, 64 hex digits. */
    sha256: z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be 64 lowercase hex digits' }),
  })
  .refine((a) => (a.path === undefined) !== (a.url === undefined), { error: 'give exactly one of path or url' });

const nodePool = z.strictObject({
  /** How many nodes of this role. */
  count: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }),
  /** OpenStack flavor name of these nodes. */
  flavor: nonEmpty,
});

export const openstackSchema = z
  .strictObject({
    /** Name of the external (provider) network that floating IPs come from. */
    externalNetwork: nonEmpty,
    /** Reuse an existing network by name, or create one with this subnet CIDR (and a router). */
    network: z.union(
      [
        z.strictObject({ existing: nonEmpty, subnet: nonEmpty.optional() }),
        z.strictObject({
          cidr,
          /** DNS servers handed out by DHCP on the new subnet. */
          dnsNameservers: z.array(z.ipv4({ error: 'must be an IPv4 address' })).default([]),
        }),
      ],
      { error: 'must be either { existing: <network name> } or { cidr: <subnet CIDR> }' },
    ),
    /** Glance image, by name or id, that every node boots. */
    image: nonEmpty,
    /** Login user of that image, used by Ansible. */
    sshUser: nonEmpty.default('debian'),
    /** The keypair: created from the public key when one is given, otherwise an existing keypair of that name. */
    keypair: z
      .strictObject({
        name: nonEmpty,
        /** Path of an OpenSSH public key, relative to the environment file; the loader reads it into publicKey. */
        publicKeyFile: nonEmpty.optional(),
        /** An OpenSSH public key, inline. */
        publicKey: z
          .string()
          .trim()
          .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/, {
            error: 'must be one OpenSSH public key line, e.g. "ssh-ed25519 AAAA... you@laptop"',
          })
          .optional(),
      }),
    /** Availability zones the nodes are spread over, round robin. */
    availabilityZones: z.array(nonEmpty).min(1, { error: 'must name at least one availability zone' }),
    /** Networks allowed to reach SSH (22) and the Kubernetes API (6443). */
    adminCidrs: z.array(cidr).min(1, { error: 'must name at least one admin CIDR (your VPN range)' }),
    /** Networks allowed to reach the web ingress (80, 443) on the agents; the web app is public by default. */
    ingressCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
    /** Placement of nodes of one role: anti-affinity (hard, needs as many hypervisors) or soft-anti-affinity. */
    serverGroupPolicy: z.enum(['anti-affinity', 'soft-anti-affinity']).default('anti-affinity'),
    /** Explicit opt-in to allow 0.0.0.0/0 or ::/0 in adminCidrs. */
    allowWorldAccess: z.boolean().default(false),
    /** Boot from a Cinder volume of this many GiB instead of the flavor's disk. */
    bootVolumeSize: positiveInt.optional(),
  })
  .superRefine((os, ctx) => {
    if (os.allowWorldAccess) return;
    os.adminCidrs.forEach((c, i) => {
      if (worldCidrs.has(c)) {
        ctx.addIssue({
          code: 'custom',
          path: ['adminCidrs', i],
          message: `${c} opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it`,
        });
      }
    });
  });

export const clusterSchema = z.strictObject({
  /** k3s release installed on every node, e.g. v1.31.4+k3s1. */
  k3sVersion: z
    .string()
    .regex(/^v1\.\d+\.\d+\+k3s\d+$/, { error: 'must be a k3s release such as v1.31.4+k3s1' }),
  /** Servers (control plane). 1, or an odd number for embedded etcd. */
  servers: nodePool.extend({
    count: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1', abort: true })
      .refine((n) => n % 2 === 1, {
        error: (issue) => `must be odd so embedded etcd keeps quorum (got ${String(issue.input)})`,
      }),
  }),
  /** Agents (workers) that run the apps. */
  agents: nodePool,
  /** Flannel backend: wireguard-native encrypts traffic between nodes (opens 51820-51821/udp). */
  wireguard: z.boolean().default(false),
  /** Airgapped install: the k3s binary and images tarball instead of the online installer. */
  airgap: z.strictObject({ binary: artifact, images: artifact }).optional(),
});

const topic = z.strictObject({
  partitions: positiveInt,
  replication: positiveInt,
});

export const appsSchema = z.strictObject({
  /** Kubernetes namespace of everything wolke deploys. */
  namespace: dnsLabel.default('wolke'),
  /** Images and versions of every workload. */
  images: z.strictObject({
    api: image,
    web: image,
    processor: image,
    producer: image,
    aggregator: image,
    /** Creates topics, buckets and the bucket notification (a Job). */
    setup: image,
    /** Bounded HTTP load generator (a Job) that shows the HPA scaling. */
    loadgen: image,
    kafka: image,
    minio: image,
  }),
  /** The API tier: scaled by an HPA on CPU. */
  api: z
    .strictObject({
      minReplicas: positiveInt.default(2),
      maxReplicas: positiveInt.default(6),
      /** Average CPU utilisation (percent of requests) the HPA aims for. */
      cpuTarget: z.number().int().min(10).max(95).default(70),
    })
    .refine((a) => a.maxReplicas >= a.minReplicas, {
      error: 'maxReplicas must not be below minReplicas',
      path: ['maxReplicas'],
    }),
  /** The web UI tier. */
  web: z.strictObject({ replicas: positiveInt.default(2) }),
  /** Public host name of the ingress; without it the ingress answers any host. */
  ingress: z
    .strictObject({
      host: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a DNS name' }).optional(),
      /** Name of an existing TLS Secret; enables the websecure entrypoint with TLS. */
      tlsSecret: dnsLabel.optional(),
    })
    .default({}),
  /** Kafka topics with their partitions and replication factor. */
  topics: z.strictObject({
    events: topic,
    results: topic,
    'minio-events': topic,
    'minio-events.dlq': topic,
  }),
  /** Buckets: uploads are processed into renditions in processed. */
  buckets: z.strictObject({ uploads: dnsLabel, processed: dnsLabel }),
  kafka: z.strictObject({ replicas: positiveInt.default(3), storage: nonEmpty.default('10Gi') }).default({
    replicas: 3,
    storage: '10Gi',
  }),
  minio: z
    .strictObject({
      replicas: z
        .number()
        .int()
        .refine((n) => n === 1 || (n >= 4 && n % 2 === 0), {
          error: (issue) => `must be 1, or an even number of at least 4 for erasure coding (got ${String(issue.input)})`,
        })
        .default(4),
      storage: nonEmpty.default('10Gi'),
      /** URL browsers reach MinIO at, for presigned URLs; without it the api hands out the in-cluster endpoint. */
      publicEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    })
    .default({ replicas: 4, storage: '10Gi' }),
  processor: z
    .strictObject({
      replicas: positiveInt.default(2),
      renditions: z
        .array(
          z.strictObject({
            name: dnsLabel,
            /** Longest side in pixels; aspect ratio is kept. */
            size: positiveInt,
            format: z.enum(['jpeg', 'webp', 'png', 'avif']),
          }),
        )
        .min(1)
        .default([
          { name: 'thumb', size: 320, format: 'webp' },
          { name: 'preview', size: 1280, format: 'webp' },
        ]),
      /** Largest image accepted, in pixels (guards against decompression bombs). */
      maxPixels: positiveInt.default(40_000_000),
      /** Largest object accepted, in bytes. */
      maxBytes: positiveInt.default(50 * 1024 * 1024),
    })
    .default({
      replicas: 2,
      renditions: [
        { name: 'thumb', size: 320, format: 'webp' },
        { name: 'preview', size: 1280, format: 'webp' },
      ],
      maxPixels: 40_000_000,
      maxBytes: 50 * 1024 * 1024,
    }),
  producer: z
    .strictObject({
      sensors: z.array(nonEmpty).min(1).default(['A', 'B', 'C']),
      /** Events per second in total. */
      ratePerSecond: z.number().positive().default(10),
    })
    .default({ sensors: ['A', 'B', 'C'], ratePerSecond: 10 }),
  aggregator: z
    .strictObject({
      /** Count window per sensor: one average every this many events. */
      window: positiveInt.default(20),
    })
    .default({ window: 20 }),
  /** The bounded load generator Job that shows the api's HPA scaling; only deployed when enabled. */
  loadgen: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** How long the Job sends requests; it always stops. */
      durationSeconds: positiveInt.max(3_600).default(300),
      /** Requests per second in total. */
      requestsPerSecond: positiveInt.max(10_000).default(200),
      /** Path of the api the requests go to. */
      path: z.string().regex(/^\/[-a-zA-Z0-9/_.?=&]*$/, { error: 'must be a path such as /sensors' }).default('/sensors'),
    })
    .default({ enabled: false, durationSeconds: 300, requestsPerSecond: 200, path: '/sensors' }),
});

/** Optional remote Terraform state in an S3-compatible store (e.g. the cloud's object storage). */
export const stateSchema = z.strictObject({
  endpoint: z.url({ error: 'must be a URL such as https://s3.example.com' }),
  bucket: nonEmpty,
  key: nonEmpty,
  region: nonEmpty.default('us-east-1'),
  pathStyle: z.boolean().default(true),
});

export const environmentSchema = z
  .strictObject({
    /** Environment name: names the stack, the resources and the manifests folder. */
    name: dnsLabel,
    openstack: openstackSchema,
    cluster: clusterSchema,
    apps: appsSchema,
    state: stateSchema.optional(),
  })
  .superRefine((env, ctx) => {
    const { agents } = env.cluster;
    for (const [name, t] of Object.entries(env.apps.topics)) {
      if (t.replication > env.apps.kafka.replicas) {
        ctx.addIssue({
          code: 'custom',
          path: ['apps', 'topics', name, 'replication'],
          message: `must not exceed apps.kafka.replicas (${env.apps.kafka.replicas}) (got ${t.replication})`,
        });
      }
    }
    if (env.apps.processor.replicas > env.apps.topics['minio-events'].partitions) {
      ctx.addIssue({
        code: 'custom',
        path: ['apps', 'processor', 'replicas'],
        message: `must not exceed the partitions of topic minio-events (${env.apps.topics['minio-events'].partitions}); extra replicas would sit idle`,
      });
    }
    if (agents.count === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'agents', 'count'],
        message: 'must be at least 1: servers are tainted NoSchedule, so the apps need agents',
      });
    }
  });

/** The validated environment, as every layer sees it. */
export type Environment = z.infer<typeof environmentSchema>;
/** The environment as written in YAML, before defaults. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
