// Run directories of the test bed: named by time and pid, so a run can tell which directories belong to finished runs.
import { describe, expect, it } from 'vitest';
import { ownerPid, runDirName } from '../../../testbed/run-dir';

describe('run directories', () => {
  it('are named <time>-<pid> and give their pid back', () => {
    const name = runDirName(new Date('2026-11-24T00:15:02.123Z'), 4242);
    expect(name).toBe('20261124T001502-4242');
    expect(ownerPid(name)).toBe(4242);
  });

  it('ignore other names, so nothing else in the folder is ever removed', () => {
    expect(ownerPid('kafka')).toBeUndefined();
    expect(ownerPid('20261124T001502')).toBeUndefined();
    expect(ownerPid('notes-4242')).toBeUndefined();
  });
});
