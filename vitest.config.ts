import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { testDatabaseUrl, testEnv } from "./dev/harness/test-env";

// One fresh database per run: SQLite by default, PostgreSQL when TEST_POSTGRES_URL is set
// (npm run test:pg). Integration test files run one at a time against it.
// The config is evaluated more than once per run: keep the id in the environment so all agree.
const runId = (process.env.LOYALTY_TEST_RUN_ID ??= `${Date.now()}_${process.pid}`);
const env = testEnv(testDatabaseUrl(runId));
Object.assign(process.env, env); // for the global setup, which runs in this process

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    env,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // Files share the run's database: one at a time, in one process.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
    ],
  },
});
