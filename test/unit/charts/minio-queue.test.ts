import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadEnvironment } from '../../../config/load';
import { manifestsYaml } from '../../../charts/manifests';

describe('MinIO event queue', () => {
  it('queues notifications on a volume of its own, so events survive a Kafka outage and a pod restart', () => {
    const objects = parseAllDocuments(manifestsYaml(loadEnvironment('example', ''))).map((d) => d.toJS());
    const minio = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'minio');
    const container = minio.spec.template.spec.containers[0];
    const queueDir = container.env.find((e: any) => e.name === 'MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY')?.value;
    expect(queueDir).toBe('/var/lib/minio-events');
    const mount = container.volumeMounts.find((m: any) => m.mountPath === queueDir);
    expect(minio.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toContain(mount.name);
    expect(queueDir.startsWith('/data')).toBe(false);
  });
});
