// Unit tests of rendition keys: the processor writes them, the API and the local pipeline read them back.
import { describe, expect, it } from 'vitest';
import { parseRenditionKey, renditionKey, stripExtension } from '../../../contracts/rendition-key';

describe('renditionKey', () => {
  const thumb = { name: 'thumb', size: 320, format: 'webp' } as const;
  const preview = { name: 'preview', size: 1280, format: 'jpeg' } as const;
  it('puts the rendition under the source key without its extension', () => {
    expect(renditionKey('photos/cat.jpg', thumb)).toBe('photos/cat/thumb.webp');
    expect(renditionKey('cat.PNG', preview)).toBe('cat/preview.jpeg');
  });
  it('drops the extension and adds <name>.<format>', () => {
    expect(renditionKey('samples/sunset.jpg', { name: 'thumb', format: 'webp' })).toBe('samples/sunset/thumb.webp');
    expect(renditionKey('a.b/c.tar.gz', { name: 'x', format: 'png' })).toBe('a.b/c.tar/x.png');
    expect(renditionKey('noext', { name: 'x', format: 'png' })).toBe('noext/x.png');
    expect(renditionKey('dir.d/.hidden', { name: 'x', format: 'png' })).toBe('dir.d/.hidden/x.png');
  });
  it('strips only the last extension and keeps dots in folder names', () => {
    expect(stripExtension('a/b.tar.gz')).toBe('a/b.tar');
    expect(stripExtension('v1.2/readme')).toBe('v1.2/readme');
    expect(stripExtension('.hidden')).toBe('.hidden');
    expect(stripExtension('my photo (1).jpeg')).toBe('my photo (1)');
  });
  it('is deterministic, so a replay overwrites the same keys', () => {
    expect(renditionKey('x/y.png', thumb)).toBe(renditionKey('x/y.png', thumb));
  });
});

describe('parseRenditionKey', () => {
  it('splits a processed key into source and rendition', () => {
    expect(parseRenditionKey('2026-01-01/abc-cat/thumb.webp')).toEqual({ source: '2026-01-01/abc-cat', name: 'thumb', format: 'webp' });
    expect(parseRenditionKey('cat/thumb.webp')).toEqual({ source: 'cat', name: 'thumb', format: 'webp' });
    expect(parseRenditionKey('stray.webp')).toBeUndefined();
    expect(parseRenditionKey('cat/')).toBeUndefined();
  });
  it('reads back what renditionKey wrote', () => {
    expect(parseRenditionKey(renditionKey('photos/cat.jpg', { name: 'thumb', format: 'webp' }))).toEqual({ source: 'photos/cat', name: 'thumb', format: 'webp' });
  });
});
