// The k3s release a cluster runs: the installer's version format, and the oldest minor wolke's manifests work on.
import { z } from 'zod';

/** Oldest Kubernetes minor: Pod Security admission (the namespace's "restricted" labels) is GA from 1.25 on. */
const OLDEST_K3S_MINOR = 25;

/** `v1.36.4+k3s1`, or a release candidate `v1.36.4-rc1+k3s1`: the tags of k3s's GitHub releases. */
const release = /^v1\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-rc[1-9]\d*)?\+k3s[1-9]\d*$/;

export const k3sVersion = z
  .string()
  .regex(release, { error: 'must be a k3s release such as v1.36.4+k3s1', abort: true })
  .refine((v) => Number(release.exec(v)?.[1]) >= OLDEST_K3S_MINOR, {
    error: (i) =>
      `must be v1.${OLDEST_K3S_MINOR} or newer: older Kubernetes ignores the namespace's Pod Security labels, so pods would run unrestricted (got ${String(i.input)})`,
  });
