// Whether a cluster is highly available: the one place that says how many servers that takes, for every layer.

/** Servers from which the cluster survives losing one: embedded etcd keeps a majority (2 of 3) and the API stays up. */
export const HA_MIN_SERVERS = 3;

/** True when the servers, as the model counts them (always odd), form a highly available control plane. */
export function isHighlyAvailable(servers: number): boolean {
  return servers >= HA_MIN_SERVERS;
}
