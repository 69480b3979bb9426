import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, slugifyFilename, uploadKey, uploadRequestSchema } from '../../../../apps/api/upload-request';
import { stripExtension } from '../../../../contracts/rendition-key';

const schema = uploadRequestSchema(10 * 1024 * 1024);

describe('upload request', () => {
  it('accepts an image of an allowed type within the size limit', () => {
    expect(schema.parse({ filename: 'cat.png', contentType: 'image/png', size: 1234 })).toEqual({
      filename: 'cat.png',
      contentType: 'image/png',
      size: 1234,
    });
  });

  it.each([
    [{ filename: 'x.svg', contentType: 'image/svg+xml', size: 10 }, /contentType must be one of image\/jpeg/],
    [{ filename: 'x.exe', contentType: 'application/octet-stream', size: 10 }, /contentType/],
    [{ filename: 'big.jpg', contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 }, /size must be at most 10 MiB \(10485760 bytes\)/],
    [{ filename: 'empty.jpg', contentType: 'image/jpeg', size: 0 }, /size must be at least 1 byte/],
    [{ filename: 'half.jpg', contentType: 'image/jpeg', size: 1.5 }, /whole number/],
    [{ filename: '', contentType: 'image/jpeg', size: 1 }, /filename must not be empty/],
    [{ filename: 'a.jpg', contentType: 'image/jpeg', size: '12' }, /size must be a number/],
    [{ filename: 'a.jpg', contentType: 'image/jpeg', size: 1, bucket: 'other' }, /bucket/],
  ])('refuses %o', (body, message) => {
    const result = schema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message + ' ' + i.path.join('.')).join('; ')).toMatch(message);
  });

  it('derives the key from the day, an id and a slug, with the extension of the content type', () => {
    const key = uploadKey(
      { filename: '../../../../etc/Passwd Ünïcode?.PHP', contentType: 'image/webp', size: 1 },
      new Date('2026-03-04T05:06:07Z'),
      '0b1e3c1a-0000-4000-8000-000000000000',
    );
    expect(key).toBe('2026-03-04/0b1e3c1a-0000-4000-8000-000000000000-etc-passwd-unicode.webp');
    expect(stripExtension(key)).toBe('2026-03-04/0b1e3c1a-0000-4000-8000-000000000000-etc-passwd-unicode');
  });

  it('slugs of any file name are short, safe and never empty', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const slug = slugifyFilename(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(48);
      }),
    );
  });

  it('keys of any file name stay inside one day folder', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 255 }), (filename) => {
        const key = uploadKey({ filename, contentType: 'image/jpeg', size: 1 }, new Date('2026-01-01T00:00:00Z'));
        expect(key).toMatch(/^2026-01-01\/[0-9a-f-]{36}-[a-z0-9-]+\.jpg$/);
        expect(key.split('/')).toHaveLength(2);
      }),
    );
  });
});

describe('byte counts for people', () => {
  it.each([
    [512, '512 bytes'],
    [1536, '1.5 KiB'],
    [50 * 1024 * 1024, '50 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
  ])('%d is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
