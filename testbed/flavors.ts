// CPU, memory and disk of the OpenStack flavors the environments name, so test-bed nodes have the capacity real ones would.
import { KNOWN_FLAVORS, type Flavor } from '../config/flavors';

export type { Flavor } from '../config/flavors';

/** The flavors the test beds create: the ones the model knows by name, so every environment it accepts can be built. */
export const FLAVORS: Readonly<Record<string, Flavor>> = KNOWN_FLAVORS;

/** The flavor called `name`; an unknown name is an error that lists the known ones. */
export function flavor(name: string): Flavor {
  const found = FLAVORS[name];
  if (!found) throw new Error(`unknown flavor ${name}; the test bed knows ${Object.keys(FLAVORS).join(', ')}`);
  return found;
}
