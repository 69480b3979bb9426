// Unit tests of the release and scale edits of an environment YAML (pure; no files written, no cluster).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environmentsDir } from '../../../../config/load';
import { ConfigError } from '../../../../config/errors';
import { describeChanges, releasedApps, setImageVersions, setReplicas } from '../../../../scripts/release/model-edits';

const example = readFileSync(join(environmentsDir, 'example.yaml'), 'utf8');
const comments = (text: string) => text.split('\n').filter((l) => l.trimStart().startsWith('#'));

describe('setImageVersions', () => {
  it('moves every wolke image, and only those, to the version', () => {
    const edit = setImageVersions(example, '0.2.0');
    expect(edit.changes.map((c) => c.path)).toEqual(releasedApps.map((a) => `apps.images.${a}.version`));
    for (const app of releasedApps) expect(edit.env.apps.images[app].version).toBe('0.2.0');
    expect(edit.env.apps.images.kafka.version).toBe('4.4.0');
    expect(edit.env.apps.images.minio.version).toBe('RELEASE.2025-10-15T17-29-55Z');
  });

  it('keeps comments and leaves every other line as it was', () => {
    const edit = setImageVersions(example, '0.2.0', ['api']);
    expect(comments(edit.text)).toEqual(comments(example));
    const before = example.split('\n');
    const after = edit.text.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['    api: { image: registry.example.com/wolke/api, version: 0.2.0 }']);
  });

  it('releases one named app, Kafka included', () => {
    const edit = setImageVersions(example, '4.5.0', ['kafka']);
    expect(edit.changes).toEqual([{ path: 'apps.images.kafka.version', from: '4.4.0', to: '4.5.0' }]);
    expect(edit.env.apps.images.api.version).toBe('0.1.0');
  });

  it('keeps a version that looks like a number a string', () => {
    const edit = setImageVersions(example, '1.10', ['web']);
    expect((parse(edit.text) as { apps: { images: { web: { version: unknown } } } }).apps.images.web.version).toBe('1.10');
  });

  it('reports no change when the version is already there', () => {
    const edit = setImageVersions(example, '0.1.0', ['api']);
    expect(edit.changes).toEqual([]);
    expect(edit.text).toBe(example);
  });

  it('refuses an unknown app and an invalid version, naming them', () => {
    expect(() => setImageVersions(example, '0.2.0', ['databse'])).toThrow(/unknown app databse/);
    expect(() => setImageVersions(example, 'latest!', ['api'])).toThrow(ConfigError);
    expect(() => setImageVersions(example, 'latest!', ['api'])).toThrow(/latest!/);
  });
});

describe('setReplicas', () => {
  it('scales the web tier', () => {
    const edit = setReplicas(example, 'web', 5);
    expect(edit.changes).toEqual([{ path: 'apps.web.replicas', from: 2, to: 5 }]);
    expect(edit.env.apps.web.replicas).toBe(5);
    expect(comments(edit.text)).toEqual(comments(example));
  });

  it('scales a workload whose section the file leaves to the defaults', () => {
    const edit = setReplicas(example, 'processor', 3);
    expect(edit.changes).toEqual([{ path: 'apps.processor.replicas', from: 2, to: 3 }]);
    expect(edit.env.apps.processor.replicas).toBe(3);
    expect(edit.env.apps.processor.renditions.map((r) => r.name)).toEqual(['thumb', 'preview']);
  });

  it('raises the HPA ceiling with the API floor', () => {
    const edit = setReplicas(example, 'api', 8);
    expect(describeChanges(edit.changes)).toEqual(['apps.api.minReplicas: 2 -> 8', 'apps.api.maxReplicas: 6 -> 8']);
    expect(edit.env.apps.api).toMatchObject({ minReplicas: 8, maxReplicas: 8 });
  });

  it('keeps the model rules: no more processors than partitions', () => {
    expect(() => setReplicas(example, 'processor', 7)).toThrow(/apps\.processor\.replicas.*partitions/s);
  });

  it('refuses unknown apps and replica counts below one', () => {
    expect(() => setReplicas(example, 'kafka', 5)).toThrow(/unknown app "kafka"/);
    expect(() => setReplicas(example, 'web', 0)).toThrow(/at least 1/);
    expect(() => setReplicas(example, 'web', 1.5)).toThrow(/whole number/);
  });
});
