import { describe, expect, it } from 'vitest';
import { agentsSchema, serversSchema } from '../../../../config/schema';

describe('cluster schema', () => {
  it("reports an agent flavor's missing size on the field that is missing", () => {
    const result = agentsSchema.safeParse({ count: 2, flavor: 'custom', vcpus: 4 });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['ramMiB']]);
  });

  it('refuses an even number of servers on the count', () => {
    expect(serversSchema.safeParse({ count: 2, flavor: 'm1.medium' }).error?.issues.map((i) => i.path)).toEqual([['count']]);
  });
});
