import { describe, expect, it } from 'vitest';
import { formatValue, renderChartSvg, renderMarkdown, renderTable } from '../../../bench/report';
import type { BenchmarkResult } from '../../../bench/result';

const result: BenchmarkResult = {
  id: 'P9',
  title: 'Example <pipeline>',
  setup: 'two subjects, two rounds',
  measurements: [
    {
      metric: 'throughput',
      unit: 'events/s',
      better: 'higher',
      results: [
        { subject: 'wolke', samples: [50_000, 70_000], median: 60_000 },
        { subject: 'peer | python', samples: [10_000, 14_000], median: 12_000, note: 'partial' },
      ],
    },
    {
      metric: 'latency p99',
      unit: 'ms',
      better: 'lower',
      results: [
        { subject: 'wolke', samples: [100], median: 100 },
        { subject: 'peer', samples: [400], median: 400 },
      ],
    },
  ],
  targets: [{ description: '≥ 5× the peer', met: true, detail: '5.00×' }],
  notes: ['a note'],
};

describe('formatValue', () => {
  it('keeps precision that suits the size', () => {
    expect(formatValue(123456.7)).toBe('123,457');
    expect(formatValue(123.4)).toBe('123');
    expect(formatValue(12.34)).toBe('12.3');
    expect(formatValue(1.234)).toBe('1.23');
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown([result], {
    date: '2026-11-24T00:00:00Z',
    cpus: 2,
    cpuModel: 'Test CPU',
    node: '20.19.0',
    loadBefore: 1.5,
    loadAfter: 2.5,
    seconds: 300,
  });

  it('compares every subject with the first one, the right way round', () => {
    expect(markdown).toContain('| throughput | peer \\| python | 12,000 events/s | 10,000 / 14,000 | 5.00× | partial |');
    expect(markdown).toContain('| latency p99 | peer | 400 ms | 400 | 4.00× |  |');
  });

  it('states the load and the targets', () => {
    expect(markdown).toContain('load average 1.5 before, 2.5 after');
    expect(markdown).toContain('| ≥ 5× the peer | met | 5.00× |');
  });
});

describe('renderTable and renderChartSvg', () => {
  it('list every subject and escape markup', () => {
    expect(renderTable([result])).toContain('met    P9 ≥ 5× the peer: 5.00×');
    const svg = renderChartSvg([result], 'bench <latest>');
    expect(svg).toContain('bench &lt;latest&gt;');
    expect(svg).toContain('peer | python');
    expect(svg).toContain('12,000 *');
    expect(svg.match(/<rect /g)).toHaveLength(1 + 4);
  });
});
