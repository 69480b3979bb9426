// Unit tests of StorageAccess: a refusal is logged once and reported until MinIO accepts the same activity again.
import { describe, expect, it } from 'vitest';
import { StorageAccess, refusalCode } from '../../../../apps/lib/storage-access';

const recorder = () => {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    log: {
      error: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'error', msg, fields }),
      info: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'info', msg, fields }),
    },
  };
};

describe('StorageAccess', () => {
  it('logs the first refusal as an error, and the recovery once', () => {
    const { lines, log } = recorder();
    const changes: boolean[] = [];
    const access = new StorageAccess(log, (refused) => void changes.push(refused));
    access.refused('AccessDenied', 'Access Denied.', 'uploads/a.jpg');
    access.refused('AccessDenied', 'Access Denied.', 'uploads/b.jpg');
    expect(access.current).toMatchObject({ code: 'AccessDenied', during: 'uploads/b.jpg' });
    access.accepted();
    access.accepted();
    expect(access.current).toBeUndefined();
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
    expect(lines[0]!.fields).toMatchObject({ code: 'AccessDenied', during: 'uploads/a.jpg' });
    expect(changes).toEqual([true, false]);
  });
  it('clears a refusal only by the same activity when one is named', () => {
    const { log } = recorder();
    const access = new StorageAccess(log);
    access.refused('AccessDenied', 'denied', 'uploads/a.jpg');
    access.accepted('bucket access check');
    expect(access.current?.code).toBe('AccessDenied');
    access.accepted('uploads/a.jpg');
    expect(access.current).toBeUndefined();
  });
});

describe('refusalCode', () => {
  it('names refusals of the app and nothing else', () => {
    expect(refusalCode({ code: 'AccessDenied' })).toBe('AccessDenied');
    expect(refusalCode({ code: 'NoSuchBucket' })).toBe('NoSuchBucket');
    expect(refusalCode({ code: 'NoSuchKey' })).toBeUndefined();
    expect(refusalCode(new Error('x'))).toBeUndefined();
    expect(refusalCode(null)).toBeUndefined();
  });
});
