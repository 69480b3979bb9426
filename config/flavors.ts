// The sizes of the OpenStack flavors wolke knows by name (Nova's classic m1.* defaults), for the model's capacity rule.
/** One flavor as Nova defines it. */
export interface Flavor {
  readonly vcpus: number;
  readonly ramMiB: number;
  readonly diskGiB: number;
}

/**
 * Nova's classic default flavors, which most OpenStack clouds still offer under these names. A cloud may define a
 * name differently, or use names of its own: `cluster.agents.vcpus` and `ramMiB` then give the size.
 */
export const KNOWN_FLAVORS: Readonly<Record<string, Flavor>> = {
  'm1.tiny': { vcpus: 1, ramMiB: 512, diskGiB: 1 },
  'm1.small': { vcpus: 1, ramMiB: 2048, diskGiB: 20 },
  'm1.medium': { vcpus: 2, ramMiB: 4096, diskGiB: 40 },
  'm1.large': { vcpus: 4, ramMiB: 8192, diskGiB: 80 },
  'm1.xlarge': { vcpus: 8, ramMiB: 16384, diskGiB: 160 },
};
