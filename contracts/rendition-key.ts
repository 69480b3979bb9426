// Where a rendition lives in the processed bucket, and the way back from such a key to its upload and rendition.
import { posix } from 'node:path';

/** The source key without its extension: `photos/cat.jpg` → `photos/cat`; dots in folders are kept. */
export function stripExtension(key: string): string {
  const ext = posix.extname(key);
  return ext === '' ? key : key.slice(0, -ext.length);
}

/** Where a rendition is stored in the processed bucket: `<source key without extension>/<name>.<format>`; deterministic, so a replay overwrites. */
export const renditionKey = (sourceKey: string, rendition: { name: string; format: string }): string =>
  `${stripExtension(sourceKey)}/${rendition.name}.${rendition.format}`;

const renditionKeyPattern = /^(?<source>.+)\/(?<name>[^/.]+)\.(?<format>[a-z0-9]+)$/;

/** Splits a `processed` key into its source and rendition; undefined for keys that do not follow the layout. */
export function parseRenditionKey(key: string): { source: string; name: string; format: string } | undefined {
  const match = renditionKeyPattern.exec(key);
  if (match?.groups === undefined) return undefined;
  const { source, name, format } = match.groups as { source: string; name: string; format: string };
  return { source, name, format };
}
