// The remote Terraform state slice of the model.
import { z } from 'zod';
import { bucketName, stateKey } from '../names';
import { nonEmpty } from './fields';

/** Optional remote Terraform state in an S3-compatible store (e.g. the cloud's object storage). */
export const stateSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/, error: 'must be a URL such as https://s3.example.com' }),
  bucket: bucketName,
  /** Object key of this environment's state; it must name the environment so two never share one. */
  key: stateKey,
  region: nonEmpty.default('us-east-1'),
  pathStyle: z.boolean().default(true),
});
