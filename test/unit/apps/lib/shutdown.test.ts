// Graceful shutdown: steps run once, in order; a failing or hanging step still ends with a non-zero code.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../apps/lib/log';
import { createShutdown } from '../../../../apps/lib/shutdown';

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

  it('gives up on a hanging step after the timeout and names it', async () => {
    const exits: number[] = [];
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('test', 'error', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const shutdown = createShutdown({ signals: [], timeoutMs: 50, exit: (code) => exits.push(code), log });
    shutdown.add('returns', () => undefined);
    shutdown.add('hangs', () => new Promise<void>(() => undefined));
    expect(await shutdown.run('test')).toBe(1);
    expect(exits).toEqual([1]);
    expect(lines).toEqual([expect.objectContaining({ msg: 'shutdown timed out', timeoutMs: 50, step: 'hangs' })]);
  });
});

describe('createShutdown on real signals', () => {
  it('survives a repeated signal during cleanup and exits once', async () => {
    const exits: number[] = [];
    let release!: () => void;
    const shutdown = createShutdown({ signals: ['SIGUSR2'], exit: (code) => exits.push(code) });
    shutdown.add('slow cleanup', () => new Promise<void>((resolve) => (release = resolve)));
    process.kill(process.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // With a one-time listener, this second signal would take its default action and kill the test process.
    process.kill(process.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shutdown.signal.aborted).toBe(true);
    release();
    await shutdown.run('test');
    expect(exits).toEqual([0]);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
