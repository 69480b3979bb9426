import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_CLIENT_PORT, SERVICE_NAMES } from '../../../charts/endpoints';

describe('k3s_retire defaults', () => {
  it("check Kafka's partitions on the StatefulSet and port the charts give it", () => {
    const defaults = parse(readFileSync(join(__dirname, '../../../ansible/roles/k3s_retire/defaults/main.yml'), 'utf8'));
    expect(defaults.k3s_retire_kafka_statefulset).toBe(SERVICE_NAMES.kafka);
    expect(defaults.k3s_retire_kafka_port).toBe(KAFKA_CLIENT_PORT);
  });
});
