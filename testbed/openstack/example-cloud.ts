// What the test bed's cloud holds for the example environment: its flavors, image, external network and project.
import { FLAVORS } from '../flavors';

/** Cloud contents the example environment names. */
export const exampleCloud = {
  flavors: Object.entries(FLAVORS).map(([name, f]) => ({ name, vcpus: f.vcpus, ram: f.ramMiB, disk: f.diskGiB })),
  image: 'debian-12-genericcloud-amd64',
  externalNetwork: 'public',
  project: 'wolke-test',
  // A create-before-destroy replacement briefly doubles the servers.
  quotas: {
    compute: { instances: 20, cores: 80, ram: 160 * 1024, key_pairs: 10, server_groups: 10, server_group_members: 20 },
    network: { network: 10, subnet: 10, port: 60, router: 5, floatingip: 20, security_group: 20, security_group_rule: 200 },
  },
};
