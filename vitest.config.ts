import { defineConfig } from 'vitest/config';

// Five projects: `unit` runs no processes; `iac` runs terraform and linters on synthesized output;
// `integration` talks to the real Kafka and MinIO that the test bed starts; `lifecycle` runs the README's
// cdktf deploy/diff/destroy against the real OpenStack test bed and SSH hosts; `k8s` deploys the manifests to the
// test bed's real Kubernetes control plane (kwok for the nodes) and asserts on what the API server reports.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'iac',
          include: ['test/iac/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          globalSetup: ['test/iac/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One Kafka and one MinIO on a 2-core box: test files take turns in one worker.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'lifecycle',
          include: ['test/lifecycle/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          // One OpenStack test bed: the lifecycle steps run in order, in one worker.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          // Last when everything runs in one vitest; `npm test` (scripts/test.sh) runs it beside k8s instead.
          sequence: { concurrent: false, groupOrder: 2 },
          globalSetup: ['test/lifecycle/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'k8s',
          include: ['test/k8s/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // One control plane for the project; the deploy steps build on each other, so files take turns.
          pool: 'forks',
          // After unit, iac and integration: the chaos tests' timing must not share 2 cores with deploys.
          // `npm test` (scripts/test.sh) runs it in a vitest process of its own, beside lifecycle.
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ['test/k8s/global-setup.ts'],
        },
      },
    ],
  },
});
