// The GitOps slice of the model: an Argo CD Application that syncs the rendered manifests from a repository path.
import { z } from 'zod';
import { dnsLabel } from './names';

/** Argo CD clones https://, ssh:// and scp-like (git@host:org/repo.git) addresses. */
const repositoryUrl = z
  .string()
  .regex(/^(https:\/\/|ssh:\/\/)?[^\s:/@]+(@[^\s:/@]+)?[:/][^\s]+$/, {
    error: (i) => `must be an https://, ssh:// or git@host:org/repo.git repository address (got ${JSON.stringify(i.input)})`,
  })
  .refine((url) => !/^https:\/\/[^/]*@/.test(url), {
    error: 'must not carry credentials: the model is committed; give Argo CD a repository Secret in its namespace instead',
  });

/** A folder inside the repository: relative, no "..", no trailing "/". */
const repositoryPath = z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[\w.-]+(\/[\w.-]+)*$/, {
  error: (i) => `must be a relative folder in the repository such as dist/prod, without ".." (got ${JSON.stringify(i.input)})`,
});

export const gitopsSchema = z
  .strictObject({
    /** Off: Ansible applies the manifests. On: Argo CD syncs them from the repository, pruning and self-healing. */
    enabled: z.boolean().default(false),
    /** Repository that holds the rendered manifests (`npm run synth:k8s` output). Required when enabled. */
    repoUrl: repositoryUrl.optional(),
    /** Branch, tag or commit Argo CD follows. */
    revision: z.string().min(1, { error: 'must not be empty' }).default('main'),
    /** Folder of the rendered manifests in the repository; dist/<environment name>, where synth:k8s writes, if left out. */
    path: repositoryPath.optional(),
    /** Namespace Argo CD runs in (its Applications and AppProjects live there). */
    argocdNamespace: dnsLabel(63).default('argocd'),
  })
  .refine((g) => !g.enabled || g.repoUrl !== undefined, {
    path: ['repoUrl'],
    error: 'is required when gitops.enabled is true: the repository Argo CD syncs the rendered manifests from',
  });

export type GitOps = z.infer<typeof gitopsSchema>;
