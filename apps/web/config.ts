// The web server's configuration from environment variables.
import { resolve } from 'node:path';
import { z } from 'zod';
import { commonEnv, httpUrl, readConfig } from '../lib/config';

export const webEnv = commonEnv.extend({
  /** Folder of the built UI (`npm run build:web`). */
  WEB_ROOT: z.string().min(1).default(resolve(__dirname, '..', '..', 'dist', 'web')),
  /** Local mode only: the API that /api/* is proxied to, prefix stripped. In the cluster Traefik does this. */
  API_PROXY_TARGET: httpUrl.optional(),
});

export type WebConfig = z.infer<typeof webEnv>;

export function readWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  return readConfig(webEnv, env);
}
