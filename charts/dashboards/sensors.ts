// The sensors' dashboard: events from the producer through the aggregator and detector to the lake.
import { APP_METRICS as M } from '../../apps/lib/metric-names';
import { THRESHOLDS } from '../alert-rules';
import type { DashboardSpec } from './panel';
import { COUNT_WINDOW, UPLOADS_TOPIC, type NamespaceQueries } from './queries';

/** The sensors' dashboard, its queries scoped by `q` to one namespace. */
export function sensorsDashboard(q: NamespaceQueries): DashboardSpec {
  const { sel, rate, lagByPartition } = q;
  return {
    title: 'Sensors',
    description: 'Sensor events from the producer through the aggregator and detector to the lake.',
    panels: [
      {
        title: 'Event rate',
        description: 'Events Kafka acknowledged to the producer, and events the aggregator and the detector read.',
        unit: 'ops',
        queries: [
          { expr: `sum(${rate(M.producerEventsSent)})`, legend: 'produced' },
          { expr: `sum(${rate(M.aggregatorEventsConsumed)})`, legend: 'aggregator read' },
          { expr: `sum(${rate(M.detectorEventsConsumed)})`, legend: 'detector read' },
        ],
      },
      { title: 'Window averages', description: 'Average of the last closed window of each sensor.', unit: 'short', queries: [{ expr: `max by (sensor) (${sel(M.aggregatorWindowAverage)})`, legend: '{{sensor}}' }] },
      { title: 'Window results written', description: 'Window results the aggregator wrote to the results topic.', unit: 'ops', queries: [{ expr: `sum(${rate(M.aggregatorResultsProduced)})`, legend: 'results' }] },
      {
        title: `Anomalies (${COUNT_WINDOW})`,
        description: 'Anomalies the detector found, by sensor.',
        unit: 'short',
        queries: [{ expr: `sum by (sensor) (increase(${sel(M.detectorAnomalies)}[${COUNT_WINDOW}]))`, legend: '{{sensor}}' }],
      },
      { title: 'Records archived to the lake', description: 'Records the lake sink wrote as Parquet, by topic.', unit: 'ops', queries: [{ expr: `sum by (topic) (${rate(M.lakeRecordsWritten)})`, legend: '{{topic}}' }] },
      {
        title: 'Consumer lag of the sensor consumers',
        description: 'Messages each group has not committed yet, summed over its partitions.',
        unit: 'short',
        queries: [{ expr: `sum by (group, topic) (${lagByPartition(`topic!="${UPLOADS_TOPIC}"`)})`, legend: '{{group}} on {{topic}}' }],
        threshold: THRESHOLDS.consumerLag,
      },
    ],
  };
}
