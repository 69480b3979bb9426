import { describe, expect, it } from 'vitest';
import { completionTimes } from '../../../bench/completions';

const at = (ms: number): Date => new Date(1_700_000_000_000 + ms);
const files = ['thumb.webp', 'preview.webp'];

describe('completionTimes', () => {
  it('takes the time of the last rendition of each upload', () => {
    const done = completionTimes(
      [
        { key: 'run/photo-1/thumb.webp', lastModified: at(100) },
        { key: 'run/photo-1/preview.webp', lastModified: at(250) },
        { key: 'run/photo-2/preview.webp', lastModified: at(300) },
        { key: 'run/photo-2/thumb.webp', lastModified: at(120) },
      ],
      files,
    );
    expect(done).toEqual(
      new Map([
        ['run/photo-1', at(250).getTime()],
        ['run/photo-2', at(300).getTime()],
      ]),
    );
  });

  it('leaves out uploads with a rendition still missing, and objects that are no rendition', () => {
    const done = completionTimes(
      [
        { key: 'run/photo-3/thumb.webp', lastModified: at(1) },
        { key: 'run/photo-4/other.png', lastModified: at(2) },
        { key: 'thumb.webp', lastModified: at(3) },
      ],
      files,
    );
    expect(done.size).toBe(0);
  });
});
