// Lists the objects of a MinIO bucket (optionally under a prefix) with size and time.
// Usage: npx tsx --env-file=<pipeline.env> scripts/list-objects.ts <bucket> [prefix]
import { minioEnv, readConfig } from '../apps/lib/config';
import { createMinio } from '../apps/lib/minio';

async function main(): Promise<void> {
  const [bucket, prefix = ''] = process.argv.slice(2);
  if (!bucket) {
    console.error('usage: npx tsx scripts/list-objects.ts <bucket> [prefix]   (MINIO_* must be set)');
    process.exit(2);
  }
  const client = createMinio(readConfig(minioEnv));
  let count = 0;
  for await (const item of client.listObjectsV2(bucket, prefix, true)) {
    const object = item as { name?: string; size?: number; lastModified?: Date };
    if (!object.name) continue;
    count++;
    console.log(`${object.lastModified?.toISOString() ?? ''}  ${String(object.size ?? 0).padStart(10)}  ${bucket}/${object.name}`);
  }
  console.error(`${count} object(s) in ${bucket}/${prefix}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
