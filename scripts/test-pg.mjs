// `npm run test:pg`: the integration suite against PostgreSQL (a fresh database per run).
// TEST_POSTGRES_URL defaults to the machine's local server.
import { spawnSync } from "node:child_process";
const url = process.env.TEST_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const result = spawnSync("npx", ["vitest", "run", "--project", "integration", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TEST_POSTGRES_URL: url },
});
process.exit(result.status ?? 1);
