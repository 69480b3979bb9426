// CPU, memory and disk of the OpenStack flavors the environments name, so test-bed nodes have the capacity real ones would.
/** One flavor as nova defines it. */
export interface Flavor {
  readonly vcpus: number;
  readonly ramMiB: number;
  readonly diskGiB: number;
}

/** The flavors of the example environment (the OpenStack test bed creates the same ones). */
export const FLAVORS: Readonly<Record<string, Flavor>> = {
  'm1.medium': { vcpus: 2, ramMiB: 4096, diskGiB: 40 },
  'm1.large': { vcpus: 4, ramMiB: 8192, diskGiB: 80 },
  // What a flavor change of the example moves its agents to.
  'm1.xlarge': { vcpus: 8, ramMiB: 16384, diskGiB: 160 },
};

/** The flavor called `name`; an unknown name is an error that lists the known ones. */
export function flavor(name: string): Flavor {
  const found = FLAVORS[name];
  if (!found) throw new Error(`unknown flavor ${name}; the test bed knows ${Object.keys(FLAVORS).join(', ')}`);
  return found;
}
