import { defineConfig } from 'vitest/config';

// Three layers (../shared/STYLE.md): unit tests sit beside the code, integration tests talk to the
// real Kafka broker and ClickHouse server that scripts/services.sh starts, golden tests pin outputs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/cli/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'golden',
          include: ['test/golden/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One broker and one server for the whole run: files take turns.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
