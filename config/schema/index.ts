// The typed model of one wolke environment: every layer (cdktf, Ansible, cdk8s, apps) reads this.
// Each rule follows what the receiving system (OpenStack, Kubernetes, k3s, Kafka, MinIO) would refuse later; the
// slices (openstack, cluster, apps, monitoring, state) hold the rules of their own fields.
import { z } from 'zod';
import { consistencyRules } from '../consistency';
import { gitopsSchema } from '../gitops-schema';
import { appsSchema } from './apps';
import { clusterSchema } from './cluster';
import { whenValid } from './fields';
import { monitoringSchema } from './monitoring';
import { openstackSchema } from './openstack';
import { stateSchema } from './state';

export * from './apps';
export * from './cluster';
export * from './monitoring';
export * from './openstack';
export * from './processor';
export * from './sensors';
export * from './state';

const environmentFields = z.strictObject({
  /** Environment name: names the stack, the resources and the manifests folder; equals the file's name. */
  name: z.string().regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, {
    error: 'must be a lowercase DNS label: letters, digits and "-", starting with a letter, at most 32 characters',
  }),
  openstack: openstackSchema,
  cluster: clusterSchema,
  apps: appsSchema,
  gitops: gitopsSchema.prefault({}),
  monitoring: monitoringSchema.prefault({}),
  state: stateSchema.optional(),
});

/** Every field valid on its own; the rules between fields (consistency.ts) read this. */
export type EnvironmentFields = z.infer<typeof environmentFields>;

export const environmentSchema = environmentFields.superRefine(consistencyRules, whenValid);

/** The validated environment, as every layer sees it. */
export type Environment = z.infer<typeof environmentSchema>;
/** The environment as written in YAML, before defaults. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
