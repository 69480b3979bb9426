import { describe, expect, it } from 'vitest';
import { appsSchema, detectorSchema, kafkaSchema, minioSchema, processorSchema, producerSchema, reportSchema } from '../../../../config/schema';
import { exampleInput } from '../../../support/environments';

/** The example's apps section without the given optional sections. */
function appsWithout(...sections: string[]) {
  const apps = { ...exampleInput().apps };
  for (const section of sections) delete apps[section];
  return apps;
}

describe('apps schema', () => {
  const optional = ['ingress', 'kafka', 'minio', 'processor', 'producer', 'aggregator', 'detector', 'report', 'loadgen'];

  it('fills a section left out with the defaults of its fields, exactly as an empty one', () => {
    const omitted = appsSchema.parse(appsWithout(...optional));
    const empty = appsSchema.parse({ ...appsWithout(...optional), ...Object.fromEntries(optional.map((s) => [s, {}])) });
    expect(omitted).toEqual(empty);
    expect(omitted.kafka).toEqual(kafkaSchema.parse({}));
    expect(omitted.kafka).toEqual({ replicas: 3, storage: '10Gi' });
    expect(omitted.minio).toEqual({ replicas: 4, storage: '10Gi' });
    expect(omitted.processor).toEqual(processorSchema.parse({}));
    expect(omitted.producer).toEqual(producerSchema.parse({}));
    expect(omitted.detector).toEqual(detectorSchema.parse({}));
    expect(omitted.report).toEqual(reportSchema.parse({}));
  });

  it('checks a section left out by the same rules as one written out', () => {
    const result = minioSchema.safeParse({ replicas: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['replicas']);
  });
});
