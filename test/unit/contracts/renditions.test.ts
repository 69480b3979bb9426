// Unit tests of the renditions the processor reads: the defaults it shares with the model and the bounds it checks.
import { describe, expect, it } from 'vitest';
import { appsSchema } from '../../../config/schema';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, renditionsSchema } from '../../../contracts/renditions';

describe('renditionsSchema', () => {
  it('has the default renditions of the environment model', () => {
    expect(renditionsSchema.parse(undefined)).toEqual([
      { name: 'thumb', size: 320, format: 'webp', quality: 80, effort: 2 },
      { name: 'preview', size: 1280, format: 'webp', quality: 80, effort: 2 },
    ]);
    const model = appsSchema.shape.processor.unwrap().parse({});
    expect(renditionsSchema.parse(undefined)).toEqual(model.renditions);
    expect([DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES]).toEqual([model.maxPixels, model.maxBytes]);
  });
  it('refuses what the processor cannot encode', () => {
    expect(() => renditionsSchema.parse([{ name: 'thumb', size: 0, format: 'webp' }])).toThrow();
    expect(() => renditionsSchema.parse([{ name: 'x', size: 10, format: 'gif' }])).toThrow();
    expect(() => renditionsSchema.parse([])).toThrow();
  });
});
