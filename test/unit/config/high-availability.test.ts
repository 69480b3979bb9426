import { describe, expect, it } from 'vitest';
import { HA_MIN_SERVERS, isHighlyAvailable } from '../../../config/high-availability';
import { portMatrix } from '../../../stacks/port-matrix';

describe('isHighlyAvailable', () => {
  it('is true from 3 servers, the fewest with which etcd keeps a majority after losing one', () => {
    expect(HA_MIN_SERVERS).toBe(3);
    expect([1, 3, 5, 7].map(isHighlyAvailable)).toEqual([false, true, true, true]);
  });

  it('is what opens etcd and the API between servers in the port matrix', () => {
    const betweenServers = (servers: number) =>
      portMatrix({ servers, wireguard: false }).filter((r) => r.from === 'servers' && r.to === 'servers' && r.portMin === 2379);
    expect(betweenServers(1)).toEqual([]);
    expect(betweenServers(3)).toHaveLength(1);
  });
});
