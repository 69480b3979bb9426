import { describe, expect, it } from 'vitest';
import { parseConsumerPerformance } from '../../../bench/consumer-performance';
import { counterValue, seriesValue } from '../../../bench/prometheus-text';

describe('parseConsumerPerformance', () => {
  const output = [
    'SLF4J: some logging noise',
    'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
    '2026-11-24 00:40:01:123, 2026-11-24 00:40:04:456, 19.0735, 5.7226, 200000, 60006.0006, 512, 2821, 6.7613, 70896.8451',
    '',
  ].join('\n');

  it('reads the message count and the fetch rate', () => {
    expect(parseConsumerPerformance(output)).toEqual({ messages: 200000, fetchMessagesPerSecond: 70896.8451 });
  });

  it('says so when the summary is missing or not numeric', () => {
    expect(() => parseConsumerPerformance('Exception in thread "main"')).toThrow(/no ConsumerPerformance summary/);
    expect(() => parseConsumerPerformance(output.replace('70896.8451', 'n/a'))).toThrow(/fetch.nMsg.sec/);
  });
});

describe('counterValue', () => {
  const exposition = [
    '# HELP aggregator_events_consumed_total Sensor events read.',
    '# TYPE aggregator_events_consumed_total counter',
    'aggregator_events_consumed_total{app="aggregator"} 123456',
    'aggregator_events_consumed_total_created 1.7e9',
    'process_cpu_seconds_total 2.5',
  ].join('\n');

  it('reads a labelled or unlabelled series by its exact name', () => {
    expect(counterValue(exposition, 'aggregator_events_consumed_total')).toBe(123456);
    expect(counterValue(exposition, 'process_cpu_seconds_total')).toBe(2.5);
  });

  it('is undefined for a series that is not there', () => {
    expect(counterValue(exposition, 'aggregator_results_produced_total')).toBeUndefined();
    expect(counterValue(exposition, 'aggregator_events')).toBeUndefined();
  });
});

describe('seriesValue', () => {
  const exposition = [
    'api_http_request_duration_seconds_bucket{le="0.05",method="GET",route="/healthz",app="api"} 10',
    'api_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/images",app="api"} 998',
    'api_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/images",app="api"} 1000',
  ].join('\n');

  it('picks the series whose labels include the given ones', () => {
    expect(seriesValue(exposition, 'api_http_request_duration_seconds_bucket', { route: '/images', le: '0.1' })).toBe(998);
    expect(seriesValue(exposition, 'api_http_request_duration_seconds_bucket', { route: '/images', le: '+Inf' })).toBe(1000);
    expect(seriesValue(exposition, 'api_http_request_duration_seconds_bucket', { route: '/healthz', le: '0.1' })).toBeUndefined();
  });
});
