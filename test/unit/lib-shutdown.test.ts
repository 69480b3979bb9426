// Graceful shutdown: steps run once, in order; a failing or hanging step still ends with a non-zero code.
import { describe, expect, it } from 'vitest';
import { createShutdown } from '../../apps/lib/shutdown';

describe('createShutdown', () => {
  it('runs every step once, in order, aborts the signal and exits 0', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const shutdown = createShutdown({ signals: [], exit: (code) => exits.push(code) });
    shutdown.add('stop consuming', async () => {
      order.push('consumer');
    });
    shutdown.add('close ops server', () => {
      order.push('ops');
    });
    const [first, second] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect(order).toEqual(['consumer', 'ops']);
    expect(first).toBe(0);
    expect(second).toBe(0);
    expect(exits).toEqual([0]);
    expect(shutdown.signal.aborted).toBe(true);
  });

  it('keeps going after a failing step and exits 1', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const shutdown = createShutdown({ signals: [], exit: (code) => exits.push(code) });
    shutdown.add('fails', () => {
      throw new Error('disconnect failed');
    });
    shutdown.add('still runs', () => {
      order.push('ran');
    });
    expect(await shutdown.run('test')).toBe(1);
    expect(order).toEqual(['ran']);
    expect(exits).toEqual([1]);
  });

  it('gives up on a hanging step after the timeout', async () => {
    const exits: number[] = [];
    const shutdown = createShutdown({ signals: [], timeoutMs: 50, exit: (code) => exits.push(code) });
    shutdown.add('hangs', () => new Promise<void>(() => undefined));
    expect(await shutdown.run('test')).toBe(1);
    expect(exits).toEqual([1]);
  });
});
