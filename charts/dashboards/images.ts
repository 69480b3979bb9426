// The image pipeline's dashboard: uploads through the processor, renditions, dead letters, lag and time per object.
import { APP_METRICS as M } from '../../apps/lib/metric-names';
import { THRESHOLDS } from '../alert-rules';
import type { DashboardSpec } from './panel';
import { COUNT_WINDOW, UPLOADS_TOPIC, type NamespaceQueries } from './queries';

/** The image pipeline's dashboard, its queries scoped by `q` to one namespace. */
export function imagesDashboard(q: NamespaceQueries): DashboardSpec {
  const { sel, rate, quantiles, lagByPartition } = q;
  return {
    title: 'Image pipeline',
    description: 'Uploads through the processor: what it handles, the renditions it writes, dead letters, lag and time per object.',
    panels: [
      { title: 'Uploads handled', description: 'Objects the processors finished, by result.', unit: 'ops', queries: [{ expr: `sum by (result) (${rate(M.processorObjects)})`, legend: '{{result}}' }] },
      { title: 'Renditions written', description: 'Renditions written to the processed bucket, by rendition.', unit: 'ops', queries: [{ expr: `sum by (rendition) (${rate(M.processorRenditions)})`, legend: '{{rendition}}' }] },
      {
        title: `Dead letters (${COUNT_WINDOW})`,
        description: 'Uploads sent to the dead-letter topic, by reason (the ProcessorDeadLetters alert).',
        unit: 'short',
        queries: [{ expr: `sum by (reason) (increase(${sel(M.processorDeadLetters)}[${COUNT_WINDOW}]))`, legend: '{{reason}}' }],
      },
      {
        title: 'Consumer lag of the uploads',
        description: `Notifications on ${UPLOADS_TOPIC} the processor group has not committed yet.`,
        unit: 'short',
        queries: [{ expr: `sum by (group) (${lagByPartition(`topic="${UPLOADS_TOPIC}"`)})`, legend: '{{group}}' }],
        threshold: THRESHOLDS.consumerLag,
      },
      { title: 'Time per object', description: 'From stat to the last rendition uploaded.', unit: 's', queries: quantiles(M.processorObjectSeconds, [0.5, 0.95, 0.99]) },
      {
        title: 'Retries and refusals',
        description: 'Attempts retried with backoff per second, and 1 while MinIO refuses the processor.',
        unit: 'short',
        queries: [
          { expr: `sum(${rate(M.processorTransientFailures)})`, legend: 'retried attempts/s' },
          { expr: `max(${sel(M.processorStorageRefused)})`, legend: 'storage refused' },
        ],
      },
    ],
  };
}
