// The JSON-lines logger: one parseable object per line, level threshold, child fields, errors kept readable.
import { describe, expect, it } from 'vitest';
import { createLogger, enabled, formatLine } from '../../../../apps/lib/log';

describe('log', () => {
  it('writes one JSON object per line with level, time, app, msg and fields', () => {
    const lines: string[] = [];
    const log = createLogger('processor', 'info', (line) => lines.push(line));
    log.info('rendition written', { bucket: 'processed', bytes: 1234 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', app: 'processor', msg: 'rendition written', bucket: 'processed', bytes: 1234 });
    expect(new Date(entry.time as string).toString()).not.toBe('Invalid Date');
  });

  it('drops entries below the level', () => {
    const lines: string[] = [];
    const log = createLogger('api', 'warn', (line) => lines.push(line));
    log.debug('noise');
    log.info('noise');
    log.warn('kept');
    log.error('kept too');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['kept', 'kept too']);
    expect(enabled('debug', 'info')).toBe(false);
    expect(enabled('error', 'debug')).toBe(true);
  });

  it('adds child fields to every line', () => {
    const lines: string[] = [];
    createLogger('aggregator', 'debug', (line) => lines.push(line))
      .child({ sensor: 'A' })
      .debug('window closed', { count: 20 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ sensor: 'A', count: 20, level: 'debug' });
  });

  it('serializes errors with message and stack, and never lets fields override the envelope', () => {
    const line = formatLine({
      level: 'error',
      time: new Date('2026-01-01T00:00:00Z'),
      app: 'setup',
      msg: 'failed',
      fields: { error: new Error('broker down'), app: 'spoofed', level: 'debug' },
    });
    const entry = JSON.parse(line) as { error: { message: string; stack: string }; app: string; level: string };
    expect(entry.error.message).toBe('broker down');
    expect(entry.error.stack).toContain('broker down');
    expect(entry.app).toBe('setup');
    expect(entry.level).toBe('error');
  });
});
